"""One member's view of a rota (their slots and the other sharers of their seat), and their
sittings as an iCalendar file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any

import icalendar
import msgspec

from rota.calendar import MIDNIGHT, Slot, require_aware
from rota.errors import RotaError
from rota.io.problem import cycle_name
from rota.io.rows import SlotRecord
from rota.io.vtimezone import vtimezone
from rota.measure import Rota
from rota.model import Member

PRODID = "-//Chamber//Rota//EN"


@dataclass(frozen=True, slots=True)
class SharerRecord:
    """Another sharer of the seat and the labels of their slots."""

    member: str
    name: str
    group: str
    slots: list[str]


@dataclass(frozen=True, slots=True)
class MemberRecord:
    """A member's view as plain data."""

    member: str
    name: str
    seat: str
    group: str
    cycle: str  # fortnightly or four-weekly
    slots: list[SlotRecord]
    sharers: list[SharerRecord]


@dataclass(frozen=True, slots=True)
class MemberView:
    """A member's slots, and the other sharers of their seat with theirs (by first slot)."""

    member: Member
    slots: tuple[Slot, ...]
    sharers: tuple[tuple[Member, tuple[Slot, ...]], ...] = field(default_factory=tuple)

    @property
    def seat(self) -> str:
        return self.member.seat

    def record(self) -> MemberRecord:
        """The view as plain data: the member, their slots, and each sharer's slot labels."""
        m = self.member
        return MemberRecord(
            member=m.id,
            name=m.name,
            seat=m.seat,
            group=m.group,
            cycle=cycle_name(m.cycle),
            slots=[SlotRecord.of(s) for s in self.slots],
            sharers=[
                SharerRecord(x.id, x.name, x.group, [s.label for s in slots])
                for x, slots in self.sharers
            ],
        )

    def as_dict(self) -> dict[str, Any]:
        """The fields of :class:`MemberRecord`, as plain data."""
        data: dict[str, Any] = msgspec.to_builtins(self.record())
        return data


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


def _end_text(slot: Slot) -> str:
    """The local end time; midnight at the end of the slot's day is 24:00."""
    if slot.end.time() == MIDNIGHT and slot.end.date() > slot.day:
        return "24:00"
    return f"{slot.end:%H:%M}"


def _describe(member: Member, slot: Slot, rota_url: str | None) -> str:
    text = (
        f"You are rostered to sit in seat {member.seat} from {slot.start:%H:%M} to "
        f"{_end_text(slot)} ({slot.start.tzinfo} time) on {slot.day:%A} {slot.day.day} "
        f"{slot.day:%B %Y} (the {slot.session} slot). You may vote only when rostered."
    )
    if slot.urgent_only:
        text += (
            " This slot is kept for urgent business that could not be planned a month ahead: "
            "the business of this sitting may be announced at short notice."
        )
    else:
        text += " Business is planned at least a month ahead."
    if rota_url:
        text += f" Your rota: {rota_url}"
    return text


def member_ics(
    rota: Rota, member_id: str, *, rota_url: str | None = None, stamp: datetime | None = None
) -> bytes:
    """The member's sittings as an iCalendar file: one event per slot, with a stable UID per
    member and slot, its DTSTART and DTEND the local wall-clock times of the calendar's zone
    with their TZID (Europe/London for the national pattern), and a VTIMEZONE of that zone
    covering every whole year from the first event to the last, so both the summer and the
    winter rule (see :mod:`rota.io.vtimezone` for why it is not icalendar's).  ``stamp`` is the
    DTSTAMP (the time of publication, an aware time; the start of the period at midnight UTC
    when not given, since this library never reads the clock)."""
    view = member_view(rota, member_id)
    member = view.member
    cal = rota.problem.calendar
    when = stamp or datetime.combine(cal.start, time(0), UTC)
    require_aware(when, "the ICS stamp")
    out = icalendar.Calendar()
    out.add("prodid", PRODID)
    out.add("version", "2.0")
    out.add("calscale", "GREGORIAN")
    out.add("method", "PUBLISH")
    out.add("x-wr-calname", f"Chamber rota: {member.name or member.id} (seat {member.seat})")
    out.add("x-wr-timezone", cal.timezone)
    if view.slots:
        first = min(s.start for s in view.slots).year
        last = max(s.end for s in view.slots).year
        out.add_component(vtimezone(cal.timezone, first, last))
    for slot in view.slots:
        event = icalendar.Event()
        event.add("uid", f"{member.id}-{slot.day.isoformat()}-{slot.session}@chamber")
        event.add("dtstamp", when.astimezone(UTC))
        event.add("dtstart", slot.start)
        event.add("dtend", slot.end)
        event.add("summary", f"Chamber sitting: seat {member.seat} ({slot.session})")
        event.add("description", _describe(member, slot, rota_url))
        if slot.urgent_only:
            event.add("categories", ["Urgent business"])
        if rota_url:
            event.add("url", rota_url)
        out.add_component(event)
    ics: bytes = out.to_ical()
    return ics
