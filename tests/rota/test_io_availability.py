"""Availability files: dates, weekdays, stars and sessions expand to slots; preferences add up;
every error names its line and column; the vectorised reader agrees with a row-by-row reading."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from rota.calendar import make_calendar
from rota.io import RotaFileError, read_availability, read_members
from rota.model import Member
from tests.rota.conftest import DATA, START, slot, write


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
    first = np.array([s.cycle == 0 for s in cal.slots])
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
            for w in range(0, cal.cycles - cycle + 1, cycle):
                inside = np.array([w <= s.cycle < w + cycle for s in cal.slots])
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
