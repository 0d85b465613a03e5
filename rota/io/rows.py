"""A solved rota as rows, one per member and slot: the rows themselves, the CSV file, and
reading such rows back into a rota."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import NoReturn, TextIO
from zoneinfo import ZoneInfo

import msgspec
import numpy as np

from rota.assignment import Ints, window_starts
from rota.calendar import Slot
from rota.io.table import PathLike, read_table
from rota.measure import Rota
from rota.model import RotaProblem

LONDON = ZoneInfo("Europe/London")


def _iso(moment: datetime) -> str:
    """A time as local wall-clock time in its zone with its UTC offset (2027-04-05T08:00:00+01:00
    is 08:00 in London in summer)."""
    return moment.isoformat()


@dataclass(frozen=True, slots=True)
class SlotRecord:
    """A slot as plain data (for JSON and templates); times are the wall-clock times of the
    calendar's zone (Europe/London for the national pattern) with their UTC offset."""

    label: str
    date: str
    session: str
    start: str
    end: str
    urgent_only: bool

    @classmethod
    def of(cls, slot: Slot) -> SlotRecord:
        return cls(
            slot.label,
            slot.day.isoformat(),
            slot.session,
            _iso(slot.start),
            _iso(slot.end),
            slot.urgent_only,
        )


def slot_dict(slot: Slot) -> dict[str, str | bool]:
    """A slot as plain data (the fields of :class:`SlotRecord`)."""
    data: dict[str, str | bool] = msgspec.to_builtins(SlotRecord.of(slot))
    return data


@dataclass(frozen=True, slots=True)
class RotaRow:
    """One member sitting in one slot: a row of the CSV file and an assignment of the JSON."""

    member: str
    name: str
    seat: str
    group: str
    date: str
    session: str
    start: str
    end: str
    urgent_only: bool


ROW_FIELDS = tuple(f.name for f in fields(RotaRow))


def placements(rota: Rota) -> list[tuple[int, int]]:
    """(member index, slot index) of every placement, by slot, then seat, then member."""
    problem = rota.problem
    seat_order = {s: k for k, s in enumerate(problem.seats)}
    m_idx, w_idx = np.nonzero(rota.slot_of >= 0)
    out = [(int(m), int(rota.slot_of[m, w])) for m, w in zip(m_idx, w_idx, strict=True)]
    out.sort(key=lambda p: (p[1], seat_order[problem.members[p[0]].seat], p[0]))
    return out


def row_records(rota: Rota) -> list[RotaRow]:
    """One row per member and slot, by slot then seat."""
    members = rota.problem.members
    slots = [SlotRecord.of(s) for s in rota.problem.calendar.slots]
    rows = []
    for m, t in placements(rota):
        member, slot = members[m], slots[t]
        rows.append(
            RotaRow(
                member.id,
                member.name,
                member.seat,
                member.group,
                slot.date,
                slot.session,
                slot.start,
                slot.end,
                slot.urgent_only,
            )
        )
    return rows


def rota_rows(rota: Rota) -> list[dict[str, str | bool]]:
    """One row per member and slot, by slot then seat (the fields of :class:`RotaRow`)."""
    rows: list[dict[str, str | bool]] = msgspec.to_builtins(row_records(rota))
    return rows


def write_rota_csv(rota: Rota, out: TextIO) -> None:
    """The rota as CSV (the columns of :class:`RotaRow`; urgent_only is ``yes`` or ``no``)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ROW_FIELDS)
    for row in rota_rows(rota):
        writer.writerow(
            [("yes" if v else "no") if isinstance(v, bool) else v for v in row.values()]
        )


def slot_of_from_rows(
    problem: RotaProblem,
    rows: Sequence[tuple[str, str, str, str]],
    fail: Callable[[int, str, str], NoReturn],
) -> Ints:
    """slot_of from (member, date, session, seat or '') rows; ``fail(row, column, problem)``."""
    index = {m.id: i for i, m in enumerate(problem.members)}
    slot_at = {(s.day.isoformat(), s.session): s for s in problem.calendar.slots}
    slot_of = np.full((len(problem.members), problem.calendar.cycles), -1, dtype=np.int64)
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
        w = slot.cycle // member.cycle * member.cycle
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


def read_rota_csv(path: PathLike, problem: RotaProblem) -> Ints:
    """The ``slot_of`` matrix of a rota written by :func:`write_rota_csv` (columns ``member,
    date,session`` and optionally ``seat``; the others are ignored), for ``problem``."""
    table = read_table(path, ("member", "date", "session"), ("seat",))
    c = table.columns
    rows = list(zip(c["member"], c["date"], c["session"], c["seat"], strict=True))
    return slot_of_from_rows(problem, rows, table.fail)
