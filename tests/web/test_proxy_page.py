"""/proxy: every proxy in force (general and per division) shown and revocable, a message on
success, and the cap: how many a proxy carries, and a warning when one's vote will not be
carried (issue 18, part 6; issue 21)."""

from __future__ import annotations

from litestar.testing import TestClient

from chamber.settings import Settings
from tests.chamber.conftest import proxy_code
from tests.web.conftest import post, sign_in
from web.app import create_app


def _client(world, cap: int) -> TestClient:
    app = create_app(
        world.engine, scheduler=False, clock=lambda: world.now,
        config=Settings(proxy_cap=cap, vote_rate=10_000, login_rate=10_000),
    )
    return TestClient(app)


def test_a_proxy_for_one_division_is_shown_and_revoked_with_a_message(world):
    with _client(world, 10_000) as client:
        sign_in(client, "public")
        code = proxy_code(world.engine, "friend")
        answer = post(client, "/proxy",
                      {"proxy_code": code, "division": str(world.division), "action": "appoint"})
        assert answer.headers["location"] == "/proxy?saved=appointed"
        page = client.get(answer.headers["location"]).text
        assert "Your proxy is appointed." in page
        assert "That the Budget be approved" in page
        assert code in page
        assert "Appointed for this division by 1 voter" in page
        assert "will not be carried" not in page
        answer = post(client, "/proxy", {"division": str(world.division), "action": "revoke"})
        page = client.get(answer.headers["location"]).text
        assert "Your proxy is revoked" in page
        assert "That the Budget be approved</a>" not in page


def test_over_the_cap_the_voter_and_the_proxy_are_told(world):
    with _client(world, 0) as client, _client(world, 0) as proxy:
        sign_in(client, "public")
        post(client, "/proxy", {"proxy_code": proxy_code(world.engine, "friend"),
                                "division": "", "action": "appoint"})
        page = client.get("/proxy").text
        assert "This proxy is appointed by 1 voter; a proxy may carry at most 0 votes" in page
        assert "your vote will not be carried" in page
        sign_in(proxy, "friend")
        own = proxy.get("/proxy").text
        assert "You are the general proxy of 1 voter" in own
        assert "You are over the cap" in own
        voted = post(proxy, f"/divisions/{world.division}/vote", {"option": "content"})
        assert voted.status_code == 200, voted.text  # the receipt
        division = client.get(f"/divisions/{world.division}").text
        assert "It will not be carried" in division
        post(client, "/proxy", {"division": "", "action": "revoke"})
