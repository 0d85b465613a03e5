"""Party-list allocation: divisor methods and largest remainder, in exact rational arithmetic.

Sources: M. Balinski and H. P. Young, *Fair Representation* (2nd ed., 2001); F. Pukelsheim,
*Proportional Representation: Apportionment Methods and Their Applications* (2nd ed., 2017),
chapters 3-6 (divisor methods, quota methods, the jump-and-step algorithm, minimum and maximum
restrictions).  The chamber's party seats: seats to parties in proportion to national votes, only
parties with *more than* 1% of the vote qualify (the seed proposal, SPEC.md "Composition").

Divisor methods give the next seat to the party with the largest quotient ``votes / d(s)``, where
``s`` is the number of seats it already holds:

====================== ===========================================
D'Hondt                d(s) = s + 1
Sainte-Laguë           d(s) = 2s + 1
modified Sainte-Laguë  d(0) = 1.4, d(s) = 2s + 1 for s >= 1
Huntington-Hill        d(s) = sqrt(s(s + 1))  (d(0) = 0: every party with votes gets a first seat)
====================== ===========================================

Quotients are compared exactly (fractions; squares for Huntington-Hill), never as floats.  Seat
caps and minimums are the restrictions of Pukelsheim ch. 7: a party never goes above its cap or
below its minimum, and the other seats go by the same quotients.
"""

from __future__ import annotations

import csv
import heapq
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from electoral.ballots.textfile import read_text
from electoral.errors import BallotFileError, CountError
from electoral.lots import Lots, new_seed

DIVISOR_METHODS = ("dhondt", "sainte-lague", "modified-sainte-lague", "huntington-hill")
REMAINDER_METHODS = ("hare", "droop")
METHODS = DIVISOR_METHODS + REMAINDER_METHODS

Key = Fraction | tuple[int, Fraction]


def quotient_key(method: str, votes: int, held: int) -> Key:
    """The exact priority of a party's next seat: ``votes / d(held)``.

    For Huntington-Hill the key is ``(1, votes)`` for a first seat (d(0) = 0, so every first seat
    comes before every second) and ``(0, votes**2 / (held * (held + 1)))`` after that.
    """
    if method == "dhondt":
        return Fraction(votes, held + 1)
    if method == "sainte-lague":
        return Fraction(votes, 2 * held + 1)
    if method == "modified-sainte-lague":
        return Fraction(votes * 5, 7) if held == 0 else Fraction(votes, 2 * held + 1)
    if method == "huntington-hill":
        if held == 0:
            return (1, Fraction(votes))
        return (0, Fraction(votes * votes, held * (held + 1)))
    raise CountError(f"unknown divisor method {method!r}: choose one of {', '.join(METHODS)}")


def quotient_value(method: str, votes: int, held: int) -> float:
    """The quotient ``votes / d(held)`` as a number for display (infinite for d = 0)."""
    if method == "huntington-hill":
        return math.inf if held == 0 else votes / math.sqrt(held * (held + 1))
    if method == "modified-sainte-lague" and held == 0:
        return votes / 1.4
    return votes / (held + 1 if method == "dhondt" else 2 * held + 1)


def _neg(key: Key) -> Key:
    return (-key[0], -key[1]) if isinstance(key, tuple) else -key


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


@dataclass(frozen=True, slots=True)
class PartyLine:
    """One party's line of working: votes, whether it qualified, seats, and the figures that
    decided them (quotients for a divisor method; quota share and remainder for largest
    remainder)."""

    name: str
    votes: int
    qualified: bool
    reason: str
    seats: int
    last_quotient: str  # the quotient that won its last seat ("" when none)
    next_quotient: str  # the quotient its next seat would have needed to beat ("" at a cap)
    quota_share: str = ""  # largest remainder: votes / quota
    remainder: str = ""  # largest remainder: the fraction left after whole quotas
    capped: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "votes": self.votes,
            "qualified": self.qualified,
            "reason": self.reason,
            "seats": self.seats,
            "last_quotient": self.last_quotient,
            "next_quotient": self.next_quotient,
            "quota_share": self.quota_share,
            "remainder": self.remainder,
            "capped": self.capped,
        }


