"""`chamber offices`: who holds which office of a body, appointing and ending offices, and the
body's interest assemblies (`docs/officers.md`).  The same as the clerks' *Officers* page.

The chamber's modules are imported inside each command (deferred: SQLAlchemy and the whole
chamber are heavy, and a count or a rota never needs them)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import typer
from rich.table import Table

from cli.common import DATABASE, app, console, fail

offices_app = typer.Typer(
    help="Officers with powers: who holds which office, appointing and ending offices, and the "
    "interest assemblies.",
    no_args_is_help=True,
)
app.add_typer(offices_app, name="offices")


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r} is not a date YYYY-MM-DD") from None


@offices_app.command("list")
def offices_list(
    body: str = typer.Argument(..., help="The body's key, e.g. national."),
    day: str | None = typer.Option(None, help="Only the offices held on YYYY-MM-DD."),
    database: str | None = DATABASE,
) -> None:
    """Every office of a body: who, of which group or assembly, from when until when."""
    from chamber.db import make_engine, read  # deferred: SQLAlchemy and the whole chamber
    from chamber.errors import ChamberError
    from chamber.officers.services import holders

    on = _day(day, "--day") if day else None
    try:
        found = read(make_engine(database), holders, body, on)
    except ChamberError as exc:
        raise fail(str(exc)) from None
    table = Table(title=f"Offices of {body}" + (f" on {on}" if on else ""))
    for column in ("holding", "office", "of", "member", "from", "until", "elected by count"):
        table.add_column(column)
    for h in found:
        table.add_row(str(h.id), h.office, h.group or (h.assembly or ""), f"{h.name} ({h.member})",
                      str(h.holds_from), str(h.holds_until or ""), str(h.election or ""))
    console.print(table)


@offices_app.command("appoint")
def offices_appoint(
    body: str = typer.Argument(..., help="The body's key."),
    office: str = typer.Argument(
        ..., help="Speaker, 'deputy speaker', whip, 'group officer' or 'assembly officer'."),
    member: str = typer.Argument(..., help="The member id."),
    holds_from: str = typer.Option(..., "--from", help="The first day of office, YYYY-MM-DD."),
    group: str | None = typer.Option(None, help="A whip's or group officer's group (theirs)."),
    assembly: str | None = typer.Option(None, help="An assembly officer's assembly, by name."),
    database: str | None = DATABASE,
) -> None:
    """Appoint a member to an office of their body; a refusal says why and stores nothing."""
    from chamber.assemblies.services import assemblies_of  # deferred: the whole chamber
    from chamber.db import make_engine, perform, read
    from chamber.errors import ChamberError
    from chamber.officers.services import appoint

    engine = make_engine(database)
    first = _day(holds_from, "--from")
    try:
        assembly_id = None
        if assembly is not None:
            found = {a.name: a.id for a in read(engine, assemblies_of, body)}
            if assembly not in found:
                raise fail(f"{body} has no assembly {assembly!r} ({', '.join(found) or 'none'})")
            assembly_id = found[assembly]
        holding = perform(engine, appoint, body, office, member, holds_from=first,
                          by="command line", now=datetime.now(UTC), group=group,
                          assembly_id=assembly_id)
    except ChamberError as exc:
        raise fail(str(exc)) from None
    console.print(f"{member} holds the office of {office} from {first} (holding {holding})",
                  highlight=False)


@offices_app.command("end")
def offices_end(
    holding: int = typer.Argument(..., min=1, max=2**31 - 1, help="The holding's number."),
    last_day: str = typer.Option(..., "--last-day", help="The last day of office, YYYY-MM-DD."),
    database: str | None = DATABASE,
) -> None:
    """End an office after its last day."""
    from chamber.db import make_engine, perform  # deferred: SQLAlchemy and the whole chamber
    from chamber.errors import ChamberError
    from chamber.officers.services import end_holding

    last = _day(last_day, "--last-day")
    try:
        perform(make_engine(database), end_holding, holding, last, by="command line",
                now=datetime.now(UTC))
    except ChamberError as exc:
        raise fail(str(exc)) from None
    console.print(f"holding {holding} ends after {last}", highlight=False)


@offices_app.command("assemblies")
def offices_assemblies(
    body: str = typer.Argument(..., help="The body's key."),
    register: bool = typer.Option(
        False, "--register", help="First register the assemblies of the body's composition."),
    database: str | None = DATABASE,
) -> None:
    """A body's interest assemblies with their seats (with --register, made from its
    composition, naming delegates from the first rota period not yet published)."""
    from chamber.assemblies.services import assemblies_of  # deferred: the whole chamber
    from chamber.db import make_engine, perform, read
    from chamber.errors import ChamberError
    from chamber.officers.delegates import register_assemblies

    engine = make_engine(database)
    try:
        if register:
            perform(engine, register_assemblies, body, datetime.now(UTC))
        found = read(engine, assemblies_of, body)
    except ChamberError as exc:
        raise fail(str(exc)) from None
    table = Table(title=f"Interest assemblies of {body}")
    for column in ("assembly", "sector", "seats", "names delegates from"):
        table.add_column(column)
    for a in found:
        table.add_row(a.name, a.sector, ", ".join(a.seats), str(a.names_from))
    console.print(table)
