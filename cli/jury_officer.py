"""`chamber jury pool import`, `chamber jury seed`, `chamber jury draw`, `chamber jury day`,
`chamber jury answer`, `chamber jury vote` and `chamber jury letters`: the panel officer's
commands on a body's stored pool (the national jury by default, or a citizens' panel);
`chamber draw verify` checks what `draw` writes.

The chamber's modules are imported inside each command (deferred: SQLAlchemy is heavy)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from cli.common import DATABASE, app, console, fail

if TYPE_CHECKING:
    from chamber.jury.lottery import Lottery

jury_app = typer.Typer(help="The jury's stored pool and its draws (for a panel officer).",
                       no_args_is_help=True)
pool_app = typer.Typer(help="A body's volunteer pool.", no_args_is_help=True)
app.add_typer(jury_app, name="jury")
jury_app.add_typer(pool_app, name="pool")
BODY = typer.Option("national", "--body", help="The body whose pool it is.")
GUIDE = "docs/user-guide/panel-officers.md"


def _lottery(body: str) -> Lottery:
    """The body's lottery, or a clear error naming the bodies drawn by lot."""
    from chamber.jury.lottery import LOTTERIES  # deferred: the chamber is heavy

    if body not in LOTTERIES:
        raise fail(f"--body: {body!r} draws nobody by lot; one of {', '.join(LOTTERIES)}")
    return LOTTERIES[body]


@pool_app.command("import")
def pool_import(
    file: Path = typer.Argument(..., help="CSV: id, name, email, phone, address, consent and "
                                "one column per feature of the body's quotas."),
    body: str = BODY,
    database: str | None = DATABASE,
) -> None:
    """Import volunteers: every bad row is named (file, line, column) and nothing is stored if
    any is bad; importing again adds new ids, updates contacts, stores changed features anew
    and withdraws entries whose consent is "no" (docs/user-guide/panel-officers.md)."""
    from chamber.clock import now  # deferred: SQLAlchemy and the chamber
    from chamber.db import make_engine, perform
    from chamber.errors import ChamberError
    from chamber.jury.pool import import_pool

    lottery = _lottery(body)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"{file}: cannot read it ({exc})") from None
    try:
        report = perform(make_engine(database), import_pool, lottery, file.name, text, now())
    except ChamberError as exc:
        raise fail(str(exc)) from None
    console.print(
        f"imported into the pool of {body}: {report.added} new, {report.updated} contacts "
        f"updated, {report.replaced} stored anew (features changed), {report.withdrawn} "
        f"withdrawn, {report.unchanged} unchanged", highlight=False, soft_wrap=True,
    )


@jury_app.command("seed")
def seed(
    month: str = typer.Option(..., help="The cohort's first month, YYYY-MM."),
    seed_text: str = typer.Option(..., "--seed", help="The public seed, announced in advance."),
    body: str = BODY,
    database: str | None = DATABASE,
) -> None:
    """Announce the public seed of a month's draw (the scheduled draw waits for it)."""
    from chamber.clock import now  # deferred: SQLAlchemy and the chamber
    from chamber.db import make_engine, perform
    from chamber.errors import ChamberError
    from chamber.jury.cycle import announce_seed

    lottery = _lottery(body)
    try:
        perform(make_engine(database), announce_seed, lottery, month, seed_text, now())
    except ChamberError as exc:
        raise fail(str(exc)) from None
    console.print(f"the seed of {month} for {body} is announced: {seed_text!r}", highlight=False)


