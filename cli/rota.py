"""`chamber rota solve | swap | explain`: who sits in which seat in which 8-hour slot.

The commands solve the national sitting pattern (two 8-hour slots a day, Monday to Saturday,
Europe/London wall time); its cycle is a fortnight, so ``--fortnights`` (alias ``--cycles``) is
the length of the period."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from cli.common import app, console, err, fail, styled
from rota.calendar import NATIONAL_PATTERN, zone_of
from rota.errors import RotaError
from rota.explain import conflicts
from rota.io import (
    member_ics,
    member_view,
    problem_from_files,
    rota_from_json,
    rota_json,
    write_rota_csv,
)
from rota.model import RotaProblem
from rota.solve import Rota, measure, solve
from rota.swaps import SwapDesk

rota_app = typer.Typer(help="Solve, check and change the rota.", no_args_is_help=True)
app.add_typer(rota_app, name="rota")


FORTNIGHTS = typer.Option(
    2,
    "--fortnights",
    "--cycles",
    min=1,
    max=26,
    help="Length in fortnights: the cycles of the national sitting pattern, which these "
    "commands solve (--cycles is the same option; at most 26, a year).",
)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    ics = "ics"


def _problem(
    members: Path,
    availability: Path,
    start: str,
    cycles: int,
    history: Path | None,
    no_sitting: list[str],
) -> RotaProblem:
    try:
        first = date.fromisoformat(start)
        closed = [date.fromisoformat(d) for d in no_sitting]
    except ValueError as exc:
        raise fail(f"dates are written YYYY-MM-DD: {exc}") from None
    return problem_from_files(
        members, availability, first, cycles, history_csv=history, no_sitting=closed
    )


def _now(text: str | None) -> datetime:
    """The time of a swap: ``--now`` (a time without an offset is Europe/London wall-clock time,
    the pattern's zone), or else the clock."""
    if not text:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone_of(NATIONAL_PATTERN.timezone))
    return moment


def _explain_or_fail(problem: RotaProblem) -> None:
    found = conflicts(problem)
    if found:
        for c in found:
            err.print(styled("  ", ("conflict", "red"), f" {c.describe()}"), soft_wrap=True)
        raise fail(f"the hard rules cannot be met in {len(found)} seat cycle(s); see above", 1)


