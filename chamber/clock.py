"""Time: every instant the chamber handles is timezone-aware.

The database may hand back a naive time (SQLite keeps no zone); it was stored as UTC, so
`aware` puts the zone back.  `now` is the one place that reads the real clock; everything else
is given the time, so any run can be replayed at any moment.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from chamber.errors import Invalid

EARLIEST = date(2000, 1, 1)
LATEST = date(2199, 12, 31)
"""The days the chamber will store or look up: anything outside is a typing slip (and near the
ends of Python's calendar, arithmetic on it would overflow)."""


def aware(moment: datetime) -> datetime:
    """``moment`` with its zone (a naive time from the database is UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def now() -> datetime:
    """The current instant (UTC)."""
    return datetime.now(UTC)


LONDON = ZoneInfo("Europe/London")
"""The chamber sits on London wall time, winter and summer."""


def london(moment: datetime) -> datetime:
    """An instant as Europe/London wall time."""
    return aware(moment).astimezone(LONDON)


def describe(moment: datetime) -> str:
    """An instant as a person reads it: ``Mon 01 Mar 2027 08:00 GMT`` (BST in summer)."""
    return london(moment).strftime("%a %d %b %Y %H:%M %Z")


Day = TypeVar("Day", bound=date)


def within_range(day: Day, name: str) -> Day:
    """``day`` (a date, or an instant's London day) when between `EARLIEST` and `LATEST`;
    otherwise `Invalid` naming the field."""
    if isinstance(day, datetime):
        try:
            local = london(day).date()
        except OverflowError:
            local = day.date()
    else:
        local = day
    if not EARLIEST <= local <= LATEST:
        raise Invalid(f"{name} must be between {EARLIEST:%Y} and {LATEST:%Y}, not {day:%Y-%m-%d}")
    return day
