"""Rota files: members, availability and history read from CSV; a solved rota written as CSV,
JSON and per-member iCalendar (.ics).

Input formats (one header row; column names are case-insensitive; other columns are ignored;
blank lines and lines starting with ``#`` are skipped):

- members: ``id,seat,group`` and optionally ``cycle`` (``fortnightly`` or ``four-weekly``, or
  1 or 2; fortnightly when absent or empty) and ``name``;
- availability: ``member,date`` and optionally ``session``, ``kind``, ``weight``.  ``date`` is an
  ISO date (2027-01-05), a weekday (``monday`` .. ``saturday``: every such day of the period) or
  ``*`` (every day); ``session`` is ``morning``, ``evening`` or ``all`` (the default); ``kind``
  is ``unavailable`` (the default), ``avoid`` (cost ``weight`` on the matching slots) or
  ``prefer`` (cost ``weight`` on the other slots of each of the member's windows that the row
  touches); ``weight`` (default 1) is a non-negative number (checked but unused on
  ``unavailable`` rows).  Costs of several rows add up.
- history: ``member,date,session``: slots already served, counted per unpopular kind (weekday
  evening, Saturday morning, Saturday evening) for the fair rotation of unpopular slots.

Every error is a :class:`RotaFileError` naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NoReturn, TextIO
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from rota.calendar import SESSIONS, UNPOPULAR_KINDS, Calendar, Slot, make_calendar
from rota.errors import RotaError
from rota.model import Member, RotaProblem, Weights, plain_problem
from rota.solve import Rota, measure, window_starts

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]
PathLike = str | os.PathLike[str]

LONDON = ZoneInfo("Europe/London")
PRODID = "-//Chamber//Rota//EN"
JSON_FORMAT = "chamber-rota"
JSON_VERSION = 1

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
WEEKDAYS = {
    **{d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{
        d: i
        for i, d in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
SESSION_CODES = {"morning": 0, "evening": 1, "all": 2, "": 2}
KINDS = {"unavailable": 0, "": 0, "prefer": 1, "avoid": 2}
DATE_HELP = "an ISO date such as 2027-01-05, a weekday (monday to saturday) or * (every day)"


class RotaFileError(RotaError):
    """A rota input file is malformed; the message names the file, the line and the column."""

    def __init__(self, path: str, line: int | None, column: str | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.problem = problem
        where = path
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {problem}")


# --------------------------------------------------------------------------------------------
# Reading CSV tables


@dataclass(frozen=True, slots=True, eq=False)
class _Table:
    """The wanted columns of a CSV file as stripped strings ('' when absent), with the line of
    each row."""

    path: str
    header_line: int
    present: frozenset[str]
    columns: dict[str, list[str]]
    lines: list[int]

    def __len__(self) -> int:
        return len(self.lines)

    def fail(self, row: int, column: str | None, problem: str) -> NoReturn:
        raise RotaFileError(self.path, self.lines[row], column, problem)


def _read_table(path: PathLike, required: Sequence[str], optional: Sequence[str]) -> _Table:
    spath = os.fspath(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return _parse_table(spath, fh, required, optional)
    except FileNotFoundError:
        raise RotaFileError(spath, None, None, "no such file") from None
    except UnicodeDecodeError as exc:
        raise RotaFileError(spath, None, None, f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise RotaFileError(spath, None, None, f"cannot be read ({exc.strerror})") from None


def _parse_table(path: str, fh: TextIO, required: Sequence[str], optional: Sequence[str]) -> _Table:
    reader = csv.reader(fh)
    wanted = [*required, *optional]
    try:
        header: list[str] | None = None
        header_line = 0
        for row in reader:
            if any(c.strip() for c in row) and not row[0].lstrip().startswith("#"):
                header = [c.strip().lower() for c in row]
                header_line = reader.line_num
                break
        if header is None:
            raise RotaFileError(path, None, None, f"empty file: expected a header {_names(wanted)}")
        for k, name in enumerate(header):
            if name and name in header[:k]:
                raise RotaFileError(path, header_line, name, "this column is named twice")
        for name in required:
            if name not in header:
                raise RotaFileError(
                    path,
                    header_line,
                    name,
                    f"missing column (the header must name {_names(required)})",
                )
        at = [header.index(name) if name in header else -1 for name in wanted]
        width = len(header)
        rows: list[list[str]] = []
        lines: list[int] = []
        for row in reader:
            if not "".join(row).strip() or row[0].lstrip().startswith("#"):
                continue
            n = len(row)
            if n != width:
                if n > width and any(c.strip() for c in row[width:]):
                    raise RotaFileError(
                        path,
                        reader.line_num,
                        None,
                        f"{n} cells but the header names {width} columns",
                    )
                row = (row + [""] * width)[:width]
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise RotaFileError(path, reader.line_num, None, f"not valid CSV ({exc})") from None
    return _Table(
        path=path,
        header_line=header_line,
        present=frozenset(n for n, i in zip(wanted, at, strict=True) if i >= 0),
        columns={
            name: [r[i].strip() for r in rows] if i >= 0 else [""] * len(rows)
            for name, i in zip(wanted, at, strict=True)
        },
        lines=lines,
    )


def _names(names: Sequence[str]) -> str:
    return ",".join(names)


def _factorize(values: list[str]) -> tuple[list[str], Ints]:
    """The distinct values (in order of first appearance) and each value's code."""
    lookup: dict[str, int] = {}
    codes = np.fromiter(
        (lookup.setdefault(v, len(lookup)) for v in values), dtype=np.int64, count=len(values)
    )
    return list(lookup), codes


