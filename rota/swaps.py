"""Swaps between sharers of a seat, checked in microseconds, with the reason for every refusal
and a chain of three when a direct swap fails.

A swap exchanges the slots of two sharers of the same seat in the same cycle window.  It is
refused when either would sit while unavailable, when a slot is already past, or when it would
take a group outside its balance band in a slot (the group-balance policy: a swap may not add a
violation).  Published slots may be swapped: swaps are how a published rota changes.

``now`` is an aware time (a naive one is refused): slot starts are compared as instants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from rota.assignment import Ints, group_targets, sharers_by_seat
from rota.calendar import require_aware
from rota.errors import RotaError
from rota.measure import Rota


@dataclass(frozen=True, slots=True)
class SwapCheck:
    """The answer to a proposed swap: allowed or not, why not, and a chain that would work."""

    allowed: bool
    reasons: tuple[str, ...] = ()
    chain: tuple[tuple[str, str], ...] = ()  # (member, slot label) moves of a working chain

    def describe(self) -> str:
        if self.allowed:
            return "allowed"
        text = "refused: " + "; ".join(self.reasons)
        if self.chain:
            moves = ", ".join(f"{m} -> {s}" for m, s in self.chain)
            text += f". A chain of three would work: {moves}"
        return text


class SwapDesk:
    """Checks and applies swaps on a solved rota; built once (indexes), then fast per query."""

    def __init__(self, rota: Rota) -> None:
        problem = rota.problem
        self.problem = problem
        self.slot_of = rota.slot_of.copy()
        self.group_of, self.lower, self.upper = group_targets(problem)
        self.counts = rota.counts.copy()
        self.index = {m.id: i for i, m in enumerate(problem.members)}
        self.labels = [s.label for s in problem.calendar.slots]
        self.starts = [s.start.astimezone(UTC) for s in problem.calendar.slots]  # instants
        self.sharers = sharers_by_seat(problem)

    def _member(self, member_id: str) -> int:
        try:
            return self.index[member_id]
        except KeyError:
            raise RotaError(f"no member {member_id!r} in this rota") from None

    def _window(self, a: int, b: int) -> int | None:
        """The window in which both have a slot (the first, if several)."""
        common = np.flatnonzero((self.slot_of[a] >= 0) & (self.slot_of[b] >= 0))
        return int(common[0]) if common.size else None

    def _balance_problems(self, a: int, b: int, ta: int, tb: int) -> list[str]:
        ga, gb = int(self.group_of[a]), int(self.group_of[b])
        if ga == gb:
            return []
        changes = {(ga, ta): -1, (ga, tb): +1, (gb, tb): -1, (gb, ta): +1}
        out = []
        for (g, t), d in changes.items():
            before = int(self.counts[g, t])
            after = before + d
            lo, hi = int(self.lower[g, t]), int(self.upper[g, t])
            worse = (after > hi and after > before) or (after < lo and after < before)
            if worse:
                name = self.problem.groups[g]
                out.append(
                    f"{name} would have {after} members in {self.labels[t]} "
                    f"(the balance band is {lo}-{hi})"
                )
        return out

    def _problems(self, a: int, b: int, ta: int, tb: int, now: datetime | None) -> list[str]:
        p = self.problem
        ma, mb = p.members[a], p.members[b]
        out = []
        if p.unavailable[a, tb]:
            out.append(f"{ma.id} is unavailable on {self.labels[tb]}")
        if p.unavailable[b, ta]:
            out.append(f"{mb.id} is unavailable on {self.labels[ta]}")
        if now is not None:
            for t in (ta, tb):
                if self.starts[t] <= now:
                    out.append(f"{self.labels[t]} has already begun")
        out.extend(self._balance_problems(a, b, ta, tb))
        return out

    def check(
        self, a_id: str, b_id: str, *, now: datetime | None = None, window: int | None = None
    ) -> SwapCheck:
        """May ``a_id`` and ``b_id`` exchange their slots (of ``window``, a cycle in which both
        sit; the first such by default)?  With ``now`` (an aware time), slots that have begun by
        then may not move."""
        if now is not None:
            now = require_aware(now, "the time of a swap (now)").astimezone(UTC)
        a, b = self._member(a_id), self._member(b_id)
        p = self.problem
        ma, mb = p.members[a], p.members[b]
        if a == b:
            return SwapCheck(False, ("a member cannot swap with themselves",))
        if ma.seat != mb.seat:
            return SwapCheck(
                False,
                (
                    f"{ma.id} sits in seat {ma.seat} and {mb.id} in seat {mb.seat}: "
                    "swaps are between sharers of one seat",
                ),
            )
        w = self._window(a, b) if window is None else window
        if w is None or min(self.slot_of[a, w], self.slot_of[b, w]) < 0:
            return SwapCheck(False, (f"{ma.id} and {mb.id} have no slots in the same cycle",))
        ta, tb = int(self.slot_of[a, w]), int(self.slot_of[b, w])
        problems = self._problems(a, b, ta, tb, now)
        if not problems:
            return SwapCheck(True)
        return SwapCheck(False, tuple(problems), self._chain(a, b, w, now))

    def _chain(self, a: int, b: int, w: int, now: datetime | None) -> tuple[tuple[str, str], ...]:
        """a takes b's slot, b takes c's, c takes a's: the first such c that breaks no rule."""
        p = self.problem
        ta, tb = int(self.slot_of[a, w]), int(self.slot_of[b, w])
        if p.unavailable[a, tb]:
            return ()
        for c in self.sharers[p.members[a].seat]:
            tc = int(self.slot_of[c, w])
            if c in (a, b) or tc < 0 or p.unavailable[b, tc] or p.unavailable[c, ta]:
                continue
            if now is not None and any(self.starts[t] <= now for t in (ta, tb, tc)):
                continue
            moves = {a: (ta, tb), b: (tb, tc), c: (tc, ta)}
            if self._chain_balanced(moves):
                return tuple((p.members[m].id, self.labels[new]) for m, (_, new) in moves.items())
        return ()

    def _chain_balanced(self, moves: dict[int, tuple[int, int]]) -> bool:
        delta: dict[tuple[int, int], int] = {}
        for m, (old, new) in moves.items():
            g = int(self.group_of[m])
            delta[g, old] = delta.get((g, old), 0) - 1
            delta[g, new] = delta.get((g, new), 0) + 1
        for (g, t), d in delta.items():
            before = int(self.counts[g, t])
            after = before + d
            if (after > self.upper[g, t] and after > before) or (
                after < self.lower[g, t] and after < before
            ):
                return False
        return True

    def apply(self, a_id: str, b_id: str, *, now: datetime | None = None) -> Ints:
        """Make an allowed swap; returns the new slot matrix (refused swaps raise RotaError)."""
        verdict = self.check(a_id, b_id, now=now)
        if not verdict.allowed:
            raise RotaError(verdict.describe())
        a, b = self.index[a_id], self.index[b_id]
        w = self._window(a, b)
        assert w is not None
        ta, tb = int(self.slot_of[a, w]), int(self.slot_of[b, w])
        self.slot_of[a, w], self.slot_of[b, w] = tb, ta
        for m, old, new in ((a, ta, tb), (b, tb, ta)):
            self.counts[self.group_of[m], old] -= 1
            self.counts[self.group_of[m], new] += 1
        return self.slot_of.copy()
