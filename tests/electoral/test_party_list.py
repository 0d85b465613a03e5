"""Party-list allocation: real results, the apportionment package as an oracle, thresholds, caps,
ties by lot and clear errors for bad vote files."""

from __future__ import annotations

from fractions import Fraction

import pytest
from apportionment import methods as ap
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from electoral.errors import CountError
from electoral.party_list import (
    METHODS,
    allocate,
    divisor_apportion,
    parse_party_votes,
    quotient_table,
    read_party_votes,
    remainder_apportion,
)
from electoral.seat_shares import district_places, student_union_seats
from tests.conftest import DATA
from tests.electoral.file_errors import names_file

ALLOCATION = DATA / "allocation"
ORACLE = {
    "dhondt": "dhondt",
    "sainte-lague": "saintelague",
    "modified-sainte-lague": "modified_saintelague",
    "huntington-hill": "huntington",
}


def test_european_parliament_2019_south_west_dhondt():
    data = read_party_votes(ALLOCATION / "ep2019_south_west.csv")
    result = allocate(data.names, data.votes, 6, "dhondt", threshold=0, seed="x")
    won = {p: s for p, s in result.seats_by_party.items() if s}
    assert won == {"The Brexit Party": 3, "Liberal Democrats": 2, "Green Party": 1}
    assert result.cutoff == "192547.5000"  # Lib Dems' second quotient, 385,095 / 2


def test_european_parliament_2019_south_east_dhondt():
    data = read_party_votes(ALLOCATION / "ep2019_south_east.csv")
    result = allocate(data.names, data.votes, 10, "dhondt", threshold=0, seed="x")
    won = {p: s for p, s in result.seats_by_party.items() if s}
    assert won == {
        "Brexit Party": 4,
        "Liberal Democrat": 3,
        "Green": 1,
        "Conservative": 1,
        "Labour": 1,
    }


def _oracle(method: str, votes: list[int], seats: int) -> list[int] | None:
    """The apportionment package's seats, or None where it meets a tie."""
    try:
        return ap.compute(
            method,
            votes,
            seats,
            fractions=True,
            tiesallowed=False,
            parties=[str(i) for i in range(len(votes))],
        )
    except ap.TiesException:
        return None


votes_lists = st.lists(st.integers(0, 5000), min_size=2, max_size=9)


@settings(max_examples=200, deadline=None)
@given(votes_lists, st.integers(1, 40), st.sampled_from(sorted(ORACLE)))
def test_divisor_methods_agree_with_the_apportionment_package(votes, seats, method):
    assume(sum(votes) > 0)
    expected = _oracle(ORACLE[method], votes, seats)
    assume(expected is not None)  # the package refuses ties
    ours, ties = divisor_apportion(votes, seats, method)
    assume(not ties)
    assert ours == expected


@settings(max_examples=200, deadline=None)
@given(votes_lists, st.integers(1, 40))
def test_hare_largest_remainder_agrees_with_the_apportionment_package(votes, seats):
    assume(sum(votes) > 0)
    expected = _oracle("largest_remainder", votes, seats)
    assume(expected is not None)  # the package refuses ties
    ours, ties, _, _ = remainder_apportion(votes, seats, "hare")
    assume(not ties)
    assert ours == expected


@settings(max_examples=150, deadline=None)
@given(votes_lists, st.integers(1, 30), st.sampled_from(METHODS), st.text(max_size=5))
def test_every_method_fills_exactly_the_seats_and_is_reproducible(votes, seats, method, seed):
    assume(sum(1 for v in votes if v) >= 1)
    names = [f"p{i}" for i in range(len(votes))]
    a = allocate(names, votes, seats, method, seed=seed)
    assert sum(a.seats_by_party.values()) == seats
    assert a == allocate(names, votes, seats, method, seed=seed)
    for p in a.parties:
        if not p.qualified:
            assert p.seats == 0


@settings(max_examples=150, deadline=None)
@given(votes_lists, st.integers(1, 30), st.sampled_from(sorted(ORACLE)))
def test_divisor_methods_are_house_monotone(votes, seats, method):
    assume(sum(votes) > 0)
    small, t1 = divisor_apportion(votes, seats, method)
    big, t2 = divisor_apportion(votes, seats + 1, method)
    if not t1 and not t2:
        assert all(b >= s for b, s in zip(big, small, strict=True))


def test_threshold_is_strictly_more_than_one_percent():
    names, votes = ["A", "B", "C"], [9_800, 100, 100]  # B and C have exactly 1%
    strict = allocate(names, votes, 10, "dhondt", threshold="0.01", seed="x")
    assert [p.qualified for p in strict.parties] == [True, False, False]
    assert strict.parties[1].reason == "1.00% of the vote; needs more than 1.00%"
    inclusive = allocate(
        names, votes, 10, "dhondt", threshold="0.01", strict_threshold=False, seed="x"
    )
    assert [p.qualified for p in inclusive.parties] == [True, True, True]


def test_an_exempt_party_qualifies_below_the_threshold():
    result = allocate(
        ["A", "B"], [99_900, 100], 1000, "sainte-lague", threshold="0.01", exempt=["B"], seed="x"
    )
    assert result.parties[1].qualified
    assert result.parties[1].reason == "exempt from the threshold"
    assert result.seats_by_party["B"] == 1


def test_a_capped_party_keeps_its_cap_and_the_rest_go_by_the_same_quotients():
    result = allocate(["A", "B", "C"], [600, 300, 100], 10, "dhondt", caps={"A": 4}, seed="x")
    assert result.seats_by_party == {"A": 4, "B": 5, "C": 1}  # B: 300 150 100 75 60; C: 100
    assert result.parties[0].capped
    lr = allocate(["A", "B", "C"], [600, 300, 100], 10, "hare", caps={"A": 4}, seed="x")
    assert lr.seats_by_party["A"] == 4
    assert sum(lr.seats_by_party.values()) == 10


