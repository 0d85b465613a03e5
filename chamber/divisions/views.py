"""What the public sees of divisions: the list, one division with its member votes and result,
whether a receipt's vote counted, and where a voter's delegated vote went."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func
from sqlmodel import Session, col, select

from chamber.bodies.services import bodies
from chamber.clock import london
from chamber.divisions.models import Division, MemberVote, PublicSubmission, PublicVote
from chamber.divisions.proxies import proxy_of
from chamber.divisions.proxy_views import proxy_load
from chamber.divisions.results import PublishedResult
from chamber.divisions.state import division, has_closed, is_open
from chamber.divisions.voters import proxy_code_of, voter_number
from chamber.errors import Invalid, NotFound
from chamber.membership.models import Member
from chamber.serial import from_json
from chamber.sittings.models import Sitting

State = Literal["scheduled", "open", "closed", "closing", "not open yet"]


@dataclass(frozen=True, slots=True)
class DivisionSummary:
    id: int
    question: str
    status: str
    opens_at: datetime
    closes_at: datetime
    carried: str | None


@dataclass(frozen=True, slots=True)
class MemberVoteView:
    seat: str
    member: str
    group: str
    vote: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class GroupTotal:
    """How one group's members voted in a division: a count per option, in option order."""

    group: str
    votes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DivisionView:
    """A division: question, options, times, status, what a reader should be told of its
    state, the member votes, and (once closed) the published result with its audit head."""

    id: int
    question: str
    options: tuple[str, ...]
    sitting: int | None
    opens_at: datetime
    closes_at: datetime
    status: str
    state: State
    member_votes: tuple[MemberVoteView, ...]
    result: PublishedResult | None
    by_group: tuple[GroupTotal, ...] = ()


def _state(found: Division, now: datetime | None) -> State:
    """Closed, open, closing (time is up, the close is due) or not open yet; the stored status
    until the time is known."""
    if found.status == "closed":
        return "closed"
    if now is None:
        return "open" if found.status == "open" else "scheduled"
    if is_open(found, now):
        return "open"
    return "closing" if has_closed(found, now) else "not open yet"


def _result(found: Division) -> PublishedResult | None:
    return None if found.result is None else from_json(found.result, PublishedResult)


def division_view(session: Session, division_id: int, now: datetime | None = None) -> DivisionView:
    found = division(session, division_id)
    votes = session.exec(
        select(MemberVote.seat, MemberVote.member, Member.group, MemberVote.option)
        .join(Member, col(Member.id) == col(MemberVote.member))
        .where(MemberVote.division_id == division_id)
        .order_by(col(MemberVote.seat))
    ).all()
    names = dict(session.exec(
        select(Member.id, Member.name).join(MemberVote, col(MemberVote.member) == col(Member.id))
        .where(MemberVote.division_id == division_id)
    ).all())
    groups: dict[str, list[int]] = {}
    for _, _, group, o in votes:
        groups.setdefault(group, [0] * len(found.options))[o] += 1
    return DivisionView(
        id=division_id,
        question=found.question,
        options=tuple(found.options),
        sitting=found.sitting_id,
        opens_at=london(found.opens_at),
        closes_at=london(found.closes_at),
        status=found.status,
        state=_state(found, now),
        member_votes=tuple(
            MemberVoteView(seat, member, group, found.options[o], names.get(member, ""))
            for seat, member, group, o in votes
        ),
        result=_result(found),
        by_group=tuple(
            GroupTotal(g, tuple(n)) for g, n in sorted(groups.items(), key=lambda i: -sum(i[1]))
        ),
    )


def _summary(d: Division) -> DivisionSummary:
    assert d.id is not None
    carried = None if d.result is None else d.result.get("carried")
    return DivisionSummary(
        d.id, d.question, d.status, london(d.opens_at), london(d.closes_at),
        carried if isinstance(carried, str) else None,
    )


def list_divisions(
    session: Session, limit: int = 50, *, words: str = "", since: datetime | None = None,
    until: datetime | None = None, body_key: str = "",
) -> list[DivisionSummary]:
    """The newest divisions first; only those opening from ``since`` to before ``until``, in
    a sitting of ``body_key``, and whose question has every one of ``words`` (in any case),
    when given."""
    query = select(Division)
    if body_key:
        query = query.join(Sitting, col(Sitting.id) == col(Division.sitting_id)).where(
            Sitting.body_key == body_key)
    if since is not None:
        query = query.where(col(Division.opens_at) >= since)
    if until is not None:
        query = query.where(col(Division.opens_at) < until)
    question = func.lower(col(Division.question))
    for word in words.split()[:12]:
        query = query.where(question.contains(word.lower(), autoescape=True))
    rows = session.exec(query.order_by(col(Division.opens_at).desc()).limit(limit))
    return [_summary(d) for d in rows]


