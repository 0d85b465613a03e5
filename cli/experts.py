"""`chamber experts ...`: the panel officer's commands for the jury's experts (open a field's
ballot, import nominations, record a juror's vote by letter, count; in the transition seat the
crossbench peers, put whip-taking peers to the jury, record answers, decide); and `chamber panel
...` for a citizens' panel (its remit, meetings and outputs).  The jurors vote on the site;
docs/user-guide/panel-officers.md is the guide.

The chamber's modules are imported inside each command (deferred: SQLAlchemy is heavy)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer

from cli.common import DATABASE, app, console, fail
from cli.jury_officer import BODY, _lottery

experts_app = typer.Typer(help="The jury's experts: ballots, nominations, the transition.",
                          no_args_is_help=True)
panel_app = typer.Typer(help="A citizens' panel: its remit, meetings and outputs.",
                        no_args_is_help=True)
app.add_typer(experts_app, name="experts")
app.add_typer(panel_app, name="panel")
PANEL = typer.Option("local-health-panel", "--body", help="The panel's body.")
FROM = typer.Option(..., "--from", help="The first day of the term, YYYY-MM-DD.")


def _run(database: str | None, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """One service in a transaction; a refusal is printed and exits 2, nothing stored."""
    from chamber.db import make_engine, perform  # deferred: SQLAlchemy and the chamber
    from chamber.errors import ChamberError
    from electoral.errors import CountError

    try:
        return perform(make_engine(database), service, *args, **kwargs)
    except (ChamberError, CountError) as exc:
        raise fail(str(exc)) from None


def _now() -> datetime:
    from chamber.clock import now  # deferred: the chamber

    return now()


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"{name}: give a date as YYYY-MM-DD, not {text!r}") from None


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"{file}: cannot read it ({exc})") from None


def _say(text: str) -> None:
    console.print(text, highlight=False, soft_wrap=True)


@experts_app.command("fields")
def fields(
    on: str = typer.Option("", help="The day, YYYY-MM-DD (default today)."),
    body: str = BODY, database: str | None = DATABASE,
) -> None:
    """The fields of the jury's experts, their places and how many serve on a day."""
    from chamber.jury.expert_views import experts_overview  # deferred: the chamber

    day = _day(on, "--on") if on else _now().date()
    view = _run(database, experts_overview, _lottery(body), day)
    for f in view.fields:
        _say(f"{f.name}: {f.serving} of {f.places} places serving ({f.seats} seats)")
    for b in view.ballots:
        state = f"counted, {b.appointed} appointed" if b.counted else "open"
        _say(f"ballot {b.id}: {b.field}, {b.places} places, {b.nominations} nominees, "
             f"{b.votes} votes, {state}")
    for q in view.peers:
        state = ("approved" if q.approved else "not approved") if q.decided else "open"
        _say(f"peer question {q.id}: {q.name} ({q.party}), {q.answers} answers, {state}")


@experts_app.command("ballot")
def ballot(
    field: str = typer.Option(..., help="The field (a part of the experts' seats)."),
    serves_from: str = FROM,
    places: int = typer.Option(0, min=0, max=100_000,
                               help="Places to fill (0: every place free that day)."),
    body: str = BODY, database: str | None = DATABASE,
) -> None:
    """Open a field's ballot: nominations are entered, then the serving jurors vote."""
    from chamber.jury.experts import open_experts_ballot  # deferred: the chamber

    ballot_id = _run(database, open_experts_ballot, _lottery(body), field,
                     _day(serves_from, "--from"), _now(), places=places or None)
    _say(f"ballot {ballot_id} of {field} is open: /jury/{body}/experts/ballots/{ballot_id}")


@experts_app.command("nominate")
def nominate(
    file: Path = typer.Argument(..., help="CSV: field, name, expertise."),
    body: str = BODY, database: str | None = DATABASE,
) -> None:
    """Enter nominations: every bad row is named and nothing is stored if any is bad."""
    from chamber.jury.experts import import_nominations  # deferred: the chamber

    n = _run(database, import_nominations, _lottery(body), file.name, _read(file), _now())
    _say(f"{n} nominations entered")


@experts_app.command("vote")
def vote(
    ballot_id: int = typer.Argument(..., min=1, max=2**31 - 1, help="The ballot."),
    place: int = typer.Option(..., min=1, max=2**31 - 1,
                              help="The juror's place (from their letter)."),
    ranking: str = typer.Option(..., help="Nomination numbers, first preference first."),
    database: str | None = DATABASE,
) -> None:
    """Record a juror's ranking given by letter."""
    from chamber.jury.experts import cast_expert_vote  # deferred: the chamber

    try:
        numbers = [int(n) for n in ranking.replace(",", " ").split()]
    except ValueError:
        raise fail(f"--ranking: numbers separated by spaces, not {ranking!r}") from None
    _run(database, cast_expert_vote, ballot_id, numbers, _now(), place_id=place)
    _say(f"the vote of place {place} is recorded")


