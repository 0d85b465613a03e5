"""The whole-block BLT reader: the same profile as the line reader, and the line reader's errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from electoral.ballots import parse_blt
from electoral.ballots.blt_block import plain_block
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
