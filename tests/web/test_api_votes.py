"""The public vote through the JSON API (`web.api.cast_vote`): counted, signed in and cast with
its group (`chamber.intake`), it answers as a guarded, rate-limited route does: 401 and 403
before a malformed body's 400, the limit's headers on every answer, a refusal named, and the
session kept alive."""

from __future__ import annotations

from datetime import timedelta

from litestar.testing import TestClient
from sqlmodel import Session, func, select

from chamber.accounts.sessions import TOUCH
from chamber.divisions.models import PublicSubmission
from chamber.settings import Settings
from tests.web.conftest import forget_limits, sign_in
from web.app import create_app


def _stored(world) -> int:
    with Session(world.engine) as session:
        return session.exec(select(func.count()).select_from(PublicSubmission)).one()


def _post(client, world, body, division=None):
    token = client.cookies.get("csrftoken") or ""
    return client.post(f"/api/divisions/{division or world.division}/votes", json=body,
                       headers={"x-csrftoken": token})


def test_who_may_not_vote_is_told_before_the_body_is_read(world, client_for):
    before = _stored(world)
    for role, status in (("anonymous", 401), ("member", 403), ("clerk", 403)):
        client = client_for(role)
        if role == "anonymous":
            client.get("/login")  # a CSRF token of its own
        for body in ({"option": "content"}, {}, {"option": 7}):
            answer = _post(client, world, body)
            assert answer.status_code == status, (role, body, answer.text)
    member = client_for("member")
    answer = _post(member, world, {"option": "content"})
    assert answer.status_code == 403
    assert answer.headers["ratelimit-policy"].endswith("w=60")  # counted, as any vote
    assert _stored(world) == before


def test_a_signed_out_cookie_is_refused_whatever_the_body(world, client_for):
    client = client_for("public")
    cookies, token = dict(client.cookies), client.cookies["csrftoken"]
    client.post("/api/session", json={"username": "x", "password": "y"})  # no effect
    client.delete("/api/session", headers={"x-csrftoken": token})
    client.cookies.update(cookies)  # the old session's cookie, kept by the browser
    for body in ({"option": "content"}, {}):
        answer = client.post(f"/api/divisions/{world.division}/votes", json=body,
                             headers={"x-csrftoken": token})
        assert answer.status_code == 401, answer.text


def test_a_public_voter_gets_a_receipt_or_the_reason_with_the_limits_headers(world, client_for):
    client = client_for("public")
    cast = _post(client, world, {"option": "content"})
    assert cast.status_code == 201, cast.text
    assert cast.json()["division"] == world.division
    assert "ratelimit-remaining" in cast.headers
    assert cast.headers["x-content-type-options"] == "nosniff"  # the security headers too
    malformed = _post(client, world, {"option": 7})
    assert malformed.status_code == 400
    assert "option" in malformed.json()["error"]
    closed = _post(client, world, {"option": "content"}, division=world.closed)
    assert closed.status_code in (400, 409), closed.text
    assert closed.json()["error"]
    assert "ratelimit-remaining" in closed.headers
    assert len(closed.headers.get_list("ratelimit-remaining")) == 1
    missing = _post(client, world, {"option": "content"}, division=10**6)
    assert missing.status_code == 404


def test_voting_keeps_the_session_alive(world):
    class Clock:
        now = world.now

    forget_limits(world.engine)
    app = create_app(world.engine, scheduler=False, clock=lambda: Clock.now,
                     config=Settings(vote_rate=10_000, login_rate=10_000))
    client = TestClient(app)
    sign_in(client, "public")
    Clock.now = world.now + TOUCH + timedelta(seconds=1)
    answer = _post(client, world, {"option": "not content"})
    assert answer.status_code == 201, answer.text
    assert any(v.startswith("session=") and "Max-Age=" in v
               for v in answer.headers.get_list("set-cookie"))


def test_malformed_votes_are_counted_like_any_other(world):
    """A signed-in client sending malformed votes is counted against its limit (and told 429
    once over it) before the 400, as the middleware counts every limited request: none reads
    the database uncounted."""
    forget_limits(world.engine)
    app = create_app(world.engine, scheduler=False, clock=lambda: world.now,
                     config=Settings(vote_rate=2, login_rate=10_000))
    client = TestClient(app)
    sign_in(client, "public")
    answers = [_post(client, world, {"option": 7}) for _ in range(3)]
    assert [a.status_code for a in answers] == [400, 400, 429]
    assert [a.headers.get("ratelimit-remaining") for a in answers] == ["1", "0", "0"]
    assert _post(client, world, {"option": "content"}).status_code == 429  # the same count
