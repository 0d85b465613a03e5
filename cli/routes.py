"""`chamber route ...`: the routes into the chamber, each step stored with its inputs and its
result published (party seats and delegations, local/faith/student STV by unit, the UK Youth
Parliament, the organisations ballot and groups).  The chamber is imported inside each command
(deferred: SQLAlchemy and the services)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from cli.common import DATABASE, app, console, fail

route_app = typer.Typer(help="Fill the seats through their routes.", no_args_is_help=True)
app.add_typer(route_app, name="route")

BODY = typer.Option("national", "--body", help="The installed body's key.")
SEED = typer.Option(..., "--seed", help="The seed announced before the count (breaks ties).")
SERVES_FROM = typer.Option(
    None, "--serves-from", help="First day of service (YYYY-MM-DD; default: the calendar's start).")


class UnitRoute(StrEnum):
    local = "local"
    faith = "faith"
    students = "students"


def _text(path: Path) -> str:
    """A file's text; one that cannot be read prints why and exits 2."""
    from electoral.ballots.textfile import read_text  # deferred: the counting core
    from electoral.errors import CountError

    try:
        return read_text(path)
    except CountError as exc:
        raise fail(str(exc)) from None


def _day(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"{what} {text!r} is not a date YYYY-MM-DD") from None


def _run(database: str | None, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """One service in a transaction of its own, the time passed in; errors print and exit 2."""
    from chamber.clock import now  # deferred: SQLAlchemy and the whole chamber
    from chamber.db import make_engine, perform, upgrade
    from chamber.errors import ChamberError
    from electoral.errors import CountError

    engine = make_engine(database)
    upgrade(engine)
    try:
        return perform(engine, service, *args, now=now(), **kwargs)
    except (ChamberError, CountError, OSError) as exc:
        raise fail(str(exc)) from None
    finally:
        engine.dispose()


@route_app.command("install")
def install(
    body: str = typer.Option(
        "national", "--body", help="A built-in body or the path of a .toml file."),
    calendar_start: str = typer.Option(
        ..., "--calendar-start", help="The Monday its first sitting cycle starts (YYYY-MM-DD)."),
    database: str | None = DATABASE,
) -> None:
    """Install a body's seats (empty), ready to be filled through their routes."""
    from chamber.bodies import CompositionError, get_body  # deferred: the chamber
    from chamber.bodies.services import install_body
    from chamber.db import make_engine, perform, upgrade
    from chamber.errors import ChamberError

    day = _day(calendar_start, "--calendar-start")
    assert day is not None
    try:
        chosen = get_body(body)
    except CompositionError as exc:
        raise fail(str(exc)) from None
    engine = make_engine(database)
    upgrade(engine)
    try:
        seats = perform(engine, install_body, chosen, day)
    except ChamberError as exc:
        raise fail(str(exc)) from None
    finally:
        engine.dispose()
    console.print(f"installed {chosen.key}: {seats} seats, none filled yet (`chamber composition "
                  f"--body {chosen.key} --filled`)", highlight=False)


@route_app.command("party-vote")
def party_vote(
    votes: Path = typer.Argument(..., metavar="VOTES.csv", help="party,votes"),
    held_on: str = typer.Option(..., "--held-on", help="The general election's day."),
    peers: Path | None = typer.Option(None, "--peers", help="Political life peers: name,party."),
    method: str = typer.Option("dhondt", help="The party-list method."),
    serves_from: str | None = SERVES_FROM,
    seed: str = SEED, body: str = BODY, database: str | None = DATABASE,
) -> None:
    """Allocate the party seats from the national vote (parties over 1% qualify)."""
    from chamber.routes.party import allocate_party_seats, read_peers  # deferred: the chamber
    from electoral.errors import CountError

    try:
        listed = read_peers(_text(peers), str(peers)) if peers else []
        text = _text(votes)
    except CountError as exc:
        raise fail(str(exc)) from None
    day = _day(held_on, "--held-on")
    assert day is not None
    found = _run(database, allocate_party_seats, body, votes.name, text, held_on=day,
                 method=method, seed=seed, peers=listed,
                 serves_from=_day(serves_from, "--serves-from"))
    console.print(f"party seats allocated: route result {found}", highlight=False)


@route_app.command("delegation")
def delegation(
    party: str = typer.Argument(..., help="The party, as in the national vote."),
    folder: Path = typer.Argument(..., metavar="DIR", help=(
        "peers.csv, nominated.csv, indirect.csv (name[,detail]); members.blt; primaries.csv "
        "(constituency,file,held_on) naming a BLT file each; any may be left out.")),
    serves_from: str | None = SERVES_FROM,
    seed: str = SEED, body: str = BODY, database: str | None = DATABASE,
) -> None:
    """Fill a party's delegation through its four routes (the quarter rule enforced)."""
    from chamber.routes.delegation import fill_delegation  # deferred: the chamber
    from chamber.routes.submission import read_submission
    from electoral.errors import CountError

    if not folder.is_dir():
        raise fail(f"{folder} is not a folder")
    try:
        files = {p.name: _text(p) for p in sorted(folder.iterdir())
                 if p.is_file() and p.suffix.lower() in (".csv", ".blt", ".soc")}
        given = read_submission(party, files)
    except CountError as exc:
        raise fail(str(exc)) from None
    found = _run(database, fill_delegation, body, given, seed=seed,
                 serves_from=_day(serves_from, "--serves-from"))
    console.print(f"{party}'s delegation filled: route result {found}", highlight=False)


@route_app.command("divide")
def divide_share(
    route: UnitRoute = typer.Argument(..., help="local, faith or students."),
    table: Path = typer.Argument(..., metavar="TABLE.csv", help=(
        "district,population; partnership,members; union,members")),
    places: int | None = typer.Option(
        None, min=1, max=100_000,
        help="Local: divide this many of the places not yet divided (a nation's)."),
    seed: str = SEED, body: str = BODY, database: str | None = DATABASE,
) -> None:
    """Divide a share's places (local) or seats (faith, students) between its units."""
    from chamber.routes.units import divide  # deferred: the chamber

    found = _run(database, divide, body, route.value, table.name, _text(table), seed=seed,
                 places=places)
    console.print(f"{route.value} seats divided: route result {found}", highlight=False)


@route_app.command("elect")
def elect_unit(
    route: UnitRoute = typer.Argument(..., help="local, faith or students."),
    unit: str = typer.Argument(..., help="The district, partnership or union."),
    ballots: Path = typer.Argument(..., metavar="BALLOTS.blt", help="Its STV ballots."),
    groups: Path | None = typer.Option(None, help="Local: name,group (else the party in "
                                       "brackets after each name)."),
    serves_from: str | None = SERVES_FROM,
    seed: str = SEED, body: str = BODY, database: str | None = DATABASE,
) -> None:
    """Count a unit's STV election for its places and seat those elected."""
    from chamber.routes.units import elect, read_groups  # deferred: the chamber
    from electoral.errors import CountError

    try:
        mapping = read_groups(_text(groups), str(groups)) if groups else None
    except CountError as exc:
        raise fail(str(exc)) from None
    found = _run(database, elect, body, route.value, unit, ballots.name, _text(ballots),
                 seed=seed, groups=mapping, serves_from=_day(serves_from, "--serves-from"))
    console.print(f"{unit} elected its places: count {found} (/elections/{found})",
                  highlight=False)


@route_app.command("youth-parliament")
def youth_parliament(
    members: Path = typer.Argument(..., metavar="MEMBERS.csv", help="name,elected,left"),
    serves_from: str | None = SERVES_FROM,
    body: str = BODY, database: str | None = DATABASE,
) -> None:
    """Seat members and former members (one term after leaving) of the UK Youth Parliament."""
    from chamber.routes.youth import seat_youth_parliament  # deferred: the chamber

    found = _run(database, seat_youth_parliament, body, members.name, _text(members),
                 serves_from=_day(serves_from, "--serves-from"))
    console.print(f"UK Youth Parliament seated: route result {found}", highlight=False)


@route_app.command("organisations")
def organisations_ballot(
    orgs: Path = typer.Argument(..., metavar="ORGS.csv", help="name,members,nominators,kind"),
    ballots: Path = typer.Argument(..., metavar="BALLOTS.csv", help="choice1, choice2, ..."),
    seed: str = SEED, body: str = BODY, database: str | None = DATABASE,
) -> None:
    """Check who may stand and count the organisations ballot for the 50 seats."""
    from chamber.routes.organisations import run_ballot  # deferred: the chamber

    found = _run(database, run_ballot, body, orgs.name, _text(orgs), ballots.name,
                 _text(ballots), seed=seed)
    console.print(f"organisations ballot counted: route result {found}", highlight=False)


@route_app.command("group")
def organisation_group(
    organisation: str = typer.Argument(..., help="A winning organisation."),
    names: Path = typer.Argument(..., metavar="NAMES.csv", help="name: one a place."),
    serves_from: str | None = SERVES_FROM,
    body: str = BODY, database: str | None = DATABASE,
) -> None:
    """A winning organisation names the group who rotate its seat."""
    from chamber.routes.organisations import name_group  # deferred: the chamber

    found = _run(database, name_group, body, organisation, names.name, _text(names),
                 serves_from=_day(serves_from, "--serves-from"))
    console.print(f"{organisation}'s group seated: route result {found}", highlight=False)


@route_app.command("show")
def show(
    result_id: int = typer.Argument(..., min=1, max=2**31 - 1, metavar="ID",
                                    help="A stored step (route result) id."),
    inputs: Path | None = typer.Option(None, "--inputs", help="Write its inputs to this file."),
    database: str | None = DATABASE,
) -> None:
    """Print a stored step of a route as published (its result as JSON); save its inputs."""
    from chamber.db import make_engine, read, upgrade  # deferred: the chamber
    from chamber.errors import ChamberError
    from chamber.routes.views import route_inputs, route_record

    engine = make_engine(database)
    upgrade(engine)
    try:
        found = read(engine, route_record, result_id)
        name, text = read(engine, route_inputs, result_id)
    except ChamberError as exc:
        raise fail(str(exc)) from None
    finally:
        engine.dispose()
    if inputs is not None:
        inputs.write_text(text, encoding="utf-8")
    console.print(f"{found.title} ({found.route}, {found.step}; inputs {name}, SHA-256 "
                  f"{found.source_sha256}; seed {found.seed!r}; {len(found.seated)} seated)",
                  highlight=False, soft_wrap=True)
    console.print(json.dumps(found.result, indent=1, ensure_ascii=False), highlight=False,
                  soft_wrap=True)