@dataclass(frozen=True, slots=True)
class DivisionsPage:
    divisions: list[DivisionSummary]
    bodies: list[str]  # to filter by


def divisions_page(
    session: Session, limit: int, *, words: str = "", since: datetime | None = None,
    until: datetime | None = None, body_key: str = "",
) -> DivisionsPage:
    """The divisions page: `list_divisions` and the bodies it may be filtered by (an unknown
    body is `Invalid`, naming the field)."""
    known = bodies(session)
    if body_key and body_key not in known:
        raise Invalid(f"body: {body_key!r} is not one of {', '.join(known) or 'no body'}")
    return DivisionsPage(list_divisions(session, limit, words=words, since=since, until=until,
                                        body_key=body_key), known)


def member_votes_csv(session: Session, division_id: int) -> str:
    """The members' votes of a division as CSV (seat, member, name, group, vote), by vote."""
    view = division_view(session, division_id)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["seat", "member", "name", "group", "vote"])
    for v in sorted(view.member_votes, key=lambda v: (view.options.index(v.vote), v.seat)):
        w.writerow([v.seat, v.member, v.name, v.group, v.vote])
    return out.getvalue()


def divisions_of_sitting(session: Session, sitting_id: int) -> list[DivisionSummary]:
    rows = session.exec(
        select(Division).where(Division.sitting_id == sitting_id).order_by(col(Division.opens_at))
    )
    return [_summary(d) for d in rows]


@dataclass(frozen=True, slots=True)
class ReceiptStatus:
    """Whether the submission behind a receipt is the one that counted (it was the voter's
    last before close), without revealing the choice."""

    division: int
    recorded_at: datetime
    is_latest: bool
    counted: bool
    division_status: str
    question: str = ""


def receipt_status(session: Session, token: str) -> ReceiptStatus:
    sub = session.exec(select(PublicSubmission).where(PublicSubmission.receipt == token)).first()
    if sub is None:
        raise NotFound("no vote has this receipt")
    current = session.exec(
        select(PublicVote).where(
            PublicVote.division_id == sub.division_id, PublicVote.voter_id == sub.voter_id
        )
    ).first()
    found = division(session, sub.division_id)
    last = current is not None and current.submission_id == sub.id
    return ReceiptStatus(
        sub.division_id, london(sub.at), last, last and found.status == "closed", found.status,
        found.question,
    )


@dataclass(frozen=True, slots=True)
class Delegation:
    """For a voter and a division: whether they voted directly; if not, whom they delegated to,
    whose direct vote carried theirs (the first in the chain who voted), whether it counted,
    and why not."""

    division: int
    status: str
    voted_directly: bool
    delegated_to: str | None = None  # proxy codes, never handles
    counted_through: str | None = None
    counted: bool = False
    refused_over_cap: bool = False
    why_not: str | None = None
    current_vote: str | None = None  # the option of the voter's own vote, if they voted


def delegation_status(
    session: Session, voter: str, division_id: int, *, cap: int | None = None
) -> Delegation:
    """Computed from the stored proxies and votes as they were at close (or as they stand,
    while the division is open).  While open, given the ``cap``, a vote carried by the proxy
    the voter appointed is marked refused if the voter's place among those appointing that
    proxy is beyond the cap, as it would be if the division closed now."""
    voter_id = voter_number(session, voter)
    found = division(session, division_id)
    result = _result(found)
    at = result.closed_at if result is not None else london(found.closes_at)
    closed = found.status == "closed"

    def direct_of(person: int) -> int | None:
        return session.exec(
            select(PublicVote.option).where(
                PublicVote.division_id == division_id, PublicVote.voter_id == person
            )
        ).first()

    own = direct_of(voter_id)
    if own is not None:
        return Delegation(
            division_id, found.status, voted_directly=True, counted=closed,
            current_vote=found.options[own],
        )
    first = proxy_of(session, voter_id, at, division_id)
    delegated_to = None if first is None else proxy_code_of(session, first)
    seen, person = {voter_id}, first
    while person is not None and person not in seen:
        if direct_of(person) is not None:
            if result is not None:
                limit = result.capped_proxies_last_counted.get(str(person))
                over = limit is not None and voter_id > limit
            else:
                over = cap is not None and person == first and proxy_load(
                    session, person, at, cap, division_id=division_id, voter_id=voter_id
                ).mine_refused
            return Delegation(
                division_id, found.status, voted_directly=False, delegated_to=delegated_to,
                counted_through=proxy_code_of(session, person), counted=closed and not over,
                refused_over_cap=over,
            )
        seen.add(person)
        person = proxy_of(session, person, at, division_id)
    reason = (
        "your proxies form a cycle, so none of them carries your vote" if person is not None
        else "no one in your chain of proxies has voted"
    )
    return Delegation(
        division_id, found.status, voted_directly=False, delegated_to=delegated_to,
        why_not=reason,
    )
