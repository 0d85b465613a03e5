"""The per-client rate limits (web/limits.py), counted in the database (chamber/limits) on
SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from litestar.testing import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from chamber.limits.models import RateLimit
from chamber.limits.services import SharedLimits, answer, slide
from chamber.settings import Settings
from tests.chamber.conftest import engine, pg_server  # noqa: F401
from tests.web.conftest import forget_limits, sign_in
from web.app import create_app


def _as_tuple(allowed, hits, now, limit, window):
    taken = answer(allowed, hits, now, limit, window)
    return taken.allowed, taken.remaining, taken.reset


def test_a_client_gets_limit_requests_a_window_then_waits_for_the_oldest():
    hits: list[float] = []
    answers = []
    for now in (1000.0, 1000.0, 1000.0):
        allowed, hits = slide(hits, now, 3, 60.0)
        answers.append(_as_tuple(allowed, hits, now, 3, 60.0)[:2])
    assert answers == [(True, 2), (True, 1), (True, 0)]
    allowed, hits = slide(hits, 1010.0, 3, 60.0)
    assert _as_tuple(allowed, hits, 1010.0, 3, 60.0) == (False, 0, 50)  # the first leave at 1060
    allowed, hits = slide(hits, 1060.0, 3, 60.0)  # the first three leave the window at 1060
    assert _as_tuple(allowed, hits, 1060.0, 3, 60.0)[:2] == (True, 2)


@given(
    limit=st.integers(1, 5),
    gaps=st.lists(st.floats(0, 30, allow_nan=False), min_size=1, max_size=60),
)
def test_never_more_than_limit_in_any_window(limit, gaps):
    now, hits, accepted = 1000.0, [], []
    for gap in gaps:
        now += gap
        allowed, hits = slide(hits, now, limit, 60.0)
        taken = answer(allowed, hits, now, limit, 60.0)
        assert 0 <= taken.remaining <= limit - (1 if allowed else 0)
        assert 0 <= taken.reset <= 60
        if allowed:
            accepted.append(now)
        else:  # refused only when the window really is full
            assert sum(1 for t in accepted if t > now - 60) == limit
    for t in accepted:
        assert sum(1 for u in accepted if t - 60 < u <= t) <= limit


def test_the_database_counts_each_client_apart_and_forgets_the_idle(engine):  # noqa: F811
    limits = SharedLimits(engine)
    try:
        taken = [limits.take("vote:a", 3, 60.0) for _ in range(4)]
        assert [(t.allowed, t.remaining) for t in taken] == [
            (True, 2), (True, 1), (True, 0), (False, 0)
        ]
        assert 59 <= taken[-1].reset <= 60
        assert limits.take("vote:b", 3, 60.0).allowed  # another client
        assert limits.take("login:a", 1, 60.0).allowed  # another kind of limit
        assert not limits.take("login:a", 1, 60.0).allowed
        short = [limits.take("vote:c", 2, 0.2) for _ in range(3)]
        assert [t.allowed for t in short] == [True, True, False]
        threading.Event().wait(0.25)  # the window of 0.2 s passes
        assert limits.take("vote:c", 2, 0.2).allowed
        threading.Event().wait(0.25)
        assert not limits.take("vote:a", 3, 60.0).allowed  # a refused request is seen too
        assert limits.sweep(0.2) == 3  # all but vote:a have been idle for longer than 0.2 s
        with Session(engine) as session:
            assert session.get(RateLimit, "vote:c") is None
            assert session.get(RateLimit, "vote:a") is not None
    finally:
        limits.dispose()


def _as_two_servers(database: Engine, requests: Callable[[SharedLimits], list[bool]]) -> list[bool]:
    """Four threads on two stores of one database (as two servers), each making ``requests``;
    every answer's ``allowed``, in the order they came."""
    limits = [SharedLimits(database) for _ in range(2)]
    allowed: list[bool] = []
    lock = threading.Lock()

    def server(store: SharedLimits) -> None:
        answers = requests(store)
        with lock:
            allowed.extend(answers)

    threads = [threading.Thread(target=server, args=(limits[i % 2],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for store in limits:
        store.dispose()
    return allowed


def test_concurrent_requests_from_one_client_never_pass_the_limit(engine):  # noqa: F811
    def client(store: SharedLimits) -> list[bool]:
        return [store.take("vote:many", 7, 60.0).allowed for _ in range(10)]

    allowed = _as_two_servers(engine, client)
    assert len(allowed) == 40
    assert sum(allowed) == 7


@pytest.mark.usefixtures("world")
def test_limited_api_routes_say_the_policy_and_when_to_retry(world):
    forget_limits(world.engine)
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


def test_a_group_counts_each_request_as_if_alone_in_turn(engine):  # noqa: F811
    grouped, alone = SharedLimits(engine), SharedLimits(engine)
    requests = [
        ("vote:a", 2, 60.0), ("vote:b", 2, 60.0), ("vote:a", 2, 60.0), ("login:a", 1, 60.0),
        ("vote:a", 2, 60.0), ("login:a", 1, 60.0), ("vote:c", 3, 60.0), ("vote:a", 2, 60.0),
    ]
    try:
        together = grouped.take_many([(f"g{k}", n, w) for k, n, w in requests])
        one_by_one = [alone.take(f"s{k}", n, w) for k, n, w in requests]
    finally:
        grouped.dispose()
        alone.dispose()
    assert [(t.allowed, t.remaining) for t in together] == [
        (t.allowed, t.remaining) for t in one_by_one
    ]
    assert [t.allowed for t in together] == [True, True, True, True, False, False, True, False]
    assert grouped.take_many([]) == []


def test_concurrent_groups_from_two_servers_never_pass_the_limit(engine):  # noqa: F811
    def server(store: SharedLimits) -> list[bool]:
        out: list[bool] = []
        for _ in range(5):
            answers = store.take_many([("vote:many", 7, 60.0), ("vote:other", 7, 60.0)] * 2)
            out.extend(t.allowed for t in answers[::2])
        return out

    allowed = _as_two_servers(engine, server)
    assert len(allowed) == 40
    assert sum(allowed) == 7


@pytest.mark.usefixtures("world")
def test_concurrent_votes_are_counted_in_groups_and_each_answered(world):
    forget_limits(world.engine)
    app = create_app(
        world.engine, scheduler=False, clock=lambda: world.now,
        config=Settings(vote_rate=5, login_rate=3),
    )
    with TestClient(app) as client:
        sign_in(client, "public")
        cookies, token = dict(client.cookies), client.cookies["csrftoken"]
    path = f"/api/divisions/{world.division}/votes"

    async def surge() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", cookies=cookies
        ) as http:
            return await asyncio.gather(*(
                http.post(path, json={"option": "content"}, headers={"x-csrftoken": token})
                for _ in range(8)
            ))

    answers = asyncio.run(surge())
    codes = sorted(a.status_code for a in answers)
    assert codes == [201] * 5 + [429] * 3  # one client: five a minute, in one burst as well
    remaining = sorted(int(a.headers["ratelimit-remaining"]) for a in answers)
    assert remaining == [0, 0, 0, 0, 1, 2, 3, 4]
