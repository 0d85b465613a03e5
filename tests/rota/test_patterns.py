"""Rotas on any calendar: the national rota is the one solved before sitting patterns, a citizens'
panel is rostered on its own pattern, a calendar made from stored sittings is solved, saved and
swapped, swaps compare aware instants, and a member's .ics keeps London wall time from March to
November with a VTIMEZONE whose rules are the zone's own."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import numpy as np
import pytest

from rota.calendar import Calendar, PatternSlot, SessionTime, SittingPattern, Slot, make_calendar
from rota.errors import RotaError
from rota.explain import conflicts
from rota.io import (
    RotaFileError,
    member_ics,
    member_view,
    read_availability,
    read_rota_csv,
    read_rota_json,
    rota_json,
    rota_rows,
    write_rota_csv,
)
from rota.model import Member, RotaProblem, plain_problem
from rota.solve import Rota, solve, window_starts
from rota.swaps import SwapDesk
from rota.synthetic import chamber_problem
from tests.rota.conftest import write

LONDON = ZoneInfo("Europe/London")
BEFORE = Path(__file__).parent / "data" / "national-rota-before-patterns.json"
PANEL = SittingPattern(
    cycle_days=14,
    sessions=(SessionTime("evening", time(18, 30), time(21, 0)),),
    slots=(PatternSlot(1, "evening"),),  # one Tuesday evening every two weeks
)


def seats(problem: RotaProblem, keep: set[int]) -> RotaProblem:
    """Only the synthetic chamber's seats numbered in ``keep``."""
    rows = [m for m, member in enumerate(problem.members) if int(member.seat[1:]) in keep]
    return replace(
        problem,
        members=tuple(problem.members[m] for m in rows),
        unavailable=problem.unavailable[rows],
        preference_cost=problem.preference_cost[rows],
        unpopular_history=problem.unpopular_history[rows],
        previous=problem.previous[rows],
        pinned=problem.pinned[rows],
    )


def hard_rules_hold(rota: Rota) -> None:
    p = rota.problem
    assert not rota.unfilled
    assert not rota.without_slot
    assert rota.unavailable_assigned == 0
    for m, member in enumerate(p.members):
        for w in window_starts(p, member.cycle):
            assert w <= p.calendar.slots[rota.slot_of[m, w]].cycle < w + member.cycle


def test_the_national_rota_is_the_one_solved_before_sitting_patterns():
    """Party, local (mixed) and youth seats of the synthetic chamber over the spring clock
    change: the same slot for every member as the solver gave with the fixed national calendar
    (data/national-rota-before-patterns.json was written by the code before issue 17)."""
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    problem = chamber_problem(5, cycles=2, youth=True, start=date(2027, 3, 22))
    rota = solve(seats(problem, set(range(95, 115)) | set(range(450, 453))))
    assert rota.slot_of.tolist() == before["slot_of"]
    assert rota.objective == before["objective"]


def panel_rota(unavailable: bool = False) -> Rota:
    """Three seats of two sharers who each sit every other meeting (every four weeks)."""
    members = tuple(Member(f"p{s}{k}", f"P{s}", "citizens", 2) for s in range(3) for k in (0, 1))
    cal = make_calendar(date(2027, 3, 15), 4, pattern=PANEL)
    problem = plain_problem(cal, members)
    if unavailable:
        problem.unavailable[0, 0] = True  # p00 cannot come on 16 March
    return solve(problem)


def test_a_citizens_panel_is_rostered_on_its_own_pattern():
    rota = panel_rota(unavailable=True)
    hard_rules_hold(rota)
    assert rota.slot_of[0, [0, 1, 3]].tolist() == [1, -1, -1]  # 30 March, then 13 or 27 April
    days = [rota.problem.calendar.slots[t].day for t in rota.slot_of[0] if t >= 0]
    rows = rota_rows(rota)
    assert [(r["start"], r["end"]) for r in rows[0:4:3]] == [
        ("2027-03-16T18:30:00+00:00", "2027-03-16T21:00:00+00:00"),
        ("2027-03-30T18:30:00+01:00", "2027-03-30T21:00:00+01:00"),
    ]
    ics = icalendar.Calendar.from_ical(member_ics(rota, "p00"))
    starts = [e.decoded("DTSTART") for e in ics.walk("VEVENT")]
    assert [(s.date(), s.time(), str(s.tzinfo)) for s in starts] == [
        (day, time(18, 30), "Europe/London") for day in days
    ]
    assert [s.utcoffset() for s in starts] == [timedelta(hours=1)] * 2
    text = str(ics.walk("VEVENT")[0]["DESCRIPTION"])
    assert "from 18:30 to 21:00 (Europe/London time) on Tuesday 30 March 2027" in text


