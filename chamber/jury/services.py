"""The national jury's months (`chamber.jury.step`) and panel draws as transactions, stored with
every draw's public record and appended to the audit chain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any

import numpy as np
from sqlmodel import Session, col, select

from chamber import jury
from chamber.audit.services import append
from chamber.clock import london
from chamber.db import fetch
from chamber.errors import Conflict, NotFound
from chamber.jury.models import Juror, JuryDraw, JuryMonth
from electoral.sortition.draw import run_draw
from electoral.sortition.instance import build_instance, parse_pool, parse_quotas


def _state_dict(state: jury.JuryState) -> dict[str, Any]:
    return {
        "month": state.month,
        "jurors": [
            [j.person, j.index, j.cohort, j.joined, j.term_end, j.extended] for j in state.jurors
        ],
        "selected_in": state.selected_in.tolist(),
        "lottery_month": state.lottery_month,
    }


def _state_from(data: dict[str, Any]) -> jury.JuryState:
    jurors_list = data["jurors"]
    assert isinstance(jurors_list, list)
    return jury.JuryState(
        month=int(data["month"]),
        jurors=tuple(
            jury.Juror(str(p), int(i), int(c), int(jn), int(t), bool(x))
            for p, i, c, jn, t, x in jurors_list
        ),
        selected_in=np.array(data["selected_in"], dtype=np.int64),
        lottery_month=data.get("lottery_month"),
    )


def jury_state(session: Session, setup: jury.JurySetup) -> jury.JuryState:
    """The jury after its latest stored month (an empty jury before the first)."""
    last = session.exec(select(JuryMonth).order_by(col(JuryMonth.month).desc())).first()
    if last is None:
        return jury.empty_state(setup, 0)
    return _state_from(last.state)


def run_jury_month(
    session: Session,
    setup: jury.JurySetup,
    *,
    seed: str,
    now: datetime,
    start: str = jury.START,
) -> jury.MonthReport:
    """Run the simulated jury's next month (draw, extensions) from the stored state and store
    the result; running a month that is already stored is refused.  Nobody is withdrawn at
    random from a stored jury (only `chamber jury-simulate` does that)."""
    state = jury_state(session, setup)
    month = state.month + 1
    label = jury.month_label(month, start)
    if session.get(JuryMonth, month) is not None:
        raise Conflict(f"the jury's month {label} has already been run")
    new_state, report = jury.step(
        state, month, setup, seed=seed, withdrawal_rate=0.0, start=start
    )
    head = append(
        session,
        "jury month",
        {"month": label, "seed": seed, "size": report.size, "quotas_ok": report.quotas_ok},
        now,
    )
    session.add(
        JuryMonth(
            month=month, label=label, state=_state_dict(new_state), report=report.as_dict(),
            run_at=now,
        )
    )
    session.flush()
    for draw in report.draws:
        session.add(
            JuryDraw(
                month=label, kind=draw.kind, seed=draw.seed, record=draw.as_dict(), drawn_at=now,
                audit_head=head,
            )
        )
    session.add_all(
        Juror(
            month=month,
            person=j.person,
            cohort=jury.month_label(j.cohort, start),
            joined=jury.month_label(j.joined, start),
            term_end=jury.month_label(j.term_end, start),
            extended=j.extended,
        )
        for j in new_state.jurors
    )
    return report


def store_state(
    session: Session, state: jury.JuryState, now: datetime, *, start: str = jury.START
) -> None:
    """Store a jury as the month before month 1 (a warm start: the jury as it stands when the
    chamber begins keeping its months); only into an empty record."""
    if session.exec(select(JuryMonth.month)).first() is not None:
        raise Conflict("the jury's months have begun; a starting jury is stored only before")
    label = jury.month_label(state.month, start)
    append(session, "jury month", {"month": label, "size": state.size, "starting": True}, now)
    session.add(
        JuryMonth(month=state.month, label=label, state=_state_dict(state),
                  report={"starting": True, "size": state.size}, run_at=now)
    )
    session.flush()
    session.add_all(
        Juror(
            month=state.month, person=j.person, cohort=jury.month_label(j.cohort, start),
            joined=jury.month_label(j.joined, start), term_end=jury.month_label(j.term_end, start),
            extended=j.extended,
        )
        for j in state.jurors
    )


@dataclass(frozen=True, slots=True)
class MonthSummary:
    label: str
    size: int
    joined: int


def latest_month(session: Session) -> MonthSummary:
    """The jury's latest stored month: its label, size and how many joined."""
    last = session.exec(select(JuryMonth).order_by(col(JuryMonth.month).desc())).first()
    if last is None:
        raise NotFound("the jury has no stored month")
    joined = last.report.get("joined", 0)
    size = last.report.get("size", 0)
    return MonthSummary(last.label, int(size), int(joined))  # type: ignore[call-overload]


def store_draw(session: Session, record: dict[str, Any], seed: str, now: datetime) -> int:
    """Store a panel draw's public record (`electoral.sortition.draw.DrawRecord.as_dict`)."""
    head = append(
        session,
        "panel draw",
        {"seed": seed, "panel_size": len(record.get("panel", [])),
         "pool_sha256": record.get("pool_sha256")},
        now,
    )
    draw = JuryDraw(kind="panel", seed=seed, record=record, drawn_at=now, audit_head=head)
    session.add(draw)
    session.flush()
    assert draw.id is not None
    return draw.id


def run_panel_draw(
    session: Session,
    pool_name: str,
    pool_text: str,
    quotas_name: str,
    quotas_text: str,
    *,
    size: int,
    seed: str,
    method: str,
    now: datetime,
) -> int:
    """Draw a panel from an uploaded pool and quotas (the files' text), store its public record
    and return its id.  Bad files raise `electoral`'s errors naming file, row and column."""
    people = parse_pool(pool_text, PurePath(pool_name).name or "pool.csv")
    quotas, sha = parse_quotas(quotas_text, PurePath(quotas_name).name or "quotas.csv")
    instance = build_instance(people, quotas, size, quotas_sha256=sha)
    result = run_draw(instance, seed, method)
    return store_draw(session, result.record.as_dict(), seed, now)


@dataclass(frozen=True, slots=True)
class DrawView:
    """A stored draw with its public record (`electoral.sortition.draw.DrawRecord` JSON for a
    panel, a jury draw's record for a month)."""

    id: int
    kind: str
    month: str | None
    seed: str
    record: dict[str, Any]
    drawn_at: datetime
    audit_head: str
    body: str | None = None  # a draw from a body's stored pool: its pool and quotas published


@dataclass(frozen=True, slots=True)
class DrawSummary:
    id: int
    kind: str
    month: str | None
    seed: str
    size: int


def draw_record(session: Session, draw_id: int) -> DrawView:
    draw = fetch(session, JuryDraw, draw_id, "draw")
    return DrawView(draw_id, draw.kind, draw.month, draw.seed, dict(draw.record),
                    london(draw.drawn_at), draw.audit_head,
                    draw.body_key if draw.pool is not None else None)


def draws(session: Session) -> list[DrawSummary]:
    """Every stored draw, newest first."""
    return [
        DrawSummary(d.id or 0, d.kind, d.month, d.seed, len(d.record.get("panel", [])))  # type: ignore[arg-type]
        for d in session.exec(select(JuryDraw).order_by(col(JuryDraw.id).desc())).all()
    ]
