"""Storing a route's step with its inputs, on the audit chain, and checking stored steps
against the chain (as counts are: `chamber.elections.services.election_problems`)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from chamber.audit.models import AuditEntry
from chamber.audit.services import append
from chamber.db import fetch
from chamber.elections.services import digest
from chamber.routes.models import RouteResult

KIND = "route result"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def store_result(
    session: Session, *, body_key: str, route: str, step: str, unit: str = "", title: str,
    source_name: str, inputs: str, seed: str = "", result: Mapping[str, Any], now: datetime,
) -> RouteResult:
    """Store a route's step (its inputs as given, its seed, its result) and chain it."""
    data = dict(result)
    source = sha256(inputs)
    head = append(session, KIND, {
        "body": body_key, "route": route, "step": step, "unit": unit, "title": title,
        "seed": seed, "source_sha256": source, "result_sha256": digest(data),
    }, now)
    row = RouteResult(
        body_key=body_key, route=route, step=step, unit=unit, title=title,
        source_name=source_name, source_sha256=source, inputs=inputs, seed=seed, result=data,
        made_at=now, audit_head=head,
    )
    session.add(row)
    session.flush()
    return row


def latest(
    session: Session, body_key: str, route: str, step: str, unit: str = ""
) -> RouteResult | None:
    """The newest stored step of a route (for a unit), or None."""
    return session.exec(
        select(RouteResult).where(
            RouteResult.body_key == body_key, RouteResult.route == route,
            RouteResult.step == step, RouteResult.unit == unit,
        ).order_by(col(RouteResult.id).desc())
    ).first()


def stored_result(session: Session, result_id: int) -> RouteResult:
    return fetch(session, RouteResult, result_id, "route result")


def route_problems(session: Session) -> list[str]:
    """Stored route steps whose inputs or result differ from what the audit log recorded."""
    recorded = {
        e.hash: e.payload
        for e in session.exec(select(AuditEntry).where(AuditEntry.kind == KIND))
    }
    problems = []
    for row in session.exec(select(RouteResult)):
        entry = recorded.get(row.audit_head, {})
        if entry.get("source_sha256") != sha256(row.inputs):
            problems.append(f"the stored inputs of route result {row.id} were changed")
        if entry.get("result_sha256") != digest(row.result):
            problems.append(f"the stored result of route result {row.id} was changed")
    return problems
