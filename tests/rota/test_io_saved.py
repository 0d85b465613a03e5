"""A solved rota round-trips through CSV and JSON (and a rota saved before still loads); the
member's view and .ics file."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import numpy as np
import pytest

from rota.calendar import make_calendar
from rota.errors import RotaError
from rota.io import (
    RotaFileError,
    member_ics,
    member_view,
    problem_from_files,
    read_members,
    read_rota_csv,
    read_rota_json,
    rota_from_json,
    rota_json,
    rota_rows,
    write_rota_csv,
)
from rota.model import Member, RotaProblem, plain_problem
from rota.solve import Rota, solve
from tests.rota.conftest import START, write

SAVED = Path(__file__).parent / "data" / "saved-rota-v1.json"  # saved before rota.io was split
SAVED_V2 = Path(__file__).parent / "data" / "saved-rota-v2.json"  # the same rota, saved again


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> Rota:
    """3 seats of 24 (one shared by three groups) and a youth seat of 48, two fortnights, 20%
    unavailability written as an availability file, solved."""
    folder = tmp_path_factory.mktemp("rota")
    rng = np.random.default_rng(11)
    lines = ["id,seat,group,cycle,name"]
    for s in range(3):
        for k in range(24):
            group = str(rng.choice(["red", "blue", "green"])) if s == 0 else "jury"
            lines.append(f"S{s:03d}-{k:02d},S{s:03d},{group},fortnightly,Member {s}.{k}")
    for k in range(48):
        lines.append(f"Y000-{k:02d},Y000,youth,four-weekly,Youth {k}")
    members_csv = write(folder, "members.csv", "\n".join(lines) + "\n")
    members = read_members(members_csv)
    cal = make_calendar(START, 2)
    rows = ["member,date,session"]
    for m in members:
        for s in cal.slots:
            if rng.random() < 0.2:
                rows.append(f"{m.id},{s.day.isoformat()},{s.session}")
    availability_csv = write(folder, "availability.csv", "\n".join(rows) + "\n")
    problem = problem_from_files(members_csv, availability_csv, START, 2)
    rota = solve(problem)
    assert not rota.unfilled
    assert not rota.without_slot
    assert rota.unavailable_assigned == 0
    return rota


def test_rows_list_every_placement_in_slot_order(solved):
    rows = rota_rows(solved)
    assert len(rows) == 3 * 24 * 2 + 48
    assert rows[0]["date"] == "2027-01-04"
    assert rows[0]["start"] == "2027-01-04T08:00:00+00:00"
    assert rows[0]["end"] == "2027-01-04T16:00:00+00:00"
    assert [r["seat"] for r in rows[:4]] == ["S000", "S001", "S002", "Y000"]
    urgent = [r for r in rows if r["urgent_only"]]
    assert len(urgent) == 4 * 4  # four Saturdays, four seats
    assert {r["date"] for r in urgent} == {"2027-01-09", "2027-01-16", "2027-01-23", "2027-01-30"}
    assert "2027-01-10T00:00:00+00:00" in {r["end"] for r in urgent}


def test_json_round_trip_gives_back_the_same_rota(solved):
    data = json.loads(json.dumps(rota_json(solved)))
    assert np.array_equal(read_rota_json(data, solved.problem), solved.slot_of)
    assert np.array_equal(read_rota_json(json.dumps(data), solved.problem), solved.slot_of)
    again = rota_from_json(data, solved.problem)
    assert again.objective == pytest.approx(solved.objective)
    assert again.bound == pytest.approx(solved.bound)
    assert again.violations == solved.violations

    assert data["period"] == {
        "start": "2027-01-04",
        "end": "2027-01-31",
        "cycles": 2,
        "cycle_days": 14,
        "timezone": "Europe/London",
        "no_sitting": [],
        "slots": 24 * 2,
    }
    assert data["version"] == 2
    measures = data["measures"]
    assert set(measures) >= {"objective", "bound", "gap", "violations", "unfilled", "seconds"}
    assert measures["unfilled"] == []
    assert measures["without_slot"] == []
    assert len(data["slots"]) == 48
    assert all(
        sorted(seats) == ["S000", "S001", "S002", "Y000"] for seats in data["slots"].values()
    )
    assert [len(v) for v in data["seats"].values()] == [48, 48, 48, 48]
    label, member = data["seats"]["S001"][0]
    assert (label, data["slots"][label]["S001"]) == ("2027-01-04 morning", member)


def test_csv_round_trip_gives_back_the_same_rota(solved, tmp_path):
    out = io.StringIO()
    write_rota_csv(solved, out)
    text = out.getvalue()
    assert text.splitlines()[0] == "member,name,seat,group,date,session,start,end,urgent_only"
    assert text.count(",yes\n") == 16
    path = write(tmp_path, "rota.csv", text)
    assert np.array_equal(read_rota_csv(path, solved.problem), solved.slot_of)


def test_a_saved_rota_must_match_the_problem(solved, tmp_path):
    data = rota_json(solved)
    other_period = problem_from_files(
        write(tmp_path, "m.csv", "id,seat,group\na,S1,jury\n"), None, START, 1
    )
    with pytest.raises(RotaError, match=r"for the period from 2027-01-04 \(2 fortnights"):
        read_rota_json(data, other_period)
    members = (*solved.problem.members[:-1], replace(solved.problem.members[-1], group="red"))
    with pytest.raises(RotaError, match="different list of members"):
        read_rota_json(data, replace(solved.problem, members=members))

    bad = json.loads(json.dumps(data))
    first, second = bad["assignments"][0], bad["assignments"][1]
    second.update(date=first["date"], session=first["session"], seat=first["seat"])
    second["member"] = next(
        m.id for m in solved.problem.members if m.seat == first["seat"] and m.id != first["member"]
    )
    with pytest.raises(RotaError, match=r"sits twice in one cycle|has two members in"):
        read_rota_json(bad, solved.problem)

    bad = json.loads(json.dumps(data))
    bad["assignments"][3]["member"] = "nobody"
    with pytest.raises(RotaError, match=r"assignment 4 \(member\): no member 'nobody'"):
        read_rota_json(bad, solved.problem)
    with pytest.raises(RotaError, match="not a saved rota"):
        read_rota_json({"assignments": []}, solved.problem)
    with pytest.raises(RotaError, match="not valid JSON"):
        read_rota_json("{", solved.problem)


def test_a_rota_csv_names_the_line_of_a_bad_row(solved, tmp_path):
    out = io.StringIO()
    write_rota_csv(solved, out)
    lines = out.getvalue().splitlines()
    lines[5] = lines[5].replace("2027-01-", "2027-02-", 1)
    path = write(tmp_path, "rota.csv", "\n".join(lines) + "\n")
    with pytest.raises(RotaFileError, match=r"line 6, column 'date': no .* slot on 2027-02-"):
        read_rota_csv(path, solved.problem)


def test_member_view_shows_the_seat_and_when_the_sharers_sit(solved):
    view = member_view(solved, "S001-05")
    assert view.seat == "S001"
    assert len(view.slots) == 2
    assert [s.cycle for s in view.slots] == [0, 1]
    assert len(view.sharers) == 23
    assert all(len(slots) == 2 for _, slots in view.sharers)
    firsts = [slots[0].index for _, slots in view.sharers]
    assert firsts == sorted(firsts)
    taken = {s.index for _, slots in view.sharers for s in slots} | {s.index for s in view.slots}
    assert len(taken) == 48
    data = view.as_dict()
    assert data["member"] == "S001-05"
    assert data["name"] == "Member 1.5"
    assert len(data["sharers"]) == 23

    youth = member_view(solved, "Y000-00")
    assert len(youth.slots) == 1
    assert youth.as_dict()["cycle"] == "four-weekly"
    with pytest.raises(RotaError, match="no member 'X'"):
        member_view(solved, "X")


def test_member_ics_parses_back_with_one_event_per_slot(solved):
    # a member who sits on a Saturday afternoon, to see the urgent-business note
    urgent = next(r["member"] for r in rota_rows(solved) if r["urgent_only"])
    view = member_view(solved, str(urgent))
    ics = member_ics(solved, view.member.id, rota_url="https://chamber.example/rota")
    cal = icalendar.Calendar.from_ical(ics)
    assert str(cal["PRODID"]) == "-//Chamber//Rota//EN"
    assert str(cal["VERSION"]) == "2.0"
    assert view.member.name in str(cal["X-WR-CALNAME"])
    assert len(cal.walk("VTIMEZONE")) == 1
    events = cal.walk("VEVENT")
    assert len(events) == len(view.slots)
    for event, s in zip(events, view.slots, strict=True):
        assert str(event["UID"]) == f"{view.member.id}-{s.day.isoformat()}-{s.session}@chamber"
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert start == s.start
        assert end == s.end
        assert start.replace(tzinfo=None) == datetime.combine(s.day, s.start.time())
        assert str(event["SUMMARY"]) == f"Chamber sitting: seat {view.seat} ({s.session})"
        assert str(event["URL"]) == "https://chamber.example/rota"
        if s.urgent_only:
            assert "kept for urgent business" in str(event["DESCRIPTION"])
    assert any(s.urgent_only for s in view.slots)
    # the same rota gives the same bytes
    assert member_ics(solved, view.member.id, rota_url="https://chamber.example/rota") == ics


def test_member_ics_keeps_wall_clock_time_across_the_clock_change(tmp_path):
    path = write(
        tmp_path, "m.csv", "id,seat,group\n" + "".join(f"m{k},S1,jury\n" for k in range(24))
    )
    start = date(2027, 3, 22)  # the clocks go forward on Sunday 28 March 2027
    rota = solve(problem_from_files(path, None, start, 2))
    stamp = datetime(2027, 2, 1, 12, 0, tzinfo=ZoneInfo("UTC"))
    cal = icalendar.Calendar.from_ical(member_ics(rota, "m0", stamp=stamp))
    starts = [e.decoded("DTSTART") for e in cal.walk("VEVENT")]
    slots = member_view(rota, "m0").slots
    assert [s.utcoffset() for s in starts] == [timedelta(0), timedelta(hours=1)]
    assert starts == [s.start for s in slots]
    assert [s.replace(tzinfo=None).time() for s in starts] == [s.start.time() for s in slots]
    assert cal.walk("VEVENT")[0].decoded("DTSTAMP") == stamp
    with pytest.raises(RotaError, match="time zone"):
        member_ics(rota, "m0", stamp=datetime(2027, 2, 1))


def saved_problem() -> RotaProblem:
    """The problem of data/saved-rota-v1.json (and -v2): a seat of three groups and a youth seat,
    two fortnights with a day of no sitting, some preferences and a history of unpopular
    slots."""
    groups = ("red", "blue", "green")
    members = tuple(Member(f"A-{k:02d}", "A", groups[k % 3], 1, f"Member {k}") for k in range(24))
    members += tuple(Member(f"Y-{k:02d}", "Y", "youth", 2) for k in range(48))
    cal = make_calendar(START, 2, no_sitting=[date(2027, 1, 13)])
    problem = plain_problem(cal, members)
    evening = np.array([s.evening for s in cal.slots])
    cost = np.zeros(problem.preference_cost.shape)
    cost[::2] = 2.0 * evening
    history = np.array([[k % 2, k % 3, k % 4] for k in range(len(members))], dtype=np.int64)
    return replace(problem, preference_cost=cost, unpopular_history=history)


def test_a_rota_saved_in_version_1_loads_and_saves_again_as_version_2():
    text = SAVED.read_text(encoding="utf-8")
    rota = rota_from_json(text, saved_problem())
    assert len(rota.without_slot) == 4  # 46 slots: two sharers of each seat wait a cycle
    again = json.dumps(rota_json(rota), indent=1) + "\n"
    assert again == SAVED_V2.read_text(encoding="utf-8")
    # only the version and the period's description changed: fortnights became cycles of 14 days
    old, new = json.loads(text), json.loads(again)
    fortnights = old["period"].pop("fortnights")
    assert (old.pop("version"), new.pop("version")) == (1, 2)
    assert new["period"].pop("cycles") == fortnights
    assert new["period"].pop("cycle_days") == 14
    assert new["period"].pop("timezone") == "Europe/London"
    assert new == old


def test_a_rota_saved_in_version_2_loads_and_saves_again_unchanged():
    text = SAVED_V2.read_text(encoding="utf-8")
    rota = rota_from_json(text, saved_problem())
    assert np.array_equal(rota.slot_of, rota_from_json(SAVED.read_text(), saved_problem()).slot_of)
    assert json.dumps(rota_json(rota), indent=1) + "\n" == text


def test_a_saved_rota_of_another_version_or_zone_is_refused():
    data = json.loads(SAVED_V2.read_text(encoding="utf-8"))
    with pytest.raises(RotaError, match="version 3; this program reads versions 1 and 2"):
        read_rota_json({**data, "version": 3}, saved_problem())
    old = json.loads(SAVED.read_text(encoding="utf-8"))
    del old["period"]["fortnights"]
    with pytest.raises(RotaError, match=r"version 1\) has no period.fortnights"):
        read_rota_json(old, saved_problem())
    elsewhere = {**data, "period": {**data["period"], "timezone": "Europe/Dublin"}}
    with pytest.raises(RotaError, match=r"in Europe/Dublin.*not from 2027-01-04 .*Europe/London"):
        read_rota_json(elsewhere, saved_problem())


def test_a_damaged_saved_rota_says_where():
    data = json.loads(SAVED.read_text(encoding="utf-8"))
    data["assignments"][2]["session"] = 1
    where = r"Expected `str`, got `int` - at `\$\.assignments\[2\]\.session`"
    with pytest.raises(RotaError, match=where):
        read_rota_json(data, saved_problem())
