"""Interest assemblies of a body: registering them with their seats (from the body's
composition, or one by one), and reading the seats they name and the delegates they named."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from chamber.assemblies.models import Assembly, AssemblySeat, Delegate
from chamber.bodies.models import Seat
from chamber.bodies.services import body, seats_with_categories
from chamber.db import fetch
from chamber.errors import Conflict, Invalid, NotFound

CATEGORY = "assemblies"  # the key of the national chamber's category of assembly seats


@dataclass(frozen=True, slots=True)
class AssemblyView:
    id: int
    body: str
    name: str
    sector: str
    seats: tuple[str, ...]
    names_from: date


def register_assembly(
    session: Session, body_key: str, name: str, seat_codes: Collection[str], *,
    names_from: date, now: datetime, sector: str = "",
) -> int:
    """Register an assembly holding ``seat_codes`` of a body; it names their delegates for the
    rota periods from ``names_from`` on.  A seat held by another assembly, an unknown seat or a
    name already used is refused and nothing is stored."""
    found = body(session, body_key)
    if not name.strip():
        raise Invalid("an assembly needs a name")
    if not seat_codes:
        raise Invalid(f"assembly {name!r} holds no seats")
    if names_from < found.calendar_start:
        raise Invalid(
            f"{body_key} sits from {found.calendar_start}: an assembly cannot name delegates "
            f"from {names_from}"
        )
    seats = seats_with_categories(session, body_key)
    unknown = sorted(set(seat_codes) - set(seats))
    if unknown:
        raise NotFound(f"no seat {', '.join(unknown)} in {body_key}")
    ids = [seats[c][0].id for c in seat_codes]
    held = session.exec(
        select(Seat.code, Assembly.name)
        .join(AssemblySeat, col(AssemblySeat.seat_id) == col(Seat.id))
        .join(Assembly, col(Assembly.id) == col(AssemblySeat.assembly_id))
        .where(col(Seat.id).in_(ids))
    ).all()
    if held:
        raise Conflict("; ".join(f"seat {s} is held by the assembly {a}" for s, a in held))
    if session.exec(
        select(Assembly.id).where(Assembly.body_key == body_key, Assembly.name == name.strip())
    ).first() is not None:
        raise Conflict(f"{body_key} already has an assembly called {name.strip()!r}")
    assembly = Assembly(body_key=body_key, name=name.strip(), sector=sector,
                        names_from=names_from, registered_at=now)
    session.add(assembly)
    session.flush()
    assert assembly.id is not None
    session.add_all(AssemblySeat(assembly_id=assembly.id, seat_id=int(i or 0)) for i in ids)
    return assembly.id


def install_assemblies(session: Session, body_key: str, *, names_from: date,
                       now: datetime) -> int:
    """Register every assembly of a body's ``assemblies`` category, as its composition lists
    them (each sub-unit takes its seats in seat order); returns how many."""
    spec = body(session, body_key).spec
    categories = spec.get("categories")
    assert isinstance(categories, list)
    found = next((c for c in categories if c.get("key") == CATEGORY), None)
    if found is None or not found.get("subunits"):
        raise NotFound(f"{body_key} has no category {CATEGORY!r} listing its assemblies")
    codes = sorted(
        (s.number, code) for code, (s, c) in seats_with_categories(session, body_key).items()
        if c.key == CATEGORY
    )
    queue = [code for _, code in codes]
    for sub in found["subunits"]:
        taken, queue = queue[: sub["seats"]], queue[sub["seats"]:]
        register_assembly(session, body_key, sub["name"], taken, names_from=names_from,
                          now=now, sector=sub.get("group") or "")
    return len(found["subunits"])


def assembly(session: Session, assembly_id: int) -> Assembly:
    return fetch(session, Assembly, assembly_id, "assembly")


def seats_of(session: Session, assembly_id: int) -> list[Seat]:
    """An assembly's seats, in seat order."""
    return list(
        session.exec(
            select(Seat)
            .join(AssemblySeat, col(AssemblySeat.seat_id) == col(Seat.id))
            .where(AssemblySeat.assembly_id == assembly_id)
            .order_by(col(Seat.number))
        ).all()
    )


def assemblies_of(session: Session, body_key: str) -> list[AssemblyView]:
    """Every assembly of a body with its seats, by name."""
    out = []
    for a in session.exec(
        select(Assembly).where(Assembly.body_key == body_key).order_by(col(Assembly.name))
    ).all():
        assert a.id is not None
        codes = tuple(s.code for s in seats_of(session, a.id))
        out.append(AssemblyView(a.id, a.body_key, a.name, a.sector, codes, a.names_from))
    return out


def named_seats(session: Session, body_key: str, period_start: date) -> dict[int, tuple[str, str]]:
    """Seat id -> (seat code, assembly) of every seat whose delegates an assembly names in the
    rota period from ``period_start``."""
    return {
        int(seat_id or 0): (code, name)
        for seat_id, code, name in session.exec(
            select(Seat.id, Seat.code, Assembly.name)
            .join(AssemblySeat, col(AssemblySeat.seat_id) == col(Seat.id))
            .join(Assembly, col(Assembly.id) == col(AssemblySeat.assembly_id))
            .where(Assembly.body_key == body_key, col(Assembly.names_from) <= period_start)
        ).all()
    }


def delegates_in(
    session: Session, sitting_ids: Collection[int], seat_ids: Collection[int]
) -> dict[tuple[int, int], str]:
    """(sitting, seat) -> the delegate named for it, for the given sittings and seats."""
    if not sitting_ids or not seat_ids:
        return {}
    return {
        (sitting, seat): member
        for sitting, seat, member in session.exec(
            select(Delegate.sitting_id, Delegate.seat_id, Delegate.member_id).where(
                col(Delegate.sitting_id).in_(sitting_ids), col(Delegate.seat_id).in_(seat_ids)
            )
        ).all()
    }
