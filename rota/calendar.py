"""The sitting calendar: the slots of a rota period, each with its aware start and end.

A body sits to a :class:`SittingPattern`: a cycle of whole weeks, the sessions of a day (wall-clock
times) and which sessions sit on which day of the cycle.  The national chamber's pattern
(``NATIONAL_PATTERN``, from "The case for a second chamber") is two 8-hour slots a day,
08:00-16:00 and 16:00-24:00 Europe/London wall time in winter and in summer, Monday to Saturday,
so 24 slots a fortnight; Saturday afternoons are kept for urgent business: they are rostered
like the others but flagged.  Days with no sitting (bank holidays) have no slots.

A :class:`Calendar` can also be built from slots the caller made (the stored sittings of a rota
period); nothing in the solver assumes they came from a pattern.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rota.errors import RotaError

UNPOPULAR_KINDS = ("weekday evening", "Saturday morning", "Saturday evening")
MIDNIGHT = time(0)


def require_aware(moment: datetime, what: str) -> datetime:
    """``moment`` if it carries a time zone; a naive time is refused (it cannot be compared with
    the aware times of the slots)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RotaError(
            f"{what} must be an aware time (with a time zone or UTC offset), not the naive "
            f"{moment.isoformat()}"
        )
    return moment


def zone_of(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (such as Europe/London), or a RotaError naming it."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        raise RotaError(
            f"unknown time zone {name!r}: expected an IANA name such as Europe/London"
        ) from None


def _zone_name(moment: datetime) -> str | None:
    key = getattr(moment.tzinfo, "key", None)
    return key if isinstance(key, str) else None


@dataclass(frozen=True, slots=True)
class Slot:
    """One sitting slot: ``start`` and ``end`` are aware times in the zone of its calendar, ``day``
    the local date it starts on, ``cycle`` the 0-based cycle of the rota period it falls in."""

    index: int
    day: date
    session: str
    cycle: int
    start: datetime
    end: datetime
    urgent_only: bool = False  # only urgent business may be placed here

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            require_aware(getattr(self, name), f"the {name} of slot {self.label}")
        if self.start.astimezone(UTC) >= self.end.astimezone(UTC):
            raise RotaError(f"slot {self.label} ends ({self.end}) before it starts ({self.start})")
        if self.start.date() != self.day:
            raise RotaError(
                f"slot {self.label} starts on {self.start.date().isoformat()} in its time zone, "
                "not on its day"
            )

    @property
    def evening(self) -> bool:
        return self.session == "evening"

    @property
    def saturday(self) -> bool:
        return self.day.weekday() == 5

    @property
    def unpopular(self) -> bool:
        """Evenings and Saturdays, rotated fairly over time."""
        return self.evening or self.saturday

    @property
    def kind(self) -> int:
        """Which unpopular kind the slot is: -1 none (weekday morning), 0 weekday evening,
        1 Saturday morning, 2 Saturday evening.  Each kind is rotated separately."""
        if not self.unpopular:
            return -1
        return 2 if self.saturday and self.evening else 1 if self.saturday else 0

    @property
    def unpopularity(self) -> int:
        """0 for a weekday morning, 1 for an evening or a Saturday morning, 2 for a Saturday
        evening: how much a slot counts when rotating unpopular slots fairly."""
        return int(self.evening) + int(self.saturday)

    @property
    def label(self) -> str:
        return f"{self.day.isoformat()} {self.session}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Calendar:
    """The slots of a rota period: ``cycles`` cycles of ``cycle_days`` days from ``start``.

    Built by :func:`make_calendar` from a sitting pattern, or directly from slots the caller
    made: then slot ``i`` must have index ``i``, a cycle in ``range(cycles)``, a day inside that
    cycle, a (day, session) of its own, and times in the zone ``timezone``."""

    start: date
    cycles: int
    slots: tuple[Slot, ...]
    no_sitting: frozenset[date] = field(default_factory=frozenset)
    cycle_days: int = 14
    timezone: str = "Europe/London"

    def __post_init__(self) -> None:
        if self.cycles < 1:
            raise RotaError("a rota covers at least one cycle")
        if self.cycle_days < 1:
            raise RotaError(f"a cycle has at least one day, not {self.cycle_days}")
        zone_of(self.timezone)
        seen: set[tuple[date, str]] = set()
        for i, s in enumerate(self.slots):
            if s.index != i:
                raise RotaError(f"slot {s.label} is number {i} of the calendar, not {s.index}")
            if not 0 <= s.cycle < self.cycles:
                raise RotaError(
                    f"slot {s.label} is in cycle {s.cycle}, not one of 0 to {self.cycles - 1}"
                )
            first = self.cycle_start(s.cycle)
            if not first <= s.day < first + timedelta(days=self.cycle_days):
                raise RotaError(
                    f"slot {s.label} is not in its cycle {s.cycle} ({first.isoformat()} to "
                    f"{(first + timedelta(days=self.cycle_days - 1)).isoformat()})"
                )
            if (s.day, s.session) in seen:
                raise RotaError(f"two slots are {s.label}")
            seen.add((s.day, s.session))
            for moment in (s.start, s.end):
                if _zone_name(moment) != self.timezone:
                    raise RotaError(
                        f"slot {s.label} has times in {moment.tzinfo}, not in the calendar's "
                        f"zone {self.timezone} (convert them with astimezone)"
                    )

    def cycle_start(self, c: int) -> date:
        """The first day of cycle ``c``."""
        return self.start + timedelta(days=self.cycle_days * c)

    @property
    def last_day(self) -> date:
        """The last day of the period."""
        return self.cycle_start(self.cycles) - timedelta(days=1)

    def cycle_slots(self, c: int) -> tuple[Slot, ...]:
        return tuple(s for s in self.slots if s.cycle == c)

    def find(self, day: date, session: str) -> Slot | None:
        for s in self.slots:
            if s.day == day and s.session == session:
                return s
        return None


