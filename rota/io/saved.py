"""A solved rota saved as JSON and read back (format ``chamber-rota``, version 2): the period, the
measures, every assignment, and views by seat and by slot.

The dataclasses below are the format: saving and loading are derived from their fields (by
msgspec), so the writer and the reader cannot disagree.

Version 2 (written now) describes the period by its ``cycles``, ``cycle_days`` and ``timezone``,
so that it fits any sitting pattern.  Version 1 (read, never written) was the national pattern
only: its period has ``fortnights`` instead, which is read as that many cycles of 14 days in
Europe/London.  The assignments' ``start`` and ``end`` are informative and never read back (the
slots come from the problem's calendar), so a version 1 file whose summer times were an hour out
still loads the same rota.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, NoReturn

import msgspec

from rota.assignment import Ints
from rota.calendar import Calendar
from rota.errors import RotaError
from rota.io.rows import RotaRow, placements, row_records, slot_of_from_rows
from rota.measure import Rota, measure
from rota.model import Member, RotaProblem

JSON_FORMAT = "chamber-rota"
JSON_VERSION = 2
READ_VERSIONS = (1, 2)


@dataclass(frozen=True, slots=True)
class Period:
    """The rota period: first and last day, the number of cycles and their length in days, the
    time zone of the slots' times, days with no sitting, and the number of slots."""

    start: str
    end: str
    cycles: int
    cycle_days: int
    timezone: str
    no_sitting: list[str]
    slots: int

    @classmethod
    def of(cls, calendar: Calendar) -> Period:
        return cls(
            start=calendar.start.isoformat(),
            end=calendar.last_day.isoformat(),
            cycles=calendar.cycles,
            cycle_days=calendar.cycle_days,
            timezone=calendar.timezone,
            no_sitting=sorted(d.isoformat() for d in calendar.no_sitting),
            slots=len(calendar.slots),
        )

    def describe(self) -> str:
        length = (
            f"{self.cycles} fortnights"
            if self.cycle_days == 14
            else f"{self.cycles} cycles of {self.cycle_days} days"
        )
        return f"from {self.start} ({length} in {self.timezone}, no sitting on {self.no_sitting})"


@dataclass(frozen=True, slots=True)
class MembersCheck:
    """How many members, and the digest of their ids, seats, groups and cycles."""

    count: int
    sha256: str


@dataclass(frozen=True, slots=True)
class UnfilledSlot:
    seat: str
    slot: str  # slot label


@dataclass(frozen=True, slots=True)
class MemberWithoutSlot:
    member: str
    window: str  # first day of the window


@dataclass(frozen=True, slots=True)
class Measures:
    """The measures of :class:`rota.measure.Rota`; a value that is not finite is saved as null."""

    objective: float | None
    bound: float | None
    gap: float | None
    violations: int
    unavailable_assigned: int
    unfilled: list[UnfilledSlot]
    without_slot: list[MemberWithoutSlot]
    seconds: float
    iterations: int


@dataclass(frozen=True, slots=True)
class SavedRota:
    """A saved rota.  ``seats``: seat -> [[slot label, member], ...]; ``slots``: slot label ->
    {seat: member}."""

    format: str
    version: int
    period: Period
    members: MembersCheck
    measures: Measures
    notes: list[str]
    assignments: list[RotaRow]
    seats: dict[str, list[list[str]]]
    slots: dict[str, dict[str, str]]


def members_digest(members: Sequence[Member]) -> str:
    """SHA-256 of the members' ids, seats, groups and cycles (to check a saved rota's problem)."""
    h = hashlib.sha256()
    for m in members:
        h.update(f"{m.id}\x1f{m.seat}\x1f{m.group}\x1f{m.cycle}\x1e".encode())
    return h.hexdigest()


