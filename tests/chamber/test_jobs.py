"""Scheduled work: the division sweep opens and closes on time and is idempotent; the hourly
checkpoint of the audit chain's head; one scheduler per deployment."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, func, select

from chamber import jobs
from chamber.accounts.services import create_account
from chamber.audit.models import AuditEntry
from chamber.db import perform, read
from chamber.divisions.lifecycle import create_division
from chamber.divisions.models import Division
from chamber.integrity import verify
from chamber.settings import Settings
from tests.chamber.conftest import enrol, key_of

CONFIG = Settings()


def _division(world, start):
    return perform(
        world.engine, create_division, "Q?", ["yes", "no"], start, start + timedelta(hours=1),
        sitting_id=world.sittings()[0].id, now=start - timedelta(hours=1),
    )


def test_the_sweep_opens_and_closes_divisions_at_their_times_and_twice_is_harmless(world):
    engine = world.engine
    start = datetime(2027, 3, 1, 8, tzinfo=UTC)
    d = _division(world, start)

    def sweep(at):
        return jobs.sweep_divisions(engine, at, proxy_cap=CONFIG.proxy_cap,
                                    audit_key=key_of(engine))

    assert sweep(start - timedelta(minutes=1)) == ([], [])
    assert sweep(start) == ([d], [])
    assert sweep(start) == ([], [])
    assert sweep(start + timedelta(hours=1)) == ([], [d])
    assert sweep(start + timedelta(hours=2)) == ([], [])


def test_only_one_scheduler_runs_per_deployment(engine):
    clock = lambda: datetime(2027, 3, 1, 7, tzinfo=UTC)  # noqa: E731
    first = jobs.start_scheduler(engine, CONFIG, clock=clock)
    assert first is not None
    try:
        assert set(first.jobs) == {"divisions", "rotas", "audit", "checkpoint", "jury"}
        assert jobs.start_scheduler(engine, CONFIG, clock=clock) is None
    finally:
        first.shutdown()
    again = jobs.start_scheduler(engine, CONFIG, clock=clock)
    assert again is not None
    again.shutdown()


def test_the_scheduler_closes_a_due_division(world):
    engine = world.engine
    start = datetime(2027, 3, 1, 8, tzinfo=UTC)
    d = _division(world, start)
    running = jobs.start_scheduler(
        engine, CONFIG, clock=lambda: start + timedelta(hours=2), sweep_seconds=1
    )
    assert running is not None
    status = "scheduled"
    try:
        deadline = time.monotonic() + 20
        while status != "closed" and time.monotonic() < deadline:
            time.sleep(0.1)
            with Session(engine) as s:
                status = s.get(Division, d).status
    finally:
        running.shutdown()
    assert status == "closed"


def _head(engine):
    with Session(engine) as s:
        count = s.exec(select(func.count()).select_from(AuditEntry)).one()
        last = s.exec(select(AuditEntry.hash).order_by(col(AuditEntry.id).desc())).first()
    return count, last


def test_the_hourly_checkpoint_records_the_head_every_hour(world):
    engine, key = world.engine, key_of(world.engine)
    at = datetime(2027, 3, 1, 9, tzinfo=UTC)
    enrol(engine, "E1", now=at)  # the register, for lee's public account below
    perform(engine, create_account, "kim", "a long password", "clerk", at)
    first = jobs.checkpoint_chain(engine, at, key)
    assert first is not None
    assert (first.length, first.head) == _head(engine)
    assert first.reason == "hourly"
    same = jobs.checkpoint_chain(engine, at + timedelta(hours=1), key)  # nothing appended
    assert same is not None
    assert (same.length, same.head, same.at) == (first.length, first.head, at + timedelta(hours=1))
    perform(engine, create_account, "lee", "a long password", "public", at + timedelta(hours=1),
            elector="E1")
    second = jobs.checkpoint_chain(engine, at + timedelta(hours=2), key)
    assert second is not None
    assert (second.length, second.head) == _head(engine)
    assert second.length == first.length + 1
    found = read(engine, verify, key)
    assert found.intact, found.problems
    assert found.checkpoints == 3
