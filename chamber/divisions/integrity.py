"""The divisions' tables checked against the audit log: every chained public submission, every
current public vote, every member vote and every published result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session, col, select

from chamber.audit.models import AuditEntry
from chamber.divisions.models import Division, MemberVote, PublicSubmission, PublicVote
from chamber.divisions.sequencer import submission_entry


def division_problems(session: Session, entries: Sequence[AuditEntry]) -> list[str]:
    """Every stored vote or result of a division that differs from what the chain recorded."""
    by_id: dict[int | None, Mapping[str, Any]] = {e.id: e.payload for e in entries}
    options = {d.id: d.options for d in session.exec(select(Division))}
    latest_member_votes: dict[tuple[object, object], tuple[object, int]] = {}
    closes: dict[object, Any] = {}
    for e in entries:
        p = e.payload
        if e.kind == "member vote":
            opts = options.get(p.get("division"), [])  # type: ignore[call-overload]
            index = opts.index(p["option"]) if p.get("option") in opts else -1
            latest_member_votes[(p.get("division"), p.get("seat"))] = (p.get("member"), index)
        elif e.kind == "division closed":
            closes[p.get("division")] = p.get("result")
    problems = []
    for sub in session.exec(
        select(PublicSubmission).where(col(PublicSubmission.audit_id).is_not(None))
    ):
        payload = by_id.get(sub.audit_id, {})
        expected = submission_entry(sub)
        if {k: payload.get(k) for k in expected} != expected:
            problems.append(
                f"public submission {sub.id} (division {sub.division_id}) differs from "
                f"audit entry {sub.audit_id}"
            )
    for vote in session.exec(select(PublicVote)):
        current = session.get(PublicSubmission, vote.submission_id)
        if current is None or (current.option, current.voter_id) != (vote.option, vote.voter_id):
            problems.append(
                f"the current public vote {vote.id} (division {vote.division_id}) differs "
                f"from its submission {vote.submission_id}"
            )
    for division in session.exec(select(Division).where(Division.status == "closed")):
        published = division.result or {}
        chained = closes.get(division.id) or {}
        if any(published.get(k) != v for k, v in chained.items()):
            problems.append(
                f"the stored result of division {division.id} differs from its audit entry"
            )
    for member_vote in session.exec(select(MemberVote)):
        last = latest_member_votes.get((member_vote.division_id, member_vote.seat))
        if last is None or last != (member_vote.member, member_vote.option):
            problems.append(
                f"the member vote of seat {member_vote.seat} in division "
                f"{member_vote.division_id} differs from the audit log"
            )
    return problems
