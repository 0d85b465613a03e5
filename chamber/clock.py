"""Time: every instant the chamber handles is timezone-aware.

The database may hand back a naive time (SQLite keeps no zone); it was stored as UTC, so
`aware` puts the zone back.  `now` is the one place that reads the real clock; everything else
is given the time, so any run can be replayed at any moment.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


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
