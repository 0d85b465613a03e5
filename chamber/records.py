"""Stored counts and draws: elections counted by `electoral` with their inputs kept, and the
national jury's months (`chamber.jury.step`) with every draw's public record.  Each is appended
to the audit chain, whose head is stored with it."""

from __future__ import annotations

import hashlib
import json
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chamber import jury
from chamber.db import writing
from chamber.divisions.services import audit
from chamber.models import Body, Election, Juror, JuryDraw, JuryMonth
from chamber.voting import VotingError
from electoral.result import CountResult, result_from_dict
from electoral.rules import count_file, differences


def count_election(
    engine: Engine,
    title: str,
    source_name: str,
    ballots: str,
    *,
    rule: str,
    seed: str,
    seats: int | None = None,
    body_key: str | None = None,
    now: datetime,
) -> int:
    """Count a ballot file (its text, named ``source_name`` so its format is known) and store
    the inputs, rule, seed and result; returns the election's id.  A bad file raises the
    count's own error (`electoral.errors.BallotFileError`) and stores nothing."""
    result = _count(source_name, ballots, rule, seats, seed)
    with Session(writing(engine)) as session:
        if body_key is not None and session.get(Body, body_key) is None:
            raise VotingError(f"no body {body_key!r}")
        data = result.as_dict()
        head = audit(
            session,
            "election counted",
            {
                "title": title,
                "rule": rule,
                "seed": seed,
                "source_sha256": result.source_sha256,
                "elected": list(result.elected),
                "result_sha256": _digest(data),
            },
            now,
        )
        election = Election(
            body_key=body_key,
            title=title,
            rule=rule,
            seats=result.seats,
            seed=seed,
            source_name=source_name,
            source_sha256=result.source_sha256 or "",
            ballots=ballots,
            result=data,
            counted_at=now,
            audit_head=head,
        )
        session.add(election)
        session.flush()
        assert election.id is not None
        session.commit()
        return election.id


def _digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()


def election_problems(engine: Engine) -> list[str]:
    """Stored counts whose ballots or result differ from what the audit log recorded."""
    from chamber.divisions.models import AuditEntry

    with Session(engine) as session:
        recorded = {
            e.hash: e.payload
            for e in session.exec(select(AuditEntry).where(AuditEntry.kind == "election counted"))
        }
        problems = []
        for election in session.exec(select(Election)):
            entry = recorded.get(election.audit_head, {})
            ballots = hashlib.sha256(election.ballots.encode("utf-8")).hexdigest()
            if entry.get("source_sha256") != ballots:
                problems.append(f"the stored ballots of election {election.id} were changed")
            if entry.get("result_sha256") != _digest(election.result):
                problems.append(f"the stored result of election {election.id} was changed")
        return problems


def _count(
    source_name: str, ballots: str, rule: str, seats: int | None, seed: str
) -> CountResult:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, Path(source_name).name or "ballots.blt")
        path.write_text(ballots, encoding="utf-8")
        return count_file(path, rule, seats, seed)


def verify_election(engine: Engine, election_id: int) -> list[str]:
    """Re-run a stored count from its stored inputs; the differences (none when it agrees)."""
    with Session(engine) as session:
        election = session.get(Election, election_id)
        if election is None:
            raise VotingError(f"no election {election_id}")
        published = result_from_dict(election.result)
        digest = hashlib.sha256(election.ballots.encode("utf-8")).hexdigest()
        problems = []
        if digest != election.source_sha256:
            problems.append("the stored ballots are not the ones counted (SHA-256 differs)")
        recount = _count(
            election.source_name, election.ballots, election.rule, election.seats, election.seed
        )
        return problems + differences(published, recount)


# -- the jury ---------------------------------------------------------------------------------


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


def jury_state(engine: Engine, setup: jury.JurySetup) -> jury.JuryState:
    """The jury after its latest stored month (an empty jury before the first)."""
    with Session(engine) as session:
        last = session.exec(select(JuryMonth).order_by(col(JuryMonth.month).desc())).first()
    if last is None:
        return jury.empty_state(setup, 0)
    return _state_from(last.state)