def _first_row(codes: Ints, bad: Iterable[int]) -> int:
    return int(np.flatnonzero(np.isin(codes, np.fromiter(bad, dtype=np.int64)))[0])


def _check_codes(
    table: _Table,
    column: str,
    uniques: list[str],
    codes: Ints,
    parse: Callable[[str], Any],
) -> list[Any]:
    """Parse each distinct value once; on the first failure name the first row that has it."""
    out: list[Any] = []
    for k, value in enumerate(uniques):
        try:
            out.append(parse(value))
        except ValueError as exc:
            table.fail(_first_row(codes, [k]), column, str(exc))
    return out


# --------------------------------------------------------------------------------------------
# Members


def _cycle(value: str) -> int:
    try:
        return CYCLES[value.lower()]
    except KeyError:
        raise ValueError(
            f"unknown cycle {value!r}: expected fortnightly (1) or four-weekly (2)"
        ) from None


def read_members(path: PathLike) -> tuple[Member, ...]:
    """The members and their seats, in file order (see the module docstring for the format)."""
    table = _read_table(path, ("id", "seat", "group"), ("cycle", "name"))
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
                f"{_cycle_name(cycle)} but the sharer on line {seen[1]} is {_cycle_name(seen[0])}",
            )
        members.append(Member(mid, seat, group, cycle, c["name"][i]))
    if not members:
        raise RotaFileError(table.path, None, None, "no members")
    return tuple(members)


def _cycle_name(cycle: int) -> str:
    return "fortnightly" if cycle == 1 else "four-weekly"


# --------------------------------------------------------------------------------------------
# Availability


@dataclass(frozen=True, slots=True, eq=False)
class Availability:
    """Members x slots: hard unavailability and the cost of each slot under the preferences."""

    unavailable: Bools
    preference_cost: Floats
    notes: tuple[str, ...] = ()


def _date_token(value: str) -> tuple[str, int]:
    """('all', 0), ('weekday', 0..5) or ('day', ordinal)."""
    token = value.lower()
    if token == "*":
        return "all", 0
    if token in WEEKDAYS:
        if WEEKDAYS[token] == 6:
            raise ValueError("the chamber does not sit on Sundays")
        return "weekday", WEEKDAYS[token]
    if not value:
        raise ValueError(f"empty date: expected {DATE_HELP}")
    try:
        return "day", date.fromisoformat(value).toordinal()
    except ValueError:
        raise ValueError(f"not a date: {value!r}; expected {DATE_HELP}") from None


