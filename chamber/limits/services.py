"""Sliding-window rate limits kept in the database, so that every worker of every server on one
database counts the same requests.

A client may make at most ``limit`` requests of one kind in any ``window`` seconds: the times
of its counted requests are kept, and a request is counted only while fewer than ``limit`` of
them fall within the last ``window`` seconds (`slide`, the rule).  Each request is one
statement on a short connection of its own, outside the request's transaction:

- PostgreSQL: one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` in autocommit, with
  ``synchronous_commit`` off (the table is UNLOGGED as well), on `chamber.db.quick_engine`
  (no ping first: one round trip): the row lock makes concurrent requests from one client, on
  any server, take their turns; the times are the database's clock, so the servers' clocks
  need not agree.
- SQLite (one machine): the row is read and written in one ``BEGIN IMMEDIATE`` transaction
  with ``synchronous=NORMAL`` (WAL), which every process on the file takes in turn.

This is the one place outside the request's unit of work that writes: the count must stand
whatever the request then does, and must not wait for the request's transaction.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, event, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col

from chamber.clock import now as utcnow
from chamber.db import make_engine, quick_engine, quickly, text_array, writing
from chamber.limits.models import RateLimit


@dataclass(frozen=True, slots=True)
class Taken:
    """The answer to one request: whether it is counted (allowed), how many more the client
    may make now, and the whole seconds until its oldest counted request leaves the window."""

    allowed: bool
    remaining: int
    reset: int


def slide(
    hits: Sequence[float], now: float, limit: int, window: float
) -> tuple[bool, list[float]]:
    """The rule: forget the times that left the window; count ``now`` if fewer than ``limit``
    remain.  Returns whether it was counted and the times now in the window."""
    kept = [t for t in hits if t > now - window]
    allowed = len(kept) < limit
    if allowed:
        kept.append(now)
    return allowed, kept


def answer(allowed: bool, hits: Sequence[float], now: float, limit: int, window: float) -> Taken:
    reset = math.ceil(min(hits) - (now - window)) if hits else 0
    return Taken(allowed, max(limit - len(hits), 0), max(reset, 0))


def _parse(hits: str) -> list[float]:
    return [float(t) for t in hits.split()]


_UPSERT = text(
    """
    INSERT INTO ratelimit AS r (key, hits, at, allowed)
    SELECT :key, CASE WHEN :limit > 0 THEN clock.now::text ELSE '' END, clock.now, :limit > 0
    FROM (SELECT extract(epoch FROM clock_timestamp())::float8 AS now) AS clock
    ON CONFLICT (key) DO UPDATE SET
        allowed = (SELECT count(*) FROM unnest(string_to_array(r.hits, ' ')) AS u(h)
                   WHERE u.h::float8 > excluded.at - :window) < :limit,
        hits = (SELECT concat_ws(' ', string_agg(u.h, ' ' ORDER BY u.i),
                                 CASE WHEN count(*) < :limit THEN excluded.at::text END)
                FROM unnest(string_to_array(r.hits, ' ')) WITH ORDINALITY AS u(h, i)
                WHERE u.h::float8 > excluded.at - :window),
        at = excluded.at
    RETURNING allowed, hits, at
    """
)
# many clients at once (one statement for a group of requests gathered by the web server):
# the same rule, row by row, the keys locked in sorted order (two groups never wait for each
# other in a cycle); each key at most once a statement
_UPSERT_MANY = """
    INSERT INTO ratelimit AS r (key, hits, at, allowed)
    SELECT u.key, CASE WHEN %(limit)s > 0 THEN clock.now::text ELSE '' END, clock.now,
        %(limit)s > 0
    FROM unnest(%(keys)s::varchar[]) AS u(key),
        (SELECT extract(epoch FROM clock_timestamp())::float8 AS now) AS clock
    ORDER BY u.key
    ON CONFLICT (key) DO UPDATE SET
        allowed = (SELECT count(*) FROM unnest(string_to_array(r.hits, ' ')) AS u(h)
                   WHERE u.h::float8 > excluded.at - %(window)s) < %(limit)s,
        hits = (SELECT concat_ws(' ', string_agg(u.h, ' ' ORDER BY u.i),
                                 CASE WHEN count(*) < %(limit)s THEN excluded.at::text END)
                FROM unnest(string_to_array(r.hits, ' ')) WITH ORDINALITY AS u(h, i)
                WHERE u.h::float8 > excluded.at - %(window)s),
        at = excluded.at
    RETURNING key, allowed, hits, at
