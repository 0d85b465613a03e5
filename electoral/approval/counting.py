"""The count of the organisations ballot: one vote to each organisation marked on every valid
ballot; the organisations with most votes win, a tie for the last places decided by lot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from electoral.approval.ballots import ApprovalBallots, Int64s
from electoral.approval.organisations import Organisation, check_eligibility
from electoral.errors import CountError
from electoral.lots import Lots, new_seed
from electoral.plain import Published

SEATS = 50
MAX_CHOICES = 20

#: How many line numbers each kind of invalid ballot keeps as examples.
EXAMPLES = 5
#: Ballot rows counted at a time (bounds the memory of the sort that finds repeated names).
_CHUNK = 1 << 20


#: Why a ballot is not counted.
Reason = Literal["empty", "too many", "repeated"]


@dataclass(frozen=True, slots=True)
class Invalid(Published):
    """Ballots not counted for one reason: how many, and the first few lines to look at."""

    reason: Reason
    description: str
    ballots: int
    examples: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class BoundaryTie(Published):
    """Organisations level on votes across the last winning place, and the lot that decided
    (fields in the order of the published JSON)."""

    organisations: tuple[str, ...]
    votes: int
    places: int  # how many of them win
    won: tuple[str, ...]  # in the order drawn
    method: Literal["lot"] = "lot"
    lots: tuple[int, ...]  # indices of the draws in the result's ``lots``


@dataclass(frozen=True, slots=True, kw_only=True)
class ApprovalResult(Published):
    """A complete, re-runnable organisations ballot: every vote total, invalid ballot and lot
    (fields in the order of the published JSON)."""

    method: Literal["approval"] = "approval"
    seats: int
    max_choices: int
    standing: tuple[str, ...]
    valid_ballots: int
    invalid_ballots: int
    invalid: tuple[Invalid, ...]
    votes: Mapping[str, int]  # every organisation standing, most votes first
    winners: tuple[str, ...]  # most votes first; those won by lot last, in the order drawn
    unfilled: int
    ties: tuple[BoundaryTie, ...]
    seed: str
    lots: tuple[int, ...]
    source: str = ""


class _Invalids:
    """Weighted counts and example lines of invalid ballots, reason by reason (internal)."""

    def __init__(self, max_choices: int) -> None:
        self.described: dict[Reason, str] = {
            "empty": "marks no organisation",
            "too many": f"marks more than {max_choices} organisations",
            "repeated": "marks the same organisation more than once",
        }
        self.ballots = dict.fromkeys(self.described, 0)
        self.examples: dict[Reason, list[int]] = {k: [] for k in self.described}

    def add(self, reason: Reason, rows: NDArray[np.bool_], weights: Int64s, lines: Int64s) -> None:
        self.ballots[reason] += int(weights[rows].sum())
        room = EXAMPLES - len(self.examples[reason])
        if room > 0:
            counted = rows & (weights > 0)
            self.examples[reason].extend(int(x) for x in lines[counted][:room])

    def result(self) -> tuple[Invalid, ...]:
        return tuple(
            Invalid(k, d, self.ballots[k], tuple(self.examples[k]))
            for k, d in self.described.items()
            if self.ballots[k]
        )


def count_approval(
    ballots: ApprovalBallots,
    organisations: Sequence[Organisation],
    seats: int = SEATS,
    max_choices: int = MAX_CHOICES,
    seed: str | None = None,
) -> ApprovalResult:
    """Count an organisations ballot: one vote to each organisation on every valid ballot.

    The ``seats`` organisations standing with the most votes win one seat each; organisations level
    across the last winning place are decided by lot from ``seed`` (a fresh seed, recorded, when
    none is given).  If fewer organisations stand than there are seats, all of them win and the
    rest of the seats are reported as unfilled.
    """
    if seats < 1:
        raise CountError(f"the number of seats must be at least 1, not {seats}")
    if max_choices < 1:
        raise CountError(f"the number of choices allowed must be at least 1, not {max_choices}")
    names = tuple(o.name for o in organisations)
    if names != ballots.organisations:
        raise CountError("the ballots were read against a different list of organisations")
    seed = new_seed() if seed is None else seed
    n = len(names)
    standing = np.array([check_eligibility(o).eligible for o in organisations], dtype=bool)
    width = ballots.choices.shape[1]
    if ballots.total * max(width, 1) >= 2**53:
        raise CountError("too many ballots to count exactly (more than 2^53 marks)")

    votes = np.zeros(n, dtype=np.int64)
    valid_ballots = 0
    invalid = _Invalids(max_choices)
    for start in range(0, ballots.choices.shape[0], _CHUNK):
        choices = ballots.choices[start : start + _CHUNK]
        weights = ballots.weights[start : start + _CHUNK]
        lines = ballots.lines[start : start + _CHUNK]
        marked = choices >= 0
        if not np.all(standing[choices[marked]]):
            bad = np.flatnonzero((marked & ~standing[np.where(marked, choices, 0)]).any(axis=1))
            row = int(bad[0])
            who = names[int(choices[row][marked[row] & ~standing[choices[row]]][0])]
            raise CountError(
                f"{ballots.source or 'ballots'}, line {int(lines[row])}: {who!r} is not on the "
                "ballot paper (it may not stand)"
            )
        length = marked.sum(axis=1)
        empty = length == 0
        too_many = length > max_choices
        ordered = np.sort(choices, axis=1)
        repeated = ((ordered[:, 1:] == ordered[:, :-1]) & (ordered[:, 1:] >= 0)).any(axis=1)
        repeated &= ~too_many
        invalid.add("empty", empty, weights, lines)
        invalid.add("too many", too_many, weights, lines)
        invalid.add("repeated", repeated, weights, lines)
        valid = ~(empty | too_many | repeated)
        valid_ballots += int(weights[valid].sum())
        counted = marked & valid[:, None]
        flat = choices[counted]
        if np.all(weights == 1):
            votes += np.bincount(flat, minlength=n)
        else:
            per_mark = np.broadcast_to(weights[:, None], choices.shape)[counted]
            votes += np.rint(np.bincount(flat, weights=per_mark, minlength=n)).astype(np.int64)

    # Most votes first; among equal votes, the order of the list of organisations.
    order = [int(i) for i in np.lexsort((np.arange(n), -votes)) if standing[i]]
    lots = Lots(seed)
    ties: list[BoundaryTie] = []
    if len(order) <= seats:
        winners = order
    else:
        line = int(votes[order[seats - 1]])
        above = [i for i in order if votes[i] > line]
        level = [i for i in order if votes[i] == line]
        places = seats - len(above)
        if places == len(level):
            winners = above + level
        else:
            drawn = lots.choose_several(level, places)
            winners = above + drawn
            ties.append(
                BoundaryTie(
                    organisations=tuple(names[i] for i in level),
                    votes=line,
                    places=places,
                    won=tuple(names[i] for i in drawn),
                    lots=tuple(range(len(lots.drawn) - places, len(lots.drawn))),
                )
            )
    won = set(winners)
    ranked = winners + [i for i in order if i not in won]
    return ApprovalResult(
        seats=seats,
        max_choices=max_choices,
        standing=tuple(names[i] for i in range(n) if standing[i]),
        valid_ballots=valid_ballots,
        invalid_ballots=sum(invalid.ballots.values()),
        invalid=invalid.result(),
        votes={names[i]: int(votes[i]) for i in ranked},
        winners=tuple(names[i] for i in winners),
        unfilled=max(0, seats - len(order)),
        ties=tuple(ties),
        seed=seed,
        lots=tuple(lots.drawn),
        source=ballots.source,
    )
