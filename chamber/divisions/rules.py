"""The rules of divisions as pure functions: who may vote, how public votes convert to chamber
votes and combine with them, and receipts.

Source: the proposal "The case for a second chamber": members may attend when not rostered but
vote only when rostered; the public may vote on each division, and every 25,000 public votes
count as one vote in the chamber, rounded up for the option with the most public votes and down
for the others.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from chamber.errors import Invalid, Verdict

PUBLIC_VOTES_PER_CHAMBER_VOTE = 25_000
NOT_OPEN = "the division is not open"


def may_vote(member: str, seat: str, rostered: Mapping[str, str], division_open: bool) -> Verdict:
    """Only the member rostered for a seat in the slot may vote, and only while the division is
    open.  ``rostered`` maps each seat to the member rostered in the division's slot."""
    if not division_open:
        return Verdict(False, NOT_OPEN)
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


@dataclass(frozen=True, slots=True)
class Outcome:
    """A division's result: the chamber's votes, the public's and what they count as, combined."""

    options: tuple[str, ...]
    chamber_votes: tuple[int, ...]
    public_votes: tuple[int, ...]
    public_as_chamber_votes: tuple[int, ...]
    combined: tuple[int, ...]
    carried: str | None  # the winning option, or None when the top is tied
    rule: str


CONVERSION_RULE = (
    "Every 25,000 public votes count as one chamber vote: the option with the most public votes "
    "is rounded up, every other option down; if two or more options tie for the most public "
    "votes, all are rounded down (no option gets the rounding up). The option with the most "
    "combined votes is carried, and a tie for the most carries nothing (the question is not "
    "agreed)."
)


def convert_public_votes(
    public: Sequence[int], per_vote: int = PUBLIC_VOTES_PER_CHAMBER_VOTE
) -> tuple[int, ...]:
    """Public votes as chamber votes, by the rule in ``CONVERSION_RULE``."""
    if any(v < 0 for v in public):
        raise Invalid("public vote counts cannot be negative")
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
        raise Invalid("a division needs at least two options, each with its counts")
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


def receipt(key: bytes, division: str, voter: str, submission: int) -> str:
    """A receipt for one submission: it lets the voter check that their vote was recorded and
    counted, and reveals nothing about the choice."""
    message = f"{division}\x1f{voter}\x1f{submission}".encode()
    return hmac.digest(key, message, "sha256").hex()[:24]  # one call: the hot path
