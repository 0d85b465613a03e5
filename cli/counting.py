"""`chamber count` and `chamber verify`: STV and IRV counts from ballot files."""

from __future__ import annotations

import json
import sys
from contextlib import AbstractContextManager, nullcontext
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from cli.common import app, console, err, fail, progress_bar, styled
from electoral import CountError, CountResult, count_file, differences, result_from_dict


class Rule(StrEnum):
    scottish = "scottish"
    meek = "meek"
    irv = "irv"


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _stage_table(result: CountResult) -> Table:
    elected = set(result.elected)
    table = Table(
        title=f"{result.title or 'Count'}: {result.rule}, {result.seats} seats, "
        f"quota {result.quota}, {result.valid_ballots} valid ballots",
        show_lines=False,
    )
    table.add_column("candidate", style="bold", no_wrap=True)
    for s in result.stages:
        table.add_column(f"stage {s.stage}", justify="right", no_wrap=True)
    for name in result.candidates:
        if name in result.withdrawn:
            continue
        style = "green" if name in elected else None
        table.add_row(name, *(s.votes.get(name, "") for s in result.stages), style=style)
    table.add_row("non-transferable", *(s.non_transferable for s in result.stages), style="dim")
    table.add_row("loss to truncation", *(s.loss_to_truncation for s in result.stages), style="dim")
    return table


def _print_result(result: CountResult, fmt: Format, transfers: bool) -> None:
    if fmt is Format.json:
        sys.stdout.write(result.to_json() + "\n")
    elif fmt is Format.csv:
        sys.stdout.write(result.transfers_csv() if transfers else result.stages_csv())
    else:
        console.print(_stage_table(result))
        for s in result.stages:
            what = s.action if s.subject is None else f"{s.action} of {s.subject}"
            if s.elected:
                what += f"; elected: {', '.join(s.elected)}"
            console.print(f"  stage {s.stage}: {what}", highlight=False)
        for i, name in enumerate(result.elected, 1):
            console.print(styled(f"  elected {i}: ", (name, "green")), highlight=False)
        for tie in result.ties:
            console.print(
                f"  tie at stage {tie.stage} ({tie.purpose}): {', '.join(tie.candidates)} -> "
                f"{tie.chosen} by {tie.method}"
            )
        v = result.validation
        flagged = {
            k: v[k]
            for k in ("duplicate_candidate", "equal_ranking", "skipped_rank", "empty", "overvote")
            if v.get(k)
        }
        if flagged or result.invalid_ballots:
            console.print(
                f"  ballot problems: {flagged}; invalid ballots: {result.invalid_ballots}"
            )
        console.print(f"  seed: {result.seed!r}   lots drawn: {list(result.lots)}", highlight=False)


def _spinner(what: str) -> AbstractContextManager[object]:
    """A spinner on a terminal; nothing otherwise (nor the import of rich's live display)."""
    return err.status(what, spinner="dots") if err.is_terminal else nullcontext()


@app.command()
def count(
    files: list[Path] = typer.Argument(..., help="Ballot files (.blt, .csv, .soi/.soc/.toc/.toi)."),
    rule: Rule = typer.Option(Rule.scottish, help="Counting rule."),
    seats: int | None = typer.Option(
        None, min=1, max=10_000, help="Seats to fill (default: from the file)."
    ),
    seed: str | None = typer.Option(
        None, help="Seed for lots, announced in advance (default: a fresh one, recorded)."
    ),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
    transfers: bool = typer.Option(False, help="With --format csv: the transfer table."),
) -> None:
    """Count one election (or several, with a progress bar) and print every stage."""
    if len(files) == 1:
        try:
            with _spinner(f"counting {files[0].name}"):
                result = count_file(files[0], rule.value, seats, seed)
        except (CountError, OSError) as exc:
            raise fail(str(exc)) from None
        _print_result(result, fmt, transfers)
        return
    summary: list[dict[str, object]] = []
    failures = 0
    with progress_bar() as progress:
        task = progress.add_task("counting", total=len(files))
        for f in files:
            try:
                r = count_file(f, rule.value, seats, seed)
                summary.append(
                    {
                        "file": str(f),
                        "seats": r.seats,
                        "valid_ballots": r.valid_ballots,
                        "quota": r.quota,
                        "stages": len(r.stages),
                        "elected": list(r.elected),
                        "seed": r.seed,
                    }
                )
            except (CountError, OSError) as exc:
                failures += 1
                summary.append({"file": str(f), "error": str(exc)})
            progress.advance(task)
    if fmt is Format.json:
        sys.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    else:
        table = Table(title=f"{len(files)} counts ({rule.value})")
        for col in ("file", "seats", "valid", "stages", "elected"):
            table.add_column(col)
        for row in summary:
            if "error" in row:
                table.add_row(str(row["file"]), "", "", "", styled((str(row["error"]), "red")))
            else:
                elected = row["elected"]
                assert isinstance(elected, list)
                table.add_row(
                    str(row["file"]),
                    str(row["seats"]),
                    str(row["valid_ballots"]),
                    str(row["stages"]),
                    "; ".join(elected),
                )
        console.print(table)
    if failures:
        raise fail(f"{failures} of {len(files)} files could not be counted", 1)


@app.command()
def verify(
    ballots: Path = typer.Argument(..., help="The ballot file the count was made from."),
    published: Path = typer.Argument(..., help="The published result (JSON from `chamber count`)."),
) -> None:
    """Re-run a published count with its recorded rule, seats and seed, and compare every stage."""
    try:
        data = json.loads(published.read_text(encoding="utf-8"))
        pub = result_from_dict(data)
    except (OSError, ValueError, KeyError) as exc:
        raise fail(f"{published}: not a published count ({exc})") from None
    try:
        again = count_file(ballots, pub.rule, pub.seats, pub.seed)
    except (CountError, OSError) as exc:
        raise fail(str(exc)) from None
    diffs = differences(pub, again)
    if diffs:
        for d in diffs[:50]:
            err.print(styled("  ", ("differs", "red"), f" {d}"), soft_wrap=True)
        raise fail(f"the re-run does not match the published count ({len(diffs)} differences)", 1)
    console.print(
        styled(
            ("verified", "green"),
            f": {len(again.stages)} stages, elected {', '.join(again.elected)} "
            f"(rule {again.rule}, seed {again.seed!r})",
        ),
        highlight=False,
    )
