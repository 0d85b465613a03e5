"""Deciding a group of public votes: each ballot's receipt or the reason it is refused, exactly
as if it had been cast alone, in order; and the submissions to store.  Pure, given what is
known of the voters and divisions (read by `public_votes` on SQLite, `public_pg` on
PostgreSQL)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chamber.audit.keys import submission_mac
from chamber.clock import aware
from chamber.divisions.models import Division
from chamber.divisions.rules import receipt
from chamber.divisions.state import closed_reason, is_open, option_index
from chamber.errors import ChamberError, Conflict, Invalid, NotFound, Refused

KEY_LENGTH = 128  # the longest idempotency key a client may send


@dataclass(frozen=True, slots=True)
class Ballot:
    """One public vote to store: who, on which division, for which option, when, and the
    client's idempotency key (a retry with the same key and choice returns the first receipt;
    the same key with another choice is refused as a conflict)."""

    division_id: int
    voter: str
    option: str
    now: datetime
    idempotency_key: str | None = None


@dataclass
class Known:
    """What a group of votes needs to know before it is decided."""

    voters: dict[str, int]
    divisions: dict[int, Division]
    numbers: dict[tuple[int, int], int]  # (division, voter) -> their latest submission number
    graph: set[int]  # voters who appointed a proxy or were named one
    # (division, voter, idempotency key) -> (receipt, option index) of the first submission
    seen: dict[tuple[int, int, str], tuple[str, int]]
    # divisions of a citizens' panel whose public may not vote on them (a setting of the panel)
    private: set[int] = field(default_factory=set)


def usable_keys(ballots: Sequence[Ballot]) -> list[str]:
    """The idempotency keys worth looking up (an over-long key is refused, never queried)."""
    return sorted(
        {
            b.idempotency_key
            for b in ballots
            if b.idempotency_key is not None and 0 < len(b.idempotency_key) <= KEY_LENGTH
        }
    )


def private_of(rows: Sequence[Sequence[Any]]) -> set[int]:
    """From (id, status, options, opens_at, closes_at, public_votes) rows: the divisions of a
    citizens' panel whose public may not vote (``public_votes`` false; None: not a panel)."""
    return {int(row[0]) for row in rows if row[5] is not None and not row[5]}


def division_of(row: Sequence[Any]) -> Division:
    """A division from (id, status, options, opens_at, closes_at)."""
    return Division(
        id=row[0], status=row[1], options=row[2], opens_at=row[3], closes_at=row[4],
        question="",
    )


def decide(
    ballots: Sequence[Ballot], known: Known, receipt_key: bytes, audit_key: bytes
) -> tuple[list[str | ChamberError], list[dict[str, Any]]]:
    """Each ballot's receipt or refusal, in order, and the submissions to store, each with
    its MAC under the audit key (the sequencer chains nothing without one)."""
    results: list[str | ChamberError] = []
    rows: list[dict[str, Any]] = []
    numbers, seen = dict(known.numbers), dict(known.seen)
    for b in ballots:
        voter_id = known.voters.get(b.voter)
        found = known.divisions.get(b.division_id)
        key = b.idempotency_key
        first = None
        if voter_id is not None and key is not None:
            first = seen.get((b.division_id, voter_id, key))
        if key is not None and not 0 < len(key) <= KEY_LENGTH:
            results.append(
                Invalid(f"idempotency_key: must be 1 to {KEY_LENGTH} characters, not {len(key)}")
            )
        elif voter_id is None:
            results.append(NotFound(f"{b.voter!r} is not a registered voter"))
        elif first is not None and found is not None:
            results.append(_retry(first, found, b.option))
        elif found is None:
            results.append(NotFound(f"no division {b.division_id}"))
        elif b.division_id in known.private:
            results.append(Refused("the public do not vote on this citizens' panel's divisions "
                                   "(a setting of the panel)"))
        elif not is_open(found, b.now):
            results.append(Refused(closed_reason(found, b.now)))
        else:
            try:
                index = option_index(found, b.option)
            except ChamberError as refused:
                results.append(refused)
                continue
            number = numbers.get((b.division_id, voter_id), 0) + 1
            numbers[(b.division_id, voter_id)] = number
            token = receipt(receipt_key, str(b.division_id), str(voter_id), number)
            if key is not None:
                seen[(b.division_id, voter_id, key)] = (token, index)
            results.append(token)
            at = aware(b.now)
            rows.append(
                {
                    "division_id": b.division_id,
                    "voter_id": voter_id,
                    "option": index,
                    "number": number,
                    "receipt": token,
                    "idempotency_key": b.idempotency_key,
                    "at": at,
                    "mac": submission_mac(
                        audit_key, b.division_id, voter_id, index, number, token, at
                    ),
                }
            )
    return results, rows


def _retry(first: tuple[str, int], division: Division, option: str) -> str | ChamberError:
    """A retry with a key already used: the first receipt when it asks for the same choice,
    a conflict naming both choices when it asks for another (the new choice is not stored)."""
    token, index = first
    options = list(division.options)
    if option in options and options.index(option) == index:
        return token
    return Conflict(
        f"idempotency_key: already used for {options[index]!r} in this division"
        f" (receipt {token}); send a new key to change your vote to {option!r}"
    )