def _number(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def saved_rota(rota: Rota) -> SavedRota:
    """The rota as it is saved."""
    problem = rota.problem
    cal = problem.calendar
    labels = [s.label for s in cal.slots]
    by_seat: dict[str, list[list[str]]] = {s: [] for s in problem.seats}
    by_slot: dict[str, dict[str, str]] = {label: {} for label in labels}
    for m, t in placements(rota):
        member = problem.members[m]
        by_seat[member.seat].append([labels[t], member.id])
        by_slot[labels[t]][member.seat] = member.id
    return SavedRota(
        format=JSON_FORMAT,
        version=JSON_VERSION,
        period=Period.of(cal),
        members=MembersCheck(len(problem.members), members_digest(problem.members)),
        measures=Measures(
            objective=_number(rota.objective),
            bound=_number(rota.bound),
            gap=_number(rota.gap),
            violations=rota.violations,
            unavailable_assigned=rota.unavailable_assigned,
            unfilled=[UnfilledSlot(s, labels[t]) for s, t in rota.unfilled],
            without_slot=[
                MemberWithoutSlot(m, cal.cycle_start(w).isoformat()) for m, w in rota.without_slot
            ],
            seconds=rota.seconds,
            iterations=rota.iterations,
        ),
        notes=list(rota.notes),
        assignments=row_records(rota),
        seats=by_seat,
        slots=by_slot,
    )


def rota_json(rota: Rota) -> dict[str, Any]:
    """The rota as JSON-ready data (the fields of :class:`SavedRota`)."""
    data: dict[str, Any] = msgspec.to_builtins(saved_rota(rota))
    return data


def load_saved(data: Mapping[str, Any] | str | bytes) -> SavedRota:
    """A saved rota from its JSON text or data."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise RotaError(f"the saved rota is not valid JSON ({exc})") from None
    if not isinstance(data, Mapping) or data.get("format") != JSON_FORMAT:
        raise RotaError(f"not a saved rota (expected format {JSON_FORMAT!r})")
    version = data.get("version")
    if version not in READ_VERSIONS:
        raise RotaError(
            f"the saved rota is version {version!r}; this program reads versions "
            f"{' and '.join(map(str, READ_VERSIONS))}"
        )
    if version == 1:
        data = _from_version_1(data)
    try:
        return msgspec.convert(data, SavedRota)
    except msgspec.ValidationError as exc:
        raise RotaError(f"the saved rota is not as `chamber rota solve` saves it: {exc}") from None


def _from_version_1(data: Mapping[str, Any]) -> dict[str, Any]:
    """Version 1's period (``fortnights`` of the national pattern) as version 2 reads it."""
    period = data.get("period")
    if not isinstance(period, Mapping) or "fortnights" not in period:
        raise RotaError("the saved rota (version 1) has no period.fortnights")
    old = {k: v for k, v in period.items() if k != "fortnights"}
    new = {"cycles": period["fortnights"], "cycle_days": 14, "timezone": "Europe/London"}
    return {**data, "period": {**old, **new}}


def _slot_of(saved: SavedRota, problem: RotaProblem) -> Ints:
    """The saved assignments as a ``slot_of`` matrix of ``problem``, which must have the period
    and the members of the saved rota."""
    got, expected = saved.period, Period.of(problem.calendar)
    if replace(got, end="", slots=0) != replace(expected, end="", slots=0):
        raise RotaError(
            f"the saved rota is for the period {got.describe()}, not {expected.describe()}"
        )
    if saved.members.sha256 != members_digest(problem.members):
        raise RotaError(
            f"the saved rota was made for a different list of members ({saved.members.count} "
            f"members, not the {len(problem.members)} of this problem, or different seats, "
            "groups or cycles)"
        )
    rows = [(a.member, a.date, a.session, a.seat) for a in saved.assignments]

    def fail(i: int, column: str, why: str) -> NoReturn:
        raise RotaError(f"saved rota, assignment {i + 1} ({column}): {why}")

    return slot_of_from_rows(problem, rows, fail)


def read_rota_json(data: Mapping[str, Any] | str | bytes, problem: RotaProblem) -> Ints:
    """The ``slot_of`` matrix of a rota saved by :func:`rota_json` (as data or JSON text), for
    the same members and calendar as ``problem``."""
    return _slot_of(load_saved(data), problem)


def rota_from_json(data: Mapping[str, Any] | str | bytes, problem: RotaProblem) -> Rota:
    """A saved rota re-measured against ``problem`` (for swaps and changes); the bound, time and
    iterations are the saved ones."""
    saved = load_saved(data)
    m = saved.measures
    rota = measure(problem, _slot_of(saved, problem), 0.0, m.seconds, m.iterations)
    return replace(rota, bound=-math.inf if m.bound is None else m.bound)
