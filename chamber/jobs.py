"""Scheduled work (APScheduler 3.x): opening and closing divisions at their times, chaining
public votes (each second) and checkpointing the chain's head (hourly), making each body's
sittings a quarter ahead and publishing its rotas a month and a week ahead, the jury's day
(lapsed invitations, the monthly draw from the stored pool with its extensions, and the
replacement draws: `jury_day`), and sending the outbox's e-mail every minute when SMTP is
configured.

One scheduler runs per deployment: `start_scheduler` takes a lock first (a PostgreSQL session
advisory lock held on its own connection, or an exclusive lock on a file beside the SQLite
database), and a second web worker that cannot take it runs no scheduler.  Every job is safe to
run twice or late: opening and closing are idempotent, rota publication catches up from the
last published period, and a jury month already stored is not run again.  Each action is a
transaction of its own, so one failure does not undo the others.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Concatenate, ParamSpec

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from chamber import jury
from chamber.alerts.services import raise_alert, resolve_alerts
from chamber.audit.checkpoints import CheckpointView, make_checkpoint
from chamber.audit.keys import audit_key
from chamber.bodies.services import bodies
from chamber.clock import london
from chamber.clock import now as utcnow
from chamber.db import perform, read
from chamber.divisions.lifecycle import close_division, due_divisions, open_division
from chamber.divisions.sequencer import chain_public_votes
from chamber.errors import Conflict, Refused
from chamber.jury.ballot import open_next
from chamber.jury.cycle import draw_cohort, draw_replacement, due_cohort, vacancies
from chamber.jury.lottery import LOTTERIES, Lottery
from chamber.jury.panel import panel_vacancies, replace_panel
from chamber.jury.places import end_terms, lapse
from chamber.jury.pool import available
from chamber.jury.services import jury_state, run_jury_month
from chamber.officers.delegates import remind_assemblies
from chamber.outbox.smtp import send_outbox
from chamber.rotas.services import due_periods, solve_and_publish
from chamber.settings import Settings
from chamber.sittings.services import extend_calendar

log = logging.getLogger("chamber.jobs")
P = ParamSpec("P")
SCHEDULER_LOCK = 7_245_002
Clock = Callable[[], datetime]


def sweep_divisions(
    engine: Engine, now: datetime, *, proxy_cap: int, audit_key: bytes
) -> tuple[list[int], list[int]]:
    """Open the divisions whose time has come and close those whose time has passed."""
    to_open, to_close = read(engine, due_divisions, now)
    opened = [d for d in to_open if perform(engine, open_division, d, now)]
    for d in to_close:
        perform(engine, close_division, d, now, proxy_cap=proxy_cap, audit_key=audit_key)
    return opened, to_close


def checkpoint_chain(engine: Engine, now: datetime, audit_key: bytes) -> CheckpointView | None:
    """The hourly checkpoint of the chain's head (after chaining the votes waiting), made even
    when the head has not moved, so that every hour the scheduler ran has one; None while the
    chain is empty."""
    chain_public_votes(engine, audit_key)
    return perform(engine, make_checkpoint, now, "hourly", audit_key)


def extend_calendars(engine: Engine, now: datetime, days: int) -> int:
    """Make every body's sittings from its pattern at least ``days`` ahead; how many were made."""
    until = london(now).date() + timedelta(days=days)
    return sum(perform(engine, extend_calendar, key, until) for key in read(engine, bodies))


def publish_due_rotas(engine: Engine, now: datetime, config: Settings) -> list[int]:
    """Make the sittings a quarter ahead, then solve and publish every rota period due within
    ``rota_lead_days`` (catching up after downtime is the same call), each in a transaction of
    its own.  A period that cannot be published (a seat left empty) is not: the clerks get an
    alert saying which seats and sittings and what would fix it, and that body's later periods
    wait for it.  First, each assembly with delegates still to name for a period due within two
    weeks gets an alert (`chamber.officers.delegates`)."""
    extend_calendars(engine, now, config.calendar_days)
    perform(engine, remind_assemblies, now, config.rota_lead_days)
    made, stuck = [], set()
    today = london(now).date()
    for body, start, cycles in read(engine, due_periods, today, config.rota_lead_days):
        if body in stuck:
            continue
        subject = f"rota of {body} from {start.isoformat()}"
        try:
            made.append(perform(engine, solve_and_publish, body, start, cycles, now))
        except Refused as refused:
            stuck.add(body)
            perform(engine, raise_alert, body, "rota not published", subject, str(refused), now)
            log.warning("%s", refused)
        else:
            perform(engine, resolve_alerts, "rota not published", subject, now)
    return made


def monthly_jury(
    engine: Engine, setup: jury.JurySetup, seed: str, now: datetime, start: str = jury.START
) -> str | None:
    """Run the simulated jury's month (`chamber simulate`) if the calendar has reached it; the
    month's label, or None.  ``start`` labels month 1."""
    state = read(engine, jury_state, setup)
    label = jury.month_label(state.month + 1, start)
    if label > london(now).strftime("%Y-%m"):
        return None
    try:
        perform(engine, run_jury_month, setup, seed=f"{seed} {label}", now=now, start=start)
    except Conflict:
        return None  # another run stored it first
    return label


