"""Sessions kept in the database: signing out, disabling an account, changing its role or its
password end its sessions at the next request; the CSRF token belongs to the session; cookies
are Secure over HTTPS; the session cookie is sent again only when its expiry moves on."""

from __future__ import annotations

from datetime import timedelta

from litestar.testing import TestClient

from chamber.accounts.changes import set_disabled, set_password, set_role
from chamber.accounts.services import create_account
from chamber.accounts.sessions import IDLE, TOUCH
from chamber.db import perform
from chamber.settings import Settings
from tests.chamber.conftest import enrol
from tests.web.conftest import ELECTORS, PASSWORD, post, sign_in
from web.app import create_app


class Clock:
    def __init__(self, now) -> None:
        self.now = now

    def __call__(self):
        return self.now


def _app(world, clock=None, **settings):
    return create_app(
        world.engine, scheduler=False, clock=clock or (lambda: world.now),
        config=Settings(vote_rate=10_000, login_rate=10_000, **settings),
    )


_ENROLLED: list[str] = []  # electors added for this module's public accounts


def _account(world, name: str, role: str = "public") -> str:
    """A new account; a public one bound to a new elector (the register is re-imported whole,
    keeping the world's electors)."""
    kwargs = {}
    if role == "public":
        _ENROLLED.append(f"S{len(_ENROLLED) + 1}")
        enrol(world.engine, *ELECTORS, *_ENROLLED, now=world.now, emails={"E8": "e8@example.org"})
        kwargs["elector"] = _ENROLLED[-1]
    perform(world.engine, create_account, name, PASSWORD, role, world.now, **kwargs)
    return name


def _set_cookies(response) -> dict[str, str]:
    """The cookies a response sets: name -> the whole Set-Cookie value."""
    return {v.split("=", 1)[0]: v for v in response.headers.get_list("set-cookie")}


def test_a_cookie_saved_before_signing_out_no_longer_signs_in(world):
    app = _app(world)
    client = TestClient(app)
    sign_in(client, _account(world, "saver"))
    saved = dict(client.cookies)
    assert client.get("/api/proxy").status_code == 200
    out = client.delete("/api/session", headers={"x-csrftoken": client.cookies["csrftoken"]})
    assert out.status_code == 200
    assert client.get("/api/proxy").status_code == 401
    replayed = TestClient(app, cookies=saved)  # the cookie as it was before signing out
    assert replayed.get("/api/proxy").status_code == 401
    vote = replayed.post(
        f"/api/divisions/{world.division}/votes", json={"option": "content"},
        headers={"x-csrftoken": saved["csrftoken"]},
    )
    assert vote.status_code == 401


def test_signing_out_of_the_pages_ends_the_session(world):
    client = TestClient(_app(world))
    sign_in(client, _account(world, "pager"))
    saved = client.cookies["session"]
    out = post(client, "/logout")
    assert out.status_code in (302, 303)
    assert _set_cookies(out)["session"].startswith("session=; Path=/; SameSite=Lax; Max-Age=0")
    assert "session" not in client.cookies
    client.cookies.set("session", saved)
    assert client.get("/proxy", follow_redirects=False).status_code in (302, 303)  # to /login


def test_a_demoted_clerk_loses_the_clerk_pages_at_the_next_request(world):
    client = TestClient(_app(world))
    sign_in(client, _account(world, "demoted", "clerk"))
    assert client.get("/clerk").status_code == 200
    perform(world.engine, set_role, "demoted", "public", world.now)
    assert client.get("/clerk", follow_redirects=False).status_code in (302, 303)  # signed out
    sign_in(client, "demoted")
    assert client.get("/clerk").status_code == 403
    assert client.get("/proxy").status_code == 200  # a public voter now


def test_a_disabled_account_is_refused_and_cannot_sign_in(world):
    client = TestClient(_app(world))
    sign_in(client, _account(world, "disabled"))
    assert client.get("/api/proxy").status_code == 200
    perform(world.engine, set_disabled, "disabled", True, world.now)
    assert client.get("/api/proxy").status_code == 401
    again = post(client, "/login", {"username": "disabled", "password": PASSWORD})
    assert again.status_code == 409
    assert "disabled" in again.text
    api = client.post(
        "/api/session", json={"username": "disabled", "password": PASSWORD},
        headers={"x-csrftoken": client.cookies["csrftoken"]},
    )
    assert api.status_code == 409
    perform(world.engine, set_disabled, "disabled", False, world.now)
    sign_in(client, "disabled")
    assert client.get("/api/proxy").status_code == 200


