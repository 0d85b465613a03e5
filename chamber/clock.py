"""Time: every instant the chamber handles is timezone-aware.

The database may hand back a naive time (SQLite keeps no zone); it was stored as UTC, so
`aware` puts the zone back.  `now` is the one place that reads the real clock; everything else
is given the time, so any run can be replayed at any moment.
"""

from __future__ import annotations

from datetime import UTC, datetime


def aware(moment: datetime) -> datetime:
    """``moment`` with its zone (a naive time from the database is UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def now() -> datetime:
    """The current instant (UTC)."""
    return datetime.now(UTC)
