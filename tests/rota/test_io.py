"""Rota files: members, availability and history read from CSV (every error names its line and
column); a solved rota round-trips through CSV and JSON; the member's .ics parses back."""

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
    load_problem,
    member_ics,
    member_view,
    problem_from_files,
    read_availability,
    read_history,
    read_members,
    read_rota_csv,
    read_rota_json,
    rota_from_json,
    rota_json,
    rota_rows,
    write_rota_csv,
)
from rota.model import Member
from rota.solve import Rota, solve

DATA = Path(__file__).parents[1] / "data" / "rota"
START = date(2027, 1, 4)  # a Monday
LONDON = ZoneInfo("Europe/London")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def slot(cal, day: str, session: str) -> int:
    found = cal.find(date.fromisoformat(day), session)
    assert found is not None
    return found.index


# --------------------------------------------------------------------------------------------
# members


def test_members_file_reads_seats_groups_cycles_and_names():
    members = read_members(DATA / "members.csv")
    assert [m.id for m in members] == ["a01", "a02", "a03", "y01", "y02"]
    assert [m.cycle for m in members] == [1, 1, 1, 2, 2]
    assert members[2] == Member("a03", "S001", "Labour", 1, "Hopper, Grace")
    assert members[4].name == ""


def test_members_without_cycle_column_are_fortnightly(tmp_path):
    path = write(tmp_path, "m.csv", "\ufeffID,Seat,Group\nx,S1,jury\n")
    assert read_members(path) == (Member("x", "S1", "jury"),)


@pytest.mark.parametrize(
    ("text", "line", "column", "problem"),
    [
        ("id,group\na,jury\n", 1, "seat", "missing column"),
        ("id,seat,group\na,S1,jury\n,S1,jury\n", 3, "id", "empty id"),
        ("id,seat,group\na,S1,jury\nb,S1,\n", 3, "group", "empty group"),
        ("id,seat,group\na,S1,jury\nb,S1,jury\na,S2,jury\n", 4, "id", "first on line 2"),
        ("id,seat,group,cycle\na,S1,jury,weekly\n", 2, "cycle", "unknown cycle 'weekly'"),
        (
            "id,seat,group,cycle\na,S1,youth,2\nb,S1,youth,fortnightly\n",
            3,
            "cycle",
            "every sharer of seat S1 must have the same cycle",
        ),
    ],
)
def test_members_errors_name_line_and_column(tmp_path, text, line, column, problem):
    path = write(tmp_path, "members.csv", text)
    with pytest.raises(RotaFileError, match=problem) as info:
        read_members(path)
    assert str(info.value).startswith(f"{path}, line {line}, column {column!r}: ")
    assert (info.value.line, info.value.column) == (line, column)


def test_members_file_errors_without_a_line(tmp_path):
    with pytest.raises(RotaFileError, match="no such file"):
        read_members(tmp_path / "absent.csv")
    with pytest.raises(RotaFileError, match="empty file"):
        read_members(write(tmp_path, "e.csv", "\n\n"))
    with pytest.raises(RotaFileError, match="no members"):
        read_members(write(tmp_path, "h.csv", "id,seat,group\n"))
    with pytest.raises(RotaFileError, match=r"line 2: 4 cells but the header names 3"):
        read_members(write(tmp_path, "w.csv", "id,seat,group\na,S1,jury,extra\n"))


# --------------------------------------------------------------------------------------------
# availability


def test_availability_expands_dates_weekdays_stars_and_sessions():
    members = read_members(DATA / "members.csv")
    cal = make_calendar(START, 2)
    got = read_availability(DATA / "availability.csv", cal, members)
    a01, a02, a03, y01, y02 = range(5)

    saturdays = [s.index for s in cal.slots if s.saturday]
    assert len(saturdays) == 8  # four Saturdays, both sessions
    expected = {slot(cal, "2027-01-05", "morning"), *saturdays}
    assert set(np.flatnonzero(got.unavailable[a01])) == expected
    assert not got.unavailable[[a02, a03, y01, y02]].any()  # y02's Sunday matches no slot

    evenings = np.array([s.evening for s in cal.slots])
    assert np.array_equal(got.preference_cost[a02], 2.0 * evenings)

    # prefer: the other slots of the window touched (the first fortnight) cost 1.5; the second
    # fortnight is untouched
    wed = {slot(cal, "2027-01-06", "morning"), slot(cal, "2027-01-06", "evening")}
    first = np.array([s.fortnight == 0 for s in cal.slots])
    cost = got.preference_cost[a03]
    assert set(np.flatnonzero((cost == 0) & first)) == wed
    assert (cost[first & (cost > 0)] == 1.5).all()
    assert (cost[~first] == 0).all()

    # a four-weekly member who prefers Friday mornings: one window over both fortnights
    fridays = {s.index for s in cal.slots if s.day.weekday() == 4 and s.session == "morning"}
    assert set(np.flatnonzero(got.preference_cost[y01] == 0)) == fridays
    assert got.preference_cost[y01].max() == 1.0

    assert any(
        "1 rows are dated outside the period 2027-01-04 to 2027-01-31" in n for n in got.notes
    )
    assert any("1 rows name a day with no sitting" in n for n in got.notes)
    assert any("7 rows read: 4 unavailable, 2 prefer, 1 avoid" in n for n in got.notes)


