"""Rota input files: members and history read from CSV, every error naming its line and column,
and a whole problem from files."""

from __future__ import annotations

from datetime import date

import pytest

from rota.errors import RotaError
from rota.io import RotaFileError, load_problem, problem_from_files, read_history, read_members
from rota.model import Member
from tests.rota.conftest import DATA, START, write

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
    assert problem_from_files(DATA / "members.csv", None, START, 4).calendar.cycles == 4


def test_an_odd_period_is_fine_without_youth_seats(tmp_path):
    path = write(tmp_path, "m.csv", "id,seat,group\na,S1,jury\nb,S1,jury\n")
    problem = problem_from_files(path, None, START, 3)
    assert problem.windows == 3
    assert not problem.unavailable.any()
