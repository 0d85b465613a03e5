"""A division's life: created for a sitting, opened and closed at its times (by the scheduler
or a clerk), its result published at close in one transaction with the audit head."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import func
from sqlmodel import Session, col, select

from chamber.audit.checkpoints import make_checkpoint
from chamber.audit.services import append
from chamber.clock import aware, describe
from chamber.divisions.follows import notify_followers
from chamber.divisions.models import Division, MemberVote, PublicVote, PublicVoter
from chamber.divisions.proxies import proxy_graph
from chamber.divisions.proxy_graph import resolve_proxies
from chamber.divisions.results import LargeProxy, PublishedResult
from chamber.divisions.rules import outcome
from chamber.divisions.sequencer import chain_pending
from chamber.divisions.state import division, lock_for_close
from chamber.errors import Invalid, Refused
from chamber.serial import as_json, from_json
from chamber.sittings.services import sitting

GRACE = timedelta(minutes=1)  # a division created "now" from a form (to the minute) may open now


def create_division(
    session: Session,
    question: str,
    options: list[str],
    opens_at: datetime,
    closes_at: datetime,
    *,
    sitting_id: int,
    now: datetime,
) -> int:
    """A division of a sitting: it opens and closes within the sitting (by the scheduler or by
    a clerk), and only the members rostered in the sitting vote.  A division in the past, or
    reaching outside its sitting, is refused with the reason.  Returns its id."""
    if not question.strip():
        raise Invalid("a division needs a question")
    if len(options) < 2 or len(set(options)) != len(options):
        raise Invalid("a division needs two or more different options")
    if not opens_at < closes_at:
        raise Invalid("a division must open before it closes")
    found = sitting(session, sitting_id)
    starts, ends = aware(found.starts_at), aware(found.ends_at)
    if not starts <= opens_at < closes_at <= ends:
        raise Refused(
            f"a division opens and closes within its sitting ({describe(starts)} to "
            f"{describe(ends)}); this one runs {describe(opens_at)} to {describe(closes_at)}"
        )
    if opens_at < now - GRACE:
        raise Refused(
            f"a division cannot open in the past ({describe(opens_at)}; it is {describe(now)})"
        )
    made = Division(
        question=question, options=options, sitting_id=sitting_id, opens_at=opens_at,
        closes_at=closes_at,
    )
    session.add(made)
    session.flush()
    assert made.id is not None
    append(
        session, "division created",
        {
            "division": made.id, "question": question, "options": options,
            "sitting": sitting_id, "opens_at": aware(opens_at).isoformat(),
            "closes_at": aware(closes_at).isoformat(),
        },
        now,
    )
    return made.id


def open_division(session: Session, division_id: int, now: datetime) -> bool:
    """Mark a division open (the scheduler's job at its opening time); idempotent: False when
    it was not due or not scheduled."""
    found = division(session, division_id)
    if found.status != "scheduled" or aware(now) < aware(found.opens_at):
        return False
    found.status = "open"
    append(session, "division opened", {"division": division_id}, now)
    notify_followers(session, found, now)
    return True


def close_division(
    session: Session, division_id: int, now: datetime, *, proxy_cap: int, audit_key: bytes
) -> PublishedResult:
    """Close a division and publish its result.  Closing again changes nothing and returns
    the stored result (a restart or a duplicate trigger does no harm).  The votes are chained
    first (those whose MAC verifies under ``audit_key``), the whole published result is
    chained, and the chain's head is checkpointed.

    The direct public votes are counted in the database (one GROUP BY); only the proxy graph
    (the proxies in force and the direct votes of the people in it) is read out and resolved
    by `resolve_proxies`, whose tally replaces those people's direct votes.  ``proxy_cap`` is
    the most delegated votes one proxy may carry."""
    found = lock_for_close(session, division_id)
    if found.status == "closed":
        assert found.result is not None
        return from_json(found.result, PublishedResult)
    chain_pending(session, audit_key)  # every vote is on the chain before the head is published
    now = aware(now)  # a clerk may close early: votes stop now
    options = len(found.options)
    chamber_votes = _tally(session, MemberVote, division_id, options)
    public = _tally(session, PublicVote, division_id, options)
    people, direct, proxy = proxy_graph(session, division_id, now)
    resolution = resolve_proxies(direct, proxy, options, cap=proxy_cap)
    public += resolution.tally - np.bincount(direct[direct >= 0], minlength=options)
    result = outcome(found.options, chamber_votes.tolist(), public.tolist())
    largest = resolution.largest_proxies(10)
    handles = dict(
        session.exec(
            select(PublicVoter.id, PublicVoter.handle).where(
                col(PublicVoter.id).in_([int(people[i]) for i, _ in largest])
            )
        ).all()
    )
    delegated = (resolution.counted_as >= 0) & (direct < 0)
    capped = {}
    for root in np.flatnonzero(resolution.carried >= proxy_cap).tolist():
        mine = people[delegated & (resolution.counted_as == root)]
        capped[str(int(people[root]))] = int(mine.max())  # the last voter number counted
    published = PublishedResult(
        **{f.name: getattr(result, f.name) for f in fields(result)},
        public_direct_votes=int(public.sum() - resolution.carried.sum()),
        proxy_votes_counted=int(resolution.carried.sum()),
        proxy_votes_refused_over_cap=resolution.refused_over_cap,
        proxy_votes_in_cycles=resolution.in_cycles,
        proxy_votes_lapsed=resolution.lapsed,
        proxy_cap=proxy_cap,
        capped_proxies_last_counted=capped,
        largest_proxies=tuple(
            LargeProxy(handles.get(int(people[i]), str(int(people[i]))), n) for i, n in largest
        ),
        closed_at=now,
        audit_head="",
    )
    # the whole published result is chained, all but the head, which is the entry's own hash
    head = append(
        session, "division closed", {"division": division_id, "result": chained_result(
            as_json(published))}, now,
    )
    published = replace(published, audit_head=head)
    found.status, found.result, found.audit_head = "closed", as_json(published), head
    make_checkpoint(session, now, f"division {division_id} closed", audit_key)
    return published


def chained_result(published: dict[str, object]) -> dict[str, object]:
    """What the chain records of a published result: all of it but ``audit_head``."""
    return {k: v for k, v in published.items() if k != "audit_head"}


def _tally(
    session: Session, votes: type[MemberVote] | type[PublicVote], division_id: int, options: int
) -> NDArray[np.int64]:
    """The votes for each option of a division (one GROUP BY in the database)."""
    out = np.zeros(options, dtype=np.int64)
    for option, n in session.exec(
        select(votes.option, func.count())
        .where(votes.division_id == division_id)
        .group_by(col(votes.option))
    ).all():
        out[option] = n
    return out


def due_divisions(session: Session, now: datetime) -> tuple[list[int], list[int]]:
    """Divisions to open and to close at ``now`` (what the scheduler's sweep acts on)."""
    to_open = session.exec(
        select(Division.id).where(Division.status == "scheduled", Division.opens_at <= now)
    ).all()
    to_close = session.exec(
        select(Division.id).where(Division.status != "closed", Division.closes_at <= now)
    ).all()
    return [int(i) for i in to_open if i is not None], [int(i) for i in to_close if i]
