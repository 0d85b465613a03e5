"""The per-client rate limits (web/limits.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from web.limits import SlidingWindow


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_gets_limit_requests_a_window_then_waits_for_the_oldest():
    clock = Clock()
    window = SlidingWindow(3, 60.0, clock)
    assert [window.take("a")[:2] for _ in range(3)] == [(True, 2), (True, 1), (True, 0)]
    clock.now += 10
    allowed, remaining, reset = window.take("a")
    assert (allowed, remaining, reset) == (False, 0, 50)  # the first leaves at 1060
    assert window.take("b")[0]  # another client is counted apart
    clock.now += 50  # the first three (at 1000) leave the window at 1060
    assert window.take("a")[:2] == (True, 2)


def test_clients_idle_for_a_window_are_forgotten():
    clock = Clock()
    window = SlidingWindow(2, 60.0, clock)
    for client in ("a", "b", "c"):
        window.take(client)
    clock.now += 61
    window.take("d")
    assert set(window._times) == {"d"}


@given(
    limit=st.integers(1, 5),
    gaps=st.lists(st.floats(0, 30, allow_nan=False), min_size=1, max_size=60),
)
def test_never_more_than_limit_in_any_window(limit, gaps):
    clock = Clock()
    window = SlidingWindow(limit, 60.0, clock)
    accepted = []
    for gap in gaps:
        clock.now += gap
        allowed, remaining, reset = window.take("a")
        assert 0 <= remaining <= limit - (1 if allowed else 0)
        assert 0 <= reset <= 60
        if allowed:
            accepted.append(clock.now)
        else:  # refused only when the window really is full
            assert sum(1 for t in accepted if t > clock.now - 60) == limit
    for t in accepted:
        assert sum(1 for u in accepted if t - 60 < u <= t) <= limit


def test_limited_api_routes_say_the_policy_and_when_to_retry(world):
    from litestar.testing import TestClient

    from chamber.settings import Settings
    from tests.web.conftest import sign_in
    from web.app import create_app

    app = create_app(
        world.engine, scheduler=False, clock=lambda: world.now,
        config=Settings(vote_rate=2, login_rate=3),
    )
    client = TestClient(app)
    sign_in(client, "public")
    token = client.cookies["csrftoken"]
    path = f"/api/divisions/{world.division}/votes"
    answers = [
        client.post(path, json={"option": "content"}, headers={"x-csrftoken": token})
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[0].headers["ratelimit-policy"] == "2; w=60"
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["1", "0", "0"]
    assert 1 <= int(answers[2].headers["retry-after"]) <= 60
    assert answers[2].json() == {"error": "Too many requests: please wait a minute and try again."}
    # routes that are not limited carry no limit headers and are not refused
    listing = client.get("/api/divisions")
    assert listing.status_code == 200
    assert "ratelimit-policy" not in listing.headers