def test_availability_speaks_the_panels_sessions_and_days(tmp_path):
    members = (Member("a", "P0", "citizens"), Member("b", "P0", "citizens"))
    cal = make_calendar(date(2027, 3, 15), 2, pattern=PANEL)
    path = write(tmp_path, "av.csv", "member,date,session\na,tuesday,evening\nb,2027-03-16,\n")
    got = read_availability(path, cal, members)
    assert got.unavailable.tolist() == [[True, True], [True, False]]
    for row, column, reason in (
        ("a,monday,evening", "date", "the body does not sit on Mondays"),
        ("a,tuesday,morning", "session", "unknown session 'morning': expected evening or all"),
    ):
        path = write(tmp_path, "bad.csv", f"member,date,session\n{row}\n")
        with pytest.raises(RotaFileError, match=f"line 2, column '{column}': {reason}"):
            read_availability(path, cal, members)


def stored_calendar() -> Calendar:
    """Sittings as a chamber might store them for a body of its own: two weeks, each with a
    Wednesday afternoon and a Friday morning, and the second Friday's sitting an urgent one."""
    times = {"afternoon": (time(14), time(17, 30)), "morning": (time(9, 30), time(12))}
    sittings = [(2, "afternoon", False), (4, "morning", False)]
    sittings += [(9, "afternoon", False), (11, "morning", True)]
    slots = []
    for d, session, urgent in sittings:
        day = date(2027, 10, 25) + timedelta(days=d)
        start, end = (datetime.combine(day, t, LONDON) for t in times[session])
        slots.append(Slot(len(slots), day, session, d // 7, start, end, urgent))
    return Calendar(start=date(2027, 10, 25), cycles=2, slots=tuple(slots), cycle_days=7)


def test_a_calendar_made_from_stored_sittings_is_solved_saved_and_read_back(tmp_path):
    # two seats of two sharers (one of each group), two sittings a week
    members = tuple(Member(f"m{s}{g}", f"S{s}", g) for s in range(2) for g in "ab")
    problem = plain_problem(stored_calendar(), members)
    assert conflicts(problem) == []
    rota = solve(problem)
    hard_rules_hold(rota)
    data = json.loads(json.dumps(rota_json(rota)))
    assert data["period"] == {
        "start": "2027-10-25",
        "end": "2027-11-07",
        "cycles": 2,
        "cycle_days": 7,
        "timezone": "Europe/London",
        "no_sitting": [],
        "slots": 4,
    }
    assert np.array_equal(read_rota_json(data, problem), rota.slot_of)
    out = io.StringIO()
    write_rota_csv(rota, out)
    assert np.array_equal(
        read_rota_csv(write(tmp_path, "r.csv", out.getvalue()), problem), rota.slot_of
    )
    # the last sitting of summer time and the first of winter keep their wall-clock times
    assert {(r["date"], r["start"]) for r in rota_rows(rota)} == {
        ("2027-10-27", "2027-10-27T14:00:00+01:00"),
        ("2027-10-29", "2027-10-29T09:30:00+01:00"),
        ("2027-11-03", "2027-11-03T14:00:00+00:00"),
        ("2027-11-05", "2027-11-05T09:30:00+00:00"),
    }
    national = plain_problem(make_calendar(date(2027, 10, 25), 2), members)
    with pytest.raises(
        RotaError, match=r"2 cycles of 7 days .* not from 2027-10-25 \(2 fortnights"
    ):
        read_rota_json(data, national)


def test_a_conflict_names_the_first_day_of_its_cycle():
    problem = plain_problem(stored_calendar(), (Member("a", "S", "g"), Member("b", "S", "g")))
    problem.unavailable[:, 2] = True  # no one can come on 3 November
    (conflict,) = conflicts(problem)
    assert conflict.window_start == "2027-11-01"
    assert conflict.slots == ("2027-11-03 afternoon",)


def summer_rota() -> Rota:
    members = tuple(Member(f"j{k:02d}", "J", "jury") for k in range(24))
    return solve(plain_problem(make_calendar(date(2027, 4, 5), 1), members))


def test_a_swap_compares_aware_instants():
    rota = summer_rota()
    first = next(
        m.id for m, t in zip(rota.problem.members, rota.slot_of[:, 0], strict=True) if t == 0
    )
    other = next(m.id for m in rota.problem.members if m.id != first)
    desk = SwapDesk(rota)
    # the first slot is 08:00 on Monday 5 April in London: 07:00 UTC
    assert rota.problem.calendar.slots[0].start == datetime(2027, 4, 5, 7, tzinfo=UTC)
    for now, begun in (
        (datetime(2027, 4, 5, 6, 59, tzinfo=UTC), False),
        (datetime(2027, 4, 5, 7, 0, tzinfo=UTC), True),
        (datetime(2027, 4, 5, 7, 59, tzinfo=LONDON), False),
        (datetime(2027, 4, 5, 3, 0, tzinfo=ZoneInfo("America/New_York")), True),
    ):
        verdict = desk.check(first, other, now=now)
        assert ("2027-04-05 morning has already begun" in verdict.describe()) is begun, now
    with pytest.raises(RotaError, match=r"the time of a swap .* must be an aware time"):
        desk.check(first, other, now=datetime(2027, 4, 5, 6, 59))
    with pytest.raises(RotaError, match="must be an aware time"):
        desk.apply(first, other, now=datetime(2027, 4, 5, 6, 59))


def test_a_members_ics_from_march_to_november_keeps_london_wall_time():
    members = tuple(Member(f"m{k:02d}", "S1", "jury") for k in range(24))
    cal = make_calendar(date(2027, 3, 15), 18)  # to 12 December 2027
    rota = solve(plain_problem(cal, members))
    view = member_view(rota, "m00")
    assert {s.day.month for s in view.slots} >= {3, 11}
    ics = icalendar.Calendar.from_ical(member_ics(rota, "m00"))
    events = ics.walk("VEVENT")
    assert len(events) == 18
    for event, s in zip(events, view.slots, strict=True):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert event["DTSTART"].to_ical().decode() == f"{s.day:%Y%m%d}T{s.start:%H%M}00"
        assert start.time() in (time(8), time(16))
        assert (start, end) == (s.start, s.end)
    assert ics.get_missing_tzids() == set()
    (zone,) = ics.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    rules = {
        (c.name, c.decoded("TZOFFSETFROM"), c.decoded("TZOFFSETTO")) for c in zone.subcomponents
    }
    assert rules >= {
        ("DAYLIGHT", timedelta(0), timedelta(hours=1)),
        ("STANDARD", timedelta(hours=1), timedelta(0)),
    }
    # each change's onset (DTSTART read at TZOFFSETFROM) is when the clocks change: 01:00 UTC
    onsets = {
        c.name: (c.decoded("DTSTART") - c.decoded("TZOFFSETFROM")).replace(tzinfo=UTC)
        for c in zone.subcomponents
        if c.decoded("TZOFFSETFROM") != c.decoded("TZOFFSETTO")
    }
    assert onsets == {
        "DAYLIGHT": datetime(2027, 3, 28, 1, tzinfo=UTC),
        "STANDARD": datetime(2027, 10, 31, 1, tzinfo=UTC),
    }
    # a reader that knows only this VTIMEZONE (not the zone's name) gets the same instants
    zone["TZID"] = "Rota-Test/Only-This-VTIMEZONE"
    tz = icalendar.Timezone.from_ical(zone.to_ical()).to_tz(lookup_tzid=False)
    for s in view.slots:
        assert s.start.replace(tzinfo=None).replace(tzinfo=tz).astimezone(UTC) == s.start
    for hour, offset in ((0, 0), (1, 1), (2, 1)):
        moment = datetime(2027, 3, 28, hour, 30, tzinfo=UTC)
        assert moment.astimezone(tz).utcoffset() == timedelta(hours=offset)
