"""`chamber simulate`: the chamber run through time on a simulated clock, its invariants checked
every day; exit 1 on any breach."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum

import typer
from rich.table import Table

from cli.common import DATABASE, app, console, err, fail, progress_bar

MAX_MONTHS = 120


class Format(StrEnum):
    table = "table"
    json = "json"


@app.command()
def simulate(
    start: str = typer.Option(..., "--from", help="The first day, YYYY-MM-DD (sittings begin on "
                              "the first Monday from it)."),
    months: int = typer.Option(3, min=1, max=MAX_MONTHS, help="How many months to run."),
    database: str | None = DATABASE,
    seed: str = typer.Option("simulation", help="The seed of every random choice."),
    voters: int = typer.Option(200, min=0, max=100_000, help="Members of the public."),
    jury_features: str | None = typer.Option(
        None, help="Only these jury quota features, comma-separated (a faster lottery)."),
    no_jury: bool = typer.Option(False, "--no-jury", help="Leave the jury out."),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
) -> None:
    """Run the real scheduled jobs and services on a simulated clock on an empty database:
    rota publication, the jury's months, sittings, business planned a month ahead and urgent
    Saturday items, divisions with member and public votes and proxies, swaps, resignations
    and replacements.  Every invariant is checked every day and every breach printed."""
    from chamber.db import make_engine, upgrade  # deferred: the whole chamber is heavy
    from chamber.errors import ChamberError
    from chamber.settings import settings
    from chamber.simulation.run import Options, Simulation

    try:
        first = date.fromisoformat(start)
    except ValueError:
        raise fail(f"--from {start!r} is not a date YYYY-MM-DD") from None
    features = tuple(f.strip() for f in jury_features.split(",")) if jury_features else None
    engine = make_engine(database)
    upgrade(engine)
    options = Options(seed=seed, public_voters=voters, jury=not no_jury, jury_features=features)
    simulation = Simulation(engine, first, options, settings())
    with progress_bar() as bar:
        task = bar.add_task("simulating", total=None)

        def progress(day: date, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=f"simulating {day}")

        try:
            report = simulation.run(months, progress)
        except ChamberError as exc:
            raise fail(str(exc)) from None
    if fmt is Format.json:
        console.print_json(json.dumps({
            "start": report.start.isoformat(), "end": report.end.isoformat(),
            "days": report.days, "sittings": report.sittings, "rotas": report.rotas,
            "jury_months": report.jury_months, "jury_sizes": report.jury_sizes,
            "divisions": report.tally.divisions, "member_votes": report.tally.member_votes,
            "public_votes": report.tally.public_votes, "business": report.tally.business,
            "urgent": report.tally.urgent, "swaps_asked": report.tally.swaps_asked,
            "swaps_accepted": report.tally.swaps_accepted,
            "replacements": report.tally.replacements, "alerts": report.alerts,
            "audit_entries": report.audit_entries, "seconds": round(report.seconds, 1),
            "delegates": report.delegates, "committee_count": report.committee,
            "breaches": [
                {"day": b.day.isoformat(), "rule": b.rule, "detail": b.detail}
                for b in report.breaches
            ],
            "summary": report.summary(),
        }))
    else:
        if report.breaches:
            table = Table(title=f"{len(report.breaches)} breaches")
            for column in ("day", "rule", "breach"):
                table.add_column(column)
            for b in report.breaches[:200]:
                table.add_row(b.day.isoformat(), b.rule, b.detail)
            err.print(table)
        console.print(report.summary(), highlight=False)
    if report.breaches:
        raise typer.Exit(1)
