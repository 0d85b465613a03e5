"""The whole-block BLT reader: the same profile as the line reader, and the line reader's errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from electoral.ballots import blt_block, parse_blt
from electoral.ballots.blt import _parse_lines
from electoral.ballots.blt_block import plain_block
from electoral.errors import BallotFileError
from tests.electoral.file_errors import names_file

NAMES = '"Ann"\n"Bob"\n"Cy"\n"Di"\n"Ward 7"\n'

ballot = st.tuples(
    st.integers(min_value=0, max_value=30),
    st.permutations([1, 2, 3, 4]).flatmap(lambda p: st.integers(0, 4).map(lambda n: p[:n])),
)


def plain(lines: list[str], newline: str = "\n") -> str:
    return newline.join(["4 2", *lines, "0"]) + newline + NAMES.replace("\n", newline)


def line(weight: int, ids: tuple[int, ...], gap: str = " ") -> str:
    return gap.join(str(x) for x in (weight, *ids, 0))


def same(a, b) -> bool:
    return (
        a.candidates == b.candidates
        and a.title == b.title
        and a.seats == b.seats
        and np.array_equal(a.rankings, b.rankings)
        and np.array_equal(a.levels, b.levels)
        and np.array_equal(a.weights, b.weights)
        and a.problems == b.problems
        and a.all_strict == b.all_strict
        and a.source == b.source
    )


@settings(max_examples=200)
@given(
    st.lists(ballot, max_size=40),
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from([" ", "  ", "\t"]),
    st.booleans(),
)
def test_the_block_reader_gives_the_line_readers_profile(ballots, newline, gap, blank):
    lines = [line(w, ids, gap) for w, ids in ballots]
    if blank:
        lines.insert(len(lines) // 2, "")
    text = plain(lines, newline)
    # A comment after the header is valid BLT that only the line reader reads.
    by_lines = text.replace("4 2" + newline, "4 2 # header" + newline, 1)
    assert plain_block(by_lines) is None
    assert same(parse_blt(text, "ward.blt"), parse_blt(by_lines, "ward.blt"))


@given(st.lists(ballot, min_size=1, max_size=40))
def test_a_file_of_strict_cast_ballots_is_read_whole(ballots):
    assume(all(w > 0 and ids for w, ids in ballots))
    block = plain_block(plain([line(w, ids) for w, ids in ballots]))
    assert block is not None
    assert int(block.weights.sum()) == sum(w for w, _ in ballots)


def test_identical_rankings_merge_in_the_order_first_seen():
    p = parse_blt(plain(["1 3 1 0", "2 2 0", "4 3  1 0"]))
    assert [list(r[r >= 0]) for r in p.rankings] == [[2, 0], [1]]
    assert list(p.weights) == [5, 2]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["1 2 0", "1 5 0"], "line 3: unknown candidate id 5"),
        (["1 2 0", "1 0 2 0"], "line 3: unknown candidate id 0"),
        (["1 2 0", "3 1 2"], "line 3: ballot line does not end with the terminator 0"),
        (["1 2 0", "3 1 2 00"], "line 3: ballot line does not end with the terminator 0"),
        (["1 2 0", "1 2 0 1 3 0"], "line 3: unknown candidate id 0"),
    ],
)
def test_errors_in_a_plain_looking_block_name_the_line(lines, message):
    with names_file("ward.blt", message):
        parse_blt(plain(lines), "ward.blt")


def test_name_errors_after_a_plain_block_name_their_line():
    text = plain(["1 2 0"]).replace('"Cy"', '"Cy')
    with names_file("ward.blt", "line 6: name: unbalanced quotes"):
        parse_blt(text, "ward.blt")


def test_zero_weights_empty_ballots_and_repeats_are_read_line_by_line():
    p = parse_blt(plain(["0 1 0", "2 0", "1 1 2 1 0", "3 4 0"]))
    assert p.total == 4  # empty ballots are reported, not kept as rankings
    assert p.problems.empty == 2
    assert p.problems.duplicate_candidate == 1


# -- the whole-block reader at any size: many candidates, many lines, the numpy hash table --------
def many(ncand: int) -> st.SearchStrategy[tuple[int, tuple[int, ...]]]:
    """A ballot over ``ncand`` candidates: a weight and a ranking of any length."""
    ranking = st.permutations(range(1, ncand + 1)).flatmap(
        lambda p: st.integers(1, len(p)).map(lambda n: tuple(p[:n]))
    )
    return st.tuples(st.integers(1, 10**9 // 60), ranking)  # 60 lines add up to 10**9 at most


def blt_text(ncand: int, lines: list[str]) -> str:
    names = "".join(f'"C{i}"\n' for i in range(ncand))
    return f"{ncand} 3\n" + "\n".join(lines) + "\n0\n" + names + '"Title"\n'


@st.composite
def valid_files(draw: st.DrawFn) -> tuple[int, list[str]]:
    """Valid plain BLT ballot lines: 1 to 70 candidates (one to several 64-bit words a ranking,
    the bit set for repeats or the row check beyond 63), lines drawn from a few so that many
    repeat, any spacing."""
    ncand = draw(st.sampled_from([1, 3, 7, 15, 16, 31, 40, 63, 64, 70]))
    pool = draw(st.lists(many(ncand), min_size=1, max_size=8))
    picks = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=60))
    gap = draw(st.sampled_from([" ", "  ", "\t"]))
    small = draw(st.booleans())  # repeat a weight too, so that whole lines repeat
    return ncand, [line(1 if small else w, ids, gap) for w, ids in picks]


@settings(max_examples=150, deadline=None)
@given(valid_files(), st.booleans())
def test_the_block_reader_equals_the_line_reader_at_any_size(case, hashed):
    ncand, lines = case
    text = blt_text(ncand, lines)
    with pytest.MonkeyPatch.context() as patch:
        if hashed:  # the numpy hash table a large file takes, on a small one
            patch.setattr(blt_block, "_FEW_LINES", 0)
        block = plain_block(text)
        fast = parse_blt(text, "ward.blt")
    assert block is not None
    slow = _parse_lines(text.splitlines(), "ward.blt")
    assert same(fast, slow)


def test_a_ten_digit_weight_is_read_whole():
    block = plain_block(blt_text(3, ["1000000000 2 0"]))
    assert block is not None
    assert block.weights.tolist() == [10**9]


@settings(max_examples=150, deadline=None)
@given(
    valid_files(),
    st.data(),
    st.sampled_from(["unknown", "zero", "unended", "weight", "letter", "00"]),
    st.booleans(),
)
def test_an_error_anywhere_names_the_line_reader_s_line_and_field(case, data, fault, hashed):
    ncand, lines = case
    at = data.draw(st.integers(0, len(lines) - 1))
    broken = {
        "unknown": f"1 {ncand + 1} 0",
        "zero": "1 0 1 0",
        "unended": "1 1",
        "weight": "1000000001 1 0",
        "letter": "1 x 0",
        "00": "1 1 00",
    }[fault]
    lines = [*lines[:at], broken, *lines[at + 1 :]]
    text = blt_text(ncand, lines)
    with pytest.raises(BallotFileError) as slow:
        _parse_lines(text.splitlines(), "ward.blt")
    with pytest.MonkeyPatch.context() as patch:
        if hashed:
            patch.setattr(blt_block, "_FEW_LINES", 0)
        with pytest.raises(BallotFileError) as fast:
            parse_blt(text, "ward.blt")
    assert str(fast.value) == str(slow.value)
    assert fast.value.line == at + 2  # the header is line 1


@settings(max_examples=60, deadline=None)
@given(valid_files())
def test_rankings_or_lines_that_share_a_hash_are_still_read_exactly(case):
    ncand, lines = case
    text = blt_text(ncand, lines)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(blt_block, "_FEW_LINES", 0)
        patch.setattr(blt_block, "_SPREAD", np.uint64(0))  # a hash that keeps only one word
        fast = parse_blt(text, "ward.blt")
    assert same(fast, _parse_lines(text.splitlines(), "ward.blt"))


@given(st.lists(st.integers(0, 2**64 - 1) | st.integers(0, 5), max_size=300), st.booleans())
def test_the_hash_table_finds_each_value_s_first_occurrence(values, table):
    mixed = np.array(values, dtype=np.uint64)
    with pytest.MonkeyPatch.context() as patch:
        if table:
            patch.setattr(blt_block, "_FEW_LINES", 0)
        first = blt_block._first_alike(mixed)
    assert first.tolist() == [values.index(v) for v in values]
