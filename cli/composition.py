"""`chamber composition` and `chamber delegation`: what a body is made of, and a party's split.

Source: "The case for a second chamber which would add something to Parliament and promote
empowerment", "A possible electoral method"; the bodies are `chamber.bodies`, the party rule
`electoral.delegation`.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from itertools import groupby

import typer
from rich.table import Table
from rich.text import Text

from chamber.bodies import BODIES, Body, Category, CompositionError, get_body
from cli.common import DATABASE, app, console, fail, styled
from electoral.delegation import (
    DEFAULT_CHOICE,
    ROUNDING,
    ROUTES,
    DelegationError,
    DelegationSplit,
    default_split,
    validate_delegation,
)
from electoral.errors import CountError


class Format(StrEnum):
    table = "table"
    json = "json"


def _json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _people(cat: Category) -> str:
    if cat.people is not None and cat.unit:
        return f"{cat.people:,} ({cat.unit})"
    if cat.people is not None:
        return f"{cat.people:,}"
    return cat.unit


def _composition_table(body: Body) -> Table:
    totals = body.totals()
    table = Table(title=f"{body.title}: {totals.seats:,} seats", show_footer=True)
    table.add_column("category", "total", style="bold")
    table.add_column("share", justify="right")
    table.add_column("seats", f"{totals.seats:,}", justify="right")
    table.add_column("sharers per seat", justify="right")
    table.add_column("people (declared)", f"{totals.declared_people:,}", justify="right")
    table.add_column("rota places", f"{totals.rota_places:,}", justify="right")
    table.add_column("cycle")
    table.add_column("how chosen")
    table.add_column("who arranges the rota")
    for cat in body:
        table.add_row(
            Text(cat.title + (" *" if cat.note else "")),
            str(body.share(cat)),
            f"{cat.seats:,}",
            str(cat.sharers_per_seat),
            Text(_people(cat)),
            f"{cat.rota_places:,}",
            cat.cycle,
            Text(cat.selection),
            Text(cat.rota_by),
        )
    return table


def _print_subunits(cat: Category) -> None:
    console.print(
        Text(f"{cat.title}: {len(cat.subunits)} sub-units, {cat.seats} seats", style="bold")
    )
    for group, subs in groupby(cat.subunits, key=lambda s: s.group):
        items = list(subs)
        seats = {s.seats for s in items}
        if len(seats) == 1:
            (n,) = seats
            each = f" ({n} seat{'s' if n != 1 else ''}{' each' if len(items) > 1 else ''})"
            names = ", ".join(s.name for s in items)
        else:
            each = ""
            names = ", ".join(f"{s.name} {s.seats}" for s in items)
        rota = {s.rota_by for s in items} - {""}
        by = f"; rota: {'; '.join(sorted(rota))}" if rota else ""
        console.print(Text(f"  {group or 'other'}: {names}{each}{by}"), highlight=False)


def _print_body(body: Body) -> None:
    console.print(_composition_table(body))
    totals = body.totals()
    line = f"rota places (seats x sharers): {totals.rota_places:,}"
    if totals.headline_people is not None:
        line += f"; the source's headline figure: {totals.headline_people:,} people"
    console.print(Text(line), highlight=False)
    for cat in body:
        if cat.note:
            console.print(Text(f"* {cat.title}: {cat.note}", style="dim"), highlight=False)
    for cat in body:
        if cat.subunits:
            _print_subunits(cat)


@app.command("composition")
def composition(
    body: str = typer.Option(
        "national",
        "--body",
        help=f"A built-in body ({', '.join(BODIES)}) or the path of a .toml file.",
    ),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
    filled: bool = typer.Option(
        False, "--filled", help="Report the installed body's places filled, by which route."
    ),
    on: str | None = typer.Option(None, "--on", help="With --filled: the day (YYYY-MM-DD)."),
    database: str | None = DATABASE,
) -> None:
    """Show a body's categories of seats: who shares them, how chosen, who arranges the rota."""
    if filled:
        from cli.filled import report  # deferred: SQLAlchemy and the whole chamber

        report(body, on, database, fmt.value)
        return
    try:
        chosen = get_body(body)
    except CompositionError as exc:
        raise fail(str(exc)) from None
    if fmt is Format.json:
        _json(chosen.as_dict())
    else:
        _print_body(chosen)


def _split_table(split: DelegationSplit, title: str) -> Table:
    limits = split.limits
    table = Table(title=title, show_footer=True)
    table.add_column("route", "total", style="bold")
    table.add_column("places", f"{split.places:,}", justify="right")
    table.add_column("fewest", justify="right")
    table.add_column("most", justify="right")
    table.add_column("rule")
    table.add_column("chosen by")
    for route, n in split.counts().items():
        limit = limits[route]
        bound = "at most" if limit.rule.startswith("up to") else "at least"
        table.add_row(
            route,
            str(n),
            str(limit.minimum),
            str(limit.maximum),
            f"{limit.rule} ({bound} {limit.quarter})",
            limit.title,
        )
    return table


@app.command("delegation")
def delegation(
    seats: int = typer.Option(
        ..., "--seats", min=1, max=10_000, help="Seats the party holds."
    ),
    nominated: int | None = typer.Option(
        None, min=0, max=240_000, help="Places nominated by the party."
    ),
    indirect: int | None = typer.Option(
        None, min=0, max=240_000, help="Places elected by representatives."
    ),
    members: int | None = typer.Option(
        None, min=0, max=240_000, help="Places elected by party members."
    ),
    constituency: int | None = typer.Option(
        None, min=0, max=240_000, help="Places elected in constituencies."
    ),
    sharers: int = typer.Option(
        24, "--sharers", min=1, max=1_000, help="People sharing each seat."
    ),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
) -> None:
    """Split a party delegation between its four routes, or check a proposed split.

    Without counts: the default split and the limits.  With any count: check them (a route
    left out counts as 0) and exit 1 listing every problem.
    """
    given = dict(zip(ROUTES, (nominated, indirect, members, constituency), strict=True))
    counts: dict[str, int] = {route: n for route, n in given.items() if n is not None}
    try:
        split = (
            validate_delegation(seats, counts, sharers) if counts else default_split(seats, sharers)
        )
    except DelegationError as exc:
        raise fail(str(exc), 1) from None
    except CountError as exc:
        raise fail(str(exc)) from None
    if fmt is Format.json:
        data = split.as_dict()
        data["checked" if counts else "default"] = True
        if not counts:
            data["choice"] = DEFAULT_CHOICE
        _json(data)
        return
    what = "valid split" if counts else "default split"
    title = (
        f"{seats} seat{'s' if seats != 1 else ''} x {sharers} sharer{'s' if sharers != 1 else ''}"
        f" = {split.places:,} places: "
        f"{what}"
    )
    console.print(_split_table(split, title))
    limits = split.limits
    if limits.party_max < 2 * limits[ROUTES[0]].quarter:
        console.print(
            Text(
                f"nominated and indirect together: at most {limits.party_max} "
                f"(the two floors take {split.places - limits.party_max})"
            ),
            highlight=False,
        )
    if counts:
        console.print(styled(("valid", "green"), ": the split keeps the quarter rule"))
    else:
        console.print(Text(f"default: {DEFAULT_CHOICE}"), highlight=False)
    console.print(Text(f"rounding: {ROUNDING}", style="dim"), highlight=False)
