"""The rules of offices as pure values and functions: which office holds which power, and when
an assembly's delegates must be named.

Source: "The case for a second chamber": a Speaker and a panel of deputy speakers; an Executive
Committee elected to oversee organisational arrangements; groups of members with whips and
officers to arrange rosters, who "would be able to attend even when not rostered, although
they would only be able to vote when rostered"; the Speaker may invite an unrostered member to
attend in a non-voting capacity; each interest assembly meets monthly and identifies two
delegates to attend each meeting of the chamber.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from chamber.errors import Verdict

OFFICES = (
    "Speaker", "deputy speaker", "Executive Committee", "whip", "group officer",
    "assembly officer",
)
GROUP_OFFICES = ("whip", "group officer")  # held for a group of members
ROLE_LABELS = ("Speaker", "deputy speaker", "whip", "Executive Committee")  # Member.role before

Power = Literal[
    "chair sittings", "invite members", "arrange their group's rota", "name delegates",
    "attend without a vote",
]
POWERS: Mapping[Power, tuple[str, ...]] = {
    "chair sittings": ("Speaker", "deputy speaker"),
    "invite members": ("Speaker", "deputy speaker"),  # a deputy acts for the Speaker
    "arrange their group's rota": GROUP_OFFICES,
    "name delegates": ("assembly officer",),
    "attend without a vote": ("Speaker", "deputy speaker", "Executive Committee", *GROUP_OFFICES),
}
COMMITTEE_RULES = ("scottish", "meek")  # the STV rules of `electoral` a committee is counted by


PHRASES: Mapping[str, str] = {
    "Speaker": "the Speaker", "deputy speaker": "a deputy speaker",
    "Executive Committee": "a member of the Executive Committee", "whip": "a whip",
    "group officer": "an officer of a group", "assembly officer": "an assembly's officer",
}


def either(offices: tuple[str, ...]) -> str:
    """``the Speaker or a deputy speaker``: offices as a phrase."""
    named = [PHRASES[o] for o in offices]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]


@dataclass(frozen=True, slots=True)
class NamingWindow:
    """A rota period as an assembly sees it: its first and last day, the last day on which its
    delegates are named, and when its rota was published (None: not yet)."""

    first: date
    last: date
    deadline: date
    published_on: date | None = None


def delegate_deadline(period_start: date, lead_days: int) -> date:
    """The last day to name the delegates of a rota period: the day before its rota is due to
    be published (``lead_days`` before its first day, a month and a week on the national
    chamber), so that each delegate knows more than a month ahead, as business is planned."""
    return period_start - timedelta(days=lead_days + 1)


def may_name(today: date, window: NamingWindow, *, filling_a_held_rota: bool) -> Verdict:
    """Delegates are named by the deadline and never once their rota is published.  A rota held
    back past its due day because delegates are missing may still have the missing ones named
    (nothing already named changes), so that it can be published."""
    span = f"the sittings from {window.first:%a %d %b %Y} to {window.last:%a %d %b %Y}"
    if window.published_on is not None:
        return Verdict(
            False,
            f"the rota of {span} was published on {window.published_on:%a %d %b %Y}: their "
            f"delegates had to be named by {window.deadline:%a %d %b %Y}, the day before it "
            "was due; a change now is a matter for the clerks",
        )
    if today > window.deadline and not filling_a_held_rota:
        return Verdict(
            False,
            f"delegates for {span} had to be named by {window.deadline:%a %d %b %Y}, the day "
            f"before their rota is due to be published; it is {today:%a %d %b %Y} (only a "
            "missing delegate may still be named while the rota is held back for want of it)",
        )
    return Verdict(True)
