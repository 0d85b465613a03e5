"""Allocating seats to parties: the threshold, then a divisor or largest-remainder method, and
the allocation's record with every party's line of working."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from electoral.errors import CountError
from electoral.lots import Lots, new_seed
from electoral.party_list.divisor import divisor_apportion, quotient_key, quotient_value
from electoral.party_list.methods import DIVISOR_METHODS, METHODS, Method
from electoral.party_list.remainder import remainder_apportion
from electoral.party_list.ties import LotDraw
from electoral.plain import Published, one_of


@dataclass(frozen=True, slots=True)
class PartyLine(Published):
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Allocation(Published):
    """A complete, re-runnable allocation of seats to parties (fields in the order of the
    published JSON; ``seats_by_party`` is derived from the parties' lines)."""

    method: Method
    seats: int
    total_votes: int
    qualifying_votes: int
    threshold: str
    cutoff: str  # divisor methods: the last winning quotient; remainder methods: the quota
    seats_by_party: Mapping[str, int] = field(init=False)
    parties: tuple[PartyLine, ...]
    ties: tuple[LotDraw, ...]
    seed: str
    lots: tuple[int, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "seats_by_party", {p.name: p.seats for p in self.parties})


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


def qualifies(votes: int, total: int, threshold: Fraction, *, strict: bool = True) -> bool:
    """The threshold test: more than (or, if not strict, at least) ``threshold`` of all votes."""
    share = Fraction(votes) - threshold * total
    return share > 0 if strict else share >= 0


def _qualify(
    names: Sequence[str], votes: list[int], share: Fraction, strict: bool, exempt: set[str]
) -> tuple[list[bool], list[str]]:
    """Which parties pass the threshold (or are exempt from it), and why each that fails does."""
    total = sum(votes)
    word = "more than" if strict else "at least"
    qualified: list[bool] = []
    reasons: list[str] = []
    for name, x in zip(names, votes, strict=True):
        passes = x > 0 and (share == 0 or qualifies(x, total, share, strict=strict))
        if name in exempt and x > 0:
            qualified.append(True)
            reasons.append("" if passes else "exempt from the threshold")
        else:
            qualified.append(passes)
            reasons.append(
                ""
                if passes
                else "no votes"
                if x == 0
                else f"{_decimal(Fraction(x * 100, total or 1), 2)}% of the vote; needs {word} "
                f"{_decimal(share * 100, 2)}%"
            )
    return qualified, reasons


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
    if not one_of(method, METHODS):
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
    qualified, reasons = _qualify(names, v, share, strict_threshold, set(exempt))
    qv = [x if q else 0 for x, q in zip(v, qualified, strict=True)]
    if sum(qv) == 0:
        raise CountError("no party qualifies for seats")
    n = len(v)
    cap_list = [(caps or {}).get(name, seats) for name in names]
    last, following, quota_shares, remainders = [""] * n, [""] * n, [""] * n, [""] * n
    if method in DIVISOR_METHODS:
        seats_of, ties = divisor_apportion(
            qv, seats, method, maximum=cap_list, lots=lots, names=names
        )
        for i in range(n):
            if seats_of[i]:
                last[i] = _decimal(quotient_value(method, qv[i], seats_of[i] - 1))
            if qualified[i] and seats_of[i] < cap_list[i]:
                following[i] = _decimal(quotient_value(method, qv[i], seats_of[i]))
        won = [i for i in range(n) if seats_of[i]]
        holder = min(won, key=lambda i: quotient_key(method, qv[i], seats_of[i] - 1), default=None)
        cutoff = "" if holder is None else last[holder]
    else:
        seats_of, ties, q, rema = remainder_apportion(
            qv, seats, method, maximum=cap_list, lots=lots, names=names
        )
        for i in range(n):
            if qualified[i]:
                quota_shares[i] = _decimal(Fraction(qv[i]) / q) if q else ""
                remainders[i] = _decimal(rema[i])
        cutoff = _decimal(q)
    lines = tuple(
        PartyLine(
            name,
            v[i],
            qualified[i],
            reasons[i],
            seats_of[i],
            last[i],
            following[i],
            quota_shares[i],
            remainders[i],
            capped=qualified[i] and seats_of[i] == cap_list[i] < seats,
        )
        for i, name in enumerate(names)
    )
    return Allocation(
        method=method,
        seats=seats,
        total_votes=sum(v),
        qualifying_votes=sum(qv),
        threshold=("more than " if strict_threshold else "at least ") + _percent(share),
        parties=lines,
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
