"""The jury chooses its extensions: each month a ballot of the serving jurors among the jurors
due to leave soonest within the extension window (those whose leaving month still needs
extensions and whose seat has room for another term), for as many as that month needs (10 a
month for the national jury); counted by the project's own engine (STV, the rule stored on the
ballot and shown on it) and stored like any election (`chamber.elections`).  The elected serve
a term longer.  A ballot with no votes extends nobody, and says so.

The ballot of a month opens at the jury's day of the month before (or when its month's draw
needs it, if none was opened) and is counted at that month's draw (`chamber.jury.cycle`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from chamber.accounts.models import Account
from chamber.db import fetch
from chamber.elections.models import Election
from chamber.elections.services import count_election
from chamber.errors import Forbidden, Invalid, Refused
from chamber.jury.lottery import Lottery
from chamber.jury.models import JuryBallot, JuryBallotVote, JuryPlace, Volunteer
from chamber.jury.places import first_day, index, label, month_of, on_jury, room_to_extend
from chamber.jury.rules import JuryRules
from chamber.membership.models import Member
from chamber.notices.services import close_notices, notify
from chamber.rotas.changes import change_last_day
from electoral.errors import CountError

RULE = "scottish"  # STV (the Scottish local-government rules)


def _rules(lottery: Lottery) -> JuryRules:
    if lottery.cycle is None:
        raise Invalid(f"{lottery.body} is drawn once, as a panel: it extends nobody")
    return lottery.cycle


def leaving(place: JuryPlace, rules: JuryRules) -> int:
    """The month (a number) a place's first term ends, extended or not."""
    return index(place.cohort) + rules.term_months


def candidates(session: Session, lottery: Lottery, month: str) -> tuple[list[JuryPlace], int]:
    """The places that may be extended in ``month`` and how many are: the serving jurors of
    the earliest leaving month in the window that still needs extensions, with room."""
    rules = _rules(lottery)
    at = index(month)
    window = range(at + 1, at + rules.window_months + 1)
    places = [p for p in on_jury(session, lottery.body, month) if p.status == "serving"]
    done = {e: sum(p.extended and leaving(p, rules) == e for p in places) for e in window}
    for e in window:
        need = rules.extended - done[e]
        if need <= 0:
            continue
        due = [p for p in places if not p.extended and leaving(p, rules) == e
               and index(p.term_end) == e and p.member_id is not None]
        room = room_to_extend(session, lottery, due, rules.term_months)
        pool = [p for p in due if p.id in room]
        if pool:
            return pool, min(need, len(pool))
    return [], 0


def ballot_of(session: Session, body_key: str, month: str) -> JuryBallot | None:
    return session.exec(
        select(JuryBallot).where(JuryBallot.body_key == body_key, JuryBallot.month == month)
    ).first()


def open_ballot(session: Session, lottery: Lottery, month: str, now: datetime) -> JuryBallot:
    """The extensions ballot of ``month`` (opened now with its candidates if it was not)."""
    found = ballot_of(session, lottery.body, month)
    if found is not None:
        return found
    places, seats = candidates(session, lottery, month)
    ballot = JuryBallot(body_key=lottery.body, month=month, seats=seats, rule=RULE,
                        candidates=[p.id or 0 for p in places], opened_at=now)
    session.add(ballot)
    session.flush()
    if places:
        _tell_jurors(session, ballot, now)
    return ballot


def ballot_link(ballot: JuryBallot) -> str:
    return f"/jury/{ballot.body_key}/ballots/{ballot.id}"


def _tell_jurors(session: Session, ballot: JuryBallot, now: datetime) -> None:
    """A site notice to each serving juror with an account: the ballot is open."""
    month = month_of(now)
    rows = session.exec(
        select(Volunteer.account_id).join(JuryPlace, col(JuryPlace.volunteer_id) == col(
            Volunteer.id)).where(JuryPlace.body_key == ballot.body_key,
                                 JuryPlace.status == "serving", col(JuryPlace.cohort) <= month,
                                 col(JuryPlace.term_end) > month,
                                 col(Volunteer.account_id).is_not(None))
    ).all()
    for account_id in rows:
        if account_id is not None:
            notify(session, account_id, f"Vote on the jury's extensions of {ballot.month}",
                   f"Choose {ballot.seats} of the jurors due to leave soonest whose terms are "
                   "extended by a year.", ballot_link(ballot), now)


