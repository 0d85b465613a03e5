"""The rules of business as pure functions: when business may be planned, who may speak.

Source: the proposal "The case for a second chamber": business is planned at least a month
ahead so that members can make appropriate arrangements; Saturday afternoons are kept for
urgent business; the Speaker may invite a member who is not rostered to attend, without a vote,
for business on the agenda, a specific contribution, or a committee that is meeting.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, datetime

from chamber.errors import Verdict

INVITATION_REASONS = ("business on the agenda", "a specific contribution", "a committee meeting")


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
