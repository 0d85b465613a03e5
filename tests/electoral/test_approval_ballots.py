"""The organisations ballot: reading approval ballots, errors naming the line and column."""

from __future__ import annotations

import io

import pytest

from electoral.approval import Organisation, read_approval_ballots
from electoral.errors import BallotFileError
from tests.electoral.file_errors import names_file


def read_ballots(text: str, organisations):
    return read_approval_ballots(io.StringIO(text), organisations, name="ballots.csv")


# -- reading the ballots -------------------------------------------------------------------------


STANDING = [
    Organisation("Ann's Trust", 200_000, 0, "charity"),
    Organisation("Bee Union", 150_000, 0, "trade-union"),
    Organisation("Cy Society", 90_000, 20_000, "association"),
    Organisation("Dee Party", 900_000, 0, "party"),
]


def test_reads_choice_columns_of_every_spelling_weights_and_ignores_other_columns():
    b = read_ballots(
        "id,Choice1,choice 2,org3,vote_4,5,Count,ward\n"
        "1,Ann's Trust,,bee union,,,3,W1\n"
        "\n"
        "2,,,,,Cy Society,1,W2\n",
        STANDING,
    )
    assert b.choices.tolist() == [[0, 1], [2, -1]]
    assert b.weights.tolist() == [3, 1]
    assert b.lines.tolist() == [2, 4]
    assert b.total == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("id,name\n1,x\n", "line 1: no organisation columns"),
        ("choice1,org1\nA,B\n", "line 1: two organisation columns numbered 1"),
        (
            "choice1,choice2\nAnn's Trust,Zed\n",
            "line 2: column 'choice2': unknown organisation 'Zed'",
        ),
        (
            "id,choice1\n1,Ann's Trust\n2,Dee Party\n",
            "line 3: column 'choice1': 'Dee Party' is not on the ballot paper: "
            "a political party may not stand",
        ),
        ("choice1,weight\nBee Union,2.5\n", "line 2: column 'weight': must be a non-negative"),
        ("choice1,weight\nBee Union,-1\n", "line 2: column 'weight'"),
        ("choice1,choice2\nBee Union\n", "line 2: expected 2 fields"),
        ("choice1,weight,count\nBee Union,1,1\n", "line 1: two weight columns"),
    ],
)
def test_bad_ballot_file_names_line_and_column(text, message):
    with names_file("ballots.csv", message):
        read_ballots(text, STANDING)


def test_a_misspelt_organisation_suggests_the_nearest_name():
    with pytest.raises(BallotFileError, match="did you mean 'Bee Union'"):
        read_ballots("choice1\nBee Unoin\n", STANDING)
