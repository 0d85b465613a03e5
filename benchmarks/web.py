"""Benchmark the public vote through the web server: 200,000 distinct registered voters each cast
one vote, on 1, 2 and 4 server processes sharing one PostgreSQL; votes/s, latency (p50, p99)
and where the CPU went (server, database, load generator, the rest of the machine).

Run from the repository root (``make bench`` runs it without options):

    .venv/bin/python benchmarks/web.py                       # 200,000 voters, 1, 2, 4 workers
    .venv/bin/python benchmarks/web.py --voters 20000 --workers 2

For each number of server processes, a fresh database on one scratch PostgreSQL server
(`chamber.devdb`, durable: fsync on) is seeded in bulk (COPY): ``--voters`` electors on the
register, each with a public voter, a public account and a signed-in session (the session
token in a cookie, its CSRF token; signing in, argon2 by design, is not what is measured), and
one open division.  Then `chamber serve --workers N` (`web.server`: uvicorn in N processes on
SO_REUSEPORT sockets, the audit sequencer in the parent when N > 1) serves the JSON API, and
`wrk` (a C load generator, Debian's package) sends every voter's vote once, in turn, on
``--connections`` keep-alive connections: ``POST /api/divisions/{id}/votes`` with the
voter's cookies, CSRF token, an idempotency key of its own, from ``--clients`` client
addresses in X-Forwarded-For (the server trusts loopback as its reverse proxy).  The vote rate
limit is the deployment's default, counted in the database per client address; nothing is
raised or switched off.  So the tables of submissions and current votes grow by one row per
vote, as they do when a division is open to the country, rather than re-writing a few hot rows.

A run ends when every vote is answered, or after ``--seconds`` (the votes then in flight, at
most one per connection, are stored without being counted).  Latency is wrk's, over every
response.  CPU is read from /proc (psutil) over the load: the server's processes, PostgreSQL's
(the postmaster and every backend, including those that ended), wrk, and the rest of the
machine (other users of this shared machine).  Afterwards: every acknowledged vote (201) is
stored and none invented, one current vote per voter, and every submission on the audit chain
(the sequencer chains only a submission whose MAC verifies), with how long the chain took to
catch up after the load.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from common import ROOT, Row, report
from rich.console import Console
from rich.table import Table
from sqlalchemy import text
from webload import load

from chamber import devdb
from chamber.accounts.services import hash_password
from chamber.business.views import sitting_view
from chamber.db import make_engine, perform, read, upgrade
from chamber.divisions.lifecycle import create_division
from chamber.keys import deployment_secret
from chamber.seed import practice_sitting
from chamber.settings import Settings

PASSWORD = "benchmark password"
AUDIT_KEY = "the web benchmark's audit key, not a secret, 32+ characters"
OPTIONS = ("content", "not content")
VOTE_RATE = Settings().vote_rate  # the default, which the benchmark leaves as it is


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _address(i: int) -> str:
    return f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"


def seed(url: str, voters: int, clients: int, now: datetime, out: Path) -> int:
    """A fresh database with one open division and ``voters`` signed-in public voters, loaded
    with COPY; writes each voter's request (cookies, CSRF token, client address, body) to
    ``out``, one a line.  Returns the division."""
    engine = make_engine(url)
    upgrade(engine)
    sitting = practice_sitting(engine, now)
    ends = read(engine, sitting_view, sitting).sitting.ends_at
    division = perform(
        engine, create_division, "That the benchmark be run", list(OPTIONS),
        now, min(now + timedelta(hours=2), ends), sitting_id=sitting, now=now,
    )
    csrf_secret = bytes.fromhex(deployment_secret(engine, "csrf"))
    deployment_secret(engine, "receipts")
    password = hash_password(PASSWORD)  # one hash for all: nobody signs in during the run
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        first = {}
        for table in ("publicvoter", "account", "elector", "accountsession"):
            cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            first[table] = int(cur.fetchone()[0]) + 1
        cur.execute(
            "INSERT INTO registerimport (filename, sha256, imported_at, rows, added, changed,"
            " removed, unchanged) VALUES ('benchmark.csv', %s, %s, %s, %s, 0, 0, 0) RETURNING id",
            ("0" * 64, now, voters, voters),
        )
        register = int(cur.fetchone()[0])
        tokens = [secrets.token_urlsafe(32) for _ in range(voters)]
        v0, a0, e0, s0 = (first[t] for t in ("publicvoter", "account", "elector",
                                             "accountsession"))
        with cur.copy("COPY publicvoter (id, handle, registered_at, proxy_code) FROM STDIN") as cp:
            for i in range(voters):
                code = f"{v0 + i:08X}"
                cp.write_row((v0 + i, f"voter{i:07d}", now, f"{code[:4]}-{code[4:]}"))
        with cur.copy("COPY account (id, username, password_hash, role, voter_id, created_at,"
                      " disabled) FROM STDIN") as cp:
            for i in range(voters):
                cp.write_row((a0 + i, f"voter{i:07d}", password, "public", v0 + i, now, False))
        with cur.copy("COPY elector (id, number, name, postcode, birth_year, status, account_id,"
                      " voter_id, import_id, updated_at) FROM STDIN") as cp:
            for i in range(voters):
                cp.write_row((e0 + i, f"B{i:07d}", f"Voter {i}", "AB1 2CD", 1980, "current",
                              a0 + i, v0 + i, register, now))
        expires = now + timedelta(hours=8)
        with cur.copy("COPY accountsession (id, token_hash, account_id, created_at,"
                      " last_seen_at, expires_at) FROM STDIN") as cp:
            for i, token in enumerate(tokens):
                cp.write_row((s0 + i, hashlib.sha256(token.encode()).hexdigest(), a0 + i, now,
                              now, expires))
        for table in ("publicvoter", "account", "elector", "accountsession"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                        f" (SELECT max(id) FROM {table}))")
        raw.commit()
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()
    with out.open("w", encoding="ascii") as f:
        for i, token in enumerate(tokens):
            csrf = hmac.new(csrf_secret, f"session:{token}".encode(), hashlib.sha256).hexdigest()
            body = f'{{"option": "{OPTIONS[i % 2]}", "idempotency_key": "vote-{i}"}}'
            f.write(f"session={token}; csrftoken={csrf}\t{csrf}\t{_address(i % clients)}"
                    f"\t{body}\n")
    return division


def _postmaster(server: devdb.Server) -> int:
    return int((server.folder / "data" / "postmaster.pid").read_text().split()[0])


def _stored(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(text(
                "SELECT (SELECT count(*) FROM publicsubmission),"
                " (SELECT count(*) FROM publicsubmission WHERE audit_id IS NULL),"
                " (SELECT count(*) FROM publicvote),"
                " (SELECT count(DISTINCT voter_id) FROM publicsubmission)"
            )).one()
    finally:
        engine.dispose()
    return {"stored": row[0], "unchained": row[1], "current": row[2], "voters": row[3]}


def run(server: devdb.Server, workers: int, args: argparse.Namespace,
        console: Console) -> dict[str, Any]:
    """Seed a fresh database, serve it with ``workers`` processes, send every vote."""
    url = server.create_database(f"web{workers}")
    with tempfile.TemporaryDirectory(prefix="webbench-") as name:
        folder = Path(name)
        voters = folder / "voters.tsv"
        began = time.perf_counter()
        division = seed(url, args.voters, args.clients, datetime.now(UTC), voters)
        console.print(f"{workers} server process(es): {args.voters:,} voters seeded in "
                      f"{time.perf_counter() - began:.1f} s; voting")
        port = _port()
        env = {**os.environ, "DATABASE_URL": url, "TRUSTED_PROXIES": "127.0.0.1",
               "AUDIT_KEY": AUDIT_KEY}
        env.pop("VOTE_RATE", None)  # the default limit, whatever the shell says
        proc = subprocess.Popen(
            [sys.executable, "-c", "from web.server import serve; import sys; "
             "serve('127.0.0.1', int(sys.argv[1]), workers=int(sys.argv[2]), "
             "log_level='warning', access_log=False)", str(port), str(workers)],
            cwd=ROOT, env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/api/divisions", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
            time.sleep(1)  # every worker up
            out = load(base, division, voters, args, folder, proc.pid, _postmaster(server))
            ended = time.perf_counter()
            while _stored(url)["unchained"] and time.perf_counter() - ended < 120:
                time.sleep(0.25)  # the sequencer chains what was stored, every second
            out["catch_up"] = time.perf_counter() - ended
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(60)
    out.update(_stored(url))
    return out


def _row(workers: int, r: dict[str, Any], args: argparse.Namespace,
         table: Table) -> tuple[list[Row], bool]:
    statuses: dict[str, int] = r["statuses"]
    accepted = statuses.get("201", 0)
    errors = sum(v for k, v in statuses.items() if k != "201") + r["timeouts"]
    errors += r["socket_errors"]
    seconds = float(r["seconds"])
    rate = accepted / seconds
    unacknowledged = r["stored"] - accepted
    sound = (0 <= unacknowledged <= args.connections
             and r["voters"] == r["current"] == r["stored"])
    chained = r["unchained"] == 0
    per = {k: r[f"{k}_cpu"] / max(accepted, 1) * 1e6 for k in ("server", "database", "wrk")}
    ours = (r["server_cpu"] + r["database_cpu"] + r["wrk_cpu"]) / seconds
    others = max(r["machine_cpu"] / seconds - ours, 0.0)
    table.add_row(
        str(workers), f"{rate:,.0f}", f"{r['p50']:.1f}", f"{r['p99']:.1f}", f"{r['max']:.0f}",
        f"{errors:,}",
        "yes" if sound else f"NO ({r['stored']:,} stored, {r['voters']:,} voters)",
        f"{'yes' if chained else 'NO'} ({r['catch_up']:.1f} s)",
        f"{per['server']:.0f} µs", f"{per['database']:.0f} µs", f"{per['wrk']:.0f} µs",
        f"{ours:.2f} / {others:.2f}",
    )
    good = sound and chained and errors == 0
    name = f"{workers} server process{'es' if workers > 1 else ''}"
    rows = [
        Row(f"{name}: {accepted:,} of {args.voters:,} signed-in voters voted, once each, in "
            f"{seconds:.0f} s; every vote stored, current and chained: "
            f"{'yes' if good else 'NO'}", rate, goal=">= 2,000 votes/s",
            met=rate >= 2000 and good, unit="votes/s", higher=True),
        Row(f"  {name}: latency p99 (p50 {r['p50']:.1f} ms)", r["p99"], goal="< 100 ms",
            met=r["p99"] < 100, unit="ms"),
        Row(f"  {name}: CPU a vote, server + PostgreSQL (server {per['server']:.0f}, "
            f"PostgreSQL {per['database']:.0f}, wrk {per['wrk']:.0f} µs; cores busy: ours "
            f"{ours:.2f}, others on the machine {others:.2f})",
            per["server"] + per["database"], unit="µs"),
    ]
    return rows, good


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=200_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--clients", type=int, default=100_000,
                        help="client addresses (X-Forwarded-For) the votes come from")
    parser.add_argument("--seconds", type=float, default=60,
                        help="the longest a run may take (it ends sooner once everyone voted)")
    args = parser.parse_args()
    console = Console(width=200)
    server = devdb.start(fast=False)
    results = {}
    try:
        for workers in args.workers:
            results[workers] = run(server, workers, args, console)
    finally:
        server.stop()
    per = max(1, round(args.voters / args.clients))
    limit = (f"Vote rate limit: the default, {VOTE_RATE} a minute per client address, counted "
             f"in PostgreSQL (not raised); {args.clients:,} addresses, about {per} vote(s) each.")
    title = (f"Public votes through the web server: {args.voters:,} distinct voters, one vote "
             f"each, {args.connections} connections, one durable PostgreSQL")
    table = Table(title=title)
    for col in ("server processes", "votes/s", "p50 ms", "p99 ms", "max ms", "errors",
                "stored = acknowledged", "chained (catch-up)", "CPU/vote: server",
                "PostgreSQL", "wrk", "cores busy: ours / others"):
        table.add_column(col, justify="right")
    rows: list[Row] = []
    for workers, r in results.items():
        rows += _row(workers, r, args, table)[0]
    console.print(table)
    console.print(limit, highlight=False)
    report("web", title, rows, [limit])


if __name__ == "__main__":
    main()
