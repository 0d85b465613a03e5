"""Property: closing a division in the database gives the same public tally as resolving every
voter's delegation in memory (`resolve_proxies` over everyone), for random votes, general and
division proxies, revocations, chains and cycles."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chamber.db import make_engine, perform, upgrade
from chamber.divisions.lifecycle import create_division
from chamber.divisions.proxies import revoke_proxy
from chamber.divisions.proxy_graph import resolve_proxies
from chamber.divisions.voters import register_voter
from tests.chamber.conftest import appoint, build_small, close, public_vote

T0 = datetime(2027, 3, 1, 8, tzinfo=UTC)
_n = itertools.count()


@st.composite
def scenarios(draw):
    n = draw(st.integers(2, 12))
    votes = draw(st.lists(st.integers(-1, 2), min_size=n, max_size=n))
    general = draw(st.lists(st.integers(-1, n - 1), min_size=n, max_size=n))
    special = draw(st.lists(st.integers(-1, n - 1), min_size=n, max_size=n))
    revoked = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return n, votes, general, special, revoked


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=scenarios())
def test_closing_in_the_database_equals_resolving_in_memory(case, tmp_path):
    n, votes, general, special, revoked = case
    engine = make_engine(f"sqlite:///{tmp_path / f'p{next(_n)}.db'}")
    upgrade(engine)
    small = build_small(engine)
    names = [f"p{i}" for i in range(n)]
    for name in names:
        perform(engine, register_voter, name, T0)
    d = perform(
        engine, create_division, "Q", ["a", "b", "c"], T0, T0 + timedelta(hours=1),
        sitting_id=small.sittings()[0].id, now=T0,
    )
    for i in range(0, n, 2):  # some vote before anyone names them a proxy
        if votes[i] >= 0:
            public_vote(engine, d, names[i], "abc"[votes[i]], T0)
    proxy = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        if general[i] >= 0 and general[i] != i:
            appoint(engine, names[i], names[general[i]], T0)
            proxy[i] = general[i]
            if revoked[i]:
                perform(engine, revoke_proxy, names[i], T0 + timedelta(minutes=1))
                proxy[i] = -1
        if special[i] >= 0 and special[i] != i:
            appoint(engine, names[i], names[special[i]], T0, division_id=d)
            proxy[i] = special[i]  # a division's proxy overrides the general one
    for i in range(1, n, 2):
        if votes[i] >= 0:
            at = T0 + timedelta(minutes=2)
            public_vote(engine, d, names[i], "abc"[votes[i]], at)
    result = close(engine, d, T0 + timedelta(hours=1))
    expected = resolve_proxies(np.array(votes, dtype=np.int64), proxy, 3)
    assert list(result.public_votes) == expected.tally.tolist()
    assert result.proxy_votes_in_cycles == expected.in_cycles
    assert result.proxy_votes_lapsed == expected.lapsed
    assert sum(result.public_votes) <= n
    engine.dispose()
