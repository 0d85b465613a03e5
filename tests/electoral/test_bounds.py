"""Exact arithmetic or a clear refusal: ballot weights and figures beyond what a count handles
exactly are refused naming the reason (never wrapped round to a negative count, never a
traceback), and Unicode digits such as ``²`` are not numbers."""

from __future__ import annotations

import numpy as np
import pytest

from electoral.ballots import parse_ballots
from electoral.ballots.blt_block import plain_block
from electoral.ballots.profile import profile_from_rankings
from electoral.bounds import MAX_BALLOTS
from electoral.errors import BallotFileError, CountError
from electoral.party_list.votes_file import parse_party_votes
from electoral.rules import count_text

HUGE = [2**63 + 5, 2**64 + 5, 10**30, MAX_BALLOTS + 1]


def _blt(weights: list[int]) -> str:
    lines = ["3 1", *(f"{w} {i % 3 + 1} 0" for i, w in enumerate(weights)), "0"]
    return "\n".join([*lines, '"A"', '"B"', '"C"', '"T"']) + "\n"


@pytest.mark.parametrize("weight", HUGE)
@pytest.mark.parametrize("rule", ["scottish", "meek", "irv"])
def test_a_weight_beyond_the_bound_is_refused_by_every_rule(weight, rule):
    too_many = r"line 2: ballot weight: .* is more than 1,000,000,000"
    with pytest.raises(BallotFileError, match=too_many):
        count_text(_blt([weight, 3, 2]), "w.blt", rule, seed="s")


def test_weights_that_only_add_up_beyond_the_bound_are_refused():
    with pytest.raises((CountError, BallotFileError), match="add up to 1,500,000,000"):
        count_text(_blt([500_000_000] * 3), "w.blt", "meek", seed="s")


def test_weights_within_the_bound_count_exactly():
    result = count_text(_blt([MAX_BALLOTS // 2, 7, 5]), "w.blt", "meek", seed="s")
    assert result.elected == ("A",)


@pytest.mark.parametrize("token", ["²", "١٢", "1²"])
def test_unicode_digits_are_not_a_weight(token):
    text = _blt([1, 2, 3]).replace("\n1 1 0", f"\n{token} 1 0", 1)
    with pytest.raises(BallotFileError, match="line 2"):
        parse_ballots(text, "w.blt")


def test_the_profile_itself_refuses_weights_beyond_the_bound():
    with pytest.raises(CountError, match="more than the 1,000,000,000"):
        profile_from_rankings(["A", "B"], np.array([[0, 1]]), np.array([2**64], dtype=object))
    with pytest.raises(CountError, match="add up to"):
        profile_from_rankings(["A", "B"], np.array([[0, 1], [1, 0]]), np.array([6e8, 6e8], int))


def test_preflib_counts_beyond_the_bound_name_the_line():
    text = "# FILE NAME: x.soc\n# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n"
    text += "# ALTERNATIVE NAME 2: B\n# NUMBER VOTERS: 1\n" + f"{2**64}: 1,2\n"
    with pytest.raises(BallotFileError, match=r"line 6: .*18,446,744,073,709,551,616 is more than"):
        parse_ballots(text, "x.soc")


@pytest.mark.parametrize("figure", ["²", "1" + "0" * 5000])
def test_a_party_figure_that_is_not_a_bounded_whole_number_names_its_line(figure):
    with pytest.raises(BallotFileError, match="line 3"):
        parse_party_votes(f"party,votes\nA,10\nB,{figure}\n", "v.csv")


def test_more_seats_than_candidates_is_refused_naming_both():
    with pytest.raises(CountError, match="9 seats but only 3 candidates stand"):
        count_text(_blt([3, 2, 1]), "w.blt", "scottish", seats=9, seed="s")


def test_irv_on_a_file_for_several_seats_says_so():
    text = _blt([3, 2, 1]).replace("3 1\n", "3 2\n", 1)
    with pytest.raises(CountError, match="IRV fills one seat and this file is for 2"):
        count_text(text, "w.blt", "irv", seed="s")
    assert count_text(text, "w.blt", "irv", seats=1, seed="s").elected == ("A",)


def _both_paths(text: str) -> tuple[str, str]:
    """The same file as the block reader sees it and, with a comment, as only the line-by-line
    reader reads it (a comment is not plain)."""
    return text, text.replace("\n", "  # read line by line\n", 1)


def _refusal(text: str) -> str:
    with pytest.raises((BallotFileError, CountError)) as caught:
        count_text(text, "w.blt", "scottish", seed="s")
    return str(caught.value)


def test_the_block_reader_reads_these_files_when_their_weights_are_in_bounds():
    plain, commented = _both_paths(_blt([MAX_BALLOTS, 3, 2]))
    assert plain_block(plain) is not None
    assert plain_block(commented) is None


def _many(weight: int | str) -> str:
    lines = [f"{3 + i % 5} {i % 3 + 1} {(i + 1) % 3 + 1} 0" for i in range(2000)]
    lines[1234] = f"{weight} 2 1 0"
    return "\n".join(["3 1", *lines, "0", '"A"', '"B"', '"C"', '"T"']) + "\n"


@pytest.mark.parametrize("weight", [*HUGE, 10**10 - 1, "1" + "0" * 5000])
def test_a_weight_out_of_bounds_in_a_plain_block_is_refused_as_line_by_line(weight):
    plain, commented = _both_paths(_many(weight))
    assert plain_block(plain) is None  # the block reader leaves it to the line reader
    message = _refusal(plain)
    assert message == _refusal(commented)
    assert "line 1236: ballot weight:" in message
    assert "more than 1,000,000,000" in message


def test_a_weight_written_with_many_leading_zeros_is_read_line_by_line_the_same():
    padded, plain = _many("0" * 11 + "7"), _many(7)
    assert plain_block(padded) is None
    assert plain_block(plain) is not None
    a, b = parse_ballots(padded, "w.blt"), parse_ballots(plain, "w.blt")
    assert a.total == b.total
    assert dict(a.iter_levels()) == dict(b.iter_levels())


def test_weights_adding_up_beyond_the_bound_in_a_plain_block_are_refused_alike():
    plain, commented = _both_paths(_blt([500_000_000] * 3))
    assert plain_block(plain) is not None
    assert _refusal(plain) == _refusal(commented)
    assert "add up to 1,500,000,000" in _refusal(plain)


@pytest.mark.parametrize("token", ["²", "١٢", "1²", "１"])
def test_unicode_digits_in_a_plain_looking_block_name_their_line(token):
    text = _blt([1, 2, 3]).replace("\n2 2 0", f"\n2 2 {token} 0", 1)
    for version in _both_paths(text):
        with pytest.raises(BallotFileError, match="line 3"):
            parse_ballots(version, "w.blt")