def _summary(rota: Rota) -> None:
    p = rota.problem
    table = Table(
        title=f"Rota from {p.calendar.start.isoformat()}, {p.calendar.cycles} "
        f"fortnight(s): {len(p.members):,} members, {len(p.seats)} seats, "
        f"{len(p.calendar.slots)} slots"
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    for label, value in (
        ("solve time", f"{rota.seconds:.2f} s"),
        ("objective (cost of soft goals missed)", f"{rota.objective:.1f}"),
        ("LP bound", f"{rota.bound:.1f}"),
        ("gap to the bound", f"{100 * rota.gap:.3f}%"),
        ("group-balance violations", str(rota.violations)),
        ("seats left empty in a slot", str(len(rota.unfilled))),
        ("members without a slot", str(len(rota.without_slot))),
        ("rostered while unavailable", str(rota.unavailable_assigned)),
    ):
        table.add_row(label, value)
    console.print(table)
    for note in rota.notes:
        console.print(f"  note: {note}", highlight=False)


@rota_app.command("solve")
def solve_command(
    members: Path = typer.Argument(..., help="CSV: id,seat,group[,cycle][,name]."),
    availability: Path = typer.Argument(..., help="CSV: member,date,session,kind,weight."),
    start: str = typer.Option(..., "--from", help="First Monday of the rota (YYYY-MM-DD)."),
    fortnights: int = FORTNIGHTS,
    history: Path | None = typer.Option(None, help="CSV of past slots: member,date,session."),
    no_sitting: list[str] = typer.Option([], help="A day with no sitting (repeatable)."),
    fmt: Format = typer.Option(Format.table, "--format"),
    member: str | None = typer.Option(
        None, help="Show (or, with --format ics, export) one member."
    ),
    save: Path | None = typer.Option(None, help="Save the rota as JSON (for swaps)."),
) -> None:
    """Solve the rota and report its measures, with the gap to the LP bound."""
    try:
        problem = _problem(members, availability, start, fortnights, history, no_sitting)
        _explain_or_fail(problem)
        with err.status("solving the rota", spinner="dots"):
            rota = solve(problem)
        if save is not None:
            save.write_text(json.dumps(rota_json(rota), indent=1), encoding="utf-8")
        if fmt is Format.ics:
            if member is None:
                raise fail("--format ics needs --member ID")
            sys.stdout.buffer.write(member_ics(rota, member))
            return
        if fmt is Format.json:
            sys.stdout.write(json.dumps(rota_json(rota), indent=1, default=str) + "\n")
            return
        if fmt is Format.csv:
            write_rota_csv(rota, sys.stdout)
            return
        _summary(rota)
        if member is not None:
            console.print_json(json.dumps(member_view(rota, member).as_dict(), default=str))
    except RotaError as exc:
        raise fail(str(exc)) from None


@rota_app.command("swap")
def swap_command(
    members: Path = typer.Argument(..., help="CSV of members, as for solve."),
    availability: Path = typer.Argument(..., help="CSV of availability, as for solve."),
    saved: Path = typer.Argument(..., help="The rota saved by `rota solve --save`."),
    first: str = typer.Argument(..., help="Member proposing the swap."),
    second: str = typer.Argument(..., help="Sharer of the same seat to swap with."),
    start: str = typer.Option(..., "--from", help="First Monday of the rota (YYYY-MM-DD)."),
    fortnights: int = FORTNIGHTS,
    history: Path | None = typer.Option(None),
    no_sitting: list[str] = typer.Option([]),
    apply: bool = typer.Option(False, help="Make the swap and save the rota again."),
    now: str | None = typer.Option(
        None,
        help="The current time (default: now), for past slots: YYYY-MM-DDTHH:MM, London time "
        "unless it has a UTC offset.",
    ),
) -> None:
    """Check a swap between two sharers of a seat (microseconds), with reasons or a chain."""
    try:
        problem = _problem(members, availability, start, fortnights, history, no_sitting)
        rota = rota_from_json(saved.read_text(encoding="utf-8"), problem)
        desk = SwapDesk(rota)
        moment = _now(now)
        verdict = desk.check(first, second, now=moment)
    except (RotaError, OSError, ValueError) as exc:
        raise fail(str(exc)) from None
    if not verdict.allowed:
        console.print(styled((verdict.describe(), "red")), highlight=False)
        raise typer.Exit(1)
    if apply:
        new = desk.apply(first, second, now=moment)
        saved.write_text(
            json.dumps(rota_json(measure(problem, new, float("-inf"), 0.0, 0)), indent=1),
            encoding="utf-8",
        )
        console.print(
            styled(("swapped", "green"), f" {first} and {second}; saved {saved}"), highlight=False
        )
    else:
        console.print(
            styled(("allowed", "green"), f": {first} and {second} may swap"), highlight=False
        )


@rota_app.command("explain")
def explain_command(
    members: Path = typer.Argument(...),
    availability: Path = typer.Argument(...),
    start: str = typer.Option(..., "--from", help="First Monday of the rota (YYYY-MM-DD)."),
    fortnights: int = FORTNIGHTS,
    history: Path | None = typer.Option(None),
    no_sitting: list[str] = typer.Option([]),
) -> None:
    """Say which seats' slots their available sharers cannot cover, and what would fix it."""
    try:
        problem = _problem(members, availability, start, fortnights, history, no_sitting)
    except RotaError as exc:
        raise fail(str(exc)) from None
    found = conflicts(problem)
    if not found:
        console.print(
            styled(("every seat can be filled in every slot", "green"), " by available sharers")
        )
        return
    for c in found:
        console.print(c.describe(), highlight=False, soft_wrap=True)
    raise typer.Exit(1)
