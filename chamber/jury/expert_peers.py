"""The transition to the jury's experts: the crossbench peers are the first experts (an import
seats them in the experts' seats, each in the field the file names or in the open seats), and
each whip-taking peer who was not a working peer is put to the jury one by one: the serving
jurors answer yes or no, a majority of those who answered decides (a tie is not a majority), and
the vote is stored on the audit chain with its counts; an approved peer joins the open seats.
Every seated peer's route is recorded (route ``experts``, way ``crossbench peer`` or
``whip-taking peer approved by the jury``) with the stored step that did it."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from chamber.db import fetch
from chamber.errors import Conflict, Invalid, NotFound, Refused
from chamber.jury.ballot import voting_juror
from chamber.jury.expert_models import PeerAnswer, PeerQuestion
from chamber.jury.experts import experts_of, field_seats, fields, open_field, term_end
from chamber.jury.lottery import Lottery
from chamber.routes import csvrows
from chamber.routes.places import Chosen, seat_people
from chamber.routes.records import store_result

CROSSBENCH = "crossbench peer"
APPROVED = "whip-taking peer approved by the jury"


def seat_crossbench_peers(
    session: Session, lottery: Lottery, source_name: str, text: str, serves_from: date,
    now: datetime,
) -> int:
    """Seat the crossbench peers of a CSV (``name``, optionally ``field``: empty for the open
    seats) as the first experts, from ``serves_from`` for the body's term.  Every bad row is
    named and nothing is stored if any is; more peers than a field's free places is refused
    with the figures.  Returns the stored list's id."""
    end = term_end(serves_from, experts_of(lottery).term_months)
    rows = csvrows.names(text, source_name)
    known = {f.name for f in fields(session, lottery)}
    default = open_field(session, lottery)
    problems: list[str] = []
    by_field: dict[str, list[str]] = {}
    for lineno, cells in csvrows.rows(text, source_name, ("name",), ("field",)):
        field = cells.get("field") or default
        if field not in known:
            problems.append(f"{source_name}, line {lineno}, column 'field': {field!r} is not a "
                            "field of the experts")
            continue
        by_field.setdefault(field, []).append(cells["name"])
    if problems:
        raise Invalid(f"{len(problems)} bad rows, nothing stored: " + "; ".join(problems[:20]))
    record = store_result(
        session, body_key=lottery.body, route="experts", step="names", unit="crossbench peers",
        title=f"Crossbench peers seated as experts: {len(rows)}", source_name=source_name,
        inputs=text, result={
            "peers": len(rows), "fields": {f: len(p) for f, p in by_field.items()},
            "serves_from": serves_from.isoformat(), "serves_until": end.isoformat(),
        }, now=now,
    )
    for field, names in by_field.items():
        cat, seats = field_seats(session, lottery, field)
        seat_people(session, lottery.body, cat, seats,
                    [Chosen(n, "experts", CROSSBENCH, field, f"serves until {end}",
                            result_id=record.id, serves_until=end) for n in names],
                    "experts", serves_from, f"crossbench peers in {field}")
    assert record.id is not None
    return record.id


def propose_peers(
    session: Session, lottery: Lottery, source_name: str, text: str, now: datetime
) -> list[int]:
    """Put whip-taking peers who were not working peers (a CSV: ``name,party``) to the jury,
    one question each.  A peer already put and not yet decided is named and nothing stored."""
    experts_of(lottery)
    rows = csvrows.names(text, source_name)
    pending = {q.casefold() for q in session.exec(select(PeerQuestion.name).where(
        PeerQuestion.body_key == lottery.body, col(PeerQuestion.decided_at).is_(None))).all()}
    cells = csvrows.rows(text, source_name, ("name", "party"))
    clash = [f"line {n}: {c['name']}" for n, c in cells if c["name"].casefold() in pending]
    if clash:
        raise Conflict(f"{source_name}: already before the jury: " + ", ".join(clash[:20]))
    out = []
    for _n, c in cells:
        question = PeerQuestion(body_key=lottery.body, name=c["name"], party=c["party"],
                                opened_at=now)
        session.add(question)
        session.flush()
        out.append(question.id or 0)
    assert len(out) == len(rows)
    return out


def answer_peer(
    session: Session, question_id: int, yes: bool, now: datetime, *,
    account_id: int | None = None, place_id: int | None = None,
) -> None:
    """A serving juror answers yes or no on a peer, once (signed in, or by letter: the
    officer records ``place_id``)."""
    question = fetch(session, PeerQuestion, question_id, "question")
    what = f"whether {question.name} becomes an expert"
    place = voting_juror(session, question.body_key, now, what, account_id=account_id,
                         place_id=place_id)
    if question.decided_at is not None:
        raise Refused(f"the jury has decided on {question.name} already")
    done = session.exec(select(PeerAnswer.id).where(PeerAnswer.question_id == question_id,
                                                    PeerAnswer.place_id == place.id)).first()
    if done is not None:
        raise Refused("this juror has voted on this peer already")
    session.add(PeerAnswer(question_id=question_id, place_id=place.id or 0, yes=yes,
                           cast_at=now))


def decide_peer(
    session: Session, lottery: Lottery, question_id: int, serves_from: date, now: datetime
) -> bool:
    """Close the jury's vote on a peer: approved when more said yes than no; the vote is
    stored (on the audit chain) and an approved peer joins the open seats from ``serves_from``
    for the body's term.  A question nobody has answered is refused.  Returns the decision."""
    question = fetch(session, PeerQuestion, question_id, "question")
    if question.body_key != lottery.body:
        raise NotFound(f"question {question_id} is not one of {lottery.body}'s")
    if question.decided_at is not None:
        raise Refused(f"the jury has decided on {question.name} already")
    answers = session.exec(select(PeerAnswer).where(PeerAnswer.question_id == question_id)
                           .order_by(col(PeerAnswer.id))).all()
    if not answers:
        raise Refused(f"no juror has voted on {question.name} yet")
    question.yes = sum(a.yes for a in answers)
    question.no = len(answers) - question.yes
    question.approved, question.decided_at = question.yes > question.no, now
    end = term_end(serves_from, experts_of(lottery).term_months)
    record = store_result(
        session, body_key=lottery.body, route="experts", step="peer vote", unit=question.name,
        title=f"The jury on {question.name} ({question.party}): "
              f"{'approved' if question.approved else 'not approved'}",
        source_name="answers.csv",
        inputs="place,answer\n" + "".join(f"{a.place_id},{'yes' if a.yes else 'no'}\n"
                                          for a in answers),
        result={"peer": question.name, "party": question.party, "yes": question.yes,
                "no": question.no, "approved": question.approved}, now=now,
    )
    if question.approved:
        field = open_field(session, lottery)
        cat, seats = field_seats(session, lottery, field)
        [question.member_id] = seat_people(
            session, lottery.body, cat, seats,
            [Chosen(question.name, "experts", APPROVED, field,
                    f"{question.party}; {question.yes} for, {question.no} against; serves "
                    f"until {end}", result_id=record.id, serves_until=end)],
            "experts", serves_from, f"{question.name} in {field}")
    return question.approved
