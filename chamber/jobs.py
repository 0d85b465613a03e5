"""Scheduled work (APScheduler 3.x): opening and closing divisions at their times, publishing
rotas 28 days ahead, and the jury's monthly draw and extensions.

One scheduler runs per deployment: `start_scheduler` takes a lock first (a PostgreSQL session
advisory lock held on its own connection, or an exclusive lock on a file beside the SQLite
database), and a second web worker that cannot take it runs no scheduler.  Every job is safe to
run twice or late: opening and closing are idempotent, rota publication catches up from the
last published period, and a jury month already stored is not run again.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from chamber import institution, jury, records
from chamber.divisions.services import (
    chain_public_votes,
    close_division,
    due_divisions,
    open_division,
)
from chamber.voting import VotingError

log = logging.getLogger("chamber.jobs")
SCHEDULER_LOCK = 7_245_002
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def sweep_divisions(engine: Engine, now: datetime) -> tuple[list[int], list[int]]:
    """Open the divisions whose time has come and close those whose time has passed."""
    to_open, to_close = due_divisions(engine, now)
    opened = [d for d in to_open if open_division(engine, d, now)]
    for d in to_close:
        close_division(engine, d, now)
    return opened, to_close


def monthly_jury(engine: Engine, setup: jury.JurySetup, seed: str, now: datetime) -> str | None:
    """Run the jury's month if the calendar has reached it; the month's label, or None."""
    state = records.jury_state(engine, setup)
    label = jury.month_label(state.month + 1)
    if label > now.strftime("%Y-%m"):
        return None
    try:
        records.run_jury_month(engine, setup, seed=f"{seed} {label}", now=now)
    except VotingError:
        return None  # another run stored it first
    return label


@dataclass
class Scheduler:
    """The running scheduler and the lock that makes it the deployment's only one."""

    scheduler: BackgroundScheduler
    release: Callable[[], None]
    jobs: list[str] = field(default_factory=list)

    def shutdown(self) -> None:
        self.scheduler.shutdown(wait=False)
        self.release()


def _lock(engine: Engine) -> Callable[[], None] | None:
    if engine.dialect.name == "postgresql":
        conn: Connection = engine.connect()
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": SCHEDULER_LOCK}).scalar()
        if not got:
            conn.close()
            return None

        def release_pg() -> None:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": SCHEDULER_LOCK})
            conn.close()

        return release_pg
    database = engine.url.database or "memory"
    path = f"{database}.scheduler.lock"
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None

    def release_file() -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    return release_file


def start_scheduler(
    engine: Engine,
    *,
    jury_setup: Callable[[], jury.JurySetup] | None = None,
    jury_seed: str = "national jury",
    clock: Clock = utcnow,
    sweep_seconds: int = 10,
) -> Scheduler | None:
    """Start the deployment's scheduler, or return None when another process holds it."""
    release = _lock(engine)
    if release is None:
        log.info("another process runs the scheduler")
        return None
    # APScheduler logs every run at INFO: once a second for the audit sequencer is noise
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    scheduler = BackgroundScheduler(timezone="UTC", job_defaults={"coalesce": True,
                                                                   "max_instances": 1})

    def guarded(fn: Callable[..., Any], *args: Any) -> Callable[[], None]:
        def run() -> None:
            try:
                fn(engine, *args, clock())
            except Exception:  # a failed run is logged and retried at the next trigger
                log.exception("scheduled job %s failed", fn.__name__)

        run.__name__ = fn.__name__
        return run

    scheduler.add_job(guarded(sweep_divisions), "interval", seconds=sweep_seconds,
                      id="divisions", next_run_time=datetime.now(UTC))
    scheduler.add_job(guarded(institution.publish_due_rotas), "cron", hour=3, id="rotas")

    def chain_votes(engine: Engine, _now: datetime) -> None:
        chain_public_votes(engine)

    chain_votes.__name__ = "chain_public_votes"
    scheduler.add_job(guarded(chain_votes), "interval", seconds=1, id="audit")
    if jury_setup is not None:
        setup = jury_setup

        def jury_job(engine: Engine, now: datetime) -> None:
            monthly_jury(engine, setup(), jury_seed, now)

        jury_job.__name__ = "monthly_jury"
        scheduler.add_job(guarded(jury_job), "cron", day=1, hour=6, id="jury")
    scheduler.start()
    return Scheduler(scheduler, release, [j.id for j in scheduler.get_jobs()])
