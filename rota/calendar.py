"""The sitting calendar: two 8-hour slots a day (08:00-16:00, 16:00-24:00), Monday to Saturday,
so 24 slots a fortnight (the sitting pattern of "The case for a second chamber").  Saturday
afternoons are kept for urgent business: they are rostered like the others but flagged.  Days
with no sitting (bank holidays) have no slots."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from rota.errors import RotaError

SESSIONS = ("morning", "evening")
STARTS = {"morning": time(8, 0), "evening": time(16, 0)}
SLOT_HOURS = 8
UNPOPULAR_KINDS = ("weekday evening", "Saturday morning", "Saturday evening")
DAYS_A_WEEK = 6  # Monday to Saturday


@dataclass(frozen=True, slots=True)
class Slot:
    """One 8-hour sitting slot."""

    index: int
    day: date
    session: str  # "morning" or "evening"
    fortnight: int  # 0-based fortnight of the rota period

    @property
    def start(self) -> datetime:
        return datetime.combine(self.day, STARTS[self.session])

    @property
    def end(self) -> datetime:
        return self.start + timedelta(hours=SLOT_HOURS)

    @property
    def evening(self) -> bool:
        return self.session == "evening"

    @property
    def saturday(self) -> bool:
        return self.day.weekday() == 5

    @property
    def urgent_only(self) -> bool:
        """Saturday afternoon: only urgent business may be placed here."""
        return self.saturday and self.evening

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
        return 2 if self.urgent_only else 1 if self.saturday else 0

    @property
    def unpopularity(self) -> int:
        """0 for a weekday morning, 1 for an evening or a Saturday morning, 2 for a Saturday
        evening: how much a slot counts when rotating unpopular slots fairly."""
        return int(self.evening) + int(self.saturday)

    @property
    def label(self) -> str:
        return f"{self.day.isoformat()} {self.session}"


@dataclass(frozen=True, slots=True)
class Calendar:
    """The slots of a rota period: ``fortnights`` fortnights from a Monday, less no-sitting days."""

    start: date
    fortnights: int
    no_sitting: frozenset[date]
    slots: tuple[Slot, ...]

    def fortnight_slots(self, f: int) -> tuple[Slot, ...]:
        return tuple(s for s in self.slots if s.fortnight == f)

    def find(self, day: date, session: str) -> Slot | None:
        for s in self.slots:
            if s.day == day and s.session == session:
                return s
        return None


def make_calendar(start: date, fortnights: int, no_sitting: Iterable[date] = ()) -> Calendar:
    """The slots from ``start`` (which must be a Monday) for ``fortnights`` fortnights."""
    if start.weekday() != 0:
        raise RotaError(f"a rota starts on a Monday; {start.isoformat()} is a {start:%A}")
    if fortnights < 1:
        raise RotaError("a rota covers at least one fortnight")
    closed = frozenset(no_sitting)
    slots: list[Slot] = []
    for f in range(fortnights):
        for d in range(14):
            day = start + timedelta(days=14 * f + d)
            if day.weekday() == 6 or day in closed:
                continue
            for session in SESSIONS:
                slots.append(Slot(len(slots), day, session, f))
    return Calendar(start, fortnights, closed, tuple(slots))