"""
_SWEEP = text("DELETE FROM ratelimit WHERE at < extract(epoch FROM clock_timestamp()) - :idle")


class SharedLimits:
    """The rate-limit windows of one database.  ``take`` counts one request; ``sweep`` forgets
    the clients idle for longer than a window (call it now and then)."""

    def __init__(self, engine: Engine) -> None:
        self.postgresql = engine.dialect.name == "postgresql"
        self.base = engine
        self.engine = _counting_engine(engine)
        self._swept = time.monotonic()

    def sweep_now_and_then(self, idle: float) -> None:
        """`sweep` once every ``idle`` seconds (call it after counting)."""
        if time.monotonic() - self._swept > idle:
            self._swept = time.monotonic()
            self.sweep(idle)

    def take(self, key: str, limit: int, window: float) -> Taken:
        """Count one request of ``key`` if it is within ``limit`` per ``window`` seconds."""
        if self.postgresql:

            def count(conn: Connection) -> Any:
                return conn.execute(
                    _UPSERT, {"key": key, "limit": limit, "window": window}
                ).one()

            row = quickly(self.base, count)
            allowed, hits, now = bool(row[0]), _parse(row[1]), float(row[2])
            return answer(allowed, hits, now, limit, window)
        with Session(writing(self.engine)) as session:
            now = utcnow().timestamp()
            found = session.get(RateLimit, key)
            allowed, kept = slide(_parse(found.hits) if found else [], now, limit, window)
            stored = " ".join(repr(t) for t in kept)
            if found is None:
                session.add(RateLimit(key=key, hits=stored, at=now, allowed=allowed))
            else:
                found.hits, found.at, found.allowed = stored, now, allowed
            session.commit()
        return answer(allowed, kept, now, limit, window)

    def take_many(self, requests: Sequence[tuple[str, int, float]]) -> list[Taken]:
        """`take` for many requests (``(key, limit, window)`` each), in order, as if each were
        counted alone one after the other.  On PostgreSQL one statement for each kind of limit
        (two requests with one key go to statements one after the other), all in one round
        trip, on one connection."""
        if not self.postgresql:
            return [self.take(*request) for request in requests]

        def count(conn: Connection) -> list[Taken]:
            pg = conn.connection.driver_connection
            assert pg is not None
            with pg.pipeline():
                return self.count_on(pg, requests)()

        return quickly(self.base, count)

    @staticmethod
    def count_on(pg: Any, requests: Sequence[tuple[str, int, float]]) -> Callable[[], list[Taken]]:
        """`take_many` on PostgreSQL, on the driver's connection ``pg`` (in autocommit, on
        `chamber.db.quick_engine`): sends the statements and returns what reads their answers,
        so that a caller in pipeline mode sends other statements in the same round trip."""
        rounds: list[dict[tuple[int, float], dict[str, int]]] = []
        for i, (key, limit, window) in enumerate(requests):
            for round_ in rounds:  # the first statement not yet counting this key
                keys = round_.setdefault((limit, window), {})
                if key not in keys:
                    keys[key] = i
                    break
            else:
                rounds.append({(limit, window): {key: i}})
        sent = [
            (pg.execute(_UPSERT_MANY, {"keys": text_array(keys), "limit": limit,
                                       "window": window}),
             limit, window, keys)
            for round_ in rounds for (limit, window), keys in round_.items() if keys
        ]

        def answers() -> list[Taken]:
            out: list[Taken | None] = [None] * len(requests)
            for cursor, limit, window, keys in sent:
                for key, allowed, hits, now in cursor.fetchall():
                    out[keys[key]] = answer(bool(allowed), _parse(hits), float(now), limit, window)
            assert all(a is not None for a in out)
            return [a for a in out if a is not None]

        return answers

    def sweep(self, idle: float) -> int:
        """Forget the clients whose latest request is more than ``idle`` seconds old."""
        if self.postgresql:
            with self.engine.connect() as conn:
                return int(conn.execute(_SWEEP, {"idle": idle}).rowcount)
        with Session(writing(self.engine)) as session:
            horizon = utcnow().timestamp() - idle
            idle_rows = delete(RateLimit).where(col(RateLimit.at) < horizon)
            gone = session.connection().execute(idle_rows)
            session.commit()
            return int(gone.rowcount)

    def dispose(self) -> None:
        self.engine.dispose()


def _counting_engine(engine: Engine) -> Engine:
    """The engine of the counts: on PostgreSQL `chamber.db.quick_engine` (each statement
    commits by itself without waiting for the disk); on SQLite one of its own whose commits do
    not wait for an fsync (WAL, NORMAL)."""
    if engine.dialect.name == "postgresql":
        return quick_engine(engine)
    counting = make_engine(engine.url.render_as_string(hide_password=False))

    @event.listens_for(counting, "connect")
    def _normal(conn: Any, _record: Any) -> None:
        conn.execute("PRAGMA synchronous=NORMAL")

    return counting