@jury_app.command("draw")
def draw(
    month: str = typer.Option(..., help="The month the cohort serves from, YYYY-MM."),
    seed_text: str = typer.Option(..., "--seed", help="The public seed (as announced)."),
    body: str = BODY,
    out: Path = typer.Option(Path("."), help="Folder for record.json, pool.csv, quotas.csv."),
    months: int = typer.Option(
        12, min=1, max=60, help="A citizens' panel only: the months it serves from --month."
    ),
    database: str | None = DATABASE,
) -> None:
    """Draw a month's cohort by LEXIMIN from the stored pool now (after counting the month's
    extensions ballot), or a citizens' panel (a body without a monthly cycle) to serve from
    --month for --months; invite each person drawn, and write what is published: the record,
    the pseudonymised pool and the quotas, which `chamber draw verify` re-runs."""
    from chamber.clock import now  # deferred: SQLAlchemy and the chamber
    from chamber.db import make_engine, perform, read
    from chamber.errors import ChamberError
    from chamber.jury.cycle import draw_cohort
    from chamber.jury.panel import draw_panel  # deferred, as above
    from chamber.jury.views import draw_downloads
    from chamber.settings import settings

    lottery = _lottery(body)
    engine = make_engine(database)
    config = settings()
    try:
        if lottery.cycle is None:
            draw_id = perform(engine, draw_panel, lottery, month, months, seed_text, now(),
                              accept_days=config.jury_accept_days)
        else:
            draw_id = perform(engine, draw_cohort, lottery, month, seed_text, now(),
                              accept_days=config.jury_accept_days,
                              lead_months=config.jury_lead_months)
        files = read(engine, draw_downloads, draw_id)
    except ChamberError as exc:
        raise fail(str(exc)) from None
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (out / name).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"draw {draw_id} is stored, but {out} cannot be written ({exc}); its files "
                   f"are also at /draws/{draw_id} on the site") from None
    paths = " ".join(str(out / name) for name in files)
    console.print(
        f"draw {draw_id}: {lottery.cycle.drawn if lottery.cycle else lottery.size} people "
        f"serving from {month} for {body} invited; published {paths} "
        f"(check: chamber draw verify {paths})",
        highlight=False, soft_wrap=True,
    )


@jury_app.command("day")
def day(database: str | None = DATABASE) -> None:
    """Run the jury's day now, as `chamber serve` does each morning: lapse unanswered
    invitations, end finished terms, draw a due cohort whose seed is announced, and fill
    vacant places by replacement draws; a refused draw is an alert for the officers."""
    from chamber.clock import now  # deferred: SQLAlchemy and the chamber
    from chamber.db import make_engine
    from chamber.jobs import jury_day
    from chamber.settings import settings

    done = jury_day(make_engine(database), now(), settings())
    console.print("drawn: " + (", ".join(done) if done else "nothing due") +
                  " (refusals are alerts on the clerks' page)", highlight=False, soft_wrap=True)


@jury_app.command("answer")
def answer_letter(
    invitation: int = typer.Argument(..., min=1, max=2**62, help="The invitation's number."),
    accept: bool = typer.Option(..., "--accept/--decline", help="The answer by letter."),
    database: str | None = DATABASE,
) -> None:
    """Record an answer a drawn volunteer sent by letter (accepting makes them a member)."""
    from chamber.clock import now  # deferred: SQLAlchemy and the chamber
    from chamber.db import make_engine, perform
    from chamber.errors import ChamberError
    from chamber.jury.places import answer

    try:
        status = perform(make_engine(database), answer, invitation, accept, now())
    except ChamberError as exc:
        raise fail(str(exc)) from None
    console.print(f"invitation {invitation}: {status}", highlight=False)


@jury_app.command("vote")
def vote_letter(
    ballot: int = typer.Argument(..., min=1, max=2**62, help="The extensions ballot's number."),
    place: int = typer.Option(..., min=1, max=2**62, help="The voting juror's place."),
    ranking: str = typer.Option(..., help="Candidates' place numbers, first preference first."),
    database: str | None = DATABASE,
) -> None:
    """Record a serving juror's vote in an extensions ballot, sent by letter."""
    from chamber.clock import now  # deferred: SQLAlchemy and the chamber
    from chamber.db import make_engine, perform
    from chamber.errors import ChamberError
    from chamber.jury.ballot import cast_vote

    try:
        places = [int(n) for n in ranking.replace(",", " ").split()]
    except ValueError:
        raise fail(f"--ranking: {ranking!r} is not place numbers") from None
    try:
        perform(make_engine(database), cast_vote, ballot, places, now(), place_id=place)
    except ChamberError as exc:
        raise fail(str(exc)) from None
    console.print(f"ballot {ballot}: the vote of place {place} is recorded", highlight=False)


@jury_app.command("letters")
def letters(body: str = BODY, database: str | None = DATABASE) -> None:
    """Print the open invitations as a CSV of letters to send."""
    from chamber.db import make_engine, read  # deferred: SQLAlchemy and the chamber
    from chamber.jury.views import letters_csv

    _lottery(body)
    sys.stdout.write(read(make_engine(database), letters_csv, body))
