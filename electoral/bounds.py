"""The largest numbers the engines handle exactly, and the one reader of a whole number in text.

Ballot weights are summed in 64-bit integers (Scottish STV multiplies a paper's value by a
surplus in them, rule 48(3)); Meek STV holds them as doubles.  A billion ballots is above any
electorate counted by STV, and keeps every such sum far from wrapping round, so a file that asks
for more is refused with its reason, never counted wrong.  Party-list figures (votes, members,
population) are Python integers, but the divisor methods estimate in doubles; a trillion keeps
those estimates exact to the seat.
"""

from __future__ import annotations

from collections.abc import Iterable

from electoral.errors import CountError

MAX_BALLOTS = 10**9
MAX_FIGURE = 10**12


def whole_number(text: str, most: int) -> int:
    """``text`` as a whole number from 0 to ``most``; otherwise `ValueError` saying why, for the
    caller to put beside the file, line and column.  Only plain ASCII digits are a number here
    (``str.isdigit`` says ``²`` is one, and ``int`` reads Arabic-Indic digits)."""
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"{text!r} is not a whole number")
    digits = len(text.lstrip("0"))
    if digits > 40:  # far out of range (and int() refuses 4,300 digits or more)
        raise ValueError(f"a number of {digits:,} digits is more than {most:,}")
    number = int(text)
    if number > most:
        raise ValueError(f"{number:,} is more than {most:,}")
    return number


def check_total(weights: Iterable[int]) -> None:
    """Refuse ballots whose weights add up (exactly, in Python integers) to more than
    `MAX_BALLOTS`: such a count would wrap round in 64-bit arithmetic."""
    total = sum(weights)
    if total > MAX_BALLOTS:
        raise CountError(
            f"the ballots add up to {total:,}, more than the {MAX_BALLOTS:,} that a count"
            " handles exactly"
        )