@dataclass(frozen=True, slots=True)
class SessionTime:
    """A session of a sitting day, in wall-clock time; ``end == time(0)`` is midnight at the end
    of the day (24:00)."""

    name: str
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class PatternSlot:
    """A session that sits on day ``day`` of the cycle (0 is the cycle's first Monday)."""

    day: int
    session: str
    urgent_only: bool = False


def _local(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """``wall`` on ``day`` in ``zone``; a time the clocks skip (the hour lost in spring) is read
    as the time they show after the jump."""
    moment = datetime.combine(day, wall, zone)
    return moment.astimezone(UTC).astimezone(zone)


@dataclass(frozen=True, slots=True)
class SittingPattern:
    """When a body sits: a cycle of ``cycle_days`` days (whole weeks, from a Monday), the
    sessions of a day, and the (day, session) pairs that sit, in the zone ``timezone``."""

    cycle_days: int
    sessions: tuple[SessionTime, ...]
    slots: tuple[PatternSlot, ...]
    timezone: str = "Europe/London"

    def __post_init__(self) -> None:
        if isinstance(self.cycle_days, bool) or self.cycle_days < 7 or self.cycle_days % 7:
            raise RotaError(
                "a sitting pattern's cycle is a positive whole number of weeks (7, 14, 21 ... "
                f"days), not {self.cycle_days} days"
            )
        names: set[str] = set()
        for s in self.sessions:
            if not s.name.strip() or s.name.lower() in ("all", "*"):
                raise RotaError(f"a session needs a name other than {s.name!r}")
            if s.name.lower() in {n.lower() for n in names}:
                raise RotaError(f"two sessions are named {s.name!r}")
            names.add(s.name)
            if s.start.tzinfo is not None or s.end.tzinfo is not None:
                raise RotaError(
                    f"session {s.name!r}: its times are wall-clock times without a zone (the "
                    "pattern's timezone says where)"
                )
            if s.end != MIDNIGHT and s.start >= s.end:
                raise RotaError(
                    f"session {s.name!r} starts at {s.start:%H:%M} but ends at {s.end:%H:%M}: "
                    "a session ends after it starts, or at midnight (time(0), 24:00)"
                )
        if not self.slots:
            raise RotaError("a sitting pattern has at least one slot")
        taken: set[tuple[int, str]] = set()
        for p in self.slots:
            if not 0 <= p.day < self.cycle_days:
                raise RotaError(
                    f"a slot on day {p.day} is outside the {self.cycle_days}-day cycle (days 0 "
                    f"to {self.cycle_days - 1})"
                )
            if p.session not in names:
                raise RotaError(
                    f"a slot on day {p.day} is in session {p.session!r}, which is not one of the "
                    f"sessions ({', '.join(sorted(names)) or 'none'})"
                )
            if (p.day, p.session) in taken:
                raise RotaError(f"the {p.session} session of day {p.day} is listed twice")
            taken.add((p.day, p.session))
        zone_of(self.timezone)

    def slots_from(
        self, start: date, cycles: int, no_sitting: Iterable[date] = ()
    ) -> tuple[Slot, ...]:
        """The slots of ``cycles`` cycles from ``start`` (a Monday), in order of day and start
        time, less the days in ``no_sitting``.  (The pattern's field ``slots`` names the
        pattern's own slots, hence this method's name.)"""
        if start.weekday() != 0:
            raise RotaError(f"a rota starts on a Monday; {start.isoformat()} is a {start:%A}")
        if cycles < 1:
            raise RotaError("a rota covers at least one cycle")
        zone = zone_of(self.timezone)
        closed = frozenset(no_sitting)
        session = {s.name: (k, s) for k, s in enumerate(self.sessions)}
        order = sorted(
            self.slots, key=lambda p: (p.day, session[p.session][1].start, session[p.session][0])
        )
        out: list[Slot] = []
        for c in range(cycles):
            for p in order:
                day = start + timedelta(days=self.cycle_days * c + p.day)
                if day in closed:
                    continue
                times = session[p.session][1]
                end_day = day + timedelta(days=1) if times.end == MIDNIGHT else day
                out.append(
                    Slot(
                        index=len(out),
                        day=day,
                        session=p.session,
                        cycle=c,
                        start=_local(day, times.start, zone),
                        end=_local(end_day, times.end, zone),
                        urgent_only=p.urgent_only,
                    )
                )
        return tuple(out)


NATIONAL_PATTERN = SittingPattern(
    cycle_days=14,
    sessions=(
        SessionTime("morning", time(8, 0), time(16, 0)),
        SessionTime("evening", time(16, 0), MIDNIGHT),
    ),
    slots=tuple(
        PatternSlot(day, session, urgent_only=day % 7 == 5 and session == "evening")
        for day in range(14)
        if day % 7 != 6  # no sitting on Sundays
        for session in ("morning", "evening")
    ),
)
SESSIONS = tuple(s.name for s in NATIONAL_PATTERN.sessions)  # the national sessions


def make_calendar(
    start: date,
    cycles: int,
    no_sitting: Iterable[date] = (),
    pattern: SittingPattern = NATIONAL_PATTERN,
) -> Calendar:
    """The slots of ``pattern`` from ``start`` (which must be a Monday) for ``cycles`` cycles
    (fortnights, for the national pattern)."""
    closed = frozenset(no_sitting)
    return Calendar(
        start=start,
        cycles=cycles,
        slots=pattern.slots_from(start, cycles, closed),
        no_sitting=closed,
        cycle_days=pattern.cycle_days,
        timezone=pattern.timezone,
    )
