"""The organisations ballot: the approval count, its invariants and the command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import cli.organisations  # noqa: F401  (registers `organisations`)
from cli.common import app
from electoral.approval import (
    ApprovalBallots,
    Organisation,
    count_approval,
    counting,
    read_approval_ballots,
    read_organisations,
)
from electoral.errors import CountError
from tests.conftest import DATA

SAMPLES = DATA / "approval"


def orgs(n: int, kind: str = "charity") -> list[Organisation]:
    return [Organisation(f"Org {i}", 100_000, 0, kind) for i in range(n)]


def ballots(organisations, rows, weights=None) -> ApprovalBallots:
    return ApprovalBallots.from_rows([o.name for o in organisations], rows, weights)


# -- the count -----------------------------------------------------------------------------------


def test_each_valid_ballot_gives_one_vote_times_its_weight_to_each_organisation_on_it():
    os_ = orgs(4)
    r = count_approval(ballots(os_, [[0, 1], [1, 2, 3], [3]], [5, 2, 0]), os_, seats=2, seed="s")
    assert r.votes == {"Org 1": 7, "Org 0": 5, "Org 2": 2, "Org 3": 2}
    assert list(r.votes) == ["Org 1", "Org 0", "Org 2", "Org 3"]
    assert r.winners == ("Org 1", "Org 0")
    assert r.valid_ballots == 7
    assert r.ties == ()


def test_ballots_with_too_many_choices_or_a_repeated_organisation_are_invalid_by_reason():
    os_ = orgs(25)
    rows = [list(range(21)), list(range(20)), [3, 4, 3], [], [5], list(range(21))]
    r = count_approval(ballots(os_, rows, [1, 1, 2, 1, 1, 4]), os_, seats=3, seed="s")
    by_reason = {i.reason: (i.ballots, i.examples) for i in r.invalid}
    assert by_reason == {
        "empty": (1, (4,)),
        "too many": (5, (1, 6)),
        "repeated": (2, (3,)),
    }
    assert r.invalid_ballots == 8
    assert r.valid_ballots == 2
    assert r.votes["Org 5"] == 2
    assert r.votes["Org 3"] == 1  # only from the valid ballot of 20
    described = {i.reason: i.description for i in r.invalid}
    assert described["too many"] == "marks more than 20 organisations"


def test_max_choices_is_a_parameter():
    os_ = orgs(5)
    r = count_approval(ballots(os_, [[0, 1, 2], [0]]), os_, seats=1, max_choices=2, seed="s")
    assert r.invalid_ballots == 1
    assert r.votes["Org 0"] == 1


def test_examples_are_the_first_few_lines_even_when_counted_in_chunks(monkeypatch):
    os_ = orgs(3)
    rows = [[0, 0]] * 12 + [[1]]
    whole = count_approval(ballots(os_, rows), os_, seats=1, seed="s")
    monkeypatch.setattr(counting, "_CHUNK", 5)
    chunked = count_approval(ballots(os_, rows), os_, seats=1, seed="s")
    assert chunked == whole
    assert whole.invalid[0].examples == (1, 2, 3, 4, 5)
    assert whole.invalid[0].ballots == 12


def test_a_tie_across_the_last_place_is_decided_by_lot_and_recorded():
    os_ = orgs(4)
    b = ballots(os_, [[0, 1, 2, 3], [0]])  # Org 0: 2 votes; Orgs 1, 2, 3: 1 each
    r = count_approval(b, os_, seats=2, seed="announced")
    assert r.winners[0] == "Org 0"
    (tie,) = r.ties
    assert tie.organisations == ("Org 1", "Org 2", "Org 3")
    assert tie.votes == 1
    assert tie.places == 1
    assert tie.won == r.winners[1:]
    assert tie.lots == (0,)
    assert len(r.lots) == 1
    assert r.seed == "announced"
    assert list(r.votes)[:2] == list(r.winners)  # the winner by lot is listed first of its level


def test_the_same_seed_gives_the_same_winners_and_different_seeds_give_both_outcomes():
    os_ = orgs(3)
    b = ballots(os_, [[0, 1, 2]])
    first = count_approval(b, os_, seats=2, seed="s1")
    assert count_approval(b, os_, seats=2, seed="s1") == first
    outcomes = {
        frozenset(count_approval(b, os_, seats=2, seed=f"seed {i}").winners) for i in range(40)
    }
    assert len(outcomes) == 3  # each organisation loses under some seed
    assert all(len(w) == 2 for w in outcomes)


def test_a_tie_inside_the_winners_needs_no_lot():
    os_ = orgs(3)
    r = count_approval(ballots(os_, [[0, 1], [0, 1], [2]]), os_, seats=2)
    assert set(r.winners) == {"Org 0", "Org 1"}
    assert r.ties == ()
    assert r.lots == ()
    assert r.seed  # a fresh seed is recorded


def test_fewer_organisations_standing_than_seats_all_win_and_the_rest_are_unfilled():
    os_ = [*orgs(3), Organisation("P", 500_000, 0, "party")]
    r = count_approval(ballots(os_, [[0], [1]]), os_, seats=50, seed="s")
    assert set(r.winners) == {"Org 0", "Org 1", "Org 2"}
    assert r.unfilled == 47
    assert r.standing == ("Org 0", "Org 1", "Org 2")
    assert "P" not in r.votes
    assert r.ties == ()


def test_a_vote_for_an_organisation_that_may_not_stand_is_a_count_error():
    os_ = [*orgs(2), Organisation("P", 500_000, 0, "party")]
    with pytest.raises(CountError, match="line 2: 'P' is not on the ballot paper"):
        count_approval(ballots(os_, [[0], [1, 2]]), os_, seats=1, seed="s")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"seats": 0}, "seats must be at least 1"), ({"max_choices": 0}, "choices allowed")],
)
def test_bad_arguments_are_count_errors(kwargs, message):
    os_ = orgs(2)
    with pytest.raises(CountError, match=message):
        count_approval(ballots(os_, [[0]]), os_, **kwargs)


def test_ballots_read_against_another_list_are_refused():
    with pytest.raises(CountError, match="different list of organisations"):
        count_approval(ballots(orgs(2), [[0]]), orgs(3), seats=1)


def test_bad_ballot_arrays_are_count_errors():
    with pytest.raises(CountError, match="beyond the organisation list"):
        ballots(orgs(2), [[0, 2]])
    with pytest.raises(CountError, match="must not be negative"):
        ballots(orgs(2), [[0]], [-1])


def test_the_result_as_json_holds_everything_needed_to_check_it():
    os_ = orgs(3)
    r = count_approval(ballots(os_, [[0, 1, 2], [0, 0]]), os_, seats=2, seed="s")
    data = json.loads(r.to_json())
    for key in ("seats", "valid_ballots", "invalid_ballots", "invalid", "votes", "winners"):
        assert key in data
    assert data["ties"][0]["places"] == 2  # the repeated ballot is invalid: all three on 1 vote
    assert data["ties"][0]["lots"] == [0, 1]
    assert data["seed"] == "s"
    assert data["lots"] == list(r.lots)
    assert data["invalid"][0]["examples"] == [2]


def test_the_sample_files_count_end_to_end():
    os_, _ = read_organisations(SAMPLES / "organisations.csv")
    b = read_approval_ballots(SAMPLES / "ballots.csv", os_)
    r = count_approval(b, os_, seats=3, seed="s")
    assert r.votes["National Trust"] == 5
    assert r.valid_ballots == 7
    assert {i.reason: i.ballots for i in r.invalid} == {"empty": 2, "repeated": 4}


# -- invariants ----------------------------------------------------------------------------------


@st.composite
def elections(draw):
    n = draw(st.integers(1, 8))
    refused = draw(st.sets(st.integers(0, n - 1), max_size=n // 2))
    os_ = [
        Organisation(f"O{i}", 100_000, 0, "party" if i in refused else "charity") for i in range(n)
    ]
    on_paper = [i for i in range(n) if i not in refused]
    row = st.lists(st.sampled_from(on_paper), max_size=7) if on_paper else st.just([])
    rows = draw(st.lists(row, max_size=30))
    weights = draw(st.lists(st.integers(0, 5), min_size=len(rows), max_size=len(rows)))
    return os_, rows, weights, draw(st.integers(1, n + 2)), draw(st.integers(1, 6))


@settings(max_examples=200, deadline=None)
@given(elections(), st.text(max_size=6))
def test_winners_are_the_top_seats_by_votes_and_votes_are_the_valid_marks(election, seed):
    os_, rows, weights, seats, max_choices = election
    r = count_approval(ballots(os_, rows, weights), os_, seats, max_choices, seed)
    standing = [o.name for o in os_ if o.kind != "party"]
    expected = dict.fromkeys(standing, 0)
    valid = 0
    for row, w in zip(rows, weights, strict=True):
        if 1 <= len(row) <= max_choices and len(set(row)) == len(row):
            valid += w
            for i in row:
                expected[os_[i].name] += w
    assert r.votes == expected
    assert sum(r.votes.values()) == sum(
        len(row) * w
        for row, w in zip(rows, weights, strict=True)
        if 1 <= len(row) <= max_choices and len(set(row)) == len(row)
    )
    assert r.valid_ballots == valid
    assert r.valid_ballots + r.invalid_ballots == sum(weights)
    assert list(r.votes.values()) == sorted(r.votes.values(), reverse=True)
    assert len(r.winners) == len(set(r.winners)) == min(seats, len(standing))
    assert r.unfilled == max(0, seats - len(standing))
    lowest_winner = min((r.votes[w] for w in r.winners), default=None)
    for name, v in r.votes.items():
        if lowest_winner is not None and v > lowest_winner:
            assert name in r.winners
    assert count_approval(ballots(os_, rows, weights), os_, seats, max_choices, seed) == r


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.integers(0, 4), max_size=5), max_size=20))
def test_counting_matches_a_plain_bincount_of_the_valid_rows(rows):
    os_ = orgs(5)
    r = count_approval(ballots(os_, rows), os_, seats=2, seed="x")
    valid = [c for row in rows if row and len(set(row)) == len(row) for c in row]
    counts = np.bincount(np.asarray(valid, dtype=np.int64), minlength=5)
    assert [r.votes[f"Org {i}"] for i in range(5)] == counts.tolist()


# -- the command ---------------------------------------------------------------------------------

runner = CliRunner()


def organisations(*options: str, ballot_file: Path = SAMPLES / "ballots.csv"):
    """Run ``chamber organisations`` on the sample organisations and these ballots."""
    return runner.invoke(
        app, ["organisations", str(SAMPLES / "organisations.csv"), str(ballot_file), *options]
    )


def test_cli_prints_eligibility_then_result_invalid_ballots_ties_and_seed():
    r = organisations("--seats", "3", "--seed", "s")
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert out.index("may stand") < out.index("3 seats, 7 valid ballots")
    assert "a political party may not stand" in out
    assert "90,000, below the 100,000 needed" in out
    assert "National Trust" in out
    assert "won" in out
    assert "4 marks the same organisation more than once (e.g. line 5)" in out
    assert "tie at 3 votes for the last 2 place(s)" in out
    assert "seed: 's'" in out


def test_cli_json_has_eligibility_and_the_result():
    r = organisations("--seats", "2", "--seed", "s", "--format", "json", "--max-choices", "2")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert len(data["organisations"]) == 8
    labour = next(o for o in data["organisations"] if o["name"] == "Labour Party")
    assert labour["eligible"] is False
    assert data["max_choices"] == 2
    assert {i["reason"] for i in data["invalid"]} == {"empty", "repeated", "too many"}
    assert data["winners"][0] == "National Trust"
    assert data["seed"] == "s"


def test_cli_bad_file_exits_2_naming_file_and_line(tmp_path):
    bad = tmp_path / "b.csv"
    bad.write_text("id,choice1\n1,Labour Party\n", encoding="utf-8")
    r = organisations(ballot_file=bad)
    assert r.exit_code == 2
    assert "b.csv, line 2: column 'choice1': 'Labour Party' is not on the ballot paper" in (
        r.output
    )
