"""A rota problem from files: the members and their seats, the slots they have already served
(history), and their availability (read by :mod:`rota.io.availability`).

- members: ``id,seat,group`` and optionally ``cycle`` (``fortnightly`` or ``four-weekly``, or
  1 or 2; fortnightly when absent or empty) and ``name``.  The names are the national pattern's:
  on any pattern, fortnightly (1) means every cycle and four-weekly (2) every other cycle;
- history: ``member,date,session``: slots already served, counted per unpopular kind (weekday
  evening, Saturday morning, Saturday evening) for the fair rotation of unpopular slots.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import ParamSpec

import numpy as np

from rota.assignment import Ints
from rota.calendar import (
    NATIONAL_PATTERN,
    SESSIONS,
    UNPOPULAR_KINDS,
    SittingPattern,
    make_calendar,
)
from rota.errors import RotaError
from rota.io.availability import read_availability
from rota.io.table import (
    SESSION_CODES,
    PathLike,
    RotaFileError,
    member_codes,
    parse_rows,
    read_table,
)
from rota.model import Member, RotaProblem, Weights, plain_problem

P = ParamSpec("P")
CYCLES = {
    "": 1,
    "1": 1,
    "fortnightly": 1,
    "2": 2,
    "four-weekly": 2,
    "four weekly": 2,
    "fourweekly": 2,
    "4-weekly": 2,
}


def _cycle(value: str) -> int:
    try:
        return CYCLES[value.lower()]
    except KeyError:
        raise ValueError(
            f"unknown cycle {value!r}: expected fortnightly (1) or four-weekly (2)"
        ) from None


def read_members(path: PathLike) -> tuple[Member, ...]:
    """The members and their seats, in file order (see the module docstring for the format)."""
    table = read_table(path, ("id", "seat", "group"), ("cycle", "name"))
    c = table.columns
    first_line: dict[str, int] = {}
    seat_cycle: dict[str, tuple[int, int]] = {}  # seat -> (cycle, line of its first sharer)
    members: list[Member] = []
    for i in range(len(table)):
        mid, seat, group = c["id"][i], c["seat"][i], c["group"][i]
        line = table.lines[i]
        for column, value in (("id", mid), ("seat", seat), ("group", group)):
            if not value:
                table.fail(i, column, f"empty {column}")
        if mid in first_line:
            table.fail(i, "id", f"repeated id {mid!r} (first on line {first_line[mid]})")
        first_line[mid] = line
        try:
            cycle = _cycle(c["cycle"][i])
        except ValueError as exc:
            table.fail(i, "cycle", str(exc))
        seen = seat_cycle.setdefault(seat, (cycle, line))
        if seen[0] != cycle:
            table.fail(
                i,
                "cycle",
                f"every sharer of seat {seat} must have the same cycle: this member is "
                f"{cycle_name(cycle)} but the sharer on line {seen[1]} is {cycle_name(seen[0])}",
            )
        members.append(Member(mid, seat, group, cycle, c["name"][i]))
    if not members:
        raise RotaFileError(table.path, None, None, "no members")
    return tuple(members)


def cycle_name(cycle: int) -> str:
    return "fortnightly" if cycle == 1 else "four-weekly"


@dataclass(frozen=True, slots=True, eq=False)
class History:
    """Slots already served: per member, the count of each unpopular kind (columns in the order
    of ``rota.calendar.UNPOPULAR_KINDS``: weekday evening, Saturday morning, Saturday evening),
    the number of sittings and the last slot served."""

    unpopular: Ints  # (members, 3): RotaProblem.unpopular_history
    sittings: Ints  # (members,)
    last: tuple[tuple[date, str] | None, ...]
    notes: tuple[str, ...] = ()


def _iso_date(value: str) -> int:
    if not value:
        raise ValueError("empty date: expected an ISO date such as 2027-01-05")
    try:
        return date.fromisoformat(value).toordinal()
    except ValueError:
        raise ValueError(
            f"not a date: {value!r}; expected an ISO date such as 2027-01-05"
        ) from None


def _one_session(value: str) -> int:
    code = SESSION_CODES.get(value.lower(), -1)
    if code not in (0, 1):
        raise ValueError(f"unknown session {value!r}: expected morning or evening")
    return code


def read_history(path: PathLike, members: Sequence[Member]) -> History:
    """Slots served before the period, from a CSV ``member,date,session``.  Rows for members not
    in ``members`` (who have left) are ignored and counted in the notes; a slot listed twice
    counts once."""
    table = read_table(path, ("member", "date", "session"), ())
    M = len(members)
    who = member_codes(table, "member", members)
    day_of = parse_rows(table, "date", _iso_date, np.int64)
    session_of = parse_rows(table, "session", _one_session, np.int64)
    notes: list[str] = []
    known = who >= 0
    if (~known).any():
        notes.append(f"{int((~known).sum())} rows name members not in the list; ignored")
    if not known.any():
        return History(
            np.zeros((M, len(UNPOPULAR_KINDS)), np.int64),
            np.zeros(M, np.int64),
            (None,) * M,
            tuple(notes),
        )
    key = day_of[known] * 2 + session_of[known]
    served = np.unique(np.stack([who[known], key], axis=1), axis=0)
    if served.shape[0] < int(known.sum()):
        notes.append(f"{int(known.sum()) - served.shape[0]} repeated rows counted once")
    m, key = served[:, 0], served[:, 1]
    saturday = (key // 2 + 6) % 7 == 5  # date.toordinal() 1 is a Monday
    evening = key % 2 == 1
    kind = np.where(saturday, np.where(evening, 2, 1), np.where(evening, 0, -1))
    unpopular = np.zeros((M, len(UNPOPULAR_KINDS)), dtype=np.int64)
    np.add.at(unpopular, (m[kind >= 0], kind[kind >= 0]), 1)
    sittings = np.bincount(m, minlength=M).astype(np.int64)
    latest = np.full(M, -1, dtype=np.int64)
    np.maximum.at(latest, m, key)
    last = tuple(
        None if k < 0 else (date.fromordinal(int(k) // 2), SESSIONS[int(k) % 2]) for k in latest
    )
    return History(unpopular, sittings, last, tuple(notes))


def load_problem(
    members_csv: PathLike,
    availability_csv: PathLike | None,
    start: date,
    cycles: int,
    *,
    history_csv: PathLike | None = None,
    no_sitting: Iterable[date] = (),
    weights: Weights | None = None,
    pattern: SittingPattern = NATIONAL_PATTERN,
) -> tuple[RotaProblem, tuple[str, ...]]:
    """The problem of the period from ``start`` (a Monday) for ``cycles`` cycles of ``pattern``
    (fortnights of the national pattern by default), and the readers' notes (rows ignored and
    counts read)."""
    members = read_members(members_csv)
    youth = sorted({m.seat for m in members if m.cycle == 2})
    if youth and cycles % 2:
        fortnights = pattern.cycle_days == 14
        unit = "fortnights" if fortnights else "cycles"
        rhythm = "four-weekly cycle" if fortnights else "two-cycle rhythm"
        raise RotaError(
            f"a period of {cycles} {unit} would split the {rhythm} of "
            f"{len(youth)} seats ({', '.join(youth[:3])}{', ...' if len(youth) > 3 else ''}): "
            f"choose an even number of {unit}"
        )
    calendar = make_calendar(start, cycles, no_sitting, pattern)
    problem = plain_problem(calendar, members, weights)
    notes: list[str] = []
    if availability_csv is not None:
        availability = read_availability(availability_csv, calendar, members)
        problem = replace(
            problem,
            unavailable=availability.unavailable,
            preference_cost=availability.preference_cost,
        )
        notes += [f"{os.fspath(availability_csv)}: {n}" for n in availability.notes]
    if history_csv is not None:
        history = read_history(history_csv, members)
        problem = replace(problem, unpopular_history=history.unpopular)
        notes += [f"{os.fspath(history_csv)}: {n}" for n in history.notes]
    return problem, tuple(notes)


def _without_notes(
    load: Callable[P, tuple[RotaProblem, tuple[str, ...]]],
) -> Callable[P, RotaProblem]:
    def problem_from_files(*args: P.args, **kwargs: P.kwargs) -> RotaProblem:
        """The problem of the period (see :func:`load_problem`, which also returns the notes)."""
        problem, _ = load(*args, **kwargs)
        return problem

    return problem_from_files


problem_from_files = _without_notes(load_problem)
