"""The split of a party delegation between nominated, indirect, members and constituency places."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from electoral.delegation import (
    ROUNDING,
    ROUTES,
    DelegationError,
    DelegationSplit,
    default_split,
    limits,
    validate_delegation,
)
from electoral.errors import CountError


def test_one_seat_of_24_sharers_is_six_places_per_route():
    split = default_split(1)
    assert split.places == 24
    assert split.counts() == {"nominated": 6, "indirect": 6, "members": 6, "constituency": 6}


def test_default_split_scales_with_seats():
    split = default_split(10)
    assert split.counts() == dict.fromkeys(ROUTES, 60)


def test_limits_round_caps_down_and_floors_up():
    rl = limits(25)
    assert (rl["nominated"].minimum, rl["nominated"].maximum) == (0, 6)
    assert (rl["indirect"].minimum, rl["indirect"].maximum) == (0, 6)
    assert (rl["members"].minimum, rl["members"].maximum) == (7, 18)
    assert (rl["constituency"].minimum, rl["constituency"].maximum) == (7, 18)
    assert rl.party_max == 11
    assert "floor(P/4)" in rl.rounding
    assert "ceil(P/4)" in rl.rounding


@pytest.mark.parametrize(
    ("places", "expected"),
    [
        (2, (0, 0, 1, 1)),
        (3, (0, 0, 2, 1)),
        (4, (1, 1, 1, 1)),
        (5, (1, 0, 2, 2)),
        (6, (1, 1, 2, 2)),
        (7, (1, 1, 3, 2)),
        (9, (2, 1, 3, 3)),
        (25, (6, 5, 7, 7)),
        (26, (6, 6, 7, 7)),
        (27, (6, 6, 8, 7)),
    ],
)
def test_default_split_gives_nominated_then_indirect_the_most_allowed(places, expected):
    split = default_split(1, sharers=places)
    assert tuple(split.counts().values()) == expected


def test_default_split_when_both_caps_cannot_be_reached_at_once():
    # 4q+1 places: the floors take 2q+2, so nominated + indirect <= 2q-1 (not 2q)
    split = default_split(1, sharers=13)
    assert (split.nominated, split.indirect) == (3, 2)
    assert limits(13).party_max == 5


def test_a_valid_submission_is_returned_as_a_split():
    split = validate_delegation(
        2, {"nominated": 0, "indirect": 12, "members": 12, "constituency": 24}
    )
    assert split == DelegationSplit(2, 24, 0, 12, 12, 24)
    assert split.as_dict()["rounding"] == ROUNDING


def test_a_route_left_out_counts_as_zero():
    split = validate_delegation(1, {"members": 12, "constituency": 12})
    assert split.nominated == 0
    assert split.indirect == 0


def test_over_the_cap_names_the_route_the_allowance_and_the_excess():
    with pytest.raises(DelegationError) as info:
        validate_delegation(1, {"nominated": 7, "indirect": 5, "members": 6, "constituency": 6})
    assert info.value.problems == (
        "nominated: 7 places, more than the 6 allowed (a quarter of 24): 1 too many",
    )


def test_under_the_floor_names_the_route_the_requirement_and_the_shortfall():
    with pytest.raises(DelegationError) as info:
        validate_delegation(1, {"nominated": 6, "indirect": 6, "members": 9, "constituency": 3})
    assert info.value.problems == (
        "constituency: 3 places, fewer than the 6 required (a quarter of 24): 3 too few",
    )


def test_rounding_is_stated_in_the_messages_when_places_are_not_a_multiple_of_four():
    with pytest.raises(DelegationError) as info:
        validate_delegation(
            1, {"nominated": 7, "indirect": 0, "members": 6, "constituency": 12}, sharers=25
        )
    assert info.value.problems == (
        "nominated: 7 places, more than the 6 allowed (a quarter of 25 is 6.25, rounded down): "
        "1 too many",
        "members: 6 places, fewer than the 7 required (a quarter of 25 is 6.25, rounded up): "
        "1 too few",
    )


def test_a_wrong_total_is_reported_with_the_difference():
    with pytest.raises(DelegationError) as info:
        validate_delegation(1, {"nominated": 6, "indirect": 6, "members": 6, "constituency": 7})
    assert info.value.problems == (
        "the routes add up to 25 places, 1 more than the delegation's 24",
    )
    with pytest.raises(DelegationError, match="2 fewer than the delegation's 24"):
        validate_delegation(1, {"nominated": 4, "indirect": 6, "members": 6, "constituency": 6})


def test_every_problem_is_listed_in_one_error():
    with pytest.raises(DelegationError) as info:
        validate_delegation(
            1, {"nominated": 9, "indirect": -1, "members": 2, "constituency": 6, "peers": 3}
        )
    problems = info.value.problems
    assert problems == (
        "indirect: -1 places; a number of places cannot be negative",
        "unknown route 'peers' (the routes are nominated, indirect, members, constituency)",
        "nominated: 9 places, more than the 6 allowed (a quarter of 24): 3 too many",
        "members: 2 places, fewer than the 6 required (a quarter of 24): 4 too few",
    )
    message = str(info.value)
    assert message.startswith("the delegation of 1 seat x 24 sharers = 24 places breaks the rule:")
    for problem in problems:
        assert f"\n  - {problem}" in message


def test_a_count_that_is_not_a_whole_number_is_rejected():
    with pytest.raises(DelegationError, match=r"members: '6' is not a whole number of places"):
        validate_delegation(1, {"nominated": 6, "indirect": 6, "members": "6", "constituency": 6})


def test_a_delegation_error_is_a_count_error_and_a_value_error():
    assert issubclass(DelegationError, CountError)
    assert issubclass(DelegationError, ValueError)
    with pytest.raises(CountError, match="breaks the rule"):
        validate_delegation(1, {"nominated": 24})


@pytest.mark.parametrize("places", [0, 1, -3])
def test_too_few_places_to_meet_the_floors_is_impossible(places):
    with pytest.raises(CountError, match="a delegation needs at least 2 places"):
        limits(places)


def test_one_seat_with_one_sharer_cannot_be_split():
    with pytest.raises(CountError, match="a delegation of 1 place cannot be split"):
        default_split(1, sharers=1)
    with pytest.raises(CountError, match="cannot be split"):
        validate_delegation(1, {"members": 1}, sharers=1)


@pytest.mark.parametrize(("seats", "sharers"), [(0, 24), (-1, 24), (1, 0)])
def test_seats_and_sharers_must_be_positive(seats, sharers):
    with pytest.raises(CountError, match="must be at least 1"):
        default_split(seats, sharers)


def test_a_split_cannot_be_built_breaking_the_rule():
    with pytest.raises(DelegationError, match="nominated: 24 places"):
        DelegationSplit(1, 24, 24, 0, 0, 0)


@settings(max_examples=300, deadline=None)
@given(st.integers(2, 5000))
def test_the_default_split_is_valid_and_adds_up_for_every_number_of_places(places):
    split = default_split(1, sharers=places)
    counts = split.counts()
    assert sum(counts.values()) == places
    assert validate_delegation(1, counts, sharers=places) == split
    rl = limits(places)
    assert counts["nominated"] + counts["indirect"] == rl.party_max
    assert counts["nominated"] == min(places // 4, rl.party_max)


@st.composite
def submissions(draw):
    """(places, four counts): often adding up to places (cut points), sometimes anything."""
    places = draw(st.integers(2, 200))
    if draw(st.booleans()):
        cuts = sorted(draw(st.lists(st.integers(0, places), min_size=3, max_size=3)))
        bounds = [0, *cuts, places]
        return places, [b - a for a, b in pairwise(bounds)]
    return places, draw(st.lists(st.integers(0, places), min_size=4, max_size=4))


@settings(max_examples=400, deadline=None)
@given(submissions())
def test_a_split_is_valid_exactly_when_it_keeps_the_quarters_and_adds_up(drawn):
    places, ns = drawn
    counts = dict(zip(ROUTES, ns, strict=True))
    rl = limits(places)
    keeps_rule = (
        4 * counts["nominated"] <= places
        and 4 * counts["indirect"] <= places
        and 4 * counts["members"] >= places
        and 4 * counts["constituency"] >= places
        and sum(ns) == places
    )
    if keeps_rule:
        split = validate_delegation(1, counts, sharers=places)
        assert split.counts() == counts
        for route, n in counts.items():
            assert rl.minimum(route) <= n <= rl.maximum(route)
    else:
        with pytest.raises(DelegationError, match="breaks the rule"):
            validate_delegation(1, counts, sharers=places)
