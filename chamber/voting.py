"""The chamber's voting rules as pure functions: who may vote in a division, how public votes
convert to chamber votes, how proxies resolve at close, receipts, and the hash-chained audit log.

The storage and the services that call these (SQLModel, transactions, the scheduler) build on
them; keeping the rules pure lets them be tested exhaustively and re-run by anyone.
Sources: the seed proposal (SPEC.md "The sitting pattern", "The public vote").
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

PUBLIC_VOTES_PER_CHAMBER_VOTE = 25_000
NOT_VOTED = -1


class VotingError(ValueError):
    """A vote, proxy or business item is refused; the message gives the reason."""


# -- who may vote and speak -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    reason: str = ""


INVITATION_REASONS = ("business on the agenda", "a specific contribution", "a committee meeting")


def may_vote(member: str, seat: str, rostered: Mapping[str, str], division_open: bool) -> Verdict:
    """Only the member rostered for a seat in the slot may vote, and only while the division is
    open.  ``rostered`` maps each seat to the member rostered in the division's slot."""
    if not division_open:
        return Verdict(False, "the division is not open")
    sitting = rostered.get(seat)
    if sitting is None:
        return Verdict(False, f"no one is rostered for seat {seat} in this slot")
    if sitting != member:
        return Verdict(
            False,
            f"{member} is not rostered for seat {seat} in this slot ({sitting} is); a member "
            "attending unrostered may speak if invited but may not vote",
        )
    return Verdict(True)


def may_speak(
    member: str, seat: str, rostered: Mapping[str, str], invitation: str | None
) -> Verdict:
    """The rostered member may speak; an unrostered member only when the Speaker has invited them
    for business on the agenda, a specific contribution, or a committee that is meeting."""
    if rostered.get(seat) == member:
        return Verdict(True)
    if invitation is None:
        return Verdict(False, f"{member} is not rostered in this slot and has no invitation")
    if invitation not in INVITATION_REASONS:
        return Verdict(
            False, f"an invitation must be for {', '.join(INVITATION_REASONS)}; not {invitation!r}"
        )
    return Verdict(True, f"invited by the Speaker ({invitation}); may not vote")


# -- business planning ------------------------------------------------------------------------


def month_before(day: date) -> date:
    """The same day one calendar month earlier (the last day of that month if it is shorter)."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def may_plan(
    planned_on: date, sitting: datetime, *, urgent: bool, saturday_afternoon: bool
) -> Verdict:
    """Business is planned at least a month ahead; urgent business, which could not be, may go
    only into a Saturday-afternoon slot (kept for it)."""
    if urgent:
        if not saturday_afternoon:
            return Verdict(False, "urgent business may be placed only in a Saturday-afternoon slot")
        return Verdict(True)
    latest = month_before(sitting.date())
    if planned_on > latest:
        return Verdict(
            False,
            f"business for {sitting.date().isoformat()} had to be planned by "
            f"{latest.isoformat()} (a month ahead); mark it urgent for a Saturday afternoon",
        )
    if saturday_afternoon:
        return Verdict(False, "Saturday afternoons are kept for urgent business")
    return Verdict(True)


# -- the public vote --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """A division's published result."""

    options: tuple[str, ...]
    chamber: tuple[int, ...]
    public: tuple[int, ...]
    converted: tuple[int, ...]
    combined: tuple[int, ...]
    carried: str | None  # the winning option, or None when the top is tied
    rule: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "options": list(self.options),
            "chamber_votes": list(self.chamber),
            "public_votes": list(self.public),
            "public_as_chamber_votes": list(self.converted),
            "combined": list(self.combined),
            "carried": self.carried,
            "rule": self.rule,
        }


CONVERSION_RULE = (
    "every 25,000 public votes count as one chamber vote: the option with the most public votes "
    "is rounded up, every other option down; if two or more options tie for the most public "
    "votes, all are rounded down (no option gets the rounding up); the option with the most "
    "combined votes is carried, and a tie for the most carries nothing (the question is not "
    "agreed)"
)


def convert_public_votes(
    public: Sequence[int], per_vote: int = PUBLIC_VOTES_PER_CHAMBER_VOTE
) -> tuple[int, ...]:
    """Public votes as chamber votes, by the rule in ``CONVERSION_RULE``."""
    if any(v < 0 for v in public):
        raise VotingError("public vote counts cannot be negative")
    if not public:
        return ()
    top = max(public)
    leaders = [i for i, v in enumerate(public) if v == top]
    out = []
    for i, v in enumerate(public):
        whole, rest = divmod(v, per_vote)
        out.append(whole + (1 if rest and len(leaders) == 1 and i == leaders[0] else 0))
    return tuple(out)


def outcome(options: Sequence[str], chamber: Sequence[int], public: Sequence[int]) -> Outcome:
    """Combine chamber votes with converted public votes."""
    if not (len(options) == len(chamber) == len(public)) or len(options) < 2:
        raise VotingError("a division needs at least two options, each with its counts")
    converted = convert_public_votes(public)
    combined = tuple(c + p for c, p in zip(chamber, converted, strict=True))
    top = max(combined)
    winners = [o for o, v in zip(options, combined, strict=True) if v == top]
    return Outcome(
        tuple(options),
        tuple(chamber),
        tuple(public),
        converted,
        combined,
        winners[0] if len(winners) == 1 else None,
        CONVERSION_RULE,
    )