def test_a_password_change_signs_out_every_session(world):
    app = _app(world)
    laptop, phone = TestClient(app), TestClient(app)
    name = _account(world, "changer")
    sign_in(laptop, name)
    sign_in(phone, name)
    assert laptop.get("/api/proxy").status_code == phone.get("/api/proxy").status_code == 200
    perform(world.engine, set_password, name, "a brand new password", world.now)
    assert laptop.get("/api/proxy").status_code == phone.get("/api/proxy").status_code == 401
    refused = post(laptop, "/login", {"username": name, "password": PASSWORD})
    assert refused.status_code == 409
    ok = post(laptop, "/login", {"username": name, "password": "a brand new password"})
    assert ok.status_code in (302, 303)


def test_a_csrf_token_from_another_session_is_refused(world):
    app = _app(world)
    mine, theirs = TestClient(app), TestClient(app)
    sign_in(mine, _account(world, "victim"))
    sign_in(theirs, _account(world, "attacker"))
    path = f"/api/divisions/{world.division}/votes"
    foreign = mine.post(path, json={"option": "content"},
                        headers={"x-csrftoken": theirs.cookies["csrftoken"]})
    assert foreign.status_code == 403
    form = mine.post("/proxy", data={"proxy": "friend", "_csrf_token": theirs.cookies["csrftoken"]})
    assert form.status_code == 403
    assert "expired or came from elsewhere" in form.text
    # a csrftoken cookie planted to match the attacker's token does not help either
    mine.cookies.set("csrftoken", theirs.cookies["csrftoken"])
    planted = mine.post(path, json={"option": "content"},
                        headers={"x-csrftoken": theirs.cookies["csrftoken"]})
    assert planted.status_code == 403
    # an anonymous form's token (before signing in) is not the session's either
    anonymous = TestClient(app)
    anonymous.get("/login")
    stale = anonymous.cookies["csrftoken"]
    sign_in(anonymous, "victim")
    assert anonymous.cookies["csrftoken"] != stale
    refused = anonymous.post(path, json={"option": "content"}, headers={"x-csrftoken": stale})
    assert refused.status_code == 403


def test_cookies_are_secure_behind_a_trusted_proxy_saying_https(world):
    behind = TestClient(_app(world, trusted_proxies=("testclient",)))
    plain = _set_cookies(behind.get("/login"))
    assert plain
    assert not any("Secure" in c for c in plain.values())
    https = {"x-forwarded-proto": "https"}
    fresh = TestClient(_app(world, trusted_proxies=("testclient",)))
    page = _set_cookies(fresh.get("/login", headers=https))
    assert {"presession", "csrftoken"} <= set(page)
    assert all("; Secure" in c for c in page.values())
    # (the test client keeps Secure cookies to itself over http: send them by hand)
    value = {name: c.split(";")[0].split("=", 1)[1] for name, c in page.items()}
    response = fresh.post(
        "/login", follow_redirects=False,
        headers={**https, "cookie": f"presession={value['presession']}"},
        data={"username": _account(world, "proxied"), "password": PASSWORD,
              "_csrf_token": value["csrftoken"]},
    )
    assert response.status_code in (302, 303)
    signed = _set_cookies(response)
    assert "; Secure" in signed["session"]
    assert "HttpOnly" in signed["session"]
    assert "; Secure" in signed["csrftoken"]
    assert "HttpOnly" not in signed["csrftoken"]
    untrusted = TestClient(_app(world))  # the header from a peer that is not a named proxy
    assert not any("Secure" in c for c in _set_cookies(untrusted.get("/login", headers=https))
                   .values())


def test_the_session_cookie_is_sent_again_only_when_its_expiry_moves_on(world):
    clock = Clock(world.now)
    client = TestClient(_app(world, clock))
    sign_in(client, _account(world, "idler"))
    first = client.get("/api/proxy")
    assert first.status_code == 200
    assert "session" not in _set_cookies(first)  # the browser's cookie already says this
    clock.now += TOUCH + timedelta(seconds=1)
    moved = client.get("/api/proxy")
    assert moved.status_code == 200
    assert "Max-Age=" in _set_cookies(moved)["session"]
    assert "session" not in _set_cookies(client.get("/api/proxy"))
    clock.now += IDLE - timedelta(minutes=1)  # still within IDLE of the last mark
    assert client.get("/api/proxy").status_code == 200
    clock.now += IDLE + timedelta(minutes=1)  # idle too long: the session has ended
    assert client.get("/api/proxy").status_code == 401
