"""The jury appoints its experts: for each named part of the experts' category (a field with one
seat of 24 places, or the 25 open seats of 600 places) the panel officer opens a ballot for the
places free on the day the term begins, nominations are entered, the serving jurors rank them on
the site, and the ballot is counted by the project's own engine (STV, the rule stored on the
ballot and shown on it) and stored like any election (`chamber.elections`).  Those appointed
become members of the field's seats for the term the body's lottery file sets
(``[experts] term_months``), each with their route recorded (`chamber.routes.models.MemberRoute`:
route ``experts``, way ``appointed by the jury``, the field, the count).

Refused, with nothing stored: a field the category does not have, more to appoint than places,
a juror voting twice, a vote from anyone not serving on the jury, a count with no votes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from chamber.bodies.models import Category, Seat
from chamber.bodies.services import body
from chamber.clock import london
from chamber.db import fetch
from chamber.elections.services import count_election
from chamber.errors import Conflict, Invalid, NotFound, Refused
from chamber.jury.ballot import RULE, fetch_elected, voting_juror
from chamber.jury.expert_models import ExpertBallot, ExpertNomination, ExpertVote
from chamber.jury.lottery import Experts, Lottery
from chamber.routes import csvrows
from chamber.routes.places import Chosen, free_places, part_seats, seat_people
from electoral.errors import CountError

WAY = "appointed by the jury"


@dataclass(frozen=True, slots=True)
class ExpertField:
    """A named part of the experts' category: its name, seats and group ("open" for the open
    seats)."""

    name: str
    seats: int
    group: str


def experts_of(lottery: Lottery) -> Experts:
    if lottery.experts is None:
        raise Invalid(f"the jury of {lottery.body} appoints no experts")
    return lottery.experts


def fields(session: Session, lottery: Lottery) -> list[ExpertField]:
    """The fields of a jury's experts, in seat order (from the body's composition)."""
    category = experts_of(lottery).category
    spec = body(session, lottery.body).spec.get("categories", [])
    assert isinstance(spec, list)
    for c in spec:
        if c["key"] == category:
            return [ExpertField(str(s["name"]), int(s["seats"]), str(s.get("group", "")))
                    for s in c.get("subunits", [])]
    raise NotFound(f"{lottery.body} has no {category!r} seats for the jury's experts")


def field_seats(session: Session, lottery: Lottery, field: str) -> tuple[Category, list[Seat]]:
    """A field's category and seats; a field the category does not have is refused."""
    known = [f.name for f in fields(session, lottery)]
    if field not in known:
        more = " ..." if len(known) > 6 else ""
        raise Invalid(f"field: {field!r} is not one of the {len(known)} fields of the experts "
                      f"of {lottery.body} ({', '.join(known[:6])}{more})")
    return part_seats(session, lottery.body, experts_of(lottery).category, field)


def open_field(session: Session, lottery: Lottery) -> str:
    """The part of the open seats (any field)."""
    found = [f.name for f in fields(session, lottery) if f.group == "open"]
    if not found:
        raise NotFound(f"the experts of {lottery.body} have no open seats")
    return found[0]