def _session_code(value: str) -> int:
    try:
        return SESSION_CODES[value.lower()]
    except KeyError:
        raise ValueError(f"unknown session {value!r}: expected morning, evening or all") from None


def _kind_code(value: str) -> int:
    try:
        return KINDS[value.lower()]
    except KeyError:
        raise ValueError(f"unknown kind {value!r}: expected unavailable, prefer or avoid") from None


def _weight(value: str) -> float:
    if not value:
        return 1.0
    try:
        w = float(value)
    except ValueError:
        raise ValueError(f"not a number: {value!r}") from None
    if not math.isfinite(w) or w < 0:
        raise ValueError(f"a weight is a non-negative number, not {value!r}")
    return w


def _member_codes(table: _Table, column: str, members: Sequence[Member]) -> Ints:
    """Member index of each row (-1 for an unknown id); an empty id is an error."""
    index = {m.id: i for i, m in enumerate(members)}
    values = table.columns[column]
    codes = np.fromiter((index.get(v, -1) for v in values), dtype=np.int64, count=len(values))
    for i in np.flatnonzero(codes < 0)[:1]:
        if not values[i]:
            table.fail(int(i), column, "empty member id")
    return codes


def read_availability(
    path: PathLike, calendar: Calendar, members: Sequence[Member]
) -> Availability:
    """Unavailability and preference costs of ``members`` over the slots of ``calendar`` (see the
    module docstring for the format).  Rows dated outside the period are ignored and counted in
    the notes."""
    table = _read_table(path, ("member", "date"), ("session", "kind", "weight"))
    M, S, F = len(members), len(calendar.slots), calendar.fortnights
    n = len(table)
    cols = table.columns

    who = _member_codes(table, "member", members)
    unknown = np.flatnonzero(who < 0)
    if unknown.size:
        i = int(unknown[0])
        more = (
            f" (and {unknown.size - 1} more rows with unknown members)" if unknown.size > 1 else ""
        )
        table.fail(i, "member", f"unknown member {cols['member'][i]!r}{more}")

    date_values, date_codes = _factorize(cols["date"])
    tokens = _check_codes(table, "date", date_values, date_codes, _date_token)
    sess_values, sess_codes = _factorize(cols["session"])
    sessions = np.array(
        _check_codes(table, "session", sess_values, sess_codes, _session_code), dtype=np.int64
    )
    kind_values, kind_codes = _factorize(cols["kind"])
    kinds = np.array(
        _check_codes(table, "kind", kind_values, kind_codes, _kind_code), dtype=np.int64
    )
    weight_values, weight_codes = _factorize(cols["weight"])
    weights = np.array(
        _check_codes(table, "weight", weight_values, weight_codes, _weight), dtype=np.float64
    )
    session_of = sessions[sess_codes] if n else np.zeros(0, dtype=np.int64)
    kind_of = kinds[kind_codes] if n else np.zeros(0, dtype=np.int64)
    weight_of = weights[weight_codes] if n else np.zeros(0)

    # Slot masks of each distinct (date, session) pair that occurs.
    slots = calendar.slots
    day = np.array([s.day.toordinal() for s in slots], dtype=np.int64)
    weekday = np.array([s.day.weekday() for s in slots], dtype=np.int64)
    session = np.array([SESSIONS.index(s.session) for s in slots], dtype=np.int64)
    fortnight = np.array([s.fortnight for s in slots], dtype=np.int64)
    first, last = calendar.start.toordinal(), calendar.start.toordinal() + 14 * F - 1
    pairs, pair_of = np.unique(date_codes * 3 + session_of, return_inverse=True)
    pair_of = pair_of.reshape(-1).astype(np.int64)
    C = pairs.size
    masks = np.zeros((C, S), dtype=bool)
    outside = np.zeros(C, dtype=bool)
    for k, code in enumerate(pairs):
        what, value = tokens[int(code) // 3]
        s = int(code) % 3
        if what == "all":
            mask = np.ones(S, dtype=bool)
        elif what == "weekday":
            mask = weekday == value
        else:
            mask = day == value
            outside[k] = not first <= value <= last
        masks[k] = mask & (session == s) if s < 2 else mask

    notes: list[str] = []
    n_out = int(outside[pair_of].sum()) if n else 0
    if n_out:
        notes.append(
            f"{n_out} rows are dated outside the period {calendar.start.isoformat()} to "
            f"{date.fromordinal(last).isoformat()} and were ignored"
        )
    matches = np.asarray(masks.any(axis=1), dtype=bool)
    n_empty = int((~outside[pair_of] & ~matches[pair_of]).sum()) if n else 0
    if n_empty:
        notes.append(f"{n_empty} rows name a day with no sitting (a Sunday or a no-sitting day)")
    counts = np.bincount(kind_of, minlength=3)
    notes.append(f"{n} rows read: {counts[0]} unavailable, {counts[1]} prefer, {counts[2]} avoid")

    def per_member(rows: Ints, columns: Ints, values: Floats, patterns: Bools) -> Floats:
        width = patterns.shape[0]
        a = csr_matrix((values, (rows, columns)), shape=(M, width))
        return np.asarray(a @ patterns.astype(np.float64), dtype=np.float64).reshape(M, S)

    hard = kind_of == 0
    unavailable = per_member(who[hard], pair_of[hard], np.ones(int(hard.sum())), masks) > 0
    avoid = kind_of == 2
    cost = per_member(who[avoid], pair_of[avoid], weight_of[avoid], masks)

    # prefer: within each of the member's windows that the row touches, the slots it does not
    # match cost its weight.  Windows depend on the member's cycle.
    prefer = kind_of == 1
    if prefer.any():
        cycle_of = np.array([m.cycle for m in members], dtype=np.int64)
        for cycle in (1, 2):
            rows = prefer & (cycle_of[who] == cycle)
            if not rows.any():
                continue
            window = (fortnight // cycle) * cycle
            valid = window + cycle <= F
            hit = np.zeros((C, F), dtype=bool)
            for w in np.unique(window[valid]):
                hit[:, w] = masks[:, window == w].any(axis=1)
            pattern = ~masks & valid[None, :] & hit[:, window]
            cost += per_member(who[rows], pair_of[rows], weight_of[rows], pattern)
    return Availability(unavailable, cost, tuple(notes))


# --------------------------------------------------------------------------------------------
# History


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
    table = _read_table(path, ("member", "date", "session"), ())
    M = len(members)
    cols = table.columns
    who = _member_codes(table, "member", members)
    date_values, date_codes = _factorize(cols["date"])
    days = np.array(_check_codes(table, "date", date_values, date_codes, _iso_date), np.int64)
    sess_values, sess_codes = _factorize(cols["session"])
    sess = np.array(_check_codes(table, "session", sess_values, sess_codes, _one_session), np.int64)
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
    day_of = days[date_codes[known]]
    key = day_of * 2 + sess[sess_codes[known]]
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


# --------------------------------------------------------------------------------------------
# A problem from files


def load_problem(
    members_csv: PathLike,
    availability_csv: PathLike | None,
    start: date,
    fortnights: int,
    *,
    history_csv: PathLike | None = None,
    no_sitting: Iterable[date] = (),
    weights: Weights | None = None,
) -> tuple[RotaProblem, tuple[str, ...]]:
    """The problem of the period from ``start`` (a Monday) for ``fortnights`` fortnights, and the
    readers' notes (rows ignored and counts read)."""
    members = read_members(members_csv)
    youth = sorted({m.seat for m in members if m.cycle == 2})
    if youth and fortnights % 2:
        raise RotaError(
            f"a period of {fortnights} fortnights would split the four-weekly cycle of "
            f"{len(youth)} seats ({', '.join(youth[:3])}{', ...' if len(youth) > 3 else ''}): "
            "choose an even number of fortnights"
        )
    calendar = make_calendar(start, fortnights, no_sitting)
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


def problem_from_files(
    members_csv: PathLike,
    availability_csv: PathLike | None,
    start: date,
    fortnights: int,
    *,
    history_csv: PathLike | None = None,
    no_sitting: Iterable[date] = (),
    weights: Weights | None = None,
) -> RotaProblem:
    """The problem of the period (see :func:`load_problem`, which also returns the notes)."""
    problem, _ = load_problem(
        members_csv,
        availability_csv,
        start,
        fortnights,
        history_csv=history_csv,
        no_sitting=no_sitting,
        weights=weights,
    )
    return problem


# --------------------------------------------------------------------------------------------
# Writing a rota


def _iso(moment: datetime) -> str:
    """A wall-clock time in London, with its UTC offset."""
    return moment.replace(tzinfo=LONDON).isoformat()


def slot_dict(slot: Slot) -> dict[str, str | bool]:
    """A slot as plain data (for JSON and templates)."""
    return {
        "label": slot.label,
        "date": slot.day.isoformat(),
        "session": slot.session,
        "start": _iso(slot.start),
        "end": _iso(slot.end),
        "urgent_only": slot.urgent_only,
    }


def _placements(rota: Rota) -> list[tuple[int, int]]:
    """(member index, slot index) of every placement, by slot, then seat, then member."""
    problem = rota.problem
    seat_order = {s: k for k, s in enumerate(problem.seats)}
    m_idx, w_idx = np.nonzero(rota.slot_of >= 0)
    out = [(int(m), int(rota.slot_of[m, w])) for m, w in zip(m_idx, w_idx, strict=True)]
    out.sort(key=lambda p: (p[1], seat_order[problem.members[p[0]].seat], p[0]))
    return out


ROW_FIELDS = ("member", "name", "seat", "group", "date", "session", "start", "end", "urgent_only")


def rota_rows(rota: Rota) -> list[dict[str, str | bool]]:
    """One row per member and slot, by slot then seat."""
    members, slots = rota.problem.members, rota.problem.calendar.slots
    rows: list[dict[str, str | bool]] = []
    for m, t in _placements(rota):
        member, slot = members[m], slots[t]
        rows.append(
            {
                "member": member.id,
                "name": member.name,
                "seat": member.seat,
                "group": member.group,
                "date": slot.day.isoformat(),
                "session": slot.session,
                "start": _iso(slot.start),
                "end": _iso(slot.end),
                "urgent_only": slot.urgent_only,
            }
        )
    return rows


def write_rota_csv(rota: Rota, out: TextIO) -> None:
    """The rota as CSV (the columns of :func:`rota_rows`; urgent_only is ``yes`` or ``no``)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ROW_FIELDS)
    for row in rota_rows(rota):
        writer.writerow(
            [("yes" if row[f] else "no") if f == "urgent_only" else row[f] for f in ROW_FIELDS]
        )


def members_digest(members: Sequence[Member]) -> str:
    """SHA-256 of the members' ids, seats, groups and cycles (to check a saved rota's problem)."""
    h = hashlib.sha256()
    for m in members:
        h.update(f"{m.id}\x1f{m.seat}\x1f{m.group}\x1f{m.cycle}\x1e".encode())
    return h.hexdigest()


def _number(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def _period(calendar: Calendar) -> dict[str, Any]:
    return {
        "start": calendar.start.isoformat(),
        "end": (calendar.start + timedelta(days=14 * calendar.fortnights - 1)).isoformat(),
        "fortnights": calendar.fortnights,
        "no_sitting": sorted(d.isoformat() for d in calendar.no_sitting),
        "slots": len(calendar.slots),
    }


def rota_json(rota: Rota) -> dict[str, Any]:
    """The rota as JSON-ready data: the period, the measures, every assignment, and views by seat
    (seat -> [[slot label, member], ...]) and by slot (slot label -> {seat: member})."""
    problem = rota.problem
    cal = problem.calendar
    labels = [s.label for s in cal.slots]
    rows = rota_rows(rota)
    by_seat: dict[str, list[list[str]]] = {s: [] for s in problem.seats}
    by_slot: dict[str, dict[str, str]] = {label: {} for label in labels}
    for m, t in _placements(rota):
        member = problem.members[m]
        by_seat[member.seat].append([labels[t], member.id])
        by_slot[labels[t]][member.seat] = member.id
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "period": _period(cal),
        "members": {"count": len(problem.members), "sha256": members_digest(problem.members)},
        "measures": {
            "objective": _number(rota.objective),
            "bound": _number(rota.bound),
            "gap": _number(rota.gap),
            "violations": rota.violations,
            "unavailable_assigned": rota.unavailable_assigned,
            "unfilled": [{"seat": s, "slot": labels[t]} for s, t in rota.unfilled],
            "without_slot": [
                {"member": m, "window": (cal.start + timedelta(days=14 * w)).isoformat()}
                for m, w in rota.without_slot
            ],
            "seconds": rota.seconds,
            "iterations": rota.iterations,
        },
        "notes": list(rota.notes),
        "assignments": rows,
        "seats": by_seat,
        "slots": by_slot,
    }


# --------------------------------------------------------------------------------------------
# Reading a saved rota back


def _slot_of_from_rows(
    problem: RotaProblem,
    rows: Sequence[tuple[str, str, str, str]],
    fail: Callable[[int, str, str], NoReturn],
) -> Ints:
    """slot_of from (member, date, session, seat or '') rows; ``fail(row, column, problem)``."""
    index = {m.id: i for i, m in enumerate(problem.members)}
    slot_at = {(s.day.isoformat(), s.session): s for s in problem.calendar.slots}
    F = problem.calendar.fortnights
    slot_of = np.full((len(problem.members), F), -1, dtype=np.int64)
    taken: dict[tuple[str, int], str] = {}
    for i, (mid, day, session, seat) in enumerate(rows):
        m = index.get(mid)
        if m is None:
            fail(i, "member", f"no member {mid!r} in this problem")
        member = problem.members[m]
        if seat and seat != member.seat:
            fail(i, "seat", f"{mid} holds seat {member.seat}, not {seat}")
        slot = slot_at.get((day, session))
        if slot is None:
            fail(i, "date", f"no {session} slot on {day} in the period")
        w = slot.fortnight // member.cycle * member.cycle
        if w not in window_starts(problem, member.cycle):
            fail(i, "date", f"{slot.label} is outside every window of {mid}")
        if slot_of[m, w] >= 0:
            other = problem.calendar.slots[int(slot_of[m, w])].label
            fail(i, "date", f"{mid} sits twice in one cycle ({other} and {slot.label})")
        if (member.seat, slot.index) in taken:
            fail(
                i,
                "member",
                f"seat {member.seat} has two members in {slot.label}: "
                f"{taken[member.seat, slot.index]} and {mid}",
            )
        taken[member.seat, slot.index] = mid
        slot_of[m, w] = slot.index
    return slot_of


def read_rota_json(data: Mapping[str, Any] | str | bytes, problem: RotaProblem) -> Ints:
    """The ``slot_of`` matrix of a rota saved by :func:`rota_json` (as data or JSON text), for
    the same members and calendar as ``problem``."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise RotaError(f"the saved rota is not valid JSON ({exc})") from None
    if not isinstance(data, Mapping) or data.get("format") != JSON_FORMAT:
        raise RotaError(f"not a saved rota (expected format {JSON_FORMAT!r})")
    period = data.get("period")
    expected = _period(problem.calendar)
    if not isinstance(period, Mapping) or any(
        period.get(k) != expected[k] for k in ("start", "fortnights", "no_sitting")
    ):
        got = period if isinstance(period, Mapping) else {}
        raise RotaError(
            f"the saved rota is for the period from {got.get('start')} "
            f"({got.get('fortnights')} fortnights, no sitting on {got.get('no_sitting')}), not "
            f"from {expected['start']} ({expected['fortnights']} fortnights, no sitting on "
            f"{expected['no_sitting']})"
        )
    saved = data.get("members")
    if isinstance(saved, Mapping) and saved.get("sha256") != members_digest(problem.members):
        raise RotaError(
            f"the saved rota was made for a different list of members ({saved.get('count')} "
            f"members, not the {len(problem.members)} of this problem, or different seats, "
            "groups or cycles)"
        )
    assignments = data.get("assignments")
    if not isinstance(assignments, list):
        raise RotaError("the saved rota has no list of assignments")
    rows: list[tuple[str, str, str, str]] = []
    for i, a in enumerate(assignments):
        if not isinstance(a, Mapping) or not all(
            isinstance(a.get(k), str) for k in ("member", "date", "session")
        ):
            raise RotaError(f"saved rota, assignment {i + 1}: expected member, date and session")
        seat = a.get("seat")
        rows.append((a["member"], a["date"], a["session"], seat if isinstance(seat, str) else ""))

    def fail(i: int, column: str, why: str) -> NoReturn:
        raise RotaError(f"saved rota, assignment {i + 1} ({column}): {why}")

    return _slot_of_from_rows(problem, rows, fail)


def read_rota_csv(path: PathLike, problem: RotaProblem) -> Ints:
    """The ``slot_of`` matrix of a rota written by :func:`write_rota_csv` (columns ``member,
    date,session`` and optionally ``seat``; the others are ignored), for ``problem``."""
    table = _read_table(path, ("member", "date", "session"), ("seat",))
    c = table.columns
    rows = list(zip(c["member"], c["date"], c["session"], c["seat"], strict=True))
    return _slot_of_from_rows(problem, rows, table.fail)


def rota_from_json(data: Mapping[str, Any] | str | bytes, problem: RotaProblem) -> Rota:
    """A saved rota re-measured against ``problem`` (for swaps and changes); the bound, time and
    iterations are the saved ones."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise RotaError(f"the saved rota is not valid JSON ({exc})") from None
    slot_of = read_rota_json(data, problem)
    assert isinstance(data, Mapping)
    saved = data.get("measures")
    saved = saved if isinstance(saved, Mapping) else {}

    def num(key: str, default: float) -> float:
        value = saved.get(key)
        return float(value) if isinstance(value, int | float) else default

    rota = measure(problem, slot_of, 0.0, num("seconds", 0.0), int(num("iterations", 0)))
    return replace(rota, bound=num("bound", -math.inf))


# --------------------------------------------------------------------------------------------
# One member's view


@dataclass(frozen=True, slots=True)
class MemberView:
    """A member's slots, and the other sharers of their seat with theirs (by first slot)."""

    member: Member
    slots: tuple[Slot, ...]
    sharers: tuple[tuple[Member, tuple[Slot, ...]], ...] = field(default_factory=tuple)

    @property
    def seat(self) -> str:
        return self.member.seat

    def as_dict(self) -> dict[str, Any]:
        return {
            "member": self.member.id,
            "name": self.member.name,
            "seat": self.member.seat,
            "group": self.member.group,
            "cycle": _cycle_name(self.member.cycle),
            "slots": [slot_dict(s) for s in self.slots],
            "sharers": [
                {
                    "member": m.id,
                    "name": m.name,
                    "group": m.group,
                    "slots": [s.label for s in slots],
                }
                for m, slots in self.sharers
            ],
        }


def _member_index(rota: Rota, member_id: str) -> int:
    for i, m in enumerate(rota.problem.members):
        if m.id == member_id:
            return i
    raise RotaError(f"no member {member_id!r} in this rota")


def _slots_of(rota: Rota, m: int) -> tuple[Slot, ...]:
    slots = rota.problem.calendar.slots
    return tuple(slots[int(t)] for t in sorted(rota.slot_of[m][rota.slot_of[m] >= 0]))


def member_view(rota: Rota, member_id: str) -> MemberView:
    """When ``member_id`` sits, in which seat, and who else shares the seat and when they sit."""
    m = _member_index(rota, member_id)
    members = rota.problem.members
    seat = members[m].seat
    others = [(members[k], _slots_of(rota, k)) for k, x in enumerate(members) if x.seat == seat]
    sharers = [(x, s) for x, s in others if x.id != member_id]
    sharers.sort(key=lambda p: p[1][0].index if p[1] else len(rota.problem.calendar.slots))
    return MemberView(members[m], _slots_of(rota, m), tuple(sharers))


# --------------------------------------------------------------------------------------------
# iCalendar


def _describe(member: Member, slot: Slot, base_url: str | None) -> str:
    end = "24:00" if slot.session == "evening" else slot.end.strftime("%H:%M")
    text = (
        f"You are rostered to sit in seat {member.seat} from {slot.start:%H:%M} to {end} on "
        f"{slot.day:%A} {slot.day.day} {slot.day:%B %Y} (the {slot.session} slot). "
        "You may vote only when rostered."
    )
    if slot.urgent_only:
        text += (
            " Saturday afternoons are kept for urgent business that could not be planned a "
            "month ahead: the business of this sitting may be announced at short notice."
        )
    else:
        text += (
            " Business is planned at least a month ahead; Saturday afternoons are kept for "
            "urgent business."
        )
    if base_url:
        text += f" Your rota: {base_url}"
    return text


def member_ics(
    rota: Rota, member_id: str, *, base_url: str | None = None, stamp: datetime | None = None
) -> bytes:
    """The member's sittings as an iCalendar file: one event per slot, in London time (with its
    VTIMEZONE), with a stable UID per member and slot.  ``stamp`` is the DTSTAMP (the time of
    publication; the start of the period at midnight UTC when not given, since this library
    never reads the clock)."""
    import icalendar  # the only module of the package that needs it

    view = member_view(rota, member_id)
    member = view.member
    cal = rota.problem.calendar
    when = stamp or datetime.combine(cal.start, time(0), UTC)
    if when.tzinfo is None:
        raise RotaError("the ICS stamp must be a time with a time zone")
    out = icalendar.Calendar()
    out.add("prodid", PRODID)
    out.add("version", "2.0")
    out.add("calscale", "GREGORIAN")
    out.add("method", "PUBLISH")
    out.add("x-wr-calname", f"Chamber rota: {member.name or member.id} (seat {member.seat})")
    out.add("x-wr-timezone", "Europe/London")
    for slot in view.slots:
        event = icalendar.Event()
        event.add("uid", f"{member.id}-{slot.day.isoformat()}-{slot.session}@chamber")
        event.add("dtstamp", when.astimezone(UTC))
        event.add("dtstart", slot.start.replace(tzinfo=LONDON))
        event.add("dtend", slot.end.replace(tzinfo=LONDON))
        event.add("summary", f"Chamber sitting: seat {member.seat} ({slot.session})")
        event.add("description", _describe(member, slot, base_url))
        if slot.urgent_only:
            event.add("categories", ["Urgent business"])
        if base_url:
            event.add("url", base_url)
        out.add_component(event)
    end = cal.start + timedelta(days=14 * cal.fortnights + 1)
    out.add_missing_timezones(first_date=cal.start - timedelta(days=366), last_date=end)
    ics: bytes = out.to_ical()
    return ics
