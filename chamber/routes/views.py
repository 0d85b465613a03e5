"""Read models of the routes: how many of each share's places are filled and by which route
(and what is missing), a seat's page (its route, its sharers and how each came to be there),
and a stored route step as published."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from chamber.assemblies.services import CATEGORY, assemblies_of
from chamber.bodies.models import Category, Seat
from chamber.bodies.services import bodies, body, pattern
from chamber.clock import london
from chamber.errors import NotFound
from chamber.membership.models import Member
from chamber.officers.delegates import unnamed
from chamber.officers.services import holders
from chamber.rotas.services import next_period_start, period_cycles
from chamber.routes.models import MemberRoute, RouteResult
from chamber.routes.places import share as share_of
from chamber.routes.records import latest, stored_result
from chamber.routes.units import UNIT_ROUTES, units_of

SHARE_ROUTES = {"party": ("party",), "local": ("local",), "faith": ("faith",),
                "youth": ("youth", "students"), "organisations": ("organisations",)}
"""The shares filled by the routes built here (the jury and the interest assemblies are filled
by the jury's draws and the assemblies; the experts by the jury's ballots)."""


@dataclass(frozen=True, slots=True)
class ShareFilled:
    """One share: its places, how many are filled by each route and way, how many serving
    sharers have no route recorded (the demonstration's invented people, replacements), and
    what is missing."""

    key: str
    title: str
    seats: int
    first_seat: str
    last_seat: str
    places: int
    by_route: tuple[tuple[str, str, int], ...]  # (route, way, places)
    routed: int
    unrouted: int
    empty: int
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FilledReport:
    body_key: str
    on: date
    shares: tuple[ShareFilled, ...]


def filled(session: Session, body_key: str, on: date) -> FilledReport:
    """Each share's places on a day: filled by which route, serving without a route, empty."""
    cats = session.exec(
        select(Category).where(Category.body_key == body_key).order_by(col(Category.id))
    ).all()
    if not cats:
        raise NotFound(f"body {body_key!r} is not installed")
    rows = session.execute(  # five columns: past sqlmodel's typed overloads of select
        sa_select(col(Seat.category_id), col(Member.serves_from), col(Member.serves_until),
                  col(MemberRoute.route), col(MemberRoute.way))
        .join(Member, col(Member.seat_id) == col(Seat.id))
        .join(MemberRoute, col(MemberRoute.member_id) == col(Member.id), isouter=True)
        .where(col(Seat.body_key) == body_key)
    ).all()
    codes: dict[int, list[str]] = {}
    for category_id, code in session.exec(
        select(col(Seat.category_id), col(Seat.code)).where(Seat.body_key == body_key)
        .order_by(col(Seat.number))
    ).all():
        codes.setdefault(category_id, []).append(code)
    counts: dict[int, Counter[tuple[str, str]]] = {}
    for category_id, start, until, route, way in rows:
        if start <= on and (until is None or until >= on):
            counts.setdefault(category_id, Counter())[(route or "", way or "")] += 1
    shares = []
    for cat in cats:
        found = counts.get(cat.id or 0, Counter())
        by_route = tuple(sorted((r, w, n) for (r, w), n in found.items() if r))
        routed = sum(n for _, _, n in by_route)
        serving = sum(found.values())
        places = cat.seats * cat.sharers_per_seat
        own = codes.get(cat.id or 0, [""])
        shares.append(ShareFilled(
            cat.key, cat.title, cat.seats, own[0], own[-1], places, by_route, routed,
            serving - routed,
            max(0, places - serving), tuple(_missing(session, body_key, cat.key, on)),
        ))
    return FilledReport(body_key, on, tuple(shares))


def _assemblies(session: Session, body_key: str, on: date) -> list[str]:
    """What the interest assemblies lack on a day: registering, officers, delegates for the
    next rota period not yet published."""
    views = assemblies_of(session, body_key)
    if not views:
        return ["assemblies: not registered (`chamber offices assemblies "
                f"{body_key} --register`)"]
    out = []
    held = {h.assembly for h in holders(session, body_key, on) if h.office == "assembly officer"}
    without = [v.name for v in views if v.name not in held]
    if without:
        out.append(f"assemblies: {len(without)} of {len(views)} have no officer on {on}: "
                   + ", ".join(without[:10]) + (" ..." if len(without) > 10 else ""))
    start = next_period_start(session, body_key, on)
    last = start + timedelta(days=period_cycles(session, body_key)
                             * pattern(session, body_key).cycle_days - 1)
    places = sum(len(unnamed(session, v.id, start, last)) for v in views
                 if v.names_from <= start)
    if places:
        out.append(f"assemblies: {places:,} places of the rota period from {start} have no "
                   "delegate named yet (its rota is not published until they have)")
    return out


def _missing(session: Session, body_key: str, share: str, on: date) -> list[str]:
    """What a share's routes still lack: steps not taken, units not yet elected."""
    if share == CATEGORY:
        return _assemblies(session, body_key, on)
    if share == "experts":
        return ["appointed by the jury's ballots, and in the transition the crossbench peers "
                f"(`chamber experts`, /jury/{body_key}/experts)"]
    if share == "jury":
        return ["filled by the jury's monthly draws (`docs/sortition.md`)"]
    if share not in SHARE_ROUTES:
        return ["not filled by these routes (drawn by lot, or named by its own process)"]
    out: list[str] = []
    for route in SHARE_ROUTES[share]:
        if route in UNIT_ROUTES:
            units = units_of(session, body_key, route)
            word = UNIT_ROUTES[route].unit
            if not units:
                out.append(f"{route}: the seats are not yet divided between {word}s")
                continue
            if UNIT_ROUTES[route].by_places:
                cat, _ = share_of(session, body_key, UNIT_ROUTES[route].category)
                whole = cat.seats * cat.sharers_per_seat
                divided = sum(int(v["places"]) for v in units.values())  # type: ignore[call-overload]
                if divided < whole:
                    out.append(f"{route}: {whole - divided:,} of {whole:,} places are not yet "
                               f"divided between {word}s")
            done = {r.unit for r in _steps(session, body_key, route, "count")}
            waiting = [u for u, v in units.items() if u not in done and v["places"]]
            if waiting:
                out.append(f"{route}: {len(waiting)} {word}s have not elected: "
                           + ", ".join(waiting[:10]) + (" ..." if len(waiting) > 10 else ""))
        elif route == "party":
            allocation = latest(session, body_key, "party", "allocation")
            if allocation is None:
                out.append("party: the national vote is not yet imported")
                continue
            done = {r.unit for r in _steps(session, body_key, "party", "delegation")}
            blocks = allocation.result["seats"]
            assert isinstance(blocks, dict)
            waiting = [p for p in blocks if p not in done]
            if waiting:
                out.append("party: delegations not yet filled: " + ", ".join(waiting))
        elif route == "organisations":
            ballot = latest(session, body_key, "organisations", "ballot")
            if ballot is None:
                out.append("organisations: the ballot is not yet counted")
                continue
            done = {r.unit for r in _steps(session, body_key, "organisations", "names")}
            seats = ballot.result["seats"]
            assert isinstance(seats, dict)
            waiting = [o for o in seats if o not in done]
            if waiting:
                out.append(f"organisations: {len(waiting)} winners have not named their "
                           "group: " + ", ".join(waiting[:10]))
        elif route == "youth" and latest(
            session, body_key, "youth", "names", "UK Youth Parliament"
        ) is None:
            out.append("youth: the UK Youth Parliament's members are not yet seated")
    return out


def _steps(session: Session, body_key: str, route: str, step: str) -> list[RouteResult]:
    return list(session.exec(select(RouteResult).where(
        RouteResult.body_key == body_key, RouteResult.route == route, RouteResult.step == step
    )).all())


@dataclass(frozen=True, slots=True)
class Sharer:
    """A sharer of a seat and how they came to be there."""

    id: str
    name: str
    group: str
    serves_from: date
    serves_until: date | None
    route: str
    way: str
    unit: str
    detail: str
    election_id: int | None
    result_id: int | None


@dataclass(frozen=True, slots=True)
class SeatView:
    body_key: str
    code: str
    category: str
    title: str
    selection: str
    rota_by: str
    sharers_per_seat: int
    serving: int
    sharers: tuple[Sharer, ...]


def seat_view(session: Session, body_key: str | None, code: str, on: date) -> SeatView:
    """A seat: its share, how that share is chosen, and every sharer (serving on ``on`` first,
    then those whose service has ended) with their route and the count that did it."""
    body_key = default_body(session, body_key)
    seat = session.exec(select(Seat).where(Seat.body_key == body_key, Seat.code == code)).first()
    if seat is None:
        raise NotFound(f"no seat {code!r} in {body_key}")
    cat = session.get(Category, seat.category_id)
    assert cat is not None
    categories = body(session, body_key).spec["categories"]
    assert isinstance(categories, list)
    spec: dict[str, object] = next((c for c in categories if c["key"] == cat.key), {})
    rows = session.exec(
        select(Member, MemberRoute)
        .join(MemberRoute, col(MemberRoute.member_id) == col(Member.id), isouter=True)
        .where(Member.seat_id == seat.id).order_by(col(Member.id))
    ).all()
    sharers = [
        Sharer(m.id, m.name, m.group, m.serves_from, m.serves_until,
               r.route if r else "", r.way if r else "", r.unit if r else "",
               r.detail if r else "", r.election_id if r else None, r.result_id if r else None)
        for m, r in rows
    ]
    now_serving = [s for s in sharers if s.serves_from <= on and
                   (s.serves_until is None or s.serves_until >= on)]
    others = [s for s in sharers if s not in now_serving]
    return SeatView(body_key, code, cat.key, cat.title, str(spec.get("selection", "")),
                    str(spec.get("rota_by", "")), cat.sharers_per_seat, len(now_serving),
                    tuple(now_serving + others))


@dataclass(frozen=True, slots=True)
class RouteRecord:
    """A stored route step as published (its inputs are downloaded)."""

    id: int
    body_key: str
    route: str
    step: str
    unit: str
    title: str
    source_name: str
    source_sha256: str
    seed: str
    result: dict[str, object]
    made_at: datetime
    audit_head: str
    seated: tuple[tuple[str, str, str, str], ...]  # (member id, name, seat code, way)
    counts: tuple[int, ...]  # the counts (elections) this step made or seated people by


def route_record(session: Session, result_id: int) -> RouteRecord:
    """A stored step and the members it seated (with their seats and the way each came)."""
    r = stored_result(session, result_id)
    assert r.id is not None
    counts = {e for e in session.exec(
        select(col(MemberRoute.election_id)).where(MemberRoute.result_id == r.id)
    ).all() if e is not None}
    if isinstance(r.result.get("election"), int):
        counts.add(int(r.result["election"]))  # type: ignore[call-overload]
    seated = session.exec(
        select(col(Member.id), col(Member.name), col(Seat.code), col(MemberRoute.way))
        .join(Member, col(Member.id) == col(MemberRoute.member_id))
        .join(Seat, col(Seat.id) == col(Member.seat_id))
        .where(MemberRoute.result_id == r.id).order_by(col(Member.id))
    ).all()
    return RouteRecord(r.id, r.body_key, r.route, r.step, r.unit, r.title, r.source_name,
                       r.source_sha256, r.seed, dict(r.result), london(r.made_at), r.audit_head,
                       tuple((m, n, c, w) for m, n, c, w in seated), tuple(sorted(counts)))


def route_inputs(session: Session, result_id: int) -> tuple[str, str]:
    """A stored step's inputs as given: (file name, text)."""
    r = stored_result(session, result_id)
    return r.source_name, r.inputs


@dataclass(frozen=True, slots=True)
class StepLine:
    """A stored route step as listed: what it was, when, and how many it seated."""

    id: int
    route: str
    step: str
    unit: str
    title: str
    made_at: datetime
    members: int


@dataclass(frozen=True, slots=True)
class SeatsPage:
    """The shares filled, and every stored step of the body's routes (newest last)."""

    filled: FilledReport
    steps: tuple[StepLine, ...]


def default_body(session: Session, body_key: str | None) -> str:
    """The body asked for, else the national chamber if installed, else the first installed."""
    if body_key is not None:
        return body_key
    installed = bodies(session)
    if not installed:
        raise NotFound("no body is installed yet (chamber route install, or chamber seed)")
    return "national" if "national" in installed else installed[0]


def seats_page(session: Session, body_key: str | None, on: date) -> SeatsPage:
    body_key = default_body(session, body_key)
    report = filled(session, body_key, on)
    seated = Counter(session.exec(
        select(col(MemberRoute.result_id)).where(col(MemberRoute.result_id).is_not(None))
    ).all())
    steps = session.exec(
        select(RouteResult).where(RouteResult.body_key == body_key).order_by(col(RouteResult.id))
    ).all()
    return SeatsPage(report, tuple(
        StepLine(r.id or 0, r.route, r.step, r.unit, r.title, london(r.made_at), seated[r.id])
        for r in steps
    ))
