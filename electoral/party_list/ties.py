"""Places tied at the boundary of an apportionment, shared out by lot from the recorded seed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from electoral.lots import Lots
from electoral.plain import Published


@dataclass(frozen=True, slots=True)
class LotDraw(Published):
    """Places tied at the boundary and shared out by lot from the recorded seed."""

    places: int
    tied: tuple[str, ...]
    winners: tuple[str, ...]
    draws: tuple[int, ...]


def share_by_lot(
    tied: Sequence[int], places: int, lots: Lots, label: Sequence[str]
) -> tuple[list[int], LotDraw]:
    """``places`` of the ``tied`` parties drawn by lot (in the order drawn), and the record."""
    first = len(lots.drawn)
    won = lots.choose_several(tied, places)
    return won, LotDraw(
        places,
        tuple(label[i] for i in tied),
        tuple(label[i] for i in sorted(won)),
        tuple(lots.drawn[first:]),
    )