# -- proxies ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class ProxyResolution:
    """Whose vote counts for each public voter at close, and the tallies that follow."""

    counted_as: NDArray[np.int64]  # per voter: the voter whose direct vote carries theirs, or -1
    option: NDArray[np.int64]  # per voter: the option counted for them, or -1
    tally: NDArray[np.int64]  # per option
    carried: NDArray[np.int64]  # per voter: votes carried for others (delegations counted)
    refused_over_cap: int
    in_cycles: int
    lapsed: int  # delegations ending at someone who did not vote

    def largest_proxies(self, k: int = 10) -> list[tuple[int, int]]:
        order = np.argsort(-self.carried, kind="stable")[:k]
        return [(int(i), int(self.carried[i])) for i in order if self.carried[i] > 0]


def resolve_proxies(
    direct: NDArray[np.int64],
    proxy: NDArray[np.int64],
    options: int,
    *,
    cap: int | None = None,
) -> ProxyResolution:
    """Resolve delegation once, at close.

    ``direct[i]`` is voter i's own last vote (an option index) or -1; ``proxy[i]`` the voter
    they delegate to (the division's proxy if they appointed one, else their general proxy) or
    -1.  A direct vote always overrides the voter's proxy.  A chain A -> B -> C carries A's vote
    to the first in the chain who voted directly; a chain that runs into a cycle or ends at
    someone who neither voted nor delegated adds nothing; each voter counts at most once.  With
    ``cap``, a proxy carries at most ``cap`` delegated votes (those of the lowest voter numbers,
    a published, reproducible order); the rest are refused and counted.  Pointer doubling makes
    it O(n log n) in numpy: 12.5 million voters resolve in seconds.
    """
    direct = np.asarray(direct, dtype=np.int64)
    proxy = np.asarray(proxy, dtype=np.int64)
    n = direct.size
    if proxy.shape != (n,):
        raise VotingError("one proxy entry per voter")
    if n and (direct.max(initial=-1) >= options or direct.min(initial=-1) < -1):
        raise VotingError("a vote names an option that does not exist")
    if n and (proxy.max(initial=-1) >= n or proxy.min(initial=-1) < -1):
        raise VotingError("a proxy names a voter who does not exist")
    sink = n  # stands for "no one": a voter who neither voted nor delegated points here
    voted = direct >= 0
    step = np.where(voted, np.arange(n), np.where(proxy >= 0, proxy, sink))
    step = np.append(step, sink)
    root = step.copy()
    for _ in range(max(1, int(np.ceil(np.log2(n + 2))) + 1)):
        root = root[root]
    root = root[:n]
    reaches = np.zeros(n, dtype=bool)
    inside = root < n
    reaches[inside] = voted[root[inside]]
    # A voter whose chain never reaches a direct voter: in a cycle, or lapsed at a non-voter.
    lapsed_or_cycle = ~voted & ~reaches & (proxy >= 0)
    ends_at_sink = np.zeros(n, dtype=bool)
    ends_at_sink[lapsed_or_cycle] = root[lapsed_or_cycle] == sink
    counted_as = np.where(reaches, root, -1)
    delegated = reaches & ~voted
    refused = 0
    if cap is not None and delegated.any():
        idx = np.flatnonzero(delegated)  # ascending voter number within each root
        order = np.argsort(counted_as[idx], kind="stable")
        sorted_idx = idx[order]
        roots = counted_as[sorted_idx]
        starts = np.r_[0, np.flatnonzero(np.diff(roots)) + 1]
        rank = np.arange(sorted_idx.size) - np.repeat(
            starts, np.diff(np.r_[starts, sorted_idx.size])
        )
        over = sorted_idx[rank >= cap]
        refused = int(over.size)
        counted_as[over] = -1
        delegated[over] = False
    option = np.where(counted_as >= 0, direct[np.clip(counted_as, 0, None)], -1)
    tally = np.bincount(option[option >= 0], minlength=options).astype(np.int64)
    carried = np.bincount(counted_as[delegated], minlength=n).astype(np.int64)
    return ProxyResolution(
        counted_as=counted_as,
        option=option,
        tally=tally,
        carried=carried,
        refused_over_cap=refused,
        in_cycles=int((lapsed_or_cycle & ~ends_at_sink).sum()),
        lapsed=int(ends_at_sink.sum()),
    )


# -- receipts and the audit chain -------------------------------------------------------------


def receipt(key: bytes, division: str, voter: str, submission: int) -> str:
    """A receipt for one submission: it lets the voter check that their vote was recorded and
    counted, and reveals nothing about the choice."""
    message = f"{division}\x1f{voter}\x1f{submission}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:24]


GENESIS = "0" * 64


def chain_hash(previous: str, payload: Mapping[str, Any]) -> str:
    """The hash of an audit entry: SHA-256 over the previous hash and the canonical JSON of the
    payload, so that changing any stored entry changes every hash after it."""
    return chain_link(previous, payload)[1]


def chain_link(previous: str, payload: Mapping[str, Any]) -> tuple[str, str]:
    """The canonical JSON of a payload (sorted keys, no spaces) and the entry's hash over it."""
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return body, hashlib.sha256((previous + body).encode()).hexdigest()


def verify_chain(entries: Sequence[tuple[Mapping[str, Any], str]]) -> int | None:
    """Check a log of (payload, stored hash) pairs from the start; returns the index of the first
    entry whose hash does not match (it, or something before it, was altered), or None."""
    previous = GENESIS
    for i, (payload, stored) in enumerate(entries):
        expected = chain_hash(previous, payload)
        if expected != stored:
            return i
        previous = stored
    return None
