"""Following a division or a subject: a member of the public asks to be told when a division
opens (that one, or any whose question has a subject's words), and is, by a site notice with
its link (and e-mail, `chamber.notices`), when the scheduler or a clerk opens it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from chamber.clock import london
from chamber.divisions.models import Division
from chamber.divisions.state import division
from chamber.errors import Invalid, Refused
from chamber.fulltext.match import match, restrict
from chamber.fulltext.terms import parse
from chamber.notices.models import Follow, SubjectFollow
from chamber.notices.services import notify_all

MOST_SUBJECTS = 50  # one account follows


def follow_division(session: Session, account_id: int, division_id: int, now: datetime) -> None:
    """Follow a division not yet closed (following twice changes nothing)."""
    found = division(session, division_id)
    if found.status == "closed":
        raise Refused("the division is closed: there is nothing more to be told")
    if following(session, account_id, division_id):
        return
    session.add(Follow(account_id=account_id, division_id=division_id, created_at=now))


def unfollow_division(session: Session, account_id: int, division_id: int) -> None:
    for row in session.exec(
        select(Follow).where(Follow.account_id == account_id, Follow.division_id == division_id)
    ).all():
        session.delete(row)


def following(session: Session, account_id: int, division_id: int) -> bool:
    return session.exec(
        select(Follow.id).where(Follow.account_id == account_id, Follow.division_id == division_id)
    ).first() is not None


def follow_subject(session: Session, account_id: int, words: str, now: datetime) -> str:
    """Follow the divisions whose question has all of ``words`` (as a search reads them);
    returns the words as followed.  Following the same words twice changes nothing."""
    terms = parse(words, "words")
    if session.exec(select(SubjectFollow.id).where(
        SubjectFollow.account_id == account_id, SubjectFollow.words == terms.text
    )).first() is not None:
        return terms.text
    held = session.exec(
        select(func.count()).select_from(SubjectFollow)
        .where(SubjectFollow.account_id == account_id)
    ).one()
    if held >= MOST_SUBJECTS:
        raise Refused(f"you follow {held} subjects, the most one account may: stop following "
                      "one first")
    session.add(SubjectFollow(account_id=account_id, words=terms.text, created_at=now))
    return terms.text


def unfollow_subject(session: Session, account_id: int, follow_id: int) -> None:
    """Stop following a subject (one of the account's own; nothing if it is gone)."""
    for row in session.exec(select(SubjectFollow).where(
        SubjectFollow.id == follow_id, SubjectFollow.account_id == account_id
    )).all():
        session.delete(row)


@dataclass(frozen=True, slots=True)
class FollowedDivision:
    id: int
    question: str
    status: str
    opens_at: datetime  # London


@dataclass(frozen=True, slots=True)
class FollowedSubject:
    id: int
    words: str
    since: datetime  # London


@dataclass(frozen=True, slots=True)
class Follows:
    divisions: tuple[FollowedDivision, ...]
    subjects: tuple[FollowedSubject, ...]


def follows_of(session: Session, account_id: int) -> Follows:
    """What an account follows: divisions (soonest first) and subjects (newest first)."""
    divisions = session.exec(
        select(Division).join(Follow, col(Follow.division_id) == col(Division.id))
        .where(Follow.account_id == account_id).order_by(col(Division.opens_at))
    ).all()
    subjects = session.exec(
        select(SubjectFollow).where(SubjectFollow.account_id == account_id)
        .order_by(col(SubjectFollow.id).desc())
    ).all()
    return Follows(
        tuple(FollowedDivision(d.id or 0, d.question, d.status, london(d.opens_at))
              for d in divisions),
        tuple(FollowedSubject(s.id or 0, s.words, london(s.created_at)) for s in subjects),
    )


def matches(session: Session, division_id: int, words: str) -> bool:
    """Whether a division's question has all of ``words`` (as a search would find it)."""
    found = match(session.get_bind().dialect.name, "division", col(Division.question),
                  parse(words, "words"))
    query = sa_select(col(Division.id)).where(col(Division.id) == division_id)
    return session.execute(restrict(query, found, col(Division.id))).first() is not None


def _matches_stored(session: Session, division_id: int, words: str) -> bool:
    """`matches`, for words stored earlier: words that no longer read as a search (the common
    words changed, say) match nothing, rather than stop the division opening."""
    try:
        return matches(session, division_id, words)
    except Invalid:
        return False


def notify_followers(session: Session, found: Division, now: datetime) -> int:
    """Tell everyone following a division (just opened), or a subject its question has, that
    it is open (once each); returns how many were told."""
    division_id = found.id
    assert division_id is not None
    until = f"is open until {london(found.closes_at):%A %d %B, %H:%M}."
    told = list(session.exec(
        select(Follow.account_id).where(Follow.division_id == division_id)
    ).all())
    count = notify_all(session, told, "A division you follow is open",
                       f"{found.question!r} {until}", f"/divisions/{division_id}", now)
    subjects: dict[str, list[int]] = {}
    for words, account in session.exec(select(SubjectFollow.words, SubjectFollow.account_id)):
        subjects.setdefault(words, []).append(account)
    seen = set(told)
    for words, accounts in sorted(subjects.items()):
        fresh = [a for a in accounts if a not in seen]
        if fresh and _matches_stored(session, division_id, words):
            seen.update(fresh)
            count += notify_all(
                session, fresh, f"A division on “{words}” is open",
                f"{found.question!r} {until} You follow the subject “{words}”.",
                f"/divisions/{division_id}", now,
            )
    return count