def term_end(start: date, months: int) -> date:
    """The last day of a term of ``months`` from ``start``."""
    year, month = divmod(start.month - 1 + months, 12)
    try:
        end = start.replace(year=start.year + year, month=month + 1)
    except ValueError:  # the 29th-31st of a shorter month: the term ends with that month
        end = date(start.year + year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return end - timedelta(days=1)


def free(session: Session, lottery: Lottery, field: str, on: date) -> int:
    """How many places of a field are free on a day."""
    cat, seats = field_seats(session, lottery, field)
    return len(free_places(session, seats, cat.sharers_per_seat, on))


def open_experts_ballot(
    session: Session, lottery: Lottery, field: str, serves_from: date, now: datetime, *,
    places: int | None = None,
) -> int:
    """Open the ballot of a field for ``places`` experts (all the places free on
    ``serves_from`` when not given), who serve from ``serves_from`` for the body's term."""
    term = experts_of(lottery).term_months
    room = free(session, lottery, field, serves_from)
    if serves_from <= london(now).date():
        raise Invalid(f"serves_from: the experts' term begins on a day to come, not {serves_from}")
    wanted = room if places is None else places
    if wanted < 1:
        raise Refused(f"the seats of {field} have no free place on {serves_from}")
    if wanted > room:
        raise Refused(f"places: {wanted} experts to appoint in {field}, but only {room} places "
                      f"are free on {serves_from}")
    if _open_ballot(session, lottery.body, field) is not None:
        raise Conflict(f"a ballot of {field} is open already")
    ballot = ExpertBallot(body_key=lottery.body, field=field, places=wanted, rule=RULE,
                          serves_from=serves_from, serves_until=term_end(serves_from, term),
                          opened_at=now)
    session.add(ballot)
    session.flush()
    assert ballot.id is not None
    return ballot.id


def _open_ballot(session: Session, body_key: str, field: str) -> ExpertBallot | None:
    return session.exec(select(ExpertBallot).where(
        ExpertBallot.body_key == body_key, ExpertBallot.field == field,
        col(ExpertBallot.counted_at).is_(None))).first()


def _nomination(session: Session, ballot: ExpertBallot, name: str, expertise: str,
                now: datetime) -> ExpertNomination:
    if not name.strip():
        raise Invalid("name: a nomination names the person")
    if session.exec(select(ExpertVote.id).where(ExpertVote.ballot_id == ballot.id)).first():
        raise Refused(f"the jurors are voting on {ballot.field}: nominations are closed")
    taken = session.exec(select(ExpertNomination.id).where(
        ExpertNomination.ballot_id == ballot.id, ExpertNomination.name == name.strip())).first()
    if taken is not None:
        raise Conflict(f"{name.strip()} is nominated for {ballot.field} already")
    nomination = ExpertNomination(ballot_id=ballot.id or 0, name=" ".join(name.split()),
                                  expertise=expertise.strip(), nominated_at=now)
    session.add(nomination)
    session.flush()
    return nomination


def nominate(
    session: Session, lottery: Lottery, field: str, name: str, expertise: str, now: datetime
) -> int:
    """Nominate someone on the open ballot of a field.  Returns the nomination."""
    field_seats(session, lottery, field)
    ballot = _open_ballot(session, lottery.body, field)
    if ballot is None:
        raise Refused(f"no ballot of {field} is open for nominations")
    return _nomination(session, ballot, name, expertise, now).id or 0


def import_nominations(
    session: Session, lottery: Lottery, source_name: str, text: str, now: datetime
) -> int:
    """Nominations from a CSV (``field,name,expertise``): every bad row is named (file, line,
    column) and nothing is stored if any is bad.  Returns how many were entered."""
    rows = csvrows.rows(text, source_name, ("field", "name"), ("expertise",))
    known = {f.name for f in fields(session, lottery)}
    problems: list[str] = []
    ballots: dict[str, ExpertBallot] = {}
    for lineno, cells in rows:
        where = f"{source_name}, line {lineno}, column 'field'"
        if cells["field"] not in known:
            problems.append(f"{where}: {cells['field']!r} is not a field of the experts")
        elif cells["field"] not in ballots:
            found = _open_ballot(session, lottery.body, cells["field"])
            if found is None:
                problems.append(f"{where}: no ballot of {cells['field']} is open")
            else:
                ballots[cells["field"]] = found
    if problems:
        raise Invalid(f"{len(problems)} bad rows, nothing stored: " + "; ".join(problems[:20]))
    for _lineno, cells in rows:
        _nomination(session, ballots[cells["field"]], cells["name"],
                    cells.get("expertise", ""), now)
    return len(rows)


def cast_expert_vote(
    session: Session, ballot_id: int, ranking: list[int], now: datetime, *,
    account_id: int | None = None, place_id: int | None = None,
) -> None:
    """A serving juror ranks a field's nominations (ids, first preference first), once:
    signed in (``account_id``) or by letter, which the officer records (``place_id``)."""
    ballot = fetch(session, ExpertBallot, ballot_id, "ballot")
    what = f"the experts of {ballot.field}"
    place = voting_juror(session, ballot.body_key, now, what, account_id=account_id,
                         place_id=place_id)
    if ballot.counted_at is not None:
        raise Refused(f"the experts' ballot of {ballot.field} was counted already")
    nominated = set(session.exec(select(ExpertNomination.id).where(
        ExpertNomination.ballot_id == ballot_id)).all())
    if not ranking:
        raise Invalid("ranking: give at least one preference")
    if len(set(ranking)) != len(ranking):
        raise Invalid("ranking: a nominee is ranked twice")
    unknown = [c for c in ranking if c not in nominated]
    if unknown:
        raise Invalid(f"ranking: {unknown[0]} is not a nomination on this ballot")
    voted = session.exec(select(ExpertVote.id).where(
        ExpertVote.ballot_id == ballot_id, ExpertVote.place_id == place.id)).first()
    if voted is not None:
        raise Refused("this juror has voted in this ballot already")
    session.add(ExpertVote(ballot_id=ballot_id, place_id=place.id or 0, ranking=ranking,
                           cast_at=now))


def nominations(session: Session, ballot_id: int) -> list[ExpertNomination]:
    return list(session.exec(select(ExpertNomination).where(
        ExpertNomination.ballot_id == ballot_id).order_by(col(ExpertNomination.id))).all())


def candidate(n: ExpertNomination) -> str:
    """A nominee's name on the count (unique: with the nomination's number)."""
    return f"{n.name} (nomination {n.id})".replace('"', "'")


def ballot_file(session: Session, ballot: ExpertBallot, seats: int) -> str:
    """The ballot as a BLT file: the nominations, each juror's ranking."""
    people = nominations(session, ballot.id or 0)
    number = {n.id: k for k, n in enumerate(people, start=1)}
    lines = [f"{len(people)} {seats}"]
    for vote in session.exec(select(ExpertVote).where(ExpertVote.ballot_id == ballot.id)
                             .order_by(col(ExpertVote.id))):
        lines.append(f"1 {' '.join(str(number[c]) for c in vote.ranking)} 0")
    lines.append("0")
    lines += [f'"{candidate(n)}"' for n in people]
    lines.append(f'"The experts of the {ballot.body_key} jury: {ballot.field}"')
    return "\n".join(lines) + "\n"


def count_experts(
    session: Session, lottery: Lottery, ballot_id: int, seed: str, now: datetime
) -> list[str]:
    """Count a field's ballot (STV for as many as it appoints, or all the nominees when
    fewer) and seat those elected in the field's seats for the term.  Returns their member
    ids.  A ballot with no nominations or no votes is refused and stays open."""
    ballot = fetch(session, ExpertBallot, ballot_id, "ballot")
    if ballot.body_key != lottery.body:
        raise NotFound(f"ballot {ballot_id} is not one of {lottery.body}'s")
    if ballot.counted_at is not None:
        raise Refused(f"the experts' ballot of {ballot.field} was counted already")
    people = nominations(session, ballot_id)
    if not people:
        raise Refused(f"nobody is nominated for {ballot.field}: there is nothing to count")
    seats = min(ballot.places, len(people))
    room = free(session, lottery, ballot.field, ballot.serves_from)
    if seats > room:
        raise Refused(f"{seats} experts to appoint in {ballot.field}, but only {room} places are "
                      f"free on {ballot.serves_from}")
    title = f"The experts of the {lottery.body} jury: {ballot.field}"
    try:
        election_id = count_election(
            session, title, "experts.blt", ballot_file(session, ballot, seats),
            rule=ballot.rule, seed=f"{seed}/experts/{ballot.field}", seats=seats,
            body_key=lottery.body, now=now)
    except CountError as exc:
        raise Refused(f"the ballot of {ballot.field} cannot be counted yet: {exc}") from None
    elected = fetch_elected(session, election_id)
    chosen = [n for n in people if candidate(n) in elected]
    cat, field_seat = field_seats(session, lottery, ballot.field)
    ballot.appointed = seat_people(
        session, lottery.body, cat, field_seat,
        [Chosen(n.name, "experts", WAY, ballot.field,
                f"{n.expertise}; serves until {ballot.serves_until}".lstrip("; "),
                election_id=election_id, serves_until=ballot.serves_until) for n in chosen],
        "experts", ballot.serves_from, f"the experts of {ballot.field}")
    ballot.counted_at, ballot.election_id = now, election_id
    ballot.note = (f"{len(chosen)} of {len(people)} nominees appointed by {ballot.rule} STV "
                   f"from {ballot.serves_from} to {ballot.serves_until}")
    return ballot.appointed
