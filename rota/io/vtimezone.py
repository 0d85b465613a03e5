"""The VTIMEZONE of an IANA time zone over whole years, built from the zone's own transitions
(zoneinfo), for the iCalendar files of :mod:`rota.io.member`.

icalendar can make one (``Calendar.add_missing_timezones``), but icalendar 7.3 writes the onset of
summer time an hour late: for Europe/London its DAYLIGHT has DTSTART 02:00 with TZOFFSETFROM
+0000, which is 02:00 UTC, where the clocks go forward at 01:00 UTC.  RFC 5545 (3.6.5) reads an
observance's DTSTART as local time at the offset TZOFFSETFROM, so here each onset is the wall-clock
time just before the change: 01:00 for the spring change in London and 02:00 for the autumn one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar

STEP = timedelta(hours=6)  # no zone changes its clocks twice within six hours


@dataclass(frozen=True, slots=True)
class _State:
    """The observance in force: its UTC offset, whether it is summer time, its name."""

    offset: timedelta
    dst: bool
    name: str

    @classmethod
    def at(cls, zone: ZoneInfo, instant: datetime) -> _State:
        local = instant.astimezone(zone)
        offset, dst = local.utcoffset(), local.dst()
        assert offset is not None
        assert dst is not None
        return cls(offset, bool(dst), local.tzname() or str(offset))


def _change(zone: ZoneInfo, before: datetime, after: datetime) -> datetime:
    """The first second after ``before`` (in one state) that is in the state of ``after``."""
    old = _State.at(zone, before)
    while after - before > timedelta(seconds=1):
        middle = before + (after - before) // 2
        middle -= timedelta(microseconds=middle.microsecond)
        if middle <= before:
            middle = before + timedelta(seconds=1)
        if _State.at(zone, middle) == old:
            before = middle
        else:
            after = middle
    return after


def vtimezone(name: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """The VTIMEZONE of zone ``name`` from 1 January ``first_year`` to the end of ``last_year``:
    the observance in force on 1 January, then one STANDARD or DAYLIGHT per kind of change with
    its first onset as DTSTART and the later ones as RDATE."""
    zone = ZoneInfo(name)
    start = datetime.combine(date(first_year, 1, 1), time(0), zone).astimezone(UTC)
    end = datetime.combine(date(last_year + 1, 1, 1), time(0), zone).astimezone(UTC)
    first = _State.at(zone, start)
    onsets: dict[tuple[timedelta, _State], list[datetime]] = {
        (first.offset, first): [start.astimezone(zone).replace(tzinfo=None)]
    }
    moment, state = start, first
    while moment < end:
        step = min(moment + STEP, end)
        later = _State.at(zone, step)
        if later != state:
            instant = _change(zone, moment, step)
            onset = (instant + state.offset).replace(tzinfo=None)  # wall time before the change
            onsets.setdefault((state.offset, later), []).append(onset)
        moment, state = step, later
    out = icalendar.Timezone()
    out.add("tzid", name)
    for (offset_from, after), times in onsets.items():
        part = icalendar.TimezoneDaylight() if after.dst else icalendar.TimezoneStandard()
        part.add("dtstart", times[0])
        if times[1:]:
            part.add("rdate", times[1:])
        part.add("tzoffsetfrom", offset_from)
        part.add("tzoffsetto", after.offset)
        part.add("tzname", after.name)
        out.add_component(part)
    return out
