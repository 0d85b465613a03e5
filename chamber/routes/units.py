"""What the STV routes share: a share's places divided between units, then each unit's places
elected by STV (Scottish rules) and seated.

=========  ===========================  ======================================  ==============
route      unit                         divided by                              places
=========  ===========================  ======================================  ==============
local      district council             population: places (about 1 per         next free
                                        27,000 people, at least 3 each)         places in order
faith      multi-faith partnership      membership: whole seats (Sainte-Laguë)  its own seats
students   student union                membership: whole seats (Sainte-Laguë)  its own seats
=========  ===========================  ======================================  ==============

Those elected locally form groups by party (the party in brackets after a candidate's name in
the ballot file, or a ``name,group`` table); those with no group are arranged by the LGA."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from chamber.elections.services import count_election, stored
from chamber.errors import Conflict, NotFound, Refused
from chamber.routes import csvrows
from chamber.routes.models import RouteResult
from chamber.routes.places import Chosen, part_seats, seat_people, start_of
from chamber.routes.records import latest, store_result
from electoral.seat_shares import district_places, student_union_seats

NO_GROUP = "no group (the LGA arranges the rota)"
INDEPENDENT = {"ind", "independent", "none", ""}


@dataclass(frozen=True, slots=True)
class UnitRoute:
    """How one STV route divides its share and seats those elected."""

    route: str
    category: str
    part: str | None  # the part of the category's seats (the youth seats' student half)
    unit: str  # the word for a unit: "district", "partnership", "union"
    figure: str  # the column the division goes by: "population" or "members"
    by_places: bool  # True: places apportioned (local); False: whole seats (faith, students)


UNIT_ROUTES: Mapping[str, UnitRoute] = {
    "local": UnitRoute("local", "local", None, "district", "population", True),
    "faith": UnitRoute("faith", "faith", None, "partnership", "members", False),
    "students": UnitRoute("students", "youth", "Student unions", "union", "members", False),
}


def _route(route: str) -> UnitRoute:
    if route not in UNIT_ROUTES:
        raise NotFound(f"no STV route {route!r}: {', '.join(UNIT_ROUTES)}")
    return UNIT_ROUTES[route]


def divide(
    session: Session, body_key: str, route: str, source_name: str, text: str, *, seed: str,
    places: int | None = None, now: datetime,
) -> int:
    """Divide a route's share between its units from a CSV (``district,population``;
    ``partnership,members``; ``union,members``) and store the division; returns its id.
    The local share may be divided in parts (a nation's districts at a time): ``places`` divides
    only that many of the places not yet divided (all of them when None), and a district
    already in a division is refused.  Faith and students are divided once, whole."""
    r = _route(route)
    before = units_of(session, body_key, route)
    if before and not r.by_places:
        raise Conflict(f"the {route} seats of {body_key} are already divided between "
                       f"{r.unit}s")
    cat, seats = part_seats(session, body_key, r.category, r.part)
    names, figures = csvrows.totals(text, source_name, r.unit, r.figure)
    units: dict[str, dict[str, object]] = {}
    if r.by_places:
        whole = len(seats) * cat.sharers_per_seat
        left = whole - sum(int(v["places"]) for v in before.values())  # type: ignore[call-overload]
        if not left:
            raise Conflict(f"all {whole:,} places of the local share are already divided")
        if places is not None and not 1 <= places <= left:
            raise Refused(f"the local share has {whole:,} places, {left:,} of them not yet "
                          f"divided; {places:,} cannot be divided")
        known = {u.casefold() for u in before}
        again = [n for n in names if n.casefold() in known]
        if again:
            raise Refused(f"{len(again)} {r.unit}s are already in a division: "
                          + ", ".join(again[:10]))
        apportioned = district_places(names, figures, places or left, seed=seed)
        detail: dict[str, object] = apportioned.as_dict()
        for line in apportioned.districts:
            units[line.name] = {"places": line.places, "seats": []}
    else:
        allocation = student_union_seats(names, figures, len(seats), seed=seed)
        detail = allocation.as_dict()
        codes = iter(s.code for s in seats)
        for party in allocation.parties:
            block = [next(codes) for _ in range(party.seats)]
            units[party.name] = {"places": party.seats * cat.sharers_per_seat, "seats": block}
    share_of = sum(int(v["places"]) for v in units.values())  # type: ignore[call-overload]
    stored_division = store_result(
        session, body_key=body_key, route=route, step="division",
        title=f"{cat.title}: {share_of:,} places divided between {len(names)} {r.unit}s",
        source_name=source_name, inputs=text, seed=seed,
        result={"units": units, "working": detail}, now=now,
    )
    assert stored_division.id is not None
    return stored_division.id


def units_of(session: Session, body_key: str, route: str) -> dict[str, dict[str, object]]:
    """Unit -> {places, seats} from the stored divisions, oldest first (empty before any)."""
    out: dict[str, dict[str, object]] = {}
    for found in session.exec(
        select(RouteResult).where(
            RouteResult.body_key == body_key, RouteResult.route == route,
            RouteResult.step == "division",
        ).order_by(col(RouteResult.id))
    ):
        units = found.result["units"]
        assert isinstance(units, dict)
        out.update(units)
    return out


_PARTY = re.compile(r"\(([^()]+)\)\W*$")


def group_of(candidate: str, groups: Mapping[str, str]) -> str:
    """A local member's group: from the table, else the party in brackets at the end of the
    name; independents have no group (the LGA arranges their rota)."""
    if candidate in groups:
        return groups[candidate] or NO_GROUP
    found = _PARTY.search(candidate)
    party = found.group(1).strip() if found else ""
    return NO_GROUP if party.casefold() in INDEPENDENT else party


def read_groups(text: str, name: str) -> dict[str, str]:
    """Local members' groups from CSV (``name,group``; an empty group: none, the LGA)."""
    return {c["name"]: c.get("group", "") for _, c in csvrows.names(text, name)}


def display_name(candidate: str) -> str:
    """A candidate's name as a member's: the quoting of converted ballot files undone."""
    return " ".join(candidate.replace("''", "'").strip("'").split())


def elect(
    session: Session, body_key: str, route: str, unit: str, source_name: str, ballots: str, *,
    seed: str, groups: Mapping[str, str] | None = None, serves_from: date | None = None,
    now: datetime,
) -> int:
    """Count a unit's STV election for its places (Scottish rules), store the count, and seat
    those elected.  Returns the count's id.  A unit not in the division, or counted already,
    is refused; a bad ballot file names file and line; nothing is stored."""
    r = _route(route)
    units = units_of(session, body_key, route)
    if not units:
        raise NotFound(f"the {route} seats are not divided between {r.unit}s yet")
    if unit not in units:
        raise NotFound(f"no {r.unit} {unit!r} in the division ({len(units)} {r.unit}s)")
    if latest(session, body_key, route, "count", unit) is not None:
        raise Conflict(f"the {r.unit} {unit} has already elected its places")
    places = int(units[unit]["places"])  # type: ignore[call-overload]
    if not places:
        raise Refused(f"the {r.unit} {unit} has no places to elect")
    cat, seats = part_seats(session, body_key, r.category, r.part)
    own = units[unit]["seats"]
    assert isinstance(own, list)
    if own:
        seats = [s for s in seats if s.code in own]
    count = count_election(
        session, f"{cat.title}: {unit}", source_name, ballots, rule="scottish", seed=seed,
        seats=places, body_key=body_key, now=now,
    )
    elected = stored(session, count).result["elected"]
    assert isinstance(elected, list)
    if len(elected) < places:
        raise Refused(f"the {r.unit} {unit} elects {places} places but only {len(elected)} "
                      "candidates were elected: it needs more candidates")
    record = store_result(
        session, body_key=body_key, route=route, step="count", unit=unit,
        title=f"{cat.title}: {unit} elected {places} places", source_name=source_name,
        inputs=json.dumps({"election": count, "source": source_name}), seed=seed,
        result={"election": count, "places": places}, now=now,
    )
    people = [
        Chosen(display_name(str(name)),
               group_of(str(name), groups or {}) if route == "local" else unit,
               "elected", unit, f"elected by STV in {unit}", count, record.id)
        for name in elected
    ]
    seat_people(session, body_key, cat, seats, people, route,
                start_of(session, body_key, serves_from), f"the {r.unit} {unit}")
    return count
