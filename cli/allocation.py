"""`chamber allocate`, `students` and `districts`: seats from vote, member and population totals."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from cli.common import app, console, fail
from electoral.errors import CountError
from electoral.party_list import (
    DIVISOR_METHODS,
    Allocation,
    allocate,
    quotient_table,
    read_party_votes,
)
from electoral.seat_shares import district_places, student_union_seats


class Method(StrEnum):
    dhondt = "dhondt"
    sainte_lague = "sainte-lague"
    modified_sainte_lague = "modified-sainte-lague"
    huntington_hill = "huntington-hill"
    hare = "hare"
    droop = "droop"


class Format(StrEnum):
    table = "table"
    json = "json"


def _show(result: Allocation, fmt: Format, title: str, working: int) -> None:
    if fmt is Format.json:
        sys.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    divisor = result.method in DIVISOR_METHODS
    table = Table(
        title=f"{title}: {result.seats} seats by {result.method}, threshold {result.threshold} "
        f"of {result.total_votes:,} votes"
    )
    table.add_column("party")
    table.add_column("votes", justify="right")
    table.add_column("share", justify="right")
    table.add_column("seats", justify="right", style="bold")
    if divisor:
        table.add_column("last quotient won", justify="right")
        table.add_column("next quotient", justify="right")
    else:
        table.add_column("quotas", justify="right")
        table.add_column("remainder", justify="right")
    table.add_column("note")
    total = result.total_votes or 1
    for p in result.parties:
        figures = (p.last_quotient, p.next_quotient) if divisor else (p.quota_share, p.remainder)
        note = p.reason if not p.qualified else ("capped; " if p.capped else "") + p.reason
        table.add_row(
            p.name,
            f"{p.votes:,}",
            f"{100 * p.votes / total:.2f}%",
            str(p.seats),
            *figures,
            note,
            style=None if p.qualified else "dim",
        )
    console.print(table)
    label = "lowest winning quotient" if divisor else "quota"
    console.print(f"  {label}: {result.cutoff}")
    if divisor and working:
        qualified = [p for p in result.parties if p.qualified]
        rows = quotient_table(result.method, [p.votes for p in qualified], working)
        quot = Table(title=f"quotients (first {working} of each party)")
        quot.add_column("party")
        for k in range(working):
            quot.add_column(f"seat {k + 1}", justify="right")
        for p, row in zip(qualified, rows, strict=True):
            quot.add_row(p.name, *row)
        console.print(quot)
    for t in result.ties:
        console.print(
            f"  tie for {t.places} place(s) among {', '.join(t.tied)}: by lot to "
            f"{', '.join(t.winners)} (draws {list(t.draws)})"
        )
    console.print(f"  seed: {result.seed!r}", highlight=False)


@app.command("allocate")
def allocate_command(
    votes_file: Path = typer.Argument(..., help="CSV with columns party,votes[,exempt][,cap]."),
    seats: int = typer.Option(..., min=1, max=100_000, help="Seats to allocate."),
    method: Method = typer.Option(Method.dhondt, help="Allocation method."),
    threshold: str = typer.Option(
        "0.01", help="Share of all votes a party must exceed (0.01 = more than 1%)."
    ),
    at_least: bool = typer.Option(False, help="Qualify at the threshold, not only above it."),
    exempt: list[str] = typer.Option([], help="A party that qualifies whatever its share."),
    seed: str | None = typer.Option(None, help="Seed for lots at a tie (recorded)."),
    working: int = typer.Option(
        0, min=0, max=1_000, help="Also print the first N quotients per party."
    ),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Allocate seats to parties in proportion to their votes, showing the working."""
    try:
        data = read_party_votes(votes_file)
        result = allocate(
            data.names,
            data.votes,
            seats,
            method.value,
            threshold=threshold,
            strict_threshold=not at_least,
            exempt=[*data.exempt, *exempt],
            caps=data.caps,
            seed=seed,
        )
    except CountError as exc:
        raise fail(str(exc)) from None
    _show(result, fmt, votes_file.name, working)


@app.command("students")
def students_command(
    unions_file: Path = typer.Argument(..., help="CSV with columns union,members."),
    seats: int = typer.Option(25, min=1, max=100_000, help="Student seats to divide."),
    method: Method = typer.Option(Method.sainte_lague, help="Allocation method."),
    seed: str | None = typer.Option(None, help="Seed for lots at a tie (recorded)."),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Divide the student seats between student unions in proportion to their membership."""
    try:
        data = read_party_votes(unions_file, name_columns=("union", "name"), value_column="members")
        result = student_union_seats(data.names, data.votes, seats, method.value, seed)
    except CountError as exc:
        raise fail(str(exc)) from None
    _show(result, fmt, unions_file.name, 0)


@app.command("districts")
def districts_command(
    population_file: Path = typer.Argument(..., help="CSV with columns district,population."),
    places: int = typer.Option(
        2400, min=1, max=1_000_000, help="Local STV places to apportion."
    ),
    minimum: int | None = typer.Option(
        None, min=1, max=1_000, help="Least places per district (default 3 where possible, else 1)."
    ),
    method: Method = typer.Option(Method.sainte_lague, help="Divisor method."),
    seed: str | None = typer.Option(None, help="Seed for lots at a tie (recorded)."),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Apportion the local STV places to district councils by population."""
    try:
        data = read_party_votes(
            population_file, name_columns=("district", "name"), value_column="population"
        )
        result = district_places(
            data.names, data.votes, places, minimum=minimum, method=method.value, seed=seed
        )
    except CountError as exc:
        raise fail(str(exc)) from None
    if fmt is Format.json:
        sys.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    table = Table(
        title=f"{result.places} places by {result.method}, at least {result.minimum} each; "
        f"{result.people_per_place:,} people per place overall"
    )
    for col in ("district", "population", "places", "people per place"):
        table.add_column(col, justify="left" if col == "district" else "right")
    for d in result.districts:
        table.add_row(d.name, f"{d.population:,}", str(d.places), f"{d.people_per_place:,}")
    console.print(table)
    for t in result.ties:
        console.print(f"  tie among {', '.join(t.tied)}: by lot to {', '.join(t.winners)}")
    console.print(f"  seed: {result.seed!r}", highlight=False)