def juror_place(session: Session, body_key: str, account_id: int, what: str) -> int:
    """The place of the serving juror of ``body_key`` signed in as ``account_id``; anyone
    else is refused (``what`` they may not vote on)."""
    account = fetch(session, Account, account_id, "account")
    place = session.exec(
        select(JuryPlace).where(JuryPlace.body_key == body_key,
                                JuryPlace.member_id == account.member_id,
                                JuryPlace.status == "serving")
    ).first() if account.member_id else None
    if place is None or place.id is None:
        raise Forbidden(f"only the serving jurors of {body_key} vote on {what}")
    return place.id


def serving_juror(session: Session, body_key: str, place_id: int, now: datetime,
                  what: str) -> JuryPlace:
    """A place whose holder serves on the jury of ``body_key`` now, or refused."""
    place = fetch(session, JuryPlace, place_id, "place")
    month = month_of(now)
    if (place.body_key != body_key or place.status != "serving"
            or not place.cohort <= month < place.term_end):
        raise Forbidden(f"only the serving jurors of {body_key} vote on {what}")
    return place


def voting_juror(session: Session, body_key: str, now: datetime, what: str, *,
                 account_id: int | None, place_id: int | None) -> JuryPlace:
    """The place of the juror voting now on ``what``: signed in as ``account_id``, or by
    letter (the officer records ``place_id``); anyone not serving is refused."""
    if account_id is not None:
        place_id = juror_place(session, body_key, account_id, what)
    return serving_juror(session, body_key, place_id or 0, now, what)


def voter_place(session: Session, ballot: JuryBallot, account_id: int) -> int:
    """The place of the juror signed in as ``account_id`` (`cast_vote` checks it serves)."""
    return juror_place(session, ballot.body_key, account_id, "its extensions")


def cast_vote(
    session: Session, ballot_id: int, ranking: list[int], now: datetime, *,
    account_id: int | None = None, place_id: int | None = None,
) -> None:
    """A serving juror ranks candidates (place ids, first preference first), once: signed in
    (``account_id``) or by letter, which the officer records (``place_id``, the voter's)."""
    ballot = fetch(session, JuryBallot, ballot_id, "ballot")
    place = voting_juror(session, ballot.body_key, now, "its extensions",
                         account_id=account_id, place_id=place_id)
    if ballot.counted_at is not None:
        raise Refused(f"the extensions ballot of {ballot.month} was counted already")
    if not ranking:
        raise Invalid("ranking: give at least one preference")
    if len(set(ranking)) != len(ranking):
        raise Invalid("ranking: a candidate is ranked twice")
    unknown = [c for c in ranking if c not in ballot.candidates]
    if unknown:
        raise Invalid(f"ranking: {unknown[0]} is not a candidate on this ballot")
    voted = session.exec(
        select(JuryBallotVote).where(JuryBallotVote.ballot_id == ballot_id,
                                     JuryBallotVote.place_id == place.id)
    ).first()
    if voted is not None:
        raise Refused("this juror has voted in this ballot already")
    session.add(JuryBallotVote(ballot_id=ballot_id, place_id=place.id or 0, ranking=ranking,
                               cast_at=now))


def open_ballots(session: Session, body_key: str) -> list[int]:
    """The ballots of a body not yet counted."""
    return [b for b in session.exec(
        select(JuryBallot.id).where(JuryBallot.body_key == body_key,
                                    col(JuryBallot.counted_at).is_(None))
    ).all() if b is not None]


def open_next(session: Session, lottery: Lottery, now: datetime) -> int | None:
    """Once this month's ballot is counted, open next month's (its candidates known now)."""
    month = month_of(now)
    this = ballot_of(session, lottery.body, month)
    if this is None or this.counted_at is None:
        return None
    return open_ballot(session, lottery, label(index(month) + 1), now).id


