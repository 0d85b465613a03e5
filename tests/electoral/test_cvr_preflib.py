"""CSV cast-vote records and PrefLib files: reading, writing and errors naming the line."""

from __future__ import annotations

import io

import pytest

from electoral import scottish
from electoral.ballots import (
    parse_preflib,
    read_ballots,
    read_blt,
    read_cvr,
    read_preflib,
    write_cvr,
)
from electoral.errors import BallotFileError
from tests.electoral.file_errors import names_file


def cvr(text: str):
    return read_cvr(io.StringIO(text), name="cvr.csv")


def test_reads_rank_columns_weight_and_ignores_other_columns():
    p = cvr("id,Rank 1,rank2,weight,precinct\n1,Ann,Bob,3,P1\n2,Bob,,2,P2\n")
    assert p.candidates == ("Ann", "Bob")
    assert p.total == 5


def test_numeric_rank_headers_and_equal_rankings_and_skips():
    p = cvr("1,2,3\nAnn=Bob,Cy,\nAnn,,Bob\nundervote,Ann,\n")
    assert p.problems.equal_ranking == 1
    assert p.problems.skipped_rank == 2
    s = p.strict()
    assert s.invalid == 2
    assert s.truncated == 1


def test_overvote_reads_up_to_the_mark():
    p = cvr("rank1,rank2,rank3\nAnn,overvote,Bob\n")
    assert p.problems.overvote == 1
    assert [int(c) for c in p.rankings[0] if c >= 0] == [0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("id,name\n1,x\n", "line 1: no rank columns"),
        ("rank1,rank3\nA,B\n", "line 1: rank columns must be numbered consecutively"),
        ("rank1,weight\nA,2.5\n", "line 2: column 'weight': must be a non-negative whole number"),
        ("rank1,weight\nA,-1\n", "line 2: column 'weight'"),
        ("rank1,rank2\nA,B\nA\n", "line 3: expected 2 fields"),
    ],
)
def test_bad_cvr_names_line_and_column(text, message):
    with names_file("cvr.csv", message):
        cvr(text)


def test_unknown_candidate_with_a_given_list():
    with pytest.raises(BallotFileError, match="line 2: column 'rank2': unknown candidate 'Zed'"):
        read_cvr(io.StringIO("rank1,rank2\nAnn,Zed\n"), candidates=["Ann", "Bob"], name="c.csv")


def test_cvr_round_trip_counts_the_same(stv_data, tmp_path):
    p = read_blt(stv_data / "glasgow_2007_calton.blt")
    f = tmp_path / "calton.csv"
    with open(f, "w", encoding="utf-8") as fh:
        write_cvr(p, fh)
    q = read_ballots(f)
    a = scottish.count(p, seed="x")
    b = scottish.count(q, seats=3, seed="x")
    assert a.elected == b.elected
    assert [s.votes for s in a.stages] == [s.votes for s in b.stages]


def test_preflib_soi_reads_real_irish_data(stv_data):
    p = read_preflib(stv_data / "dublin_west_2002.soi")
    assert len(p.candidates) == 9
    assert p.total == 29988
    assert p.candidates[3] == "Joe Higgins S.P."
    assert p.rankings.shape[0] == 10335


def test_preflib_toc_ties(tmp_path):
    f = tmp_path / "x.toc"
    f.write_text(
        "# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n"
        "# ALTERNATIVE NAME 3: C\n# NUMBER VOTERS: 3\n2: 1,{2,3}\n1: {1,2},3\n"
    )
    p = read_preflib(f)
    assert p.problems.equal_ranking == 3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("2: 1,{2,3}\n", "line 6: tied alternatives"),
        ("2: 1,4\n", "line 6: unknown alternative '4'"),
        ("x: 1\n", "line 6: the count of ballots: 'x' is not a whole number"),
        ("2 1,2\n", "line 6: data line must be 'count: order'"),
        ("5: 1,2\n", "the header says 2 voters but the counts add up to 5"),
    ],
)
def test_bad_preflib_names_the_line(body, message):
    text = (
        "# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n"
        "# ALTERNATIVE NAME 3: C\n# NUMBER VOTERS: 2\n" + body
    )
    with names_file("bad.soi", message):
        parse_preflib(text, "bad.soi")
