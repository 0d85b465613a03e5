"""`chamber jury-simulate`: the national jury month by month, from a steady state."""

from __future__ import annotations

import json
import sys
from enum import StrEnum

import typer
from rich.table import Table

from chamber.jury import (
    NATIONAL,
    POOL_SIZE,
    START,
    JuryError,
    JuryRules,
    Simulation,
    simulate,
    synthetic_setup,
)
from cli.common import app, console, err, fail, progress_bar, styled
from electoral.errors import CountError
from electoral.lots import new_seed


class Format(StrEnum):
    table = "table"
    json = "json"


class Method(StrEnum):
    legacy = "legacy"
    leximin = "leximin"


def _table(sim: Simulation) -> Table:
    rules = sim.rules
    table = Table(
        title=f"National jury: {rules.drawn} drawn a month for {rules.term_months} months, "
        f"{rules.extended} extended, {rules.size:,} in all; withdrawal rate "
        f"{sim.withdrawal_rate:.1%}"
    )
    table.add_column("month", style="bold")
    for name in ("size", "joined", "left", "extended", "withdrawn", "replaced"):
        table.add_column(name, justify="right")
    table.add_column("quotas ok")
    for r in sim.months:
        table.add_row(
            r.label,
            f"{r.size:,}",
            str(r.joined),
            str(r.left),
            str(r.extended),
            str(r.withdrawn),
            str(r.replaced),
            (
                styled(("yes", "green"))
                if r.quotas_ok
                else styled(("no", "red"), f" ({len(r.problems)})")
            ),
            style=None if r.size == rules.size else "yellow",
        )
    return table


def _print(sim: Simulation) -> None:
    console.print(_table(sim))
    for r in sim.months:
        for problem in r.problems:
            console.print(f"  {r.label}: {problem}", highlight=False)
        for draw in r.draws:
            for note in draw.notes if draw.kind == "replacement" else ():
                console.print(
                    f"  {r.label}: replacement for {draw.group}: {note}", highlight=False
                )
    console.print(sim.summary(), highlight=False)
    console.print(
        f"  seed: {sim.seed!r} (each month's seeds are seed/YYYY-MM/purpose)   "
        f"pool: {sim.pool}   {sim.seconds:.1f} s",
        highlight=False,
    )


@app.command("jury-simulate")
def jury_simulate(
    months: int = typer.Option(
        36, min=1, max=600, help="Months to simulate after the steady state."
    ),
    seed: str | None = typer.Option(
        None, help="Base seed of every draw and choice (default: a fresh one, recorded)."
    ),
    withdrawal_rate: float = typer.Option(
        0.01, min=0.0, max=1.0, help="Chance that a serving juror withdraws in a month."
    ),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
    replacements: Method = typer.Option(
        Method.legacy, help="Method of the replacement draws.", hidden=True
    ),
    drawn: int = typer.Option(
        NATIONAL.drawn, min=1, max=10_000, help="Jurors drawn a month.", hidden=True
    ),
    extended: int = typer.Option(
        NATIONAL.extended, min=0, max=10_000, help="Jurors extended a month.", hidden=True
    ),
    term_months: int = typer.Option(
        NATIONAL.term_months, min=1, max=120, help="Months of a term.", hidden=True
    ),
    window_months: int = typer.Option(
        NATIONAL.window_months, min=0, max=120, help="Extension window in months.", hidden=True
    ),
    pool_size: int = typer.Option(
        POOL_SIZE, min=1, max=1_000_000, help="Synthetic volunteers.", hidden=True
    ),
    pool_seed: int = typer.Option(1, help="Seed of the synthetic pool.", hidden=True),
    features: str | None = typer.Option(
        None, help="Quota features, comma-separated (default: all).", hidden=True
    ),
    lottery_months: int = typer.Option(
        12, min=1, max=600, help="Months a LEXIMIN lottery is reused at most.", hidden=True
    ),
    start: str = typer.Option(START, help="The first month, YYYY-MM.", hidden=True),
) -> None:
    """Simulate the national jury: monthly draws by lot, extensions, withdrawals and replacement
    draws, from a steady-state jury, on a synthetic volunteer pool."""
    seed = seed or new_seed()
    try:
        rules = JuryRules(drawn, extended, term_months, window_months)
        chosen = [f.strip() for f in features.split(",") if f.strip()] if features else None
        with err.status("building the volunteer pool", spinner="dots"):
            setup = synthetic_setup(rules, pool_size, pool_seed, chosen)
        with progress_bar() as progress:
            task = progress.add_task("steady state", total=None)

            def advance(done: int, total: int, label: str) -> None:
                warm = total - months
                what = "steady state" if done <= warm else "simulating"
                progress.update(task, completed=done, total=total, description=f"{what} {label}")

            sim = simulate(
                months,
                seed=seed,
                withdrawal_rate=withdrawal_rate,
                setup=setup,
                replacement_method="leximin" if replacements is Method.leximin else "legacy",
                lottery_months=lottery_months,
                start=start,
                progress=advance,
            )
    except (JuryError, CountError) as exc:
        raise fail(str(exc)) from None
    if fmt is Format.json:
        sys.stdout.write(json.dumps(sim.as_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        _print(sim)
