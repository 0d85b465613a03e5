"""The rota problem as plain data: members and their seats, the calendar, availability,
preferences, history, and what is already published (pinned)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from rota.calendar import UNPOPULAR_KINDS, Calendar
from rota.errors import RotaError

GROUPS = ("party", "local", "faith", "jury", "experts", "youth", "organisation", "assembly")


@dataclass(frozen=True, slots=True)
class Member:
    """A sharer of a seat.  ``cycle`` is in cycles of the calendar: 1 (one slot every cycle) or 2
    (one slot every other cycle; on the national pattern, youth members sit every four weeks)."""

    id: str
    seat: str
    group: str
    cycle: int = 1
    name: str = ""


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each soft goal costs when it is missed (per member and slot)."""

    preference: float = 1.0  # per unit of preference weight not met
    fairness: float = 1.0  # per slot of the same unpopular kind already served (x unpopularity)
    stability: float = 4.0  # moving a member away from their previous slot


@dataclass(frozen=True, slots=True, eq=False)
class RotaProblem:
    """Everything the solver needs.  Matrices are members x slots of the calendar."""

    calendar: Calendar
    members: tuple[Member, ...]
    unavailable: NDArray[np.bool_]
    preference_cost: NDArray[np.float64]
    unpopular_history: NDArray[np.int64]  # (members, 3): slots of each unpopular kind served
    previous: NDArray[np.int64]  # previous slot per member and window (-1: none), for stability
    pinned: NDArray[np.int64]  # published slot per member and window (-1: free)
    weights: Weights = field(default_factory=Weights)

    def __post_init__(self) -> None:
        M, S = len(self.members), len(self.calendar.slots)
        for name in ("unavailable", "preference_cost"):
            if getattr(self, name).shape != (M, S):
                raise RotaError(f"{name} must be members x slots ({M} x {S})")
        if self.unpopular_history.shape != (M, len(UNPOPULAR_KINDS)):
            raise RotaError(
                "unpopular_history must count, per member, the weekday evenings, Saturday "
                "mornings and Saturday evenings served"
            )
        cycles = {m.cycle for m in self.members}
        if not cycles <= {1, 2}:
            raise RotaError("a member attends every cycle (cycle 1) or every other cycle (2)")
        W = self.windows
        for name in ("previous", "pinned"):
            if getattr(self, name).shape != (M, W):
                raise RotaError(f"{name} must be members x windows ({M} x {W})")
        by_seat: dict[str, set[int]] = {}
        for m in self.members:
            by_seat.setdefault(m.seat, set()).add(m.cycle)
        mixed = [s for s, c in by_seat.items() if len(c) > 1]
        if mixed:
            raise RotaError(f"every sharer of a seat must have the same cycle: {', '.join(mixed)}")

    @property
    def windows(self) -> int:
        """Cycles of the period (a window is one cycle; youth windows span two)."""
        return self.calendar.cycles

    @property
    def seats(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.seat for m in self.members))

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(sorted({m.group for m in self.members}))


def plain_problem(
    calendar: Calendar, members: tuple[Member, ...], weights: Weights | None = None
) -> RotaProblem:
    """A problem with no unavailability, preferences, history or pins (to fill in)."""
    M, S, W = len(members), len(calendar.slots), calendar.cycles
    return RotaProblem(
        calendar=calendar,
        members=members,
        unavailable=np.zeros((M, S), dtype=bool),
        preference_cost=np.zeros((M, S)),
        unpopular_history=np.zeros((M, len(UNPOPULAR_KINDS)), dtype=np.int64),
        previous=np.full((M, W), -1, dtype=np.int64),
        pinned=np.full((M, W), -1, dtype=np.int64),
        weights=weights or Weights(),
    )
