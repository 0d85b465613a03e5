"""BLT reading and writing: the full syntax, ballot-level problems, errors naming file and line."""

from __future__ import annotations

import io
import shlex

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from electoral.ballots import Example, parse_blt, read_ballots, read_blt, write_blt
from electoral.ballots.blt import _unquote
from electoral.errors import BallotFileError, CountError
from tests.electoral.file_errors import names_file

NAMES = ['"Ann"', '"Bob"', '"Cy"', '"Di"', '"A \\"quoted\\" title"']


def blt(*ballots: str, header: str = "4 2", extra: tuple[str, ...] = ()) -> list[str]:
    return [header, *extra, *ballots, "0", *NAMES]


def parse(lines: list[str], name: str = "<ballots>"):
    return parse_blt("\n".join(lines) + "\n", name)


def test_reads_header_names_title_and_weights():
    p = parse(blt("3 1 2 0", "2 3 0", "1 1 2 0"))
    assert p.candidates == ("Ann", "Bob", "Cy", "Di")
    assert p.title == 'A "quoted" title'
    assert p.seats == 2
    assert p.total == 6
    rows = {
        tuple(int(c) for c in r if c >= 0): int(w)
        for r, w in zip(p.rankings, p.weights, strict=True)
    }
    assert rows == {(0, 1): 4, (2,): 2}


def test_comments_blank_lines_and_ballot_ids_are_accepted():
    lines = ["# a comment", "4 2  # header", "", "(b1) 1 1 2 0", "(b2) 1 3 0 # why", "0", *NAMES]
    p = parse(lines)
    assert p.total == 2


def test_withdrawn_candidates_as_negative_ids_are_skipped_without_a_gap():
    p = parse(blt("5 2 1 3 0", extra=("-2",)))
    assert p.withdrawn == frozenset({1})
    s = p.strict()
    assert list(s.rankings[0][:2]) == [0, 2]
    assert s.truncated == 0


def test_withdrawn_option_and_nicknames():
    p = parse(blt("1 a c 0", "1 b=d 0", extra=("[nick a b c d]", "[withdrawn c]")))
    assert p.withdrawn == frozenset({2})
    assert p.problems.equal_ranking == 1


def test_equal_rankings_and_skipped_ranks_are_kept_and_reported():
    p = parse(blt("2 1=2 3 0", "3 1 - 2 0", "1 4 0"))
    assert p.problems.equal_ranking == 2
    assert p.problems.skipped_rank == 3
    assert Example("equal ranking", "line 2") in p.problems.examples
    s = p.strict()  # Scottish reading: up to the first ambiguity
    assert s.invalid == 2  # the '1=2' ballots have no unambiguous first preference
    assert s.truncated == 3  # '1 - 2' is read as '1'
    assert s.weights.sum() == 4


def test_duplicate_candidate_counts_at_first_mention():
    p = parse(blt("1 1 2 1 3 0"))
    assert p.problems.duplicate_candidate == 1
    assert [int(c) for c in p.rankings[0] if c >= 0] == [0, 1, 2]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["4"], "line 1: header must be 'candidates seats'"),
        (blt("1 5 0"), "line 2: unknown candidate id 5"),
        (blt("1 1 2"), "line 2: ballot line does not end with the terminator 0"),
        (blt("1.5 1 2 0"), "line 2: ballot weight: '1.5' is not a whole number"),
        (blt("1 x 0"), "line 2: unknown candidate 'x'"),
        (["4 2", "1 1 0", '"A"'], "line 3: a quoted name before the end-of-ballots line"),
        (["4 2", "1 1 0"], "no end-of-ballots line"),
        (["4 2", "1 1 0", "0", '"A"', '"B"'], "declares 4 candidates but 2 names follow"),
        ([*blt("1 1 0"), '"extra"'], "4 candidates but 5 names and a title follow"),
        (blt("1 1 0", extra=("[nick a b]",)), "line 2: [nick] lists 2 nicknames for 4 candidates"),
        (blt("1 1=0", extra=()), "line 2: ballot line does not end"),
        ([], "empty file"),
    ],
)
def test_malformed_files_name_the_line_and_the_problem(lines, message):
    with names_file("ward.blt", message) as exc:
        parse(lines, "ward.blt")
    assert isinstance(exc.value, ValueError)


def test_read_blt_from_disk_names_the_file(tmp_path):
    f = tmp_path / "bad.blt"
    f.write_text('2 1\n1 3 0\n0\n"A"\n"B"\n"t"\n')
    with pytest.raises(BallotFileError, match=r"bad\.blt, line 2: unknown candidate id 3"):
        read_blt(f)


def test_unknown_extension_is_refused(tmp_path):
    with pytest.raises(CountError, match=r"unknown ballot format '\.txt'"):
        read_ballots(tmp_path / "x.txt")


def test_write_then_read_round_trips(stv_data):
    p = read_blt(stv_data / "glasgow_2007_calton.blt")
    out = io.StringIO()
    write_blt(p, out)
    q = parse_blt(out.getvalue())
    assert q.candidates == p.candidates
    assert q.title == p.title
    assert q.seats == p.seats
    assert _as_set(q) == _as_set(p)


def test_write_keeps_equal_rankings_skips_and_withdrawn():
    p = parse(blt("2 1=2 3 0", "3 1 - 2 0", extra=("-4",)))
    out = io.StringIO()
    write_blt(p, out)
    text = out.getvalue()
    assert "2 1=2 3 0" in text
    assert "3 1 - 2 0" in text
    assert "\n-4\n" in text
    q = parse_blt(text)
    assert _as_set(q) == _as_set(p)
    assert q.withdrawn == p.withdrawn


def _as_set(p):
    return {
        (tuple(int(c) for c in r), tuple(int(x) for x in lv), int(w))
        for r, lv, w in zip(p.rankings, p.levels, p.weights, strict=True)
    } | {("total", p.total)}


def test_profile_is_numpy_and_shared_by_rules(stv_data):
    p = read_blt(stv_data / "glasgow_2007_calton.blt")
    assert p.rankings.dtype == np.int16
    assert p.weights.dtype == np.int64
    assert p.total == 5199


def test_names_in_single_or_double_quotes_lose_their_quotes():
    text = "3 1\n1 1 2 0\n0\n\"Alice O'Neil\"\n 'Bob Smith' \n'Carol'\n\"T\"\n"
    assert parse_blt(text, "x.blt").candidates == ("Alice O'Neil", "Bob Smith", "Carol")


@given(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\n\r"), max_size=12),
    st.sampled_from(['"', "'"]),
)
def test_a_quoted_name_reads_as_shlex_reads_it(inside, quote):
    text = (quote + inside + quote).strip()
    try:
        parts = shlex.split(text, posix=True)
    except ValueError:
        parts = []
    if len(parts) == 1:
        assert _unquote(text, "ward.blt", 9, "name") == parts[0]
    else:
        with names_file("ward.blt", "line 9: name"):
            _unquote(text, "ward.blt", 9, "name")
