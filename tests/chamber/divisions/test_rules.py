"""The rules of divisions: who may vote, the 25,000 conversion, proxies resolved at close,
receipts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chamber.divisions.proxy_graph import resolve_proxies
from chamber.divisions.rules import convert_public_votes, may_vote, outcome, receipt
from chamber.errors import Invalid

ROSTER = {"S001": "alice", "S002": "bob"}


def test_only_the_rostered_member_may_vote():
    assert may_vote("alice", "S001", ROSTER, True).allowed
    refused = may_vote("carol", "S001", ROSTER, True)
    assert not refused.allowed
    assert "carol is not rostered for seat S001 in this slot (alice is)" in refused.reason
    assert "may speak if invited but may not vote" in refused.reason
    assert may_vote("alice", "S001", ROSTER, False).reason == "the division is not open"


def test_public_votes_round_up_for_the_leader_and_down_for_the_rest():
    assert convert_public_votes([60_000, 40_000]) == (3, 1)
    assert convert_public_votes([50_000, 25_000]) == (2, 1)  # exact multiples: no rounding
    assert convert_public_votes([30_000, 30_000]) == (1, 1)  # a tie for the most: all down
    assert convert_public_votes([10_000, 70_000, 26_000]) == (0, 3, 1)  # more than two options
    assert convert_public_votes([0, 0]) == (0, 0)


def test_the_public_overtakes_a_full_chamber_above_12_5_million():
    result = outcome(["content", "not content"], [0, 500], [12_500_001, 0])
    assert result.public_as_chamber_votes == (501, 0)
    assert result.carried == "content"
    tied = outcome(["content", "not content"], [250, 250], [0, 0])
    assert tied.carried is None


def reference(direct, proxy):
    """Follow each chain one step at a time (the definition)."""
    out = []
    for i in range(len(direct)):
        seen, j = set(), i
        while direct[j] < 0 and proxy[j] >= 0 and j not in seen:
            seen.add(j)
            j = proxy[j]
        out.append(j if direct[j] >= 0 else -1)
    return out


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 30).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(-1, 2), min_size=n, max_size=n),
            st.lists(st.integers(-1, n - 1), min_size=n, max_size=n),
        )
    )
)
def test_proxies_resolve_to_the_first_direct_voter_and_nothing_counts_twice(case):
    direct, proxy = case
    proxy = [p if p != i else -1 for i, p in enumerate(proxy)]
    r = resolve_proxies(np.array(direct), np.array(proxy), 3)
    assert list(r.counted_as) == reference(direct, proxy)
    assert r.tally.sum() == sum(1 for x in r.counted_as if x >= 0) <= len(direct)
    for i, d in enumerate(direct):
        if d >= 0:  # a direct vote overrides the proxy
            assert r.counted_as[i] == i
            assert r.option[i] == d


def test_cycles_add_nothing_and_the_cap_refuses_the_excess():
    # 0 -> 1 -> 0 is a cycle; 2, 3, 4 delegate to 5, who voted; 6 delegates to 7 who did nothing
    direct = np.array([-1, -1, -1, -1, -1, 1, -1, -1])
    proxy = np.array([1, 0, 5, 5, 5, -1, 7, -1])
    r = resolve_proxies(direct, proxy, 2, cap=2)
    assert r.in_cycles == 2
    assert r.lapsed == 1
    assert r.refused_over_cap == 1
    assert list(r.tally) == [0, 3]  # 5 itself and two of its three delegations
    assert r.largest_proxies() == [(5, 2)]


def test_millions_of_voters_resolve_quickly_enough_to_close_a_division():
    rng = np.random.default_rng(0)
    n = 200_000
    direct = np.where(rng.random(n) < 0.9, rng.integers(0, 2, n), -1)
    proxy = np.where(direct < 0, rng.integers(0, n, n), -1)
    r = resolve_proxies(direct, proxy, 2)
    assert r.tally.sum() <= n


def test_receipts_reveal_nothing_about_the_choice_and_differ_per_submission():
    a = receipt(b"k", "d1", "v1", 1)
    assert a == receipt(b"k", "d1", "v1", 1)
    assert a != receipt(b"k", "d1", "v1", 2)
    assert len(a) == 24


@pytest.mark.parametrize("bad", [[-3, 0], [0, 5]])
def test_bad_inputs_are_refused(bad):
    with pytest.raises(Invalid):
        resolve_proxies(np.array(bad), np.array([-1, -1]), 2)

