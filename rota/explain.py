"""Why a rota cannot be made: which seat, which slots and which members conflict, and what would
fix it (Hall's marriage theorem on each seat's availability graph)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from rota.assignment import blocks
from rota.model import RotaProblem


@dataclass(frozen=True, slots=True)
class Conflict:
    """A set of slots of one seat that fewer members can cover than there are slots."""

    seat: str
    window_start: str
    slots: tuple[str, ...]
    members: tuple[str, ...]  # the only members available for any of these slots
    sharers: int = 0  # sharers of the seat free in this cycle

    @property
    def shortfall(self) -> int:
        return len(self.slots) - len(self.members)

    def describe(self) -> str:
        if self.sharers < len(self.slots) and len(self.members) == self.sharers:
            return (
                f"seat {self.seat} (cycle from {self.window_start}) has {self.sharers} sharers "
                f"for {len(self.slots)} slots: it needs {self.shortfall} more sharer(s)"
            )
        who = ", ".join(self.members) if self.members else "no one"
        return (
            f"seat {self.seat} (cycle from {self.window_start}): the {len(self.slots)} slots "
            f"{', '.join(self.slots)} can be covered by only {len(self.members)} members "
            f"({who}); to fix, make {self.shortfall} more sharer(s) of the seat available for "
            "one of these slots, or add a sharer to the seat"
        )


def conflicts(problem: RotaProblem) -> list[Conflict]:
    """Every seat and cycle whose slots cannot all be filled by available sharers (empty when the
    hard rules can be met)."""
    labels = [s.label for s in problem.calendar.slots]
    out: list[Conflict] = []
    for b in blocks(problem):
        m = b.cols.size
        if m == 0:
            continue
        ok = ~problem.unavailable[np.ix_(b.rows, b.cols)]  # members x slots
        graph = csr_matrix(ok.T.astype(np.int8))  # slots x members
        match = maximum_bipartite_matching(graph, perm_type="column")  # slot -> member or -1
        free = [int(s) for s in np.flatnonzero(match < 0)]
        if not free:
            continue
        # Alternating search from the unmatched slots: the slots reached and their neighbours
        # violate Hall's condition (more slots than members who can take them).
        owner = {int(match[s]): s for s in range(m) if match[s] >= 0}
        seen_slots = set(free)
        seen_members: set[int] = set()
        queue = deque(free)
        while queue:
            s = queue.popleft()
            for member in np.flatnonzero(ok[:, s]).tolist():
                if member in seen_members:
                    continue
                seen_members.add(member)
                nxt = owner.get(member)
                if nxt is not None and nxt not in seen_slots:
                    seen_slots.add(nxt)
                    queue.append(nxt)
        out.append(
            Conflict(
                seat=b.seat,
                window_start=problem.calendar.cycle_start(b.window).isoformat(),
                slots=tuple(labels[int(b.cols[s])] for s in sorted(seen_slots)),
                members=tuple(problem.members[int(b.rows[x])].id for x in sorted(seen_members)),
                sharers=int(b.rows.size),
            )
        )

    return out
