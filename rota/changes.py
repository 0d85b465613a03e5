"""Changing a published rota: a minimal-change re-solve after new unavailability."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from rota.errors import RotaError
from rota.model import RotaProblem
from rota.solve import Rota, solve


@dataclass(frozen=True, slots=True)
class Changes:
    """What a re-solve changed."""

    displaced: tuple[str, ...]  # members whose slot became unavailable
    moved: tuple[str, ...]  # every member whose slot changed

    @property
    def moves_per_displaced(self) -> float:
        return len(self.moved) / max(len(self.displaced), 1)


def resolve(old: Rota, problem: RotaProblem) -> tuple[Rota, Changes]:
    """Re-solve ``problem`` (the same members and calendar, new unavailability) keeping everyone
    where they were unless they must move: the old slots are the stability reference."""
    if problem.calendar != old.problem.calendar or problem.members != old.problem.members:
        raise RotaError("a re-solve needs the same members and calendar as the old rota")
    new_problem = replace(problem, previous=old.slot_of.copy())
    rota = solve(new_problem)
    members = problem.members
    M, W = old.slot_of.shape
    displaced = []
    for m in range(M):
        for w in range(W):
            t = int(old.slot_of[m, w])
            if t >= 0 and problem.unavailable[m, t]:
                displaced.append(members[m].id)
                break
    moved = [members[m].id for m in np.flatnonzero((rota.slot_of != old.slot_of).any(axis=1))]
    return rota, Changes(tuple(displaced), tuple(moved))
