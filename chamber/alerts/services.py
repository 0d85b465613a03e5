"""Raising, listing and resolving alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from chamber.alerts.models import Alert
from chamber.clock import london
from chamber.db import fetch


@dataclass(frozen=True, slots=True)
class AlertView:
    id: int
    body: str | None
    kind: str
    subject: str
    message: str
    raised_at: datetime


def raise_alert(
    session: Session, body_key: str | None, kind: str, subject: str, message: str, now: datetime
) -> int:
    """Raise an alert, or refresh the message of the open one about the same subject (a job
    that fails every night raises one alert, not one a night); returns its id."""
    open_ = session.exec(
        select(Alert).where(
            Alert.kind == kind, Alert.subject == subject, col(Alert.resolved_at).is_(None)
        )
    ).first()
    if open_ is not None:
        open_.message = message
        assert open_.id is not None
        return open_.id
    alert = Alert(body_key=body_key, kind=kind, subject=subject, message=message, raised_at=now)
    session.add(alert)
    session.flush()
    assert alert.id is not None
    return alert.id


def resolve_alerts(session: Session, kind: str, subject: str, now: datetime) -> int:
    """Close the open alerts about ``subject`` (the problem went away); returns how many."""
    found = session.exec(
        select(Alert).where(
            Alert.kind == kind, Alert.subject == subject, col(Alert.resolved_at).is_(None)
        )
    ).all()
    for alert in found:
        alert.resolved_at = now
    return len(found)


def resolve_alert(session: Session, alert_id: int, now: datetime) -> None:
    """A clerk marks an alert dealt with."""
    fetch(session, Alert, alert_id, "alert").resolved_at = now


def open_alerts(session: Session) -> list[AlertView]:
    rows = session.exec(
        select(Alert).where(col(Alert.resolved_at).is_(None)).order_by(col(Alert.raised_at))
    ).all()
    return [
        AlertView(a.id or 0, a.body_key, a.kind, a.subject, a.message, london(a.raised_at))
        for a in rows
    ]