def run_jury_month(
    engine: Engine,
    setup: jury.JurySetup,
    *,
    seed: str,
    now: datetime,
    withdrawal_rate: float = 0.01,
    start: str = jury.START,
) -> jury.MonthReport:
    """Run the jury's next month (draw, replacements, extensions) from the stored state and
    store the result; running a month that is already stored is refused."""
    state = jury_state(engine, setup)
    month = state.month + 1
    label = jury.month_label(month, start)
    with Session(writing(engine)) as session:
        if session.get(JuryMonth, month) is not None:
            raise VotingError(f"the jury's month {label} has already been run")
    new_state, report = jury.step(
        state, month, setup, seed=seed, withdrawal_rate=withdrawal_rate, start=start
    )
    with Session(writing(engine)) as session:
        head = audit(
            session,
            "jury month",
            {"month": label, "seed": seed, "size": report.size, "quotas_ok": report.quotas_ok},
            now,
        )
        session.add(
            JuryMonth(
                month=month,
                label=label,
                state=_state_dict(new_state),
                report=report.as_dict(),
                run_at=now,
            )
        )
        session.flush()
        for draw in report.draws:
            session.add(
                JuryDraw(
                    month=label,
                    kind=draw.kind,
                    seed=draw.seed,
                    record=draw.as_dict(),
                    drawn_at=now,
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
        session.commit()
    return report


def store_draw(engine: Engine, record: dict[str, Any], seed: str, now: datetime) -> int:
    """Store a panel draw's public record (`electoral.sortition.draw.DrawRecord.as_dict`)."""
    with Session(writing(engine)) as session:
        head = audit(
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
        session.commit()
        return draw.id


def run_panel_draw(
    engine: Engine,
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
    from electoral.sortition.draw import run_draw
    from electoral.sortition.instance import build_instance, read_pool, read_quotas

    with tempfile.TemporaryDirectory() as tmp:
        pool_path = Path(tmp, Path(pool_name).name or "pool.csv")
        quotas_path = Path(tmp, Path(quotas_name).name or "quotas.csv")
        if pool_path == quotas_path:
            quotas_path = Path(tmp, "quotas-" + quotas_path.name)
        pool_path.write_text(pool_text, encoding="utf-8")
        quotas_path.write_text(quotas_text, encoding="utf-8")
        people = read_pool(pool_path)
        quotas, sha = read_quotas(quotas_path)
    instance = build_instance(people, quotas, size, quotas_sha256=sha)
    result = run_draw(instance, seed, method)
    return store_draw(engine, result.record.as_dict(), seed, now)


def draw_record(engine: Engine, draw_id: int) -> dict[str, Any]:
    with Session(engine) as session:
        draw = session.get(JuryDraw, draw_id)
        if draw is None:
            raise VotingError(f"no draw {draw_id}")
        return {"id": draw.id, "kind": draw.kind, "month": draw.month, "seed": draw.seed,
                "record": draw.record, "drawn_at": draw.drawn_at, "audit_head": draw.audit_head}


def election(engine: Engine, election_id: int) -> dict[str, Any]:
    """A stored count as published (without the ballots)."""
    with Session(engine) as session:
        found = session.get(Election, election_id)
        if found is None:
            raise VotingError(f"no election {election_id}")
        return {"id": found.id, "title": found.title, "rule": found.rule, "seed": found.seed,
                "seats": found.seats, "source_name": found.source_name,
                "source_sha256": found.source_sha256, "result": found.result,
                "counted_at": found.counted_at, "audit_head": found.audit_head}


def elections(engine: Engine) -> list[dict[str, Any]]:
    with Session(engine) as session:
        return [
            {"id": e.id, "title": e.title, "rule": e.rule, "elected": e.result.get("elected")}
            for e in session.exec(select(Election).order_by(col(Election.id).desc())).all()
        ]


def draws(engine: Engine) -> list[dict[str, Any]]:
    with Session(engine) as session:
        return [
            {"id": d.id, "kind": d.kind, "month": d.month, "seed": d.seed,
             "size": len(d.record.get("panel", []))}  # type: ignore[arg-type]
            for d in session.exec(select(JuryDraw).order_by(col(JuryDraw.id).desc())).all()
        ]
