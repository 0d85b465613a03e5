"""Sitting patterns and calendars: the national pattern gives the national calendar, its slots sit
at 08:00 and 16:00 London wall time in winter and in summer (across both clock changes of 2027),
a body's own pattern gives its own slots, and every bad pattern or calendar is refused with its
reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from rota.calendar import (
    NATIONAL_PATTERN,
    Calendar,
    PatternSlot,
    SessionTime,
    SittingPattern,
    Slot,
    make_calendar,
)
from rota.errors import RotaError

LONDON = ZoneInfo("Europe/London")
EIGHT_HOURS = timedelta(hours=8)
SPRING = date(2027, 3, 28)  # the clocks go forward (Sunday)
AUTUMN = date(2027, 10, 31)  # the clocks go back (Sunday)


def wall(moment: datetime) -> datetime:
    """The local wall-clock reading, without its zone."""
    return moment.replace(tzinfo=None)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def test_the_national_pattern_gives_the_national_calendar():
    """The same slots, in the same order, with the same indices, as the calendar before sitting
    patterns: Monday to Saturday, morning then evening, Saturday evenings urgent only."""
    start, closed = date(2027, 1, 4), {date(2027, 1, 13), date(2027, 1, 25)}
    cal = make_calendar(start, 3, no_sitting=closed)
    expected = []
    for f in range(3):
        for d in range(14):
            day = start + timedelta(days=14 * f + d)
            if day.weekday() == 6 or day in closed:
                continue
            for session in ("morning", "evening"):
                urgent = day.weekday() == 5 and session == "evening"
                expected.append((len(expected), day, session, f, urgent))
    got = [(s.index, s.day, s.session, s.cycle, s.urgent_only) for s in cal.slots]
    assert got == expected
    assert len(make_calendar(start, 1).slots) == 24
    assert (cal.cycles, cal.cycle_days, cal.timezone) == (3, 14, "Europe/London")
    assert cal.no_sitting == frozenset(closed)
    assert [s.index for s in cal.cycle_slots(1)] == [s.index for s in cal.slots if s.cycle == 1]
    assert cal.cycle_start(2) == date(2027, 2, 1)
    assert cal.last_day == date(2027, 2, 14)
    assert [s.kind for s in cal.slots[10:12]] == [1, 2]  # Saturday morning, Saturday evening
    assert [s.unpopularity for s in cal.slots[:2]] == [0, 1]


@pytest.mark.parametrize("change", [SPRING, AUTUMN], ids=["spring", "autumn"])
def test_national_slots_keep_london_wall_time_across_a_clock_change(change):
    monday = change - timedelta(days=6)  # the Monday of the week that ends with the change
    cal = make_calendar(monday, 1)
    saturday, after = change - timedelta(days=1), change + timedelta(days=1)
    for day in (saturday, after):
        morning, evening = cal.find(day, "morning"), cal.find(day, "evening")
        assert morning is not None
        assert evening is not None
        assert (morning.start.tzinfo, evening.end.tzinfo) == (LONDON, LONDON)
        assert [wall(morning.start), wall(morning.end)] == [
            datetime.combine(day, time(8)),
            datetime.combine(day, time(16)),
        ]
        assert wall(evening.start) == datetime.combine(day, time(16))
        # 24:00 is the next day's 00:00, local
        assert wall(evening.end) == datetime.combine(day + timedelta(days=1), time(0))
        for s in (morning, evening):
            assert wall(s.end) - wall(s.start) == EIGHT_HOURS  # wall time
            assert utc(s.end) - utc(s.start) == EIGHT_HOURS  # elapsed: the change is at night
    before = cal.find(saturday, "morning")
    later = cal.find(after, "morning")
    assert before is not None
    assert later is not None
    # 08:00 in London is 08:00 UTC in winter and 07:00 UTC in summer
    winter, summer = ("08:00", "07:00") if change == SPRING else ("07:00", "08:00")
    assert (f"{utc(before.start):%H:%M}", f"{utc(later.start):%H:%M}") == (winter, summer)
    shift = timedelta(hours=-1 if change == SPRING else 1)
    elapsed = utc(later.start) - utc(before.start)
    assert elapsed == wall(later.start) - wall(before.start) + shift


def test_every_national_slot_of_2027_sits_at_eight_and_four_london_time():
    cal = make_calendar(date(2027, 1, 4), 26)
    assert {wall(s.start).time() for s in cal.slots} == {time(8), time(16)}
    assert all(wall(s.start).date() == s.day for s in cal.slots)
    assert all(wall(s.end) - wall(s.start) == EIGHT_HOURS for s in cal.slots)
    assert all(utc(s.end) - utc(s.start) == EIGHT_HOURS for s in cal.slots)
    offsets = {s.start.utcoffset() for s in cal.slots}
    assert offsets == {timedelta(0), timedelta(hours=1)}
    summer = [s for s in cal.slots if s.start.utcoffset()]
    assert (summer[0].day, summer[-1].day) == (date(2027, 3, 29), date(2027, 10, 30))


PANEL = SittingPattern(
    cycle_days=14,
    sessions=(SessionTime("evening", time(18, 30), time(21, 0)),),
    slots=(PatternSlot(1, "evening"),),  # one Tuesday evening every two weeks
)


def test_a_citizens_panel_meets_one_tuesday_evening_a_fortnight():
    cal = make_calendar(date(2027, 3, 15), 4, no_sitting=[date(2027, 4, 13)], pattern=PANEL)
    assert [s.day for s in cal.slots] == [date(2027, 3, 16), date(2027, 3, 30), date(2027, 4, 27)]
    assert [s.index for s in cal.slots] == [0, 1, 2]
    assert [s.cycle for s in cal.slots] == [0, 1, 3]
    assert {(wall(s.start).time(), wall(s.end).time()) for s in cal.slots} == {
        (time(18, 30), time(21))
    }
    assert [f"{utc(s.start):%H:%M}" for s in cal.slots] == ["18:30", "17:30", "17:30"]
    assert not any(s.urgent_only for s in cal.slots)
    assert cal.last_day == date(2027, 5, 9)
    assert [s.label for s in cal.slots][:1] == ["2027-03-16 evening"]


def test_a_weekly_pattern_may_sit_on_sunday_and_orders_slots_by_day_and_time():
    pattern = SittingPattern(
        cycle_days=7,
        sessions=(
            SessionTime("late", time(19), time(0)),
            SessionTime("early", time(9), time(12)),
        ),
        slots=(PatternSlot(6, "late"), PatternSlot(6, "early", urgent_only=True)),
        timezone="Europe/Dublin",
    )
    cal = make_calendar(date(2027, 10, 25), 2, pattern=pattern)
    assert [s.label for s in cal.slots] == [
        "2027-10-31 early",
        "2027-10-31 late",
        "2027-11-07 early",
        "2027-11-07 late",
    ]
    assert [s.urgent_only for s in cal.slots] == [True, False, True, False]
    assert cal.timezone == "Europe/Dublin"
    assert wall(cal.slots[1].end) == datetime(2027, 11, 1, 0, 0)
    assert all(s.start.tzinfo == ZoneInfo("Europe/Dublin") for s in cal.slots)


def test_a_session_in_the_hour_the_clocks_skip_starts_when_they_show_again():
    pattern = SittingPattern(
        cycle_days=7,
        sessions=(SessionTime("night", time(1, 30), time(3, 0)),),
        slots=(PatternSlot(6, "night"),),
    )
    (night,) = make_calendar(date(2027, 3, 22), 1, pattern=pattern).slots
    assert wall(night.start) == datetime(2027, 3, 28, 2, 30)
    assert utc(night.start) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


def morning(start: time = time(8), end: time = time(16)) -> tuple[SessionTime, ...]:
    return (SessionTime("morning", start, end),)


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ({"cycle_days": 0}, r"positive whole number of weeks .* not 0 days"),
        ({"cycle_days": 10}, r"whole number of weeks .* not 10 days"),
        ({"cycle_days": -14}, r"whole number of weeks .* not -14 days"),
        ({"slots": (PatternSlot(14, "morning"),)}, r"day 14 is outside the 14-day cycle"),
        ({"slots": (PatternSlot(-1, "morning"),)}, r"day -1 is outside the 14-day cycle"),
        ({"slots": (PatternSlot(0, "noon"),)}, r"session 'noon', which is not one of"),
        (
            {"slots": (PatternSlot(3, "morning"), PatternSlot(3, "morning", urgent_only=True))},
            r"the morning session of day 3 is listed twice",
        ),
        ({"sessions": morning(time(16), time(8))}, r"starts at 16:00 but ends at 08:00"),
        ({"sessions": morning(time(9), time(9))}, r"starts at 09:00 but ends at 09:00"),
        ({"slots": ()}, r"at least one slot"),
        ({"timezone": "Europe/Londres"}, r"unknown time zone 'Europe/Londres'"),
        ({"timezone": ""}, r"unknown time zone ''"),
        ({"timezone": "../etc/passwd"}, r"unknown time zone"),
        ({"sessions": (*morning(), *morning(time(9)))}, r"two sessions are named 'morning'"),
        ({"sessions": (SessionTime("all", time(8), time(9)),)}, r"a name other than 'all'"),
        (
            {"sessions": morning(time(8, tzinfo=UTC))},
            r"wall-clock times without a zone",
        ),
    ],
)
def test_a_bad_pattern_is_refused_with_its_reason(pattern, reason):
    good = {"cycle_days": 14, "sessions": morning(), "slots": (PatternSlot(0, "morning"),)}
    with pytest.raises(RotaError, match=reason):
        SittingPattern(**{**good, **pattern})


def test_a_session_may_end_at_midnight_and_may_last_all_day():
    for start in (time(16), time(0)):
        SittingPattern(7, morning(start, time(0)), (PatternSlot(0, "morning"),))


def test_a_rota_starts_on_a_monday_and_covers_a_cycle():
    with pytest.raises(RotaError, match="starts on a Monday; 2027-01-05 is a Tuesday"):
        make_calendar(date(2027, 1, 5), 1)
    with pytest.raises(RotaError, match="at least one cycle"):
        make_calendar(date(2027, 1, 4), 0)
    with pytest.raises(RotaError, match="starts on a Monday"):
        PANEL.slots_from(date(2027, 1, 10), 1)


def slot(index: int, day: date, session: str = "morning", cycle: int = 0, **kw) -> Slot:
    hours = {"morning": (8, 16), "evening": (16, 23)}[session]
    return Slot(
        index=index,
        day=day,
        session=session,
        cycle=cycle,
        start=kw.pop("start", datetime.combine(day, time(hours[0]), LONDON)),
        end=kw.pop("end", datetime.combine(day, time(hours[1]), LONDON)),
        **kw,
    )


def test_a_calendar_built_from_the_callers_slots():
    monday = date(2027, 4, 5)
    slots = (slot(0, monday + timedelta(days=2)), slot(1, monday + timedelta(days=9), cycle=1))
    cal = Calendar(start=monday, cycles=2, slots=slots, cycle_days=7)
    assert cal.cycle_slots(1) == (slots[1],)
    assert cal.find(monday + timedelta(days=2), "morning") == slots[0]
    assert cal.no_sitting == frozenset()
    assert cal.last_day == date(2027, 4, 18)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda s: (replace(s[0], index=1), s[1]), r"is number 0 of the calendar, not 1"),
        (lambda s: (s[0], replace(s[1], cycle=2)), r"in cycle 2, not one of 0 to 1"),
        (lambda s: (replace(s[0], cycle=1, index=0), s[1]), r"not in its cycle 1 \(2027-04-12"),
        (lambda s: (s[0], replace(s[0], index=1)), r"two slots are 2027-04-07 morning"),
        (
            lambda s: (replace(s[0], start=s[0].start.astimezone(UTC)), s[1]),
            r"has times in UTC, not in the calendar's zone Europe/London",
        ),
    ],
)
def test_a_calendar_of_inconsistent_slots_is_refused(change, reason):
    monday = date(2027, 4, 5)
    slots = (slot(0, monday + timedelta(days=2)), slot(1, monday + timedelta(days=9), cycle=1))
    with pytest.raises(RotaError, match=reason):
        Calendar(start=monday, cycles=2, slots=change(slots), cycle_days=7)


def test_a_slot_has_aware_times_in_order_on_its_day():
    day = date(2027, 6, 1)
    with pytest.raises(RotaError, match=r"the start of slot 2027-06-01 morning must be an aware"):
        slot(0, day, start=datetime(2027, 6, 1, 8))
    with pytest.raises(RotaError, match=r"ends .* before it starts"):
        slot(0, day, end=datetime(2027, 6, 1, 7, tzinfo=LONDON))
    with pytest.raises(RotaError, match="starts on 2027-06-02 in its time zone"):
        slot(
            0,
            day,
            start=datetime(2027, 6, 2, 8, tzinfo=LONDON),
            end=datetime(2027, 6, 3, tzinfo=LONDON),
        )
    assert slot(0, day, urgent_only=True).urgent_only
    assert NATIONAL_PATTERN.timezone == "Europe/London"
