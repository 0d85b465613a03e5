"""A body's sitting pattern as its file writes it: the length of its cycle in weeks, its
sessions with their wall-clock times, and the sittings of one cycle (week, day, session), read
into `rota.calendar.SittingPattern`.  A body that gives none sits on the national pattern:
Monday to Saturday, 08:00-16:00 and 16:00-24:00 Europe/London, Saturday afternoons kept for
urgent business (the sitting pattern of "The case for a second chamber")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time

from rota.calendar import (
    NATIONAL_PATTERN,
    PatternSlot,
    SessionTime,
    SittingPattern,
)
from rota.errors import RotaError

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class SessionSpec:
    """A session of the day: ``start`` and ``end`` as "HH:MM" wall-clock times ("24:00" is
    midnight at the end of the day)."""

    name: str
    start: str
    end: str


@dataclass(frozen=True, slots=True)
class SittingSpec:
    """A sitting of one cycle: ``week`` of the cycle (1 = the first), ``day`` (Monday ...), the
    session's name; ``urgent_only`` keeps it for urgent business."""

    week: int
    day: str
    session: str
    urgent_only: bool = False


def _clock(value: str, where: str, problems: list[str]) -> time:
    if value == "24:00":
        return time(0)
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        problems.append(f"{where}: {value!r} is not a time HH:MM")
        return time(0)


def pattern_of(
    cycle_weeks: int, sessions: Sequence[SessionSpec], sittings: Sequence[SittingSpec]
) -> tuple[SittingPattern, list[str]]:
    """The sitting pattern a body's file describes (the national pattern when it gives no
    sittings), and every problem found (each naming its field)."""
    if not sittings and not sessions and cycle_weeks == 2:
        return NATIONAL_PATTERN, []
    problems: list[str] = []
    times = tuple(
        SessionTime(
            s.name,
            _clock(s.start, f"sessions[{n}].start", problems),
            _clock(s.end, f"sessions[{n}].end", problems),
        )
        for n, s in enumerate(sessions, 1)
    ) or NATIONAL_PATTERN.sessions
    slots = []
    for n, s in enumerate(sittings, 1):
        if s.day not in DAYS:
            problems.append(f"sittings[{n}].day: {s.day!r} is not one of {', '.join(DAYS)}")
            continue
        if not 1 <= s.week <= cycle_weeks:
            problems.append(
                f"sittings[{n}].week: {s.week} is not a week of a {cycle_weeks}-week cycle"
            )
            continue
        slots.append(PatternSlot(7 * (s.week - 1) + DAYS.index(s.day), s.session, s.urgent_only))
    if problems:
        return NATIONAL_PATTERN, problems
    try:
        return SittingPattern(7 * cycle_weeks, times, tuple(slots)), []
    except RotaError as exc:
        return NATIONAL_PATTERN, [f"sitting pattern: {exc}"]


def cycles_per_attendance(days: int, pattern: SittingPattern) -> int:
    """How many of the pattern's cycles an attendance cycle of ``days`` days spans (1 or 2 on
    the national pattern), or 0 when it is not a whole number of them."""
    whole, rest = divmod(days, pattern.cycle_days)
    return whole if not rest else 0