@dataclass(frozen=True, slots=True)
class Allocation:
    """A complete, re-runnable allocation of seats to parties."""

    method: str
    seats: int
    total_votes: int
    qualifying_votes: int
    threshold: str
    parties: tuple[PartyLine, ...]
    cutoff: str  # divisor methods: the last winning quotient; remainder methods: the quota
    ties: tuple[LotDraw, ...]
    seed: str
    lots: tuple[int, ...]

    @property
    def seats_by_party(self) -> dict[str, int]:
        return {p.name: p.seats for p in self.parties}

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "seats": self.seats,
            "total_votes": self.total_votes,
            "qualifying_votes": self.qualifying_votes,
            "threshold": self.threshold,
            "cutoff": self.cutoff,
            "seats_by_party": self.seats_by_party,
            "parties": [p.as_dict() for p in self.parties],
            "ties": [t.as_dict() for t in self.ties],
            "seed": self.seed,
            "lots": list(self.lots),
        }


def _decimal(x: Fraction | float, places: int = 4) -> str:
    if isinstance(x, float):
        return "inf" if math.isinf(x) else f"{x:.{places}f}"
    scaled = round(x * 10**places)
    sign = "-" if scaled < 0 else ""
    q, r = divmod(abs(scaled), 10**places)
    return f"{sign}{q}.{r:0{places}d}"


def _percent(share: Fraction) -> str:
    """A share as a percentage without trailing zeros: Fraction(1, 100) -> '1%'."""
    text = _decimal(share * 100, 6).rstrip("0").rstrip(".")
    return f"{text}%"


