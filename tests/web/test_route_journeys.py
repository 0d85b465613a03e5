"""Journeys through the routes: voting, proxies, the rota, counts, refusals, rate limits, htmx
fragments and the audit page (the route matrix itself is in test_routes.py)."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import TestClient
from sqlmodel import Session, select

from chamber.accounts.services import create_account
from chamber.db import perform, read
from chamber.divisions.models import Division, PublicSubmission
from chamber.divisions.sequencer import chain_public_votes
from chamber.integrity import verify
from chamber.settings import Settings
from tests.chamber.conftest import proxy_code
from tests.web.conftest import PASSWORD, forget_limits, post, sign_in
from web.app import create_app
from web.limits import client_address

CALTON = Path(__file__).parents[2] / "electoral" / "samples" / "glasgow_2007_calton.blt"


def test_a_public_voter_votes_revotes_and_checks_the_receipt(world, client_for):
    client = client_for("public")
    page = client.get(f"/divisions/{world.division}")
    assert 'name="option"' in page.text
    first = post(client, f"/divisions/{world.division}/vote", {"option": "content"})
    assert first.status_code == 200, first.text[-800:]
    token = first.text.split('<code id="receipt">')[1].split("</code>")[0]
    assert "content" not in token
    post(client, f"/divisions/{world.division}/vote", {"option": "not content"})
    check = client.get(f"/receipts?receipt={token}")
    assert "your later vote is the one that counts" in check.text
    refused = post(client, f"/divisions/{world.division}/vote", {"option": "maybe"})
    assert refused.status_code == 400  # not an option of the division: bad input
    assert "not an option" in refused.text


def test_a_retried_vote_with_the_same_key_stores_nothing(world, client_for):
    client = client_for("public")
    with Session(world.engine) as s:
        before = len(s.exec(select(PublicSubmission)).all())
    data = {"option": "content", "idempotency_key": "retry-1"}
    a = post(client, f"/divisions/{world.division}/vote", data)
    b = post(client, f"/divisions/{world.division}/vote", data)
    assert a.text.split('id="receipt">')[1][:24] == b.text.split('id="receipt">')[1][:24]
    with Session(world.engine) as s:
        assert len(s.exec(select(PublicSubmission)).all()) == before + 1


def test_proxy_appoint_show_and_revoke(world, client_for):
    client = client_for("public")
    friend, mine = proxy_code(world.engine, "friend"), proxy_code(world.engine, "public")
    assert post(client, "/proxy", {"proxy_code": friend, "action": "appoint"}).status_code == 302
    page = client.get("/proxy").text
    assert friend in page
    assert mine in page
    assert "friend" not in page
    bad = post(client, "/proxy", {"proxy_code": mine, "action": "appoint"})
    assert "own proxy" in bad.text
    assert post(client, "/proxy", {"action": "revoke", "division": ""}).status_code == 302
    assert "no general proxy" in client.get("/proxy").text


def test_a_member_sees_the_rota_and_the_calendar_feed(world, client_for):
    client = client_for("member")
    page = client.get("/me/rota")
    assert world.member in page.text
    feed = page.text.split('id="ics-link" href="')[1].split('"')[0]
    ics = client_for("anonymous").get(feed.replace("http://testserver.local", ""))
    assert ics.status_code == 200
    assert ics.headers["content-type"] == "text/calendar; charset=utf-8"
    assert b"BEGIN:VEVENT" in ics.content
    assert b"Your rota: http://testserver.local/me/rota" in ics.content.replace(b"\r\n ", b"")
    assert b"URL:http://testserver.local/me/rota" in ics.content
    assert client_for("anonymous").get("/calendar/not-a-token.ics").status_code == 404


def test_only_the_rostered_member_votes_in_the_chamber(world, client_for):
    client = client_for("member")
    response = post(client, f"/divisions/{world.division}/member-vote", {"option": "content"})
    assert response.status_code == 302
    assert world.member in client.get(f"/divisions/{world.division}").text


def test_an_administrator_counts_a_ward_and_verifies_it(world, client_for):
    client = client_for("administrator")
    response = client.post(
        "/admin/counts",
        data={
            "rule": "scottish",
            "seed": "announced",
            "title": "Calton again",
            "_csrf_token": client.cookies["csrftoken"],
        },
        files={"ballots": (CALTON.name, CALTON.read_bytes(), "text/plain")},
        follow_redirects=False,
    )
    assert response.status_code == 302, response.text
    page = client.get(response.headers["location"])
    assert "George Redmond (Lab)" in page.text
    assert "<svg" in page.text
    verified = post(client, response.headers["location"] + "/verify")
    assert "agrees stage by stage" in verified.text
    bad = client.post(
        "/admin/counts",
        data={"rule": "scottish", "seed": "x", "_csrf_token": client.cookies["csrftoken"]},
        files={"ballots": ("bad.blt", b"3 1\n1 9 0\n0\n", "text/plain")},
    )
    assert bad.status_code == 422
    assert "bad.blt" in bad.text


def test_the_clerk_is_refused_late_business_with_the_reason(world, client_for):
    client = client_for("clerk")
    response = post(client, "/clerk/business", {"sitting": str(world.sitting), "title": "Late"})
    assert response.status_code == 409
    assert "has already begun" in response.text
    saturday = next(s for s in world.small.sittings() if s.urgent_only)
    response = post(client, "/clerk/business", {"sitting": str(saturday.id), "title": "Late"})
    assert response.status_code == 409
    assert "a month ahead" in response.text


def test_forms_without_the_csrf_token_are_refused(world, client_for):
    client = client_for("public")
    response = client.post(f"/divisions/{world.division}/vote", data={"option": "content"})
    assert response.status_code == 403
    assert "expired or came from elsewhere" in response.text


def test_the_api_signs_in_votes_and_returns_a_receipt(world, client_for):
    client = client_for("anonymous")
    token = (
        client.cookies.get("csrftoken")
        or (client.get("/api/divisions"), client.cookies["csrftoken"])[1]
    )
    signed = client.post(
        "/api/session",
        json={"username": "public", "password": "correct horse battery"},
        headers={"x-csrftoken": token},
    )
    assert signed.status_code == 200
    path = f"/api/divisions/{world.division}/votes"
    # the token belongs to the session: signing in made a new one (the cookie carries it)
    stale = client.post(path, json={"option": "content"}, headers={"x-csrftoken": token})
    assert stale.status_code == 403
    token = client.cookies["csrftoken"]
    vote = client.post(path, json={"option": "content"}, headers={"x-csrftoken": token})
    assert vote.status_code == 201
    receipt = vote.json()["receipt"]
    assert client.get(f"/api/receipts/{receipt}").json()["is_latest"] is True
    missing = client.get("/api/divisions/99999")
    assert missing.status_code == 404
    assert missing.json() == {"error": "no division 99999"}


def test_wrong_passwords_get_one_message(client_for):
    client = client_for("anonymous")
    response = post(client, "/login", {"username": "public", "password": "wrong password"})
    assert response.status_code == 409
    assert "wrong username or password" in response.text


def test_votes_and_sign_ins_are_rate_limited_per_client(world):
    forget_limits(world.engine)
    app = create_app(
        world.engine,
        scheduler=False,
        clock=lambda: world.now,
        config=Settings(vote_rate=2, login_rate=3),
    )
    client = TestClient(app)
    sign_in(client, "public")
    codes = [
        post(client, f"/divisions/{world.division}/vote", {"option": "content"}).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    assert (
        "Too many requests"
        in post(client, f"/divisions/{world.division}/vote", {"option": "content"}).text
    )
    other = TestClient(app)
    logins = [
        post(other, "/login", {"username": "x", "password": "y"}).status_code for _ in range(3)
    ]
    assert logins[-1] == 429


def test_a_trusted_proxy_forwards_the_client_address():

    trusted = ("10.0.0.1",)
    assert client_address("10.0.0.1", "203.0.113.9, 10.0.0.1", trusted) == "203.0.113.9"
    assert client_address("198.51.100.7", "203.0.113.9", trusted) == "198.51.100.7"  # untrusted
    assert client_address("10.0.0.1", None, trusted) == "10.0.0.1"
    assert client_address("10.0.0.1", " ", trusted) == "10.0.0.1"
    assert client_address(None, "203.0.113.9", trusted) == "unknown"


def test_a_member_not_rostered_in_the_slot_cannot_vote(world, client_for):
    seat = next(s for s, m in world.roster.items() if m == world.member)
    sharer = next(f"{seat}-{k}" for k in range(2) if f"{seat}-{k}" != world.member)
    perform(world.engine, create_account, "sharer", PASSWORD, "member", world.now, member_id=sharer)
    client = TestClient(client_for("anonymous").app)
    sign_in(client, "sharer")
    refused = post(client, f"/divisions/{world.division}/member-vote", {"option": "content"})
    assert refused.status_code == 409
    assert f"{sharer} is not rostered for seat {seat}" in refused.text


def test_htmx_gets_fragments_for_the_live_result_the_receipt_and_refusals(world, client_for):
    client = client_for("public")
    hx = {"hx-request": "true"}
    live = client.get(f"/divisions/{world.closed}/live", headers=hx)
    assert live.text.startswith('<div id="live"')
    assert "<html" not in live.text
    assert "Public votes as chamber votes" in live.text
    vote = post(client, f"/divisions/{world.division}/vote", {"option": "content"}, headers=hx)
    assert vote.status_code == 200
    assert "<html" not in vote.text
    assert 'id="receipt"' in vote.text
    refused = post(client, f"/divisions/{world.division}/vote", {"option": "maybe"}, headers=hx)
    assert refused.status_code == 400
    assert refused.text.startswith('<p role="alert">')


def test_the_audit_page_publishes_the_head_at_each_close(world, client_for):
    with Session(world.engine) as s:
        head = s.get(Division, world.closed).audit_head
    client = client_for("anonymous")
    page = client.get("/audit")
    assert head in page.text
    assert f"division {world.closed} closed" in page.text
    listed = client.get("/api/audit/checkpoints").json()
    assert any(c["head"] == head and c["reason"] == f"division {world.closed} closed"
               for c in listed), listed


def test_a_vote_through_the_site_carries_a_mac_and_is_chained(world, client_for, app):
    client = client_for("public")
    voted = post(client, f"/divisions/{world.division}/vote", {"option": "content"})
    assert voted.status_code == 200, voted.text[-800:]
    key = app.state.audit_key
    assert chain_public_votes(world.engine, key) >= 1
    with Session(world.engine) as s:
        waiting = s.exec(select(PublicSubmission).where(PublicSubmission.audit_id == None)).all()  # noqa: E711
    assert waiting == []
    found = read(world.engine, verify, key)
    assert found.intact, found.problems
