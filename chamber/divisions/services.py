"""The rules of divisions as transactions: member votes, public votes with receipts, proxies,
closing (idempotent), and the hash-chained audit log."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime

import numpy as np
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chamber.divisions.models import (
    AuditEntry,
    Division,
    MemberVote,
    Proxy,
    PublicSubmission,
    PublicVote,
    Secret,
)
from chamber.settings import settings
from chamber.voting import (
    GENESIS,
    VotingError,
    chain_hash,
    may_vote,
    outcome,
    receipt,
    resolve_proxies,
    verify_chain,
)


def _secret(session: Session, name: str) -> str:
    found = session.get(Secret, name)
    if found is None:
        found = Secret(name=name, value=secrets.token_hex(32))
        session.add(found)
        session.flush()
    return found.value


def audit(session: Session, kind: str, payload: Mapping[str, object], at: datetime) -> str:
    """Append an entry to the hash chain (in the caller's transaction); returns its hash."""
    last = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc())).first()
    previous = last.hash if last else GENESIS
    body = {"kind": kind, "at": at.isoformat(), **payload}
    digest = chain_hash(previous, body)
    session.add(AuditEntry(kind=kind, payload=body, previous=previous, hash=digest, at=at))
    return digest


def verify_audit(engine: Engine) -> int | None:
    """Check the whole audit chain; the id of the first altered entry, or None."""
    with Session(engine) as session:
        entries = session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()
        broken = verify_chain([(e.payload, e.hash) for e in entries])
        return None if broken is None else entries[broken].id


def _division(session: Session, division_id: int) -> Division:
    division = session.get(Division, division_id)
    if division is None:
        raise VotingError(f"no division {division_id}")
    return division


def _is_open(division: Division, now: datetime) -> bool:
    return division.status != "closed" and division.opens_at <= now < division.closes_at


def _option(division: Division, option: str) -> int:
    try:
        return division.options.index(option)
    except ValueError:
        raise VotingError(
            f"{option!r} is not an option of this division ({', '.join(division.options)})"
        ) from None


def create_division(
    engine: Engine,
    question: str,
    options: list[str],
    slot_start: datetime,
    opens_at: datetime,
    closes_at: datetime,
) -> int:
    if len(options) < 2 or len(set(options)) != len(options):
        raise VotingError("a division needs two or more different options")
    if not opens_at < closes_at:
        raise VotingError("a division must open before it closes")
    with Session(engine) as session:
        division = Division(
            question=question,
            options=options,
            slot_start=slot_start,
            opens_at=opens_at,
            closes_at=closes_at,
        )
        session.add(division)
        session.flush()
        assert division.id is not None
        audit(
            session,
            "division created",
            {"division": division.id, "question": question, "options": options},
            opens_at,
        )
        session.commit()
        return division.id


def cast_member_vote(
    engine: Engine,
    division_id: int,
    member: str,
    seat: str,
    option: str,
    rostered: Mapping[str, str],
    now: datetime,
) -> None:
    """A member's vote: only the member rostered for the seat in the slot; last vote counts."""
    with Session(engine) as session:
        division = _division(session, division_id)
        verdict = may_vote(member, seat, rostered, _is_open(division, now))
        if not verdict.allowed:
            raise VotingError(verdict.reason)
        index = _option(division, option)
        existing = session.exec(
            select(MemberVote).where(MemberVote.division_id == division_id, MemberVote.seat == seat)
        ).first()
        if existing is None:
            session.add(
                MemberVote(division_id=division_id, member=member, seat=seat, option=index, at=now)
            )
        else:
            existing.option, existing.at = index, now
        audit(
            session,
            "member vote",
            {"division": division_id, "seat": seat, "member": member, "option": option},
            now,
        )
        session.commit()


def cast_public_vote(
    engine: Engine, division_id: int, voter: str, option: str, now: datetime
) -> str:
    """A public vote; re-voting before close replaces it (every submission is kept).  Returns a
    receipt that does not reveal the choice."""
    with Session(engine) as session:
        division = _division(session, division_id)
        if not _is_open(division, now):
            raise VotingError(
                "the division is closed: votes can no longer change"
                if division.status == "closed" or now >= division.closes_at
                else "the division is not open yet"
            )
        index = _option(division, option)
        number = len(
            session.exec(
                select(PublicSubmission.id).where(
                    PublicSubmission.division_id == division_id, PublicSubmission.voter == voter
                )
            ).all()
        )
        key = _secret(session, "receipts").encode()
        token = receipt(key, str(division_id), voter, number + 1)
        submission = PublicSubmission(
            division_id=division_id,
            voter=voter,
            option=index,
            number=number + 1,
            receipt=token,
            at=now,
        )
        session.add(submission)
        session.flush()
        assert submission.id is not None
        current = session.exec(
            select(PublicVote).where(
                PublicVote.division_id == division_id, PublicVote.voter == voter
            )
        ).first()
        if current is None:
            session.add(
                PublicVote(
                    division_id=division_id, voter=voter, option=index, submission_id=submission.id
                )
            )
        else:
            current.option, current.submission_id = index, submission.id
        audit(session, "public vote", {"division": division_id, "receipt": token}, now)
        session.commit()
        return token


