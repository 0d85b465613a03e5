"""Meek STV: I. D. Hill, B. A. Wichmann and D. R. Woodall, "Algorithm 123 - Single Transferable
Vote by Meek's method", The Computer Journal 30(3), 1987, pp. 277-281.

Every elected candidate keeps a fraction (the keep factor) of each vote reaching them and passes the
rest on; keep factors are iterated until every elected candidate holds the quota to within omega.
Quota = votes credited to candidates / (seats + 1), recomputed each iteration, so votes that exhaust
lower the quota.  Equal rankings share the vote equally among the continuing candidates of the level
(as Droop's Meek rule does); a ballot is read up to its first skipped rank.

Precision (stated, as the algorithm asks): IEEE-754 double arithmetic (about 15 significant
digits), omega = 10**-9 of a vote, at most 1,000 iterations per round (a round that does not
converge stops when the surplus stops falling).  Sure losers are excluded together (Droop's
"safe" batch defeat); other ties for exclusion are broken by lot from the recorded seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
from numpy.typing import NDArray

from electoral.ballots.profile import Profile
from electoral.driver import ELECTED, HOPEFUL, Count, Step, Tally
from electoral.errors import CountError
from electoral.lots import new_seed
from electoral.result import CountResult

RULE: Final[Literal["meek"]] = "meek"
VERSION = "meek-a123/1"
OMEGA = 1e-9
MAX_ITERATIONS = 1000
PLACES = 9

Floats = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class _Ballots:
    R: NDArray[np.int64]  # (n, L) candidate per position, -1 padding
    level: NDArray[np.int64]  # (n, L) level per position (renumbered 0..), -1 padding
    weight: Floats
    nlevels: int


def _prepare(profile: Profile) -> tuple[_Ballots, int]:
    """Cut every ballot at its first skipped rank; returns the ballots and how many were cut."""
    # Rows in a canonical order, so that floating-point sums (and so the count) do not depend
    # on the order in which the ballots were read.
    keys = np.vstack([profile.levels.T[::-1], profile.rankings.T[::-1]])
    order = np.lexsort(keys) if keys.size else np.arange(profile.rankings.shape[0])
    R = profile.rankings[order].astype(np.int64)
    L = profile.levels[order].astype(np.int64)
    cut = profile.readable_length(stop_at_equal=False)[order]
    mask = np.arange(R.shape[1])[None, :] >= cut[:, None]
    length = np.count_nonzero(R >= 0, axis=1)
    weights = profile.weights[order]
    truncated = int(weights[(cut < length)].sum())
    R = np.where(mask, -1, R)
    L = np.where(mask, -1, L)
    nlevels = int(L.max(initial=-1)) + 1
    return _Ballots(R, L, weights.astype(np.float64), nlevels), truncated


def distribute(ballots: _Ballots, keep: Floats, continuing: NDArray[np.bool_]) -> Floats:
    """One Meek distribution: each ballot gives each candidate it reaches their keep factor of the
    value arriving, and passes the rest on.  Returns the votes credited to every candidate."""
    R, lev, w = ballots.R, ballots.level, ballots.weight
    n, m = R.shape
    ncand = keep.shape[0]
    if n == 0 or m == 0:
        return np.zeros(ncand)
    safe = np.where(R >= 0, R, 0)
    live = (R >= 0) & continuing[safe]
    kf = np.where(live, keep[safe], 0.0)
    rows = np.arange(n)
    lv = np.where(lev >= 0, lev, 0)
    members = np.zeros((n, max(ballots.nlevels, 1)))
    kept = np.zeros_like(members)
    for j in range(m):
        members[rows, lv[:, j]] += live[:, j]
        kept[rows, lv[:, j]] += kf[:, j]
    share = np.divide(1.0, members, out=np.zeros_like(members), where=members > 0)
    passed = np.where(members > 0, 1.0 - kept * share, 1.0)
    arriving = np.cumprod(np.hstack([np.ones((n, 1)), passed[:, :-1]]), axis=1)
    value = arriving[rows[:, None], lv] * share[rows[:, None], lv] * kf * w[:, None]
    return np.bincount(R[live], weights=value[live], minlength=ncand).astype(np.float64)


def _decimals(value: Any) -> str:
    return f"{float(value):.{PLACES}f}"


class _Meek:
    """Keep factors and their iteration (internal): the driver records each stage."""

    def __init__(self, ballots: _Ballots, valid: float, count: Count) -> None:
        self.ballots = ballots
        self.valid = valid
        self.count = count
        self.tol = valid * 1e-13
        self.keep = np.where(count.status == HOPEFUL, 1.0, 0.0)
        self.votes = np.zeros(len(count.names))
        self.q = 0.0

    def continuing(self) -> NDArray[np.bool_]:
        status = self.count.status
        out: NDArray[np.bool_] = (status == HOPEFUL) | (status == ELECTED)
        return out

    def distribute(self) -> None:
        """One distribution at the current keep factors, and the quota it gives: the votes
        credited to candidates / (seats + 1)."""
        self.votes = distribute(self.ballots, self.keep, self.continuing())
        self.q = float(self.votes.sum()) / (self.count.seats + 1)

    def tally(self) -> Tally:
        return Tally(self.votes, self.q, max(self.valid - float(self.votes.sum()), 0.0), 0.0)

    def moved(self) -> tuple[Floats, float]:
        """What each candidate gained or lost since the last stage (changes below the places
        shown left out), and the total gained."""
        delta = self.votes - self.count.history[-1]
        shown = np.where(np.abs(delta) > 5 * 10.0 ** -(PLACES + 1), delta, 0.0)
        return shown, float(np.clip(delta, 0, None).sum())

    def step(
        self,
        action: Literal["iteration", "exclusion", "remaining"],
        *,
        subject: int | None = None,
        elected: Sequence[int] = (),
        excluded: Sequence[int] = (),
        note: str = "",
    ) -> Step:
        """A stage whose transfers are what each candidate gained or lost since the last."""
        received, transferred = self.moved()
        return Step(action, subject, received, transferred, elected, excluded, note)

    def first_stage(self) -> Step:
        """Every keep factor 1: each ballot's vote goes to its first preference (shared equally
        on an equal ranking)."""
        self.distribute()
        return Step("first preferences")

    def finished(self) -> bool:
        """Every candidate elected or excluded."""
        return not self.count.hopeful()

    def next_stage(self) -> Step:
        """A round of iterations (electing, or else excluding), or the remaining seats filled."""
        count = self.count
        if len(count.hopeful()) > count.seats_left() > 0:
            return self.round()
        rest = sorted(count.hopeful(), key=lambda c: -self.votes[c])
        fill = rest[: max(count.seats_left(), 0)]
        drop = rest[len(fill) :]
        for c in fill:
            count.elect(c)
        for c in drop:
            count.exclude(c)
            self.keep[c] = 0.0
        self.votes = distribute(self.ballots, self.keep, self.continuing())
        return self.step(
            "remaining",
            elected=fill,
            excluded=drop,
            note="the continuing candidates fill the remaining seats"
            if fill
            else "all seats filled; remaining candidates defeated",
        )

    def round(self) -> Step:
        """Update keep factors (kf x quota / votes) until a candidate is elected, the surplus is
        at most omega or stops falling, or some candidates are sure losers; then exclude."""
        count = self.count
        last_surplus = float("inf")
        batch: list[int] = []
        iterations = 0
        while True:
            iterations += 1
            self.distribute()
            votes, q = self.votes, self.q
            reached = sorted(
                (c for c in count.hopeful() if votes[c] > q + self.tol), key=lambda c: -votes[c]
            )
            if reached:
                new = reached[: count.seats_left()]
                for c in new:
                    count.elect(c)
                return self.step("iteration", elected=new, note=f"{iterations} iterations; elected")
            surplus = float(sum(votes[c] - q for c in count.elected))
            if surplus <= OMEGA:
                why = "surplus below omega"
                break
            if surplus >= last_surplus or iterations >= MAX_ITERATIONS:
                why = "surplus stable"
                break
            batch = _sure_losers(count.hopeful(), votes, surplus, count.seats_left())
            if batch:
                why = "sure losers"
                break
            last_surplus = surplus
            for c in count.elected:
                self.keep[c] = self.keep[c] * q / votes[c]
        if not batch:
            batch = [self.lowest()]
        for c in batch:
            count.exclude(c)
            self.keep[c] = 0.0
        self.distribute()
        return self.step(
            "exclusion",
            subject=batch[0] if len(batch) == 1 else None,
            excluded=batch,
            note=f"{iterations} iterations; {why}",
        )

    def lowest(self) -> int:
        """The candidate to exclude: the lowest, with every candidate within the surplus of the
        lowest counted as tied (a lot decides)."""
        votes, q = self.votes, self.q
        live = self.count.hopeful()
        low = min(float(votes[c]) for c in live)
        surplus = max(float(sum(votes[c] - q for c in self.count.elected)), 0.0)
        tied = [c for c in live if votes[c] <= low + surplus]
        return self.count.break_tie(tied, highest=False, purpose="exclusion")

    def closing(self) -> tuple[Sequence[int], str]:
        return (), ""


def count(profile: Profile, seats: int | None = None, seed: str | None = None) -> CountResult:
    """Count a profile by Meek's method."""
    seats = profile.seats_to_fill(seats)
    seed = new_seed() if seed is None else str(seed)
    ballots, truncated = _prepare(profile)
    has_first = (ballots.R[:, 0] >= 0) if ballots.R.shape[1] else np.zeros(0, dtype=bool)
    valid = float(ballots.weight[has_first].sum())
    if valid == 0:
        raise CountError("no valid ballots to count")
    state = Count(profile, seats, seed, _decimals, looks_back=False)
    rules = _Meek(ballots, valid, state)
    state.run(rules)
    return state.result(
        rule=RULE,
        version=VERSION,
        quota=_decimals(rules.q),
        valid_ballots=round(valid),
        invalid_ballots=profile.total - round(valid),
        validation={
            **profile.problems.as_dict(),
            "read_to_first_skipped_rank": truncated,
            "policy": "Meek: equal rankings share the vote equally; a ballot is read up to its "
            "first skipped rank",
        },
        precision=f"IEEE-754 double; omega {OMEGA:g}; shown to {PLACES} places",
    )


def _sure_losers(hopeful: list[int], votes: Floats, surplus: float, seats_left: int) -> list[int]:
    """The largest set of lowest candidates whose votes plus the surplus stay below the next
    candidate, never splitting candidates within the surplus of each other and always leaving
    enough candidates for the seats (Droop's "safe" batch defeat)."""
    order = sorted(hopeful, key=lambda c: votes[c])
    groups: list[list[int]] = []
    for c in order:
        if groups and votes[groups[-1][0]] + surplus >= votes[c]:
            groups[-1].append(c)
        else:
            groups.append([c])
    max_defeat = len(hopeful) - seats_left
    total = 0.0
    taken = 0
    best: int | None = None
    for g in range(len(groups) - 1):
        taken += len(groups[g])
        if taken > max_defeat:
            break
        total += float(sum(votes[c] for c in groups[g]))
        if total + surplus < votes[groups[g + 1][0]]:
            best = g
    return [] if best is None else [c for g in groups[: best + 1] for c in g]