def divisor_apportion(
    votes: Sequence[int] | NDArray[np.int64],
    seats: int,
    method: str,
    *,
    minimum: Sequence[int] | None = None,
    maximum: Sequence[int] | None = None,
    lots: Lots | None = None,
    names: Sequence[str] | None = None,
) -> tuple[list[int], list[LotDraw]]:
    """Seats for each party by a divisor method, with optional per-party minimum and maximum.

    Jump and step (Pukelsheim 4.6): a first estimate from one common divisor (floating point),
    then exact steps — give a seat to the largest next quotient while seats are short, take one
    from the smallest last quotient while there are too many, and exchange while a party's next
    quotient beats another's last.  Places tied at the boundary are shared by lot.
    """
    v = [int(x) for x in votes]
    n = len(v)
    if method not in DIVISOR_METHODS:
        raise CountError(f"unknown divisor method {method!r}: choose one of {', '.join(METHODS)}")
    if seats < 0:
        raise CountError("the number of seats must not be negative")
    if any(x < 0 for x in v):
        raise CountError("votes must not be negative")
    lo = [0] * n if minimum is None else [int(x) for x in minimum]
    hi = [seats] * n if maximum is None else [min(int(x), seats) for x in maximum]
    for i in range(n):
        if v[i] == 0:
            hi[i] = min(hi[i], lo[i])  # no votes, no seats beyond a guaranteed minimum
        if lo[i] > hi[i]:
            raise CountError(f"party {i + 1}: its minimum {lo[i]} is above its maximum {hi[i]}")
    if sum(lo) > seats:
        raise CountError(f"the minimums add up to {sum(lo)}, more than the {seats} seats")
    if sum(hi) < seats:
        raise CountError(f"the caps allow only {sum(hi)} of the {seats} seats to be filled")
    label = list(names) if names is not None else [str(i + 1) for i in range(n)]
    s = _estimate(v, seats, method, lo, hi)

    def next_key(i: int) -> Key:
        return quotient_key(method, v[i], s[i])

    def last_key(i: int) -> Key:
        return quotient_key(method, v[i], s[i] - 1)

    grow: list[tuple[Key, int, int]] = [
        (_neg(next_key(i)), i, s[i]) for i in range(n) if s[i] < hi[i]
    ]
    shrink: list[tuple[Key, int, int]] = [(last_key(i), i, s[i]) for i in range(n) if s[i] > lo[i]]
    heapq.heapify(grow)
    heapq.heapify(shrink)

    def push(i: int) -> None:
        if s[i] < hi[i]:
            heapq.heappush(grow, (_neg(next_key(i)), i, s[i]))
        if s[i] > lo[i]:
            heapq.heappush(shrink, (last_key(i), i, s[i]))

    def top(heap: list[tuple[Key, int, int]]) -> tuple[Key, int] | None:
        while heap:
            key, i, held = heap[0]
            if held == s[i] and (s[i] < hi[i] if heap is grow else s[i] > lo[i]):
                return key, i
            heapq.heappop(heap)
        return None

    total = sum(s)
    while total < seats:
        found = top(grow)
        assert found is not None  # sum(hi) >= seats
        s[found[1]] += 1
        total += 1
        push(found[1])
    while total > seats:
        found = top(shrink)
        assert found is not None  # sum(lo) <= seats
        s[found[1]] -= 1
        total -= 1
        push(found[1])
    while True:
        g, k = top(grow), top(shrink)
        if g is None or k is None or not _neg(g[0]) > k[0]:  # type: ignore[operator]
            break
        s[k[1]] -= 1
        s[g[1]] += 1
        push(k[1])
        push(g[1])

    ties: list[LotDraw] = []
    g, k = top(grow), top(shrink)
    if g is not None and k is not None and _neg(g[0]) == k[0]:
        cutoff = k[0]
        holders = [i for i in range(n) if lo[i] < s[i] and last_key(i) == cutoff]
        waiting = [i for i in range(n) if s[i] < hi[i] and next_key(i) == cutoff]
        tied = sorted(holders + waiting)
        if lots is None:
            lots = Lots(new_seed())
        for i in holders:
            s[i] -= 1
        pool = list(tied)
        winners: list[int] = []
        first = len(lots.drawn)
        for _ in holders:
            w = lots.choose(pool)
            pool.remove(w)
            winners.append(w)
        for i in winners:
            s[i] += 1
        ties.append(
            LotDraw(
                len(holders),
                tuple(label[i] for i in tied),
                tuple(label[i] for i in sorted(winners)),
                tuple(lots.drawn[first:]),
            )
        )
    return s, ties


def _estimate(v: list[int], seats: int, method: str, lo: list[int], hi: list[int]) -> list[int]:
    """A first allocation from one common divisor (floats; the exact steps correct it)."""
    total = sum(v)
    if total == 0 or seats == 0:
        return list(lo)
    x = np.asarray(v, dtype=np.float64) * (seats / total)  # each party's ideal share
    if method == "dhondt":
        est = np.floor(x)
    elif method in ("sainte-lague", "modified-sainte-lague"):
        est = np.floor(x + 0.5)
    else:  # Huntington-Hill: round at the geometric mean of the neighbours
        f = np.floor(x)
        est = np.where(x * x > f * (f + 1), f + 1, f)
        est = np.where(x > 0, np.maximum(est, 1), 0)
    est = np.clip(est, np.asarray(lo), np.asarray(hi))
    return [int(e) for e in est]