def appoint_proxy(
    engine: Engine, voter: str, proxy: str, now: datetime, division_id: int | None = None
) -> None:
    """Appoint a proxy (general, or for one division), replacing any earlier one of that kind."""
    if voter == proxy:
        raise VotingError("a person cannot be their own proxy")
    with Session(engine) as session:
        if division_id is not None and _division(session, division_id).status == "closed":
            raise VotingError("the division is closed")
        for old in session.exec(
            select(Proxy).where(
                Proxy.voter == voter,
                Proxy.division_id == division_id,
                col(Proxy.revoked_at).is_(None),
            )
        ).all():
            old.revoked_at = now
        session.add(Proxy(voter=voter, proxy=proxy, division_id=division_id, appointed_at=now))
        audit(
            session,
            "proxy appointed",
            {"voter": voter, "proxy": proxy, "division": division_id},
            now,
        )
        session.commit()


def revoke_proxy(engine: Engine, voter: str, now: datetime, division_id: int | None = None) -> None:
    with Session(engine) as session:
        active = session.exec(
            select(Proxy).where(
                Proxy.voter == voter,
                Proxy.division_id == division_id,
                col(Proxy.revoked_at).is_(None),
            )
        ).all()
        if not active:
            raise VotingError("there is no proxy to revoke")
        for p in active:
            p.revoked_at = now
        audit(session, "proxy revoked", {"voter": voter, "division": division_id}, now)
        session.commit()


def close_division(engine: Engine, division_id: int, now: datetime) -> dict[str, object]:
    """Close a division and publish its result, in one transaction.  Closing again changes
    nothing and returns the stored result (a restart or a duplicate trigger does no harm)."""
    with Session(engine) as session:
        division = _division(session, division_id)
        if division.status == "closed":
            assert division.result is not None
            return division.result
        options = len(division.options)
        chamber_votes = [0] * options
        for v in session.exec(select(MemberVote).where(MemberVote.division_id == division_id)):
            chamber_votes[v.option] += 1
        votes = session.exec(select(PublicVote).where(PublicVote.division_id == division_id)).all()
        proxies = session.exec(
            select(Proxy).where(
                col(Proxy.appointed_at) <= now,
                (col(Proxy.revoked_at).is_(None)) | (col(Proxy.revoked_at) > now),
                (col(Proxy.division_id).is_(None)) | (Proxy.division_id == division_id),
            )
        ).all()
        people = sorted(
            {v.voter for v in votes} | {p.voter for p in proxies} | {p.proxy for p in proxies}
        )
        index = {p: i for i, p in enumerate(people)}
        direct = np.full(len(people), -1, dtype=np.int64)
        for v in votes:
            direct[index[v.voter]] = v.option
        chosen: dict[str, Proxy] = {}
        for p in proxies:  # a proxy for this division overrides the general one
            if p.voter not in chosen or (
                p.division_id is not None and chosen[p.voter].division_id is None
            ):
                chosen[p.voter] = p
        proxy = np.full(len(people), -1, dtype=np.int64)
        for voter, p in chosen.items():
            proxy[index[voter]] = index[p.proxy]
        resolution = resolve_proxies(direct, proxy, options, cap=settings().proxy_cap)
        result = outcome(division.options, chamber_votes, [int(x) for x in resolution.tally])
        published: dict[str, object] = {
            **result.as_dict(),
            "proxy_votes_counted": int((resolution.carried).sum()),
            "proxy_votes_refused_over_cap": resolution.refused_over_cap,
            "proxy_votes_in_cycles": resolution.in_cycles,
            "proxy_votes_lapsed": resolution.lapsed,
            "largest_proxies": [
                {"proxy": people[i], "votes": n} for i, n in resolution.largest_proxies(10)
            ],
        }
        head = audit(
            session, "division closed", {"division": division_id, "result": result.as_dict()}, now
        )
        published["audit_head"] = head
        division.status, division.result, division.audit_head = "closed", published, head
        session.commit()
        return published


def receipt_status(engine: Engine, token: str) -> dict[str, object]:
    """Whether the submission behind a receipt is the one that counted (it was the voter's last
    before close), without revealing the choice."""
    with Session(engine) as session:
        sub = session.exec(
            select(PublicSubmission).where(PublicSubmission.receipt == token)
        ).first()
        if sub is None:
            raise VotingError("no vote has this receipt")
        current = session.exec(
            select(PublicVote).where(
                PublicVote.division_id == sub.division_id, PublicVote.voter == sub.voter
            )
        ).first()
        division = _division(session, sub.division_id)
        last = current is not None and current.submission_id == sub.id
        return {
            "division": sub.division_id,
            "recorded_at": sub.at.isoformat(),
            "is_latest": last,
            "counted": last and division.status == "closed",
            "division_status": division.status,
        }
