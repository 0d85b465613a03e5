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

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from electoral.ballots.profile import Profile
from electoral.errors import CountError
from electoral.lots import Lots, new_seed
from electoral.result import CountResult, Stage, Tie

RULE = "meek"
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


def count(profile: Profile, seats: int | None = None, seed: str | None = None) -> CountResult:
    """Count a profile by Meek's method."""
    seats = profile.seats_to_fill(seats)
    seed = new_seed() if seed is None else str(seed)
    names = profile.candidates
    ncand = len(names)
    ballots, truncated = _prepare(profile)
    has_first = (ballots.R[:, 0] >= 0) if ballots.R.shape[1] else np.zeros(0, dtype=bool)
    valid = float(ballots.weight[has_first].sum())
    if valid == 0:
        raise CountError("no valid ballots to count")
    tol = valid * 1e-13
    standing = [c for c in range(ncand) if c not in profile.withdrawn]
    HOPEFUL, ELECTED, EXCLUDED = 0, 1, 2
    status = np.full(ncand, EXCLUDED, dtype=np.int8)
    status[standing] = HOPEFUL
    keep = np.where(status == HOPEFUL, 1.0, 0.0)
    lots = Lots(seed)
    ties: list[Tie] = []
    stages: list[Stage] = []
    elected: list[int] = []
    previous = np.zeros(ncand)

    def fmt(x: float) -> str:
        return f"{x:.{PLACES}f}"

    def record(
        action: str,
        votes: Floats,
        q: float,
        subject: int | None = None,
        new: list[int] | None = None,
        out: list[int] | None = None,
        note: str = "",
    ) -> None:
        nonlocal previous
        delta = votes - previous if stages else votes
        previous = votes.copy()
        excess = valid - float(votes.sum())
        stages.append(
            Stage(
                stage=len(stages) + 1,
                action=action,
                subject=None if subject is None else names[subject],
                votes={names[c]: fmt(float(votes[c])) for c in standing},
                non_transferable=fmt(max(excess, 0.0)),
                loss_to_truncation=fmt(0.0),
                quota=fmt(q),
                transfers={
                    names[c]: fmt(float(delta[c]))
                    for c in standing
                    if abs(delta[c]) > 5 * 10.0 ** -(PLACES + 1)
                }
                if stages
                else {},
                transferred=fmt(float(np.clip(delta, 0, None).sum())) if stages else fmt(0.0),
                elected=tuple(names[c] for c in new or ()),
                excluded=tuple(names[c] for c in out or ()),
                note=note,
            )
        )

    def seats_left() -> int:
        return seats - len(elected)

    def hopeful() -> list[int]:
        return [int(c) for c in np.flatnonzero(status == HOPEFUL)]

    def continuing() -> NDArray[np.bool_]:
        out: NDArray[np.bool_] = status != EXCLUDED
        return out

    votes = distribute(ballots, keep, continuing())
    q = float(votes.sum()) / (seats + 1)
    record("first preferences", votes, q)
    while len(hopeful()) > seats_left() > 0:
        last_surplus = float("inf")
        batch: list[int] = []
        iterations = 0
        why = ""
        new: list[int] = []
        while True:
            iterations += 1
            votes = distribute(ballots, keep, continuing())
            q = float(votes.sum()) / (seats + 1)
            reached = sorted((c for c in hopeful() if votes[c] > q + tol), key=lambda c: -votes[c])
            if reached:
                new = reached[: seats_left()]
                for c in new:
                    status[c] = ELECTED
                    elected.append(c)
                why = "elected"
                break
            surplus = float(sum(votes[c] - q for c in elected))
            if surplus <= OMEGA:
                why = "surplus below omega"
                break
            if surplus >= last_surplus or iterations >= MAX_ITERATIONS:
                why = "surplus stable"
                break
            batch = _sure_losers(hopeful(), votes, surplus, seats_left())
            if batch:
                why = "sure losers"
                break
            last_surplus = surplus
            for c in elected:
                keep[c] = keep[c] * q / votes[c]
        if why == "elected":
            record("iteration", votes, q, new=new, note=f"{iterations} iterations; elected")
            continue
        if not batch:
            live = hopeful()
            low = min(float(votes[c]) for c in live)
            surplus = max(float(sum(votes[c] - q for c in elected)), 0.0)
            tied = [c for c in live if votes[c] <= low + surplus]
            loser = tied[0]
            if len(tied) > 1:
                loser = lots.choose(tied)
                ties.append(
                    Tie(
                        len(stages) + 1,
                        "exclusion",
                        tuple(names[c] for c in tied),
                        names[loser],
                        "lot",
                        len(lots.drawn) - 1,
                    )
                )
            batch = [loser]
        for c in batch:
            status[c] = EXCLUDED
            keep[c] = 0.0
        votes = distribute(ballots, keep, continuing())
        q = float(votes.sum()) / (seats + 1)
        record(
            "exclusion",
            votes,
            q,
            subject=batch[0] if len(batch) == 1 else None,
            out=batch,
            note=f"{iterations} iterations; {why}",
        )
    rest = sorted(hopeful(), key=lambda c: -votes[c])
    if rest:
        fill = rest[: max(seats_left(), 0)]
        drop = rest[len(fill) :]
        for c in fill:
            status[c] = ELECTED
            elected.append(c)
        for c in drop:
            status[c] = EXCLUDED
            keep[c] = 0.0
        votes = distribute(ballots, keep, continuing())
        record(
            "remaining",
            votes,
            q,
            new=fill,
            out=drop,
            note="the continuing candidates fill the remaining seats"
            if fill
            else "all seats filled; remaining candidates defeated",
        )
    return CountResult(
        rule=RULE,
        rule_version=VERSION,
        seats=seats,
        candidates=names,
        valid_ballots=round(valid),
        invalid_ballots=profile.total - round(valid),
        quota=fmt(q),
        elected=tuple(names[c] for c in elected),
        stages=tuple(stages),
        ties=tuple(ties),
        seed=seed,
        lots=tuple(lots.drawn),
        validation={
            **profile.problems.as_dict(),
            "read_to_first_skipped_rank": truncated,
            "policy": "Meek: equal rankings share the vote equally; a ballot is read up to its "
            "first skipped rank",
        },
        withdrawn=tuple(names[c] for c in sorted(profile.withdrawn)),
        title=profile.title,
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