def remainder_apportion(
    votes: Sequence[int] | NDArray[np.int64],
    seats: int,
    quota: str,
    *,
    maximum: Sequence[int] | None = None,
    lots: Lots | None = None,
    names: Sequence[str] | None = None,
) -> tuple[list[int], list[LotDraw], Fraction, list[Fraction]]:
    """Largest remainder (Hamilton) with the Hare quota (votes / seats) or the Droop quota
    (floor(votes / (seats + 1)) + 1): whole quotas first, then the largest remainders.

    A capped party keeps its cap; its other seats are shared among the rest by the same rule
    (the quota recomputed over the remaining parties and seats).  Returns the seats, the lot
    draws, the quota and each party's remainder (as a fraction of a quota).
    """
    v = [int(x) for x in votes]
    n = len(v)
    if quota not in REMAINDER_METHODS:
        raise CountError(f"unknown quota {quota!r}: choose hare or droop")
    if any(x < 0 for x in v):
        raise CountError("votes must not be negative")
    hi = [seats] * n if maximum is None else [min(int(x), seats) for x in maximum]
    if sum(min(h, seats) for h, x in zip(hi, v, strict=True) if x > 0) < seats:
        raise CountError("the caps (and parties with votes) leave seats that cannot be filled")
    label = list(names) if names is not None else [str(i + 1) for i in range(n)]
    s = [0] * n
    fixed: set[int] = set()
    ties: list[LotDraw] = []
    while True:
        active = [i for i in range(n) if i not in fixed and v[i] > 0]
        left = seats - sum(s[i] for i in fixed)
        pool_votes = sum(v[i] for i in active)
        if pool_votes == 0 or left == 0:
            q = Fraction(0)
            for i in active:
                s[i] = 0
            rema = [Fraction(0)] * n
            break
        # Whole quotas and remainders in integers: with the Hare quota V/S a party's share of
        # quotas is v*S/V, so its remainder is (v*S mod V)/V; with the Droop quota q (an
        # integer) it is (v mod q)/q.  Comparing the integer numerators is exact.
        if quota == "hare":
            q = Fraction(pool_votes, left)
            scale, unit = left, pool_votes
        else:
            q = Fraction(pool_votes // (left + 1) + 1)
            scale, unit = 1, int(q)
        whole: dict[int, int] = {}
        num: dict[int, int] = {}
        for i in active:
            whole[i], num[i] = divmod(v[i] * scale, unit)
        rest = left - sum(whole.values())
        while rest > len(active):  # only with the Droop quota and very few votes per seat
            for i in active:
                whole[i] += 1
            rest -= len(active)
        for i in active:
            s[i] = whole[i]
        ties = []
        if rest > 0:
            order = sorted(active, key=lambda i: -num[i])
            cutoff = num[order[rest - 1]]
            above = [i for i in active if num[i] > cutoff]
            at = sorted(i for i in active if num[i] == cutoff)
            for i in above:
                s[i] += 1
            places = rest - len(above)
            if places == len(at):
                for i in at:
                    s[i] += 1
            else:
                if lots is None:
                    lots = Lots(new_seed())
                pool = list(at)
                first = len(lots.drawn)
                won = []
                for _ in range(places):
                    w = lots.choose(pool)
                    pool.remove(w)
                    won.append(w)
                    s[w] += 1
                ties.append(
                    LotDraw(
                        places,
                        tuple(label[i] for i in at),
                        tuple(label[i] for i in sorted(won)),
                        tuple(lots.drawn[first:]),
                    )
                )
        over = [i for i in active if s[i] > hi[i]]
        if not over:
            rema = [Fraction(0)] * n
            for i in active:
                rema[i] = Fraction(num[i], unit)
            break
        for i in over:
            s[i] = hi[i]
            fixed.add(i)
    return s, ties, q, rema


def qualifies(votes: int, total: int, threshold: Fraction, *, strict: bool = True) -> bool:
    """The threshold test: more than (or, if not strict, at least) ``threshold`` of all votes."""
    share = Fraction(votes) - threshold * total
    return share > 0 if strict else share >= 0


def allocate(
    names: Sequence[str],
    votes: Sequence[int] | NDArray[np.int64],
    seats: int,
    method: str = "dhondt",
    *,
    threshold: Fraction | str | int = 0,
    strict_threshold: bool = True,
    exempt: Sequence[str] = (),
    caps: Mapping[str, int] | None = None,
    seed: str | None = None,
) -> Allocation:
    """Allocate ``seats`` to parties: threshold first, then the method, recording the working.

    ``threshold`` is a share of all valid votes ("0.01" is 1%); by default a party must have
    *more than* that share.  Parties in ``exempt`` qualify whatever their share (e.g. one that
    won a constituency seat).  ``caps`` limits a party's seats; its other seats go to the rest.
    """
    if method not in METHODS:
        raise CountError(f"unknown method {method!r}: choose one of {', '.join(METHODS)}")
    if len(names) != len(votes):
        raise CountError("there must be one vote total per party")
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if list(names).count(n) > 1})
        raise CountError(f"parties appear twice: {', '.join(dup)}")
    if seats < 1:
        raise CountError("the number of seats must be at least 1")
    v = [int(x) for x in votes]
    if any(x < 0 for x in v):
        raise CountError("votes must not be negative")
    unknown = [e for e in (*exempt, *(caps or {})) if e not in names]
    if unknown:
        raise CountError(f"not among the parties: {', '.join(sorted(set(unknown)))}")
    try:
        share = Fraction(threshold)
    except (ValueError, TypeError) as exc:
        raise CountError(f"threshold must be a number such as 0.01, not {threshold!r}") from exc
    if not 0 <= share < 1:
        raise CountError("threshold must be a share of the vote from 0 up to (not including) 1")
    seed = new_seed() if seed is None else str(seed)
    lots = Lots(seed)
    total = sum(v)
    exempt_set = set(exempt)
    qualified = []
    reasons = []
    for name, x in zip(names, v, strict=True):
        passes = x > 0 and (share == 0 or qualifies(x, total, share, strict=strict_threshold))
        if name in exempt_set and x > 0:
            qualified.append(True)
            reasons.append("exempt from the threshold" if not passes else "")
        else:
            qualified.append(passes)
            word = "more than" if strict_threshold else "at least"
            reasons.append(
                ""
                if passes
                else "no votes"
                if x == 0
                else f"{_decimal(Fraction(x * 100, total or 1), 2)}% of the vote; needs {word} "
                f"{_decimal(share * 100, 2)}%"
            )
    qv = [x if q else 0 for x, q in zip(v, qualified, strict=True)]
    if sum(qv) == 0:
        raise CountError("no party qualifies for seats")
    cap_list = [(caps or {}).get(n, seats) for n in names]
    if method in DIVISOR_METHODS:
        seats_of, ties = divisor_apportion(
            qv, seats, method, maximum=cap_list, lots=lots, names=names
        )
        lines = []
        won = [quotient_key(method, qv[i], seats_of[i] - 1) for i in range(len(v)) if seats_of[i]]
        cutoff_key = min(won) if won else None
        for i, name in enumerate(names):
            last = _decimal(quotient_value(method, qv[i], seats_of[i] - 1)) if seats_of[i] else ""
            nxt = (
                _decimal(quotient_value(method, qv[i], seats_of[i]))
                if qualified[i] and seats_of[i] < cap_list[i]
                else ""
            )
            lines.append(
                PartyLine(
                    name,
                    v[i],
                    qualified[i],
                    reasons[i],
                    seats_of[i],
                    last,
                    nxt,
                    capped=qualified[i] and seats_of[i] == cap_list[i] < seats,
                )
            )
        cutoff = ""
        if cutoff_key is not None:
            holder = next(
                i
                for i in range(len(v))
                if seats_of[i] and quotient_key(method, qv[i], seats_of[i] - 1) == cutoff_key
            )
            cutoff = _decimal(quotient_value(method, qv[holder], seats_of[holder] - 1))
    else:
        seats_of, ties, q, rema = remainder_apportion(
            qv, seats, method, maximum=cap_list, lots=lots, names=names
        )
        lines = [
            PartyLine(
                name,
                v[i],
                qualified[i],
                reasons[i],
                seats_of[i],
                "",
                "",
                quota_share=_decimal(Fraction(qv[i]) / q) if qualified[i] and q else "",
                remainder=_decimal(rema[i]) if qualified[i] else "",
                capped=qualified[i] and seats_of[i] == cap_list[i] < seats,
            )
            for i, name in enumerate(names)
        ]
        cutoff = _decimal(q)
    return Allocation(
        method=method,
        seats=seats,
        total_votes=total,
        qualifying_votes=sum(qv),
        threshold=("more than " if strict_threshold else "at least ") + _percent(share),
        parties=tuple(lines),
        cutoff=cutoff,
        ties=tuple(ties),
        seed=seed,
        lots=tuple(lots.drawn),
    )