def _attempt(
    engine: Engine, body: str, subject: str, now: datetime,
    service: Callable[Concatenate[Session, P], object], *args: P.args, **kwargs: P.kwargs,
) -> bool:
    """Run one draw in a transaction of its own; a refusal is raised for the officers (once,
    refreshed) and nothing is stored; success closes the alert."""
    try:
        perform(engine, service, *args, **kwargs)
    except (Refused, Conflict) as refused:
        perform(engine, raise_alert, body, "jury draw refused", subject, str(refused), now)
        log.warning("%s", refused)
        return False
    perform(engine, resolve_alerts, "jury draw refused", subject, now)
    return True


def jury_day(
    engine: Engine, now: datetime, config: Settings,
    lotteries: Mapping[str, Lottery] = LOTTERIES,
) -> list[str]:
    """The jury's day for every installed body with a monthly lottery: invitations past their
    answer lapse, ended terms close, and from the draw day of each month the cohort
    ``jury_lead_months`` ahead is drawn with the seed the officer announced (none announced: an
    alert, and no draw), which first counts the jurors' extensions ballot of this month; the
    ballot of next month opens once this month's is counted; then every vacant place is drawn
    again (for a citizens' panel, only the last: `chamber.jury.panel`).  Each draw is a
    transaction of its own; a refused draw raises an alert naming why.  Returns what was drawn."""
    done: list[str] = []
    installed = set(read(engine, bodies))
    today = london(now)
    for lottery in lotteries.values():
        key = lottery.body
        if key not in installed:
            continue
        perform(engine, lapse, key, now)
        perform(engine, end_terms, key, now)
        if lottery.cycle is None:  # a citizens' panel: only its vacant places are drawn again
            if read(engine, panel_vacancies, key, now) and _attempt(
                engine, key, f"the replacements for the panel of {key}", now, replace_panel,
                lottery, now, accept_days=config.jury_accept_days,
            ):
                done.append(f"{key} panel replacements")
            continue
        if today.day >= config.jury_draw_day:
            month, seed = read(engine, due_cohort, lottery, now, config.jury_lead_months)
            subject = f"the draw of {month} for {key}"
            if not seed and read(engine, available, key):
                perform(engine, raise_alert, key, "jury draw waiting for its seed", subject,
                        f"announce the public seed of {month} so that it can be drawn", now)
            elif seed and seed != "drawn" and _attempt(
                engine, key, subject, now, draw_cohort, lottery, month, seed, now,
                accept_days=config.jury_accept_days, lead_months=config.jury_lead_months,
            ):
                perform(engine, resolve_alerts, "jury draw waiting for its seed", subject, now)
                done.append(f"{key} {month}")
        perform(engine, open_next, lottery, now)
        for group in read(engine, vacancies, key, now):
            if _attempt(
                engine, key, f"the replacements for {group} of {key}", now, draw_replacement,
                lottery, group, now, accept_days=config.jury_accept_days,
            ):
                done.append(f"{key} {group} replacements")
    return done


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
    fd = os.open(f"{database}.scheduler.lock", os.O_CREAT | os.O_RDWR, 0o600)
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
    config: Settings,
    *,
    lotteries: Mapping[str, Lottery] = LOTTERIES,
    clock: Clock = utcnow,
    sweep_seconds: int = 10,
) -> Scheduler | None:
    """Start the deployment's scheduler, or return None when another process holds it."""
    release = _lock(engine)
    if release is None:
        log.info("another process runs the scheduler")
        return None
    key = audit_key(config, engine.url)
    # APScheduler logs every run at INFO: once a second for the audit sequencer is noise
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    scheduler = BackgroundScheduler(
        timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1}
    )

    def every(name: str, job: Callable[[datetime], object]) -> Callable[[], None]:
        def run() -> None:
            try:
                job(clock())
            except Exception:  # a failed run is logged and retried at the next trigger
                log.exception("scheduled job %s failed", name)

        return run

    scheduler.add_job(
        every("divisions", lambda now: sweep_divisions(
            engine, now, proxy_cap=config.proxy_cap, audit_key=key)),
        "interval", seconds=sweep_seconds, id="divisions", next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        every("rotas", lambda now: publish_due_rotas(engine, now, config)), "cron", hour=3,
        id="rotas",
    )
    scheduler.add_job(
        every("audit", lambda _now: chain_public_votes(engine, key)), "interval", seconds=1,
        id="audit",
    )
    scheduler.add_job(
        every("checkpoint", lambda now: checkpoint_chain(engine, now, key)), "interval",
        hours=1, id="checkpoint", next_run_time=datetime.now(UTC),  # at start, then hourly
    )
    if config.smtp_host:
        scheduler.add_job(
            every("outbox", lambda now: send_outbox(engine, config, now)), "interval",
            seconds=60, id="outbox",
        )
    scheduler.add_job(
        every("jury", lambda now: jury_day(engine, now, config, lotteries)), "cron", hour=6,
        timezone="Europe/London", id="jury",
    )
    scheduler.start()
    return Scheduler(scheduler, release, [j.id for j in scheduler.get_jobs()])