@experts_app.command("count")
def count(
    ballot_id: int = typer.Argument(..., min=1, max=2**31 - 1, help="The ballot."),
    seed: str = typer.Option(..., help="The public seed of the count."),
    body: str = BODY, database: str | None = DATABASE,
) -> None:
    """Count a field's ballot by STV and seat the appointed for the term."""
    from chamber.jury.experts import count_experts  # deferred: the chamber

    members = _run(database, count_experts, _lottery(body), ballot_id, seed, _now())
    _say(f"{len(members)} appointed: {', '.join(members)}")


@experts_app.command("crossbench")
def crossbench(
    file: Path = typer.Argument(..., help="CSV: name, field (empty: the open seats)."),
    serves_from: str = FROM, body: str = BODY, database: str | None = DATABASE,
) -> None:
    """The transition: seat the crossbench peers as the first experts."""
    from chamber.jury.expert_peers import seat_crossbench_peers  # deferred: the chamber

    stored = _run(database, seat_crossbench_peers, _lottery(body), file.name, _read(file),
                  _day(serves_from, "--from"), _now())
    _say(f"seated; the list is stored as route result {stored} (/routes/{stored})")


@experts_app.command("peers")
def peers(
    file: Path = typer.Argument(..., help="CSV: name, party."),
    body: str = BODY, database: str | None = DATABASE,
) -> None:
    """The transition: put whip-taking peers who were not working peers to the jury."""
    from chamber.jury.expert_peers import propose_peers  # deferred: the chamber

    put = _run(database, propose_peers, _lottery(body), file.name, _read(file), _now())
    _say(f"{len(put)} peers put to the jury (questions {', '.join(map(str, put))})")


@experts_app.command("answer")
def answer(
    question: int = typer.Argument(..., min=1, max=2**31 - 1, help="The peer's question."),
    place: int = typer.Option(..., min=1, max=2**31 - 1,
                              help="The juror's place (from their letter)."),
    yes: bool = typer.Option(..., "--yes/--no", help="The juror's answer."),
    database: str | None = DATABASE,
) -> None:
    """Record a juror's yes or no on a peer given by letter."""
    from chamber.jury.expert_peers import answer_peer  # deferred: the chamber

    _run(database, answer_peer, question, yes, _now(), place_id=place)
    _say(f"the answer of place {place} is recorded")


@experts_app.command("decide")
def decide(
    question: int = typer.Argument(..., min=1, max=2**31 - 1, help="The peer's question."),
    serves_from: str = FROM, body: str = BODY, database: str | None = DATABASE,
) -> None:
    """Close the jury's vote on a peer: a majority of those who answered decides."""
    from chamber.jury.expert_peers import decide_peer  # deferred: the chamber

    approved = _run(database, decide_peer, _lottery(body), question,
                    _day(serves_from, "--from"), _now())
    _say("approved: seated in the open seats" if approved else "not approved")


@panel_app.command("remit")
def remit(
    question: str = typer.Option(..., help="The question the panel answers."),
    stratum: str = typer.Option(..., help="Whom it is drawn from."),
    powers: str = typer.Option(..., help="scrutinise, revise, advise (comma-separated)."),
    size: int = typer.Option(0, min=0, max=10_000, help="Its size (0: the lottery file's)."),
    quotas: Path | None = typer.Option(None, help="Quotas CSV (default: the lottery file's)."),
    public_votes: bool = typer.Option(False, help="The public may vote on its divisions."),
    body: str = PANEL, database: str | None = DATABASE,
) -> None:
    """Set a citizens' panel's remit, before it is drawn."""
    from chamber.jury.citizens import create_panel  # deferred: the chamber

    _run(database, create_panel, _lottery(body), question, stratum,
         [p.strip() for p in powers.split(",") if p.strip()], _now(), size=size or None,
         quotas_csv=_read(quotas) if quotas else None, public_votes=public_votes)
    _say(f"the remit of {body} is set; draw it with `chamber jury draw --body {body}`")


@panel_app.command("meetings")
def meetings(
    first: str = typer.Option(..., "--from", help="The first day, YYYY-MM-DD."),
    last: str = typer.Option(..., "--to", help="The last day, YYYY-MM-DD."),
    venue: str = typer.Option(..., help="Where it meets."),
    body: str = PANEL, database: str | None = DATABASE,
) -> None:
    """Store the panel's meetings from its own sitting pattern."""
    from chamber.jury.citizens import schedule_meetings  # deferred: the chamber

    made = _run(database, schedule_meetings, body, _day(first, "--from"), _day(last, "--to"),
                venue)
    _say(f"{made} meetings stored")


@panel_app.command("publish")
def publish(
    kind: str = typer.Option(..., help="recommendation, amendment or scrutiny report."),
    title: str = typer.Option(..., help="Its title."),
    file: Path = typer.Argument(..., help="A text file: what the panel says."),
    body: str = PANEL, database: str | None = DATABASE,
) -> None:
    """Publish an output of the panel (only what its powers allow)."""
    from chamber.jury.citizens import publish_output  # deferred: the chamber

    output = _run(database, publish_output, body, kind, title, _read(file), _now())
    _say(f"published as output {output}: /panels/{body}")