def test_availability_with_only_member_and_date_is_all_day_unavailability(tmp_path):
    members = (Member("a", "S1", "jury"), Member("b", "S1", "jury"))
    cal = make_calendar(START, 1, no_sitting=[date(2027, 1, 6)])
    path = write(tmp_path, "av.csv", "member,date\na,2027-01-07\nb,*\na,2027-01-06\n")
    got = read_availability(path, cal, members)
    thursday = {slot(cal, "2027-01-07", "morning"), slot(cal, "2027-01-07", "evening")}
    assert set(np.flatnonzero(got.unavailable[0])) == thursday
    assert got.unavailable[1].all()
    assert not got.preference_cost.any()
    assert any("1 rows name a day with no sitting" in n for n in got.notes)


def test_avoid_and_prefer_rows_add_up(tmp_path):
    members = (Member("a", "S1", "jury"),)
    cal = make_calendar(START, 1)
    text = (
        "member,date,session,kind,weight\n"
        "a,monday,morning,prefer,1\n"
        "a,tuesday,morning,prefer,1\n"
        "a,saturday,,avoid,0.5\n"
        "a,2027-01-09,evening,avoid,2\n"
    )
    cost = read_availability(write(tmp_path, "av.csv", text), cal, members).preference_cost[0]
    for s in cal.slots:
        preferred = s.session == "morning" and s.day.weekday() in (0, 1)
        expected = (
            (1.0 if preferred else 2.0) + 0.5 * s.saturday + 2.0 * (s.label == "2027-01-09 evening")
        )
        assert cost[s.index] == expected, s.label


@pytest.mark.parametrize(
    ("row", "column", "problem"),
    [
        ("zed,2027-01-05,morning,unavailable,", "member", "unknown member 'zed'"),
        (",2027-01-05,morning,unavailable,", "member", "empty member id"),
        ("a,2027-13-05,morning,unavailable,", "date", "not a date: '2027-13-05'"),
        ("a,sunday,morning,unavailable,", "date", "does not sit on Sundays"),
        ("a,,morning,unavailable,", "date", "empty date"),
        ("a,monday,afternoon,unavailable,", "session", "unknown session 'afternoon'"),
        ("a,monday,morning,maybe,", "kind", "unknown kind 'maybe'"),
        ("a,monday,morning,avoid,-1", "weight", "non-negative"),
        ("a,monday,morning,prefer,lots", "weight", "not a number: 'lots'"),
        ("a,monday,morning,prefer,nan", "weight", "non-negative"),
    ],
)
def test_availability_errors_name_line_and_column(tmp_path, row, column, problem):
    members = (Member("a", "S1", "jury"),)
    text = "member,date,session,kind,weight\na,monday,evening,avoid,1\n\n" + row + "\n"
    path = write(tmp_path, "av.csv", text)
    with pytest.raises(RotaFileError, match=problem) as info:
        read_availability(path, make_calendar(START, 1), members)
    assert str(info.value).startswith(f"{path}, line 4, column {column!r}: ")


def test_availability_needs_member_and_date_columns(tmp_path):
    path = write(tmp_path, "av.csv", "member,session\na,morning\n")
    with pytest.raises(RotaFileError, match="line 1, column 'date': missing column"):
        read_availability(path, make_calendar(START, 1), (Member("a", "S1", "jury"),))


def naive_availability(rows, cal, members):
    """A row-by-row reading of the availability rules, to check the vectorised reader."""
    M, S = len(members), len(cal.slots)
    index = {m.id: i for i, m in enumerate(members)}
    unavailable = np.zeros((M, S), dtype=bool)
    cost = np.zeros((M, S))
    days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
    for member, day, session, kind, weight in rows:
        m = index[member]
        match = np.array(
            [
                (day == "*" or day == s.day.isoformat() or day == days[s.day.weekday()])
                and session in ("all", s.session)
                for s in cal.slots
            ]
        )
        if kind == "unavailable":
            unavailable[m] |= match
        elif kind == "avoid":
            cost[m] += float(weight) * match
        else:
            cycle = members[m].cycle
            for w in range(0, cal.fortnights - cycle + 1, cycle):
                inside = np.array([w <= s.fortnight < w + cycle for s in cal.slots])
                if (match & inside).any():
                    cost[m] += float(weight) * (inside & ~match)
    return unavailable, cost