def test_a_tie_for_the_last_seat_is_broken_by_lot_and_recorded():
    outcomes = set()
    for i in range(20):
        r = allocate(["A", "B", "C"], [300, 200, 200], 2, "dhondt", seed=f"s{i}")
        (tie,) = r.ties
        assert tie.places == 1
        assert tie.tied == ("B", "C")
        assert r.lots == tie.draws
        outcomes.add(tie.winners)
        assert r == allocate(["A", "B", "C"], [300, 200, 200], 2, "dhondt", seed=f"s{i}")
    assert outcomes == {("B",), ("C",)}


def test_largest_remainder_tie_is_broken_by_lot():
    r = allocate(["A", "B", "C"], [100, 100, 100], 2, "hare", seed="x")
    assert len(r.ties) == 1
    assert r.ties[0].places == 2
    assert sorted(r.seats_by_party.values()) == [0, 1, 1]


def test_droop_largest_remainder_uses_the_droop_quota():
    # 10 seats, 1000 votes: Droop quota floor(1000 / 11) + 1 = 91.
    r = allocate(["A", "B", "C"], [500, 300, 200], 10, "droop", seed="x")
    assert r.cutoff == "91.0000"
    assert r.seats_by_party == {"A": 5, "B": 3, "C": 2}


def test_huntington_hill_gives_first_seats_before_second_seats():
    seats, _ = divisor_apportion([1000, 10, 5], 3, "huntington-hill")
    assert seats == [1, 1, 1]
    seats, _ = divisor_apportion([1000, 10, 5], 2, "huntington-hill")
    assert seats == [1, 1, 0]


def test_modified_sainte_lague_first_divisor_is_one_point_four():
    # Quotients A: 140/1.4=100, 140/3=46.7; B: 60/1.4=42.9 -> A takes both seats; plain
    # Sainte-Laguë (B: 60/1 = 60 > 46.7) gives B the second.
    assert divisor_apportion([140, 60], 2, "modified-sainte-lague")[0] == [2, 0]
    assert divisor_apportion([140, 60], 2, "sainte-lague")[0] == [1, 1]


def test_quotient_table_shows_the_working():
    assert quotient_table("dhondt", [600, 300], 3) == [
        ["600.00", "300.00", "200.00"],
        ["300.00", "150.00", "100.00"],
    ]


def test_large_allocations_are_exact():
    votes = [10**9 + i for i in range(1000)]
    seats, ties = divisor_apportion(votes, 10_000, "sainte-lague")
    assert sum(seats) == 10_000
    assert not ties


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("party,votes\nA,-5\n", "line 2: column 'votes': negative number -5 for A"),
        ("party,votes\nA,5\nA,6\n", "line 3: column 'party': 'A' already appears on line 2"),
        ("party,count\nA,5\n", "line 1: missing column 'votes'"),
        ("votes\n5\n", "line 1: missing column 'party'"),
        ("party,votes\nA,5.5\n", "line 2: column 'votes': '5.5' is not a whole number"),
        ("party,votes\nA\n", "line 2: expected 2 fields"),
        ("party,votes\n,5\n", "line 2: column 'party': empty name"),
        ("party,votes,exempt\nA,5,maybe\n", "line 2: column 'exempt'"),
        ("", "empty file"),
    ],
)
def test_bad_vote_files_name_the_line_and_column(text, message):
    with names_file("votes.csv", message):
        parse_party_votes(text, "votes.csv")


def test_vote_files_accept_thousands_separators_exemptions_and_caps(tmp_path):
    f = tmp_path / "votes.csv"
    f.write_text('party,votes,exempt,cap\nA,"1,000",no,\nB,20,yes,3\n')
    data = read_party_votes(f)
    assert data.votes == (1000, 20)
    assert data.exempt == ("B",)
    assert data.caps == {"B": 3}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "borda"}, "unknown method 'borda'"),
        ({"threshold": "1.5"}, "threshold must be a share"),
        ({"threshold": "lots"}, "threshold must be a number"),
        ({"exempt": ["Z"]}, "not among the parties: Z"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(CountError, match=message):
        allocate(["A", "B"], [10, 20], 3, **kwargs)


def test_student_union_seats_follow_membership():
    r = student_union_seats(["U1", "U2", "U3"], [520_000, 290_000, 190_000], seed="x")
    assert r.seats_by_party == {"U1": 13, "U2": 7, "U3": 5}
    assert r.method == "sainte-lague"


def test_district_places_give_at_least_three_where_the_arithmetic_allows():
    pops = [5_000_000, 60_000, 40_000, 1_000_000]
    r = district_places(["Big", "Small", "Tiny", "Mid"], pops, 240, seed="x")
    assert sum(d.places for d in r.districts) == 240
    assert min(d.places for d in r.districts) == 3
    assert r.minimum == 3
    few = district_places([f"d{i}" for i in range(100)], [27_000] * 100, 150, seed="x")
    assert few.minimum == 1  # 3 x 100 > 150: the arithmetic does not allow 3 each
    assert sum(d.places for d in few.districts) == 150


def test_district_minimum_that_cannot_be_met_is_refused():
    with pytest.raises(CountError, match="need 30 places; only 20 are available"):
        district_places([f"d{i}" for i in range(10)], [1] * 10, 20, minimum=3)


def test_threshold_share_is_exact_not_floating_point():
    # 1% of 300 is 3 exactly: 3 votes is not more than 1%; 4 votes is.
    r = allocate(["A", "B", "C"], [293, 3, 4], 5, "dhondt", threshold=Fraction(1, 100), seed="x")
    assert [p.qualified for p in r.parties] == [True, False, True]
