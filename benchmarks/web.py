"""Benchmark the public vote through the web server: votes accepted per second and latency
(p50, p99) for concurrent voters on loopback, on SQLite and on PostgreSQL.

Run from the repository root:

    .venv/bin/python benchmarks/web.py                      # 60 s per database
    .venv/bin/python benchmarks/web.py --seconds 10 --only postgresql

The server is `chamber serve --workers N` (`web.server`: uvicorn with uvloop and httptools in
N processes, each on its own SO_REUSEPORT socket of the same port), serving the JSON API
(`POST /api/divisions/{id}/votes`: signed-in voters with session cookies and CSRF tokens, the
vote rate limit at its default, per client address).  The load is ``--connections``
keep-alive connections from `wrk` (Debian's package, installed with apt-get if absent; a C
load generator, so the two cores are left to the server as far as possible) carrying the
votes of ``--voters`` signed-in public voters in turn, each voting again and again (a re-vote
is a new submission, stored and receipted), from ``--clients`` addresses given in
X-Forwarded-For (the server trusts loopback as its reverse proxy), for ``--seconds``.
Latency is wrk's, over every response.  After the run the stored submissions are compared with
the acknowledged votes (201 responses): none may be lost or invented; the votes wrk had in
flight when it stopped (at most one per connection) are stored without being counted.
PostgreSQL is a scratch durable server (`chamber.devdb`, fsync on); SQLite is a WAL file with
synchronous=FULL.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlmodel import Session, func, select  # noqa: E402

from chamber import devdb  # noqa: E402
from chamber.accounts.services import create_account  # noqa: E402
from chamber.business.views import sitting_view  # noqa: E402
from chamber.db import make_engine, perform, read, upgrade  # noqa: E402
from chamber.divisions.lifecycle import create_division  # noqa: E402
from chamber.divisions.models import PublicSubmission  # noqa: E402
from chamber.register.services import import_register  # noqa: E402
from chamber.seed import practice_sitting  # noqa: E402

PASSWORD = "benchmark password"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(url: str, voters: int) -> int:
    engine = make_engine(url)
    upgrade(engine)
    now = datetime.now(UTC)
    sitting = practice_sitting(engine, now)
    ends = read(engine, sitting_view, sitting).sitting.ends_at
    division = perform(
        engine, create_division, "That the benchmark be run", ["content", "not content"],
        now, min(now + timedelta(hours=2), ends), sitting_id=sitting, now=now,
    )
    register = "elector_number,name,postcode,year_of_birth\n" + "".join(
        f"V{i:05d},Voter {i},AB1 2CD,1980\n" for i in range(voters)
    )
    perform(engine, import_register, "benchmark.csv", register, now)
    for i in range(voters):
        perform(engine, create_account, f"voter{i:05d}", PASSWORD, "public", now,
                elector=f"V{i:05d}")
    engine.dispose()
    return division


def sign_in(base: str, voters: int) -> list[tuple[str, str]]:
    """Sign every voter in over the API; returns each one's Cookie header and CSRF token."""

    async def one(name: str) -> tuple[str, str]:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            await client.get("/api/divisions")
            token = client.cookies["csrftoken"]
            r = await client.post("/api/session", json={"username": name, "password": PASSWORD},
                                  headers={"x-csrftoken": token})
            r.raise_for_status()
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            return cookie, client.cookies["csrftoken"]  # signing in made the session's token

    async def main() -> list[tuple[str, str]]:
        gate = asyncio.Semaphore(8)

        async def gated(name: str) -> tuple[str, str]:
            async with gate:
                return await one(name)

        return await asyncio.gather(*(gated(f"voter{i:05d}") for i in range(voters)))

    return asyncio.run(main())


LUA = """
local voters = {%(voters)s}
local bodies = {'{"option": "content"}', '{"option": "not content"}'}
local path = "%(path)s"
local n = 0
statuses = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function request()
  n = n + 1
  local v = voters[(n %% #voters) + 1]
  local client = n %% %(clients)d
  return wrk.format("POST", path, {["Content-Type"] = "application/json",
                                   ["Cookie"] = v[1], ["x-csrftoken"] = v[2],
                                   ["X-Forwarded-For"] = string.format("10.%%d.%%d.%%d",
                                     math.floor(client / 65536), math.floor(client / 256) %% 256,
                                     client %% 256)},
                    bodies[(n %% 2) + 1])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%%d": %%d', status, count))
  end
  io.write(string.format('RESULT {"p50": %%f, "p99": %%f, "max": %%f, "seconds": %%f, '
                         .. '"statuses": {%%s}}\\n',
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000,
                         latency.max / 1000, summary.duration / 1e6,
                         table.concat(parts, ", ")))
end
"""


def wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True,
                       stdout=subprocess.DEVNULL)
        found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    return found


def load(base: str, division: int, voters: list[tuple[str, str]], args: argparse.Namespace,
         folder: Path) -> dict[str, object]:
    script = folder / "votes.lua"
    script.write_text(LUA % {
        "voters": ", ".join(f"{{{json.dumps(c)}, {json.dumps(t)}}}" for c, t in voters),
        "path": f"/api/divisions/{division}/votes",
        "clients": args.clients,
    })
    out = subprocess.run(
        [wrk(), "-t", str(args.threads), "-c", str(args.connections), "-d",
         f"{args.seconds:.0f}s", "--timeout", "10s", "-s", str(script), base],
        check=True, capture_output=True, text=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    result: dict[str, object] = json.loads(line[len("RESULT "):])
    return result


def run(kind: str, args: argparse.Namespace, console: Console) -> dict[str, object]:
    server = None
    folder = tempfile.TemporaryDirectory(prefix="webbench-")
    if kind == "postgresql":
        server = devdb.start(fast=False)
        url = server.create_database("web")
    else:
        url = f"sqlite:///{Path(folder.name) / 'web.db'}"
    try:
        division = prepare(url, args.voters)
        port = _port()
        # the load comes from --clients addresses behind a trusted reverse proxy on loopback,
        # each within the default vote rate; only signing everyone in at the start is let through
        env = {**os.environ, "DATABASE_URL": url, "TRUSTED_PROXIES": "127.0.0.1",
               "LOGIN_RATE": "100000000"}
        server_proc = subprocess.Popen(
            [sys.executable, "-c", "from web.server import serve; import sys; "
             "serve('127.0.0.1', int(sys.argv[1]), workers=int(sys.argv[2]), "
             "log_level='warning', access_log=False)", str(port), str(args.workers)],
            cwd=ROOT, env=env,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if httpx.get(f"{base}/api/divisions", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        voters = sign_in(base, args.voters)
        console.print(f"{kind}: server up, {args.voters} voters signed in, "
                      f"{args.connections} connections for {args.seconds:.0f} s")
        measured = load(base, division, voters, args, Path(folder.name))
        server_proc.send_signal(signal.SIGINT)
        server_proc.wait(60)
        engine = make_engine(url)
        with Session(engine) as session:
            stored = session.exec(select(func.count(PublicSubmission.id))).one()
        engine.dispose()
        statuses: dict[str, int] = measured["statuses"]  # type: ignore[assignment]
        accepted = statuses.get("201", 0)
        return {"accepted": accepted, "rate": accepted / float(measured["seconds"]),  # type: ignore[arg-type]
                "p50": measured["p50"], "p99": measured["p99"],
                "errors": sum(v for k, v in statuses.items() if k != "201"), "stored": stored}
    finally:
        if server is not None:
            server.stop()
        folder.cleanup()


def _accounted(stored: int, accepted: int, connections: int) -> str:
    """Every acknowledged vote stored, and nothing beyond the votes in flight when wrk stopped
    (at most one per connection) stored without an acknowledgement."""
    unacknowledged = stored - accepted
    if 0 <= unacknowledged <= connections:
        return f"yes (+{unacknowledged} in flight at the stop)"
    return f"NO: {stored:,} stored"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--voters", type=int, default=400)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--clients", type=int, default=20_000,
                        help="client addresses (X-Forwarded-For) the votes come from in turn")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    console = Console(width=160)
    table = Table(title=f"Public votes through the web server: {args.voters} voters on "
                  f"{args.connections} connections, {args.workers} server workers, "
                  f"{args.seconds:.0f} s, loopback, 2 cores")
    for col in ("database", "votes accepted", "votes/s", "p50 (ms)", "p99 (ms)", "errors",
                "every acknowledged vote stored"):
        table.add_column(col, justify="right")
    for kind in ("postgresql", "sqlite"):
        if args.only and kind != args.only:
            continue
        r = run(kind, args, console)
        table.add_row(kind, f"{r['accepted']:,}", f"{r['rate']:,.0f}", f"{r['p50']:.1f}",
                      f"{r['p99']:.1f}", str(r["errors"]),
                      _accounted(r["stored"], r["accepted"], args.connections))
    console.print(table)
    console.print("Goal: at least 2,000 votes/s on PostgreSQL with p99 under 100 ms.")


if __name__ == "__main__":
    main()