def test_vectorised_reader_agrees_with_a_row_by_row_reading(tmp_path):
    rng = np.random.default_rng(5)
    members = tuple(
        Member(f"m{k}", f"S{k % 3}", "jury", cycle=2 if k % 3 == 2 else 1) for k in range(30)
    )
    cal = make_calendar(START, 4, no_sitting=[date(2027, 1, 13)])
    dates = [
        *(d.isoformat() for d in (START + timedelta(days=k) for k in range(-3, 60))),
        "monday",
        "wednesday",
        "saturday",
        "*",
    ]
    rows = [
        (
            f"m{rng.integers(30)}",
            str(rng.choice(dates)),
            str(rng.choice(["morning", "evening", "all"])),
            str(rng.choice(["unavailable", "avoid", "prefer"])),
            str(rng.choice(["1", "0.5", "3"])),
        )
        for _ in range(400)
    ]
    text = "member,date,session,kind,weight\n" + "".join(",".join(r) + "\n" for r in rows)
    got = read_availability(write(tmp_path, "av.csv", text), cal, members)
    unavailable, cost = naive_availability(rows, cal, members)
    assert np.array_equal(got.unavailable, unavailable)
    assert np.allclose(got.preference_cost, cost)


# --------------------------------------------------------------------------------------------
# history


def test_history_counts_each_unpopular_kind_once_per_slot():
    members = read_members(DATA / "members.csv")
    history = read_history(DATA / "history.csv", members)
    # columns: weekday evening, Saturday morning, Saturday evening
    assert history.unpopular.tolist() == [[1, 1, 1], [0, 0, 0], [0, 0, 0], [0, 0, 1], [0, 0, 0]]
    assert history.sittings.tolist() == [3, 1, 0, 1, 0]
    assert history.last[0] == (date(2026, 12, 19), "evening")
    assert history.last[1] == (date(2026, 12, 2), "morning")
    assert history.last[2] is None
    assert any("1 rows name members not in the list" in n for n in history.notes)
    assert any("1 repeated rows counted once" in n for n in history.notes)


def test_history_errors_name_line_and_column(tmp_path):
    members = (Member("a", "S1", "jury"),)
    path = write(tmp_path, "h.csv", "member,date,session\na,2026-12-01,evening\na,2026-12-02,all\n")
    with pytest.raises(RotaFileError, match=r"line 3, column 'session': .*morning or evening"):
        read_history(path, members)
    path = write(tmp_path, "h2.csv", "member,date,session\na,monday,evening\n")
    with pytest.raises(RotaFileError, match=r"line 2, column 'date': not a date"):
        read_history(path, members)


# --------------------------------------------------------------------------------------------
# a problem from files


def test_problem_from_files_puts_everything_in_place():
    problem, notes = load_problem(
        DATA / "members.csv",
        DATA / "availability.csv",
        START,
        2,
        history_csv=DATA / "history.csv",
        no_sitting=[date(2027, 1, 15)],
    )
    assert len(problem.calendar.slots) == 46
    assert problem.calendar.find(date(2027, 1, 15), "morning") is None
    assert problem.unavailable[0].sum() == 9
    assert problem.unpopular_history[0].tolist() == [1, 1, 1]
    assert any(n.startswith(f"{DATA / 'availability.csv'}: ") for n in notes)
    assert any("history.csv: 1 rows name members not in the list" in n for n in notes)


def test_a_period_must_not_split_a_four_weekly_cycle():
    with pytest.raises(RotaError, match=r"3 fortnights would split the four-weekly cycle.*Y001"):
        problem_from_files(DATA / "members.csv", None, START, 3)
    assert problem_from_files(DATA / "members.csv", None, START, 4).calendar.fortnights == 4


def test_an_odd_period_is_fine_without_youth_seats(tmp_path):
    path = write(tmp_path, "m.csv", "id,seat,group\na,S1,jury\nb,S1,jury\n")
    problem = problem_from_files(path, None, START, 3)
    assert problem.windows == 3
    assert not problem.unavailable.any()


# --------------------------------------------------------------------------------------------
# writing and reading back a solved rota


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
        "fortnights": 2,
        "no_sitting": [],
        "slots": 24 * 2,
    }
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
    assert [s.fortnight for s in view.slots] == [0, 1]
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
    ics = member_ics(solved, view.member.id, base_url="https://chamber.example/rota")
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
        assert start == s.start.replace(tzinfo=LONDON)
        assert end == s.end.replace(tzinfo=LONDON)
        assert str(event["SUMMARY"]) == f"Chamber sitting: seat {view.seat} ({s.session})"
        assert str(event["URL"]) == "https://chamber.example/rota"
        if s.urgent_only:
            assert "kept for urgent business" in str(event["DESCRIPTION"])
    assert any(s.urgent_only for s in view.slots)
    # the same rota gives the same bytes
    assert member_ics(solved, view.member.id, base_url="https://chamber.example/rota") == ics


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
    assert [s.replace(tzinfo=None) for s in starts] == [s.start for s in slots]
    assert cal.walk("VEVENT")[0].decoded("DTSTAMP") == stamp
    with pytest.raises(RotaError, match="time zone"):
        member_ics(rota, "m0", stamp=datetime(2027, 2, 1))
