"""Public votes and proxies replayed from the audit log: every public submission (chained and
matching its entry, or waiting for the sequencer with a valid MAC), every current public vote
(the voter's latest submission), and every proxy and revocation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from chamber.audit.keys import submission_mac_ok
from chamber.audit.services import Entry, Findings, instant
from chamber.clock import aware
from chamber.divisions.models import Proxy, PublicSubmission, PublicVote
from chamber.divisions.sequencer import submission_entry

SUBMISSIONS = PublicSubmission.__table__  # type: ignore[attr-defined]
VOTES = PublicVote.__table__  # type: ignore[attr-defined]
PROXIES = Proxy.__table__  # type: ignore[attr-defined]


def public_problems(
    session: Session, entries: Sequence[Entry], key: bytes | None, closed: set[int]
) -> Findings:
    """Every stored public submission and current vote that differs from the chain, lacks a
    valid MAC (when ``key`` is given), or is missing; ``closed``: the divisions the log has
    closed (every submission to them is chained)."""
    found = Findings()
    conn = session.connection()
    chained: dict[int, Entry] = {}
    for e in entries:
        if e.kind == "public vote":
            number = e.payload.get("submission")
            if number in chained:
                found.problems.append(
                    f"public submission {number} is on the audit log twice (entries "
                    f"{chained[number].id} and {e.id})"
                )
            chained[number] = e  # type: ignore[index]
    by_id = {e.id: e for e in chained.values()}
    counted: list[Any] = []  # the submissions that stand (chained, or valid and waiting)
    unchecked = before_macs = 0
    rows = conn.execute(select(SUBMISSIONS).order_by(SUBMISSIONS.c.id)).all()
    for sub in rows:
        where = f"public submission {sub.id} (division {sub.division_id})"
        mac_ok = None if key is None else submission_mac_ok(key, sub)
        if sub.audit_id is not None:
            entry = by_id.get(sub.audit_id)
            expected = {**submission_entry(sub), "at": aware(sub.at)}
            if entry is None or {
                k: instant(entry.payload.get(k)) if k == "at" else entry.payload.get(k)
                for k in expected
            } != expected:
                found.problems.append(f"{where} differs from audit entry {sub.audit_id}")
                continue
            if sub.mac is None:
                before_macs += 1
            elif mac_ok is False:
                found.problems.append(
                    f"{where}: its MAC does not verify under the audit key (altered, or the "
                    "key is not the deployment's)"
                )
            counted.append(sub)
        elif mac_ok is False:
            found.problems.append(
                f"{where} has no valid MAC: it was not stored by the chamber (forged), and "
                "the sequencer left it off the chain"
            )
        elif sub.id in chained:
            found.problems.append(
                f"{where} is on the audit log (entry {chained[sub.id].id}) but not linked to it"
            )
        elif sub.division_id in closed:
            found.problems.append(
                f"{where} is not on the audit log, though its division has closed"
            )
        else:
            unchecked += mac_ok is None
            counted.append(sub)
    stored = {sub.id for sub in rows}
    for number, e in chained.items():
        if number not in stored:
            found.problems.append(
                f"public submission {number} (division {e.payload.get('division')}, audit "
                f"entry {e.id}) is missing"
            )
    found.problems += _current_votes(session, counted)
    if unchecked:
        found.notes.append(
            f"the MACs of {unchecked:,} public submissions not yet chained were not checked: "
            "no audit key"
        )
    if before_macs:
        found.notes.append(
            f"{before_macs:,} chained public submissions were stored before submissions "
            "carried MACs (the chain covers them)"
        )
    return found


def _current_votes(session: Session, counted: Sequence[Any]) -> list[str]:
    """Each voter's current vote is their latest submission that stands; a voter with one has
    a current vote; a voter in the proxy graph has their vote marked so."""
    latest: dict[tuple[int, int], Any] = {}
    for sub in counted:
        key = (sub.division_id, sub.voter_id)
        if key not in latest or (sub.number, sub.id) > (latest[key].number, latest[key].id):
            latest[key] = sub
    conn = session.connection()
    graph = {
        person
        for row in conn.execute(select(PROXIES.c.voter_id, PROXIES.c.proxy_id))
        for person in row
    }
    problems = []
    seen = set()
    for vote in conn.execute(select(VOTES).order_by(VOTES.c.id)):
        key = (vote.division_id, vote.voter_id)
        seen.add(key)
        where = f"the current public vote {vote.id} (division {vote.division_id})"
        sub = latest.get(key)
        if sub is None:
            problems.append(f"{where} has no submission on the audit log behind it")
        elif vote.submission_id != sub.id:
            problems.append(
                f"{where} is submission {vote.submission_id}, not the voter's latest "
                f"(submission {sub.id}, number {sub.number}): it was rolled back"
            )
        elif vote.option != sub.option:
            problems.append(f"{where} differs from its submission {vote.submission_id}")
        if vote.voter_id in graph and not vote.in_graph:
            problems.append(
                f"{where} is not marked as in the proxy graph, though its voter is in it"
            )
    for division_id, voter_id in sorted(set(latest) - seen):
        sub = latest[(division_id, voter_id)]
        problems.append(
            f"voter {voter_id} has no current public vote in division {division_id}, though "
            f"their latest submission is {sub.id}: it was deleted"
        )
    return problems


@dataclass
class _Appointment:
    entry: int
    voter: object
    proxy: object
    division: object
    appointed: datetime | None
    revoked: datetime | None = None


def proxy_problems(session: Session, entries: Sequence[Entry]) -> list[str]:
    """Every proxy row as its appointment entry records it and revoked when a revocation (or
    a later appointment of the same kind) says; none missing, none without an entry."""
    expected: dict[object, _Appointment] = {}
    active: dict[tuple[object, object], object] = {}
    for e in entries:
        if e.kind not in ("proxy appointed", "proxy revoked"):
            continue
        p = e.payload
        at = instant(p.get("at"))
        kind = (p.get("voter"), p.get("division"))
        earlier = active.pop(kind, None)
        if earlier is not None:
            expected[earlier].revoked = at
        if e.kind == "proxy appointed":
            # entries made before proxies were chained with their ids are matched by content
            made = p["id"] if "id" in p else (p.get("voter"), p.get("proxy"),
                                                p.get("division"), at)
            expected[made] = _Appointment(e.id, p.get("voter"), p.get("proxy"),
                                          p.get("division"), at)
            active[kind] = made
    problems = []
    seen = set()
    for row in session.connection().execute(select(PROXIES).order_by(PROXIES.c.id)):
        appointed = aware(row.appointed_at)
        key: object = row.id
        if key not in expected:
            key = (row.voter_id, row.proxy_id, row.division_id, appointed)
        want = expected.get(key)
        where = f"proxy {row.id} (voter {row.voter_id} to {row.proxy_id})"
        if want is None or key in seen:
            problems.append(f"{where} has no audit entry: it was not appointed through the "
                            "chamber")
            continue
        seen.add(key)
        revoked = aware(row.revoked_at) if row.revoked_at is not None else None
        differs = [
            name
            for name, stored, recorded in (
                ("voter", row.voter_id, want.voter), ("proxy", row.proxy_id, want.proxy),
                ("division", row.division_id, want.division),
                ("appointment time", appointed, want.appointed),
                ("revocation", revoked, want.revoked),
            )
            if stored != recorded
        ]
        if differs:
            problems.append(
                f"{where} differs from its audit entry {want.entry} ({', '.join(differs)})"
            )
    for key, want in expected.items():
        if key not in seen:
            problems.append(
                f"the proxy appointed in audit entry {want.entry} (voter {want.voter} to "
                f"{want.proxy}) is missing from the proxy table"
            )
    return problems