def quotient_table(method: str, votes: Sequence[int], rows: int) -> list[list[str]]:
    """The first ``rows`` quotients of each party (one list per party), to show the working."""
    if method not in DIVISOR_METHODS:
        raise CountError(f"{method} is not a divisor method")
    return [[_decimal(quotient_value(method, int(x), s), 2) for s in range(rows)] for x in votes]


@dataclass(frozen=True, slots=True)
class PartyVotes:
    """Vote totals read from a file, with optional per-party threshold exemptions and caps."""

    names: tuple[str, ...]
    votes: tuple[int, ...]
    exempt: tuple[str, ...] = ()
    caps: Mapping[str, int] | None = None


_TRUE = {"1", "yes", "y", "true", "x"}
_FALSE = {"", "0", "no", "n", "false"}


def read_party_votes(
    path: str | Path,
    *,
    name_columns: Sequence[str] = ("party", "name"),
    value_column: str = "votes",
) -> PartyVotes:
    """Read ``party,votes`` CSV (a ``name`` column may stand for ``party``; optional ``exempt``
    yes/no and ``cap`` columns).  Errors name the file, the line and the column.

    The same reader takes other totals with other column names, e.g. ``district,population``.
    """
    spath = str(path)
    rows = list(csv.reader(io.StringIO(read_text(path), newline="")))
    label = name_columns[0]
    if not rows:
        raise BallotFileError(
            spath, None, f"empty file: expected a header with {label} and {value_column}"
        )
    header = [h.strip().lower() for h in rows[0]]
    col = {h: i for i, h in enumerate(header)}
    name_col = next((col[c] for c in name_columns if c in col), None)
    if name_col is None:
        raise BallotFileError(spath, 1, f"missing column {label!r}")
    if value_column not in col:
        raise BallotFileError(spath, 1, f"missing column {value_column!r}")
    names: list[str] = []
    votes: list[int] = []
    exempt: list[str] = []
    caps: dict[str, int] = {}
    seen: dict[str, int] = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise BallotFileError(
                spath, lineno, f"expected {len(header)} fields as in the header, found {len(row)}"
            )
        name = row[name_col].strip()
        if not name:
            raise BallotFileError(spath, lineno, f"column {label!r}: empty name")
        if name in seen:
            raise BallotFileError(
                spath, lineno, f"column {label!r}: {name!r} already appears on line {seen[name]}"
            )
        seen[name] = lineno
        raw = row[col[value_column]]
        text = raw.strip().replace(",", "").replace("_", "")
        if text.startswith("-") and text[1:].isdigit():
            raise BallotFileError(
                spath, lineno, f"column {value_column!r}: negative number {text} for {name}"
            )
        if not text.isdigit():
            raise BallotFileError(
                spath, lineno, f"column {value_column!r}: {raw!r} is not a whole number"
            )
        names.append(name)
        votes.append(int(text))
        if "exempt" in col:
            flag = row[col["exempt"]].strip().lower()
            if flag not in _TRUE | _FALSE:
                raise BallotFileError(spath, lineno, f"column 'exempt': {flag!r} is not yes or no")
            if flag in _TRUE:
                exempt.append(name)
        if "cap" in col and row[col["cap"]].strip():
            cap = row[col["cap"]].strip()
            if not cap.isdigit():
                raise BallotFileError(spath, lineno, f"column 'cap': {cap!r} is not a whole number")
            caps[name] = int(cap)
    if not names:
        raise BallotFileError(spath, None, f"no {label} in the file")
    return PartyVotes(tuple(names), tuple(votes), tuple(exempt), caps or None)
