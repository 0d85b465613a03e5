"""Places tied at the boundary of an apportionment, shared out by lot from the recorded seed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class LotDraw:
    """Places tied at the boundary and shared out by lot from the recorded seed."""

    places: int
    tied: tuple[str, ...]
    winners: tuple[str, ...]
    draws: tuple[int, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "places": self.places,
            "tied": list(self.tied),
            "winners": list(self.winners),
            "draws": list(self.draws),
        }