def _names(session: Session, places: list[int]) -> dict[int, str]:
    rows = session.exec(
        select(JuryPlace, Volunteer).join(Volunteer, col(Volunteer.id) == col(
            JuryPlace.volunteer_id)).where(col(JuryPlace.id).in_(places))
    ).all()
    return {p.id or 0: f"{v.name} (place {p.id})" for p, v in rows}


def ballot_file(session: Session, ballot: JuryBallot, eligible: list[int]) -> str:
    """The ballot as a BLT file: the candidates still eligible, each vote's ranking of them."""
    number = {c: n for n, c in enumerate(eligible, start=1)}
    names = _names(session, eligible)
    lines = [f"{len(eligible)} {min(ballot.seats, len(eligible))}"]
    for vote in session.exec(select(JuryBallotVote).where(JuryBallotVote.ballot_id == ballot.id)
                             .order_by(col(JuryBallotVote.id))):
        ranks = [str(number[c]) for c in vote.ranking if c in number]
        if ranks:
            lines.append(f"1 {' '.join(ranks)} 0")
    lines.append("0")
    lines += ['"' + names[c].replace('"', "'") + '"' for c in eligible]
    lines.append(f'"Extensions of the {ballot.body_key} jury, {ballot.month}"')
    return "\n".join(lines) + "\n"


def extend_place(session: Session, place: JuryPlace, months: int, now: datetime) -> None:
    """A place's term (and its holder's membership) a term longer."""
    place.extended, place.term_end = True, label(index(place.term_end) + months)
    if place.member_id is not None:
        member = fetch(session, Member, place.member_id, "member")
        change_last_day(session, member.id, first_day(place.term_end) - timedelta(days=1), now)


def count_ballot(
    session: Session, lottery: Lottery, month: str, seed: str, now: datetime
) -> list[str]:
    """Count the extensions ballot of ``month`` (opening it first if it was not) and extend the
    elected; the pseudonyms of those extended.  Candidates no longer serving, or whose seat has
    lost its room, are left out of the count; a count is stored as an election."""
    rules = _rules(lottery)
    ballot = open_ballot(session, lottery, month, now)
    if ballot.counted_at is not None:
        raise Refused(f"the extensions ballot of {month} was counted already")
    ballot.counted_at = now
    close_notices(session, ballot_link(ballot), now)
    places = {p.id: p for p in session.exec(
        select(JuryPlace).where(col(JuryPlace.id).in_(ballot.candidates))).all()}
    serving = [c for c in ballot.candidates if places[c].status == "serving"
               and not places[c].extended]
    room = room_to_extend(session, lottery, [places[c] for c in serving], rules.term_months)
    eligible = [c for c in serving if c in room]
    if not eligible or ballot.seats == 0:
        ballot.note = "nobody was due to be extended"
        return []
    text = ballot_file(session, ballot, eligible)
    try:
        ballot.election_id = count_election(
            session, f"Extensions of the {lottery.body} jury, {month}", "extensions.blt", text,
            rule=ballot.rule, seed=f"{seed}/extension", seats=min(ballot.seats, len(eligible)),
            body_key=lottery.body, now=now)
    except CountError as exc:
        ballot.note = f"nobody is extended: {exc}"
        return []
    elected = fetch_elected(session, ballot.election_id)
    names = _names(session, eligible)
    chosen = [c for c in eligible if names[c] in elected]
    for c in chosen:
        extend_place(session, places[c], rules.term_months, now)
    ballot.extended = chosen
    ballot.note = f"{len(chosen)} of {len(eligible)} candidates extended by {ballot.rule} STV"
    people = session.exec(select(Volunteer).where(
        col(Volunteer.id).in_([places[c].volunteer_id for c in chosen]))).all()
    return sorted(v.ref for v in people)


def fetch_elected(session: Session, election_id: int | None) -> set[str]:
    """The names a stored count elected."""
    election = fetch(session, Election, election_id or 0, "election")
    elected = election.result.get("elected", [])
    return {str(name) for name in elected} if isinstance(elected, list) else set()
