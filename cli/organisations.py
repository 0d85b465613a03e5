"""`chamber organisations`: who may stand for the organisations' seats, and the approval count."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from cli.common import app, console, err, fail, styled
from electoral.approval import (
    MAX_CHOICES,
    SEATS,
    ApprovalResult,
    Eligibility,
    Organisation,
    count_approval,
    read_approval_ballots,
    read_organisations,
)
from electoral.errors import CountError


class Format(StrEnum):
    table = "table"
    json = "json"


def _eligibility_table(orgs: tuple[Organisation, ...], checks: tuple[Eligibility, ...]) -> Table:
    standing = sum(c.eligible for c in checks)
    table = Table(title=f"Organisations: {standing} of {len(orgs)} may stand")
    table.add_column("organisation", style="bold")
    table.add_column("kind")
    table.add_column("members", justify="right")
    table.add_column("nominators", justify="right")
    table.add_column("total", justify="right")
    table.add_column("may stand?")
    table.add_column("why not")
    for org, check in zip(orgs, checks, strict=True):
        table.add_row(
            org.name,
            org.kind,
            f"{org.members:,}",
            f"{org.nominators:,}",
            f"{org.support:,}",
            styled(("yes", "green")) if check.eligible else styled(("no", "red")),
            "; ".join(check.reasons),
        )
    return table


def _result_table(result: ApprovalResult) -> Table:
    won = set(result.winners)
    table = Table(title=f"{result.seats} seats, {result.valid_ballots:,} valid ballots")
    table.add_column("rank", justify="right")
    table.add_column("organisation", style="bold")
    table.add_column("votes", justify="right")
    table.add_column("won?")
    totals = list(result.votes.values())
    for name, votes in result.votes.items():
        rank = 1 + sum(v > votes for v in totals)  # equal votes share a rank
        table.add_row(
            str(rank),
            name,
            f"{votes:,}",
            styled(("won", "green")) if name in won else "",
            style="green" if name in won else None,
        )
    return table


def _print(
    orgs: tuple[Organisation, ...], checks: tuple[Eligibility, ...], result: ApprovalResult
) -> None:
    console.print(_eligibility_table(orgs, checks))
    console.print(_result_table(result))
    if result.unfilled:
        console.print(
            styled(
                "  ",
                (f"{result.unfilled} of {result.seats} seats unfilled", "yellow"),
                f": only {len(result.standing)} organisations may stand",
            ),
            highlight=False,
        )
    if result.invalid_ballots:
        console.print(f"  invalid ballots: {result.invalid_ballots:,} (not counted)")
        for inv in result.invalid:
            where = "line" if len(inv.examples) == 1 else "lines"
            lines = ", ".join(str(x) for x in inv.examples)
            console.print(
                f"    {inv.ballots:,} {inv.description} (e.g. {where} {lines})", highlight=False
            )
    else:
        console.print("  invalid ballots: none")
    for tie in result.ties:
        console.print(
            f"  tie at {tie.votes:,} votes for the last {tie.places} place(s): "
            f"{', '.join(tie.organisations)} -> {', '.join(tie.won)} by lot "
            f"(draws {', '.join(str(i) for i in tie.lots)})",
            highlight=False,
        )
    console.print(
        f"  seed: {result.seed!r}   lots drawn: {list(result.lots)}", highlight=False
    )


@app.command("organisations")
def organisations(
    orgs_file: Path = typer.Argument(
        ..., metavar="ORGS.csv", help="Organisations: name,members,nominators,kind."
    ),
    ballots_file: Path = typer.Argument(
        ..., metavar="BALLOTS.csv", help="Ballots: choice1, choice2, ... and an optional weight."
    ),
    seats: int = typer.Option(SEATS, min=1, max=100_000, help="Seats to fill."),
    max_choices: int = typer.Option(
        MAX_CHOICES, min=1, max=100_000, help="Most organisations a valid ballot may mark."
    ),
    seed: str | None = typer.Option(
        None, help="Seed for lots, announced in advance (default: a fresh one, recorded)."
    ),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
) -> None:
    """Check who may stand, then count the organisations ballot (approval, most votes win)."""
    try:
        orgs, checks = read_organisations(orgs_file)
        with err.status(f"counting {ballots_file.name}", spinner="dots"):
            ballots = read_approval_ballots(ballots_file, orgs)
            result = count_approval(ballots, orgs, seats, max_choices, seed)
    except (CountError, OSError) as exc:
        raise fail(str(exc)) from None
    if fmt is Format.json:
        data = {
            "organisations": [
                {**o.as_dict(), **c.as_dict()} for o, c in zip(orgs, checks, strict=True)
            ],
            **result.as_dict(),
        }
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        _print(orgs, checks, result)
