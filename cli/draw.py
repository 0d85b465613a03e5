"""`chamber draw` (and `chamber draw verify`): panels by lot from a volunteer pool, to quotas."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperGroup

from cli.common import app, console, err, fail, styled
from electoral.errors import CountError
from electoral.sortition.draw import LEGACY_RUNS, record_from_dict, run_draw, verify
from electoral.sortition.instance import Instance, build_instance, read_pool, read_quotas
from electoral.sortition.panels import InfeasibleQuotasError


class _DefaultRun(TyperGroup):
    """`chamber draw POOL QUOTAS ...` runs a draw; `chamber draw verify ...` checks one."""

    # Any: typer's group takes its own (vendored) click types, which change between versions
    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["run", *args]
        return super().resolve_command(ctx, args)


draw_app = typer.Typer(
    cls=_DefaultRun,
    help="Draw a panel by lot from a volunteer pool to quotas, or verify a published draw.",
    no_args_is_help=True,
)
app.add_typer(draw_app, name="draw")


class Method(StrEnum):
    leximin = "leximin"
    legacy = "legacy"


class Format(StrEnum):
    table = "table"
    json = "json"


def _instance(
    pool: Path, quotas: Path, size: int, id_column: str | None, household_column: str | None
) -> Instance:
    people = read_pool(
        pool,
        id_column=id_column or "id",
        household_column=household_column,
        require_id=id_column is not None,
    )
    qs, sha = read_quotas(quotas)
    return build_instance(
        people, qs, size, one_per_household=household_column is not None, quotas_sha256=sha
    )


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} types fixed"),
        TextColumn("level {task.fields[level]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


@draw_app.command("run")
def run_command(
    pool: Path = typer.Argument(..., help="Pool CSV: an id column and one column per feature."),
    quotas: Path = typer.Argument(..., help="Quotas CSV: feature,value,min,max."),
    size: int = typer.Option(..., "--size", min=1, max=100_000, help="Panel size."),
    seed: str = typer.Option(..., help="The public seed announced in advance (any text)."),
    method: Method = typer.Option(Method.leximin, help="leximin (fair) or legacy (greedy)."),
    id_column: str | None = typer.Option(
        None, help="Id column (default: 'id' if there is one, else the row number from 0)."
    ),
    household_column: str | None = typer.Option(
        None, help="Household/address column: at most one person per household."
    ),
    record: Path | None = typer.Option(None, help="Write the public record (JSON) here."),
    key: str | None = typer.Option(
        None, help="Key for pseudonyms in the record (default: a fresh one, printed once)."
    ),
    legacy_runs: int = typer.Option(
        LEGACY_RUNS, min=1, max=1_000_000, help="Simulations for legacy odds."
    ),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Draw a panel: the fairest lottery over quota-meeting panels, sampled with a public seed."""
    try:
        inst = _instance(pool, quotas, size, id_column, household_column)
        with _progress() as progress:
            task = progress.add_task(f"{method.value}", total=inst.ntypes, level="-")

            def report(done: int, total: int, level: float) -> None:
                progress.update(task, completed=done, total=total, level=f"{level:.4f}")

            result = run_draw(
                inst, seed, method.value, key=key, progress=report, legacy_runs=legacy_runs
            )
    except InfeasibleQuotasError as exc:
        raise fail(str(exc)) from None
    except CountError as exc:
        raise fail(str(exc)) from None
    rec = result.record
    if record is not None:
        record.write_text(rec.to_json() + "\n", encoding="utf-8")
    if fmt is Format.json:
        sys.stdout.write(rec.to_json() + "\n")
        return
    probs = result.distribution.person_probability
    summary = Table(title=f"Panel of {rec.size} from {rec.pool_size} volunteers ({rec.method})")
    summary.add_column("")
    summary.add_column("", overflow="fold")
    rows: list[tuple[str, Any]] = [
        ("seed", repr(rec.seed)),
        ("minimum probability", f"{100 * rec.minimum_probability:.3f}%"),
        ("median probability", f"{100 * float(np.median(probs)):.3f}%"),
        ("maximum probability", f"{100 * float(probs.max()):.3f}%"),
        ("Gini coefficient", f"{100 * rec.gini:.2f}%"),
        ("panels in the lottery", str(len(result.distribution.weights))),
        ("pool SHA-256", rec.pool_sha256),
        ("quotas SHA-256", rec.quotas_sha256),
        ("algorithm", rec.version),
    ]
    for label, value in rows:
        summary.add_row(label, value)
    console.print(summary)
    panel = Table(title="Selected")
    panel.add_column("id")
    for f in inst.pool.features:
        panel.add_column(f)
    for i in result.selected:
        panel.add_row(
            inst.pool.ids[i],
            *(
                inst.pool.values[f][int(inst.pool.codes[i, f])]
                for f in range(len(inst.pool.features))
            ),
        )
    console.print(panel)
    quota_table = Table(title="Quotas")
    for col in ("quota", "min", "max", "selected"):
        quota_table.add_column(col, justify="left" if col == "quota" else "right")
    counts = inst.incidence[:, inst.type_of[result.selected]].sum(axis=1)
    for q, c in zip(inst.quotas, counts, strict=True):
        quota_table.add_row(q.label, str(q.min), str(q.max), str(int(c)))
    console.print(quota_table)
    if key is None:
        console.print(
            f"  pseudonym key (keep it private; it links the record's pseudonyms to ids): "
            f"{result.key}",
            highlight=False,
        )
    for note in rec.notes:
        console.print(f"  note: {note}", highlight=False)


@draw_app.command("verify")
def verify_command(
    published: Path = typer.Argument(..., help="The published draw record (JSON)."),
    pool: Path = typer.Argument(..., help="The pool CSV the draw was made from."),
    quotas: Path = typer.Argument(..., help="The quotas CSV."),
    id_column: str | None = typer.Option(None, help="Id column, as in the draw."),
    household_column: str | None = typer.Option(None, help="Household column, as in the draw."),
) -> None:
    """Re-run a published draw from its files and seed, and confirm the panel."""
    try:
        rec = record_from_dict(json.loads(published.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise fail(f"{published}: not a draw record ({exc})") from None
    try:
        inst = _instance(pool, quotas, rec.size, id_column, household_column)
        problems = verify(rec, inst)
    except CountError as exc:
        raise fail(str(exc)) from None
    if problems:
        for p in problems:
            err.print(styled("  ", ("differs", "red"), f" {p}"), soft_wrap=True)
        raise fail(f"the draw could not be confirmed ({len(problems)} problems)", 1)
    console.print(
        styled(
            ("verified", "green"),
            f": the {rec.method} lottery recomputed from the files and sampled "
            f"with seed {rec.seed!r} selects the published panel of {rec.size}",
        ),
        highlight=False,
    )
