"""Benchmark the public vote through the web server: votes accepted per second and latency
(p50, p99) for concurrent voters on loopback, on SQLite and on PostgreSQL.

Run from the repository root:

    .venv/bin/python benchmarks/web.py                      # 60 s per database
    .venv/bin/python benchmarks/web.py --seconds 10 --only sqlite

The server is ``--workers`` processes of `uvicorn web.app:create_app --factory`, each on its own
SO_REUSEPORT socket of the same port (so connections spread evenly), serving the
JSON API (`POST /api/divisions/{id}/votes`, signed-in voters with CSRF tokens, rate limits raised
out of the way).  The load is ``--voters`` signed-in public voters, each voting again and again
(a re-vote is a new submission, stored and receipted) from an asyncio client in a separate
process on the same 2-core machine, bounded to ``--seconds``.  After the run the number of stored
submissions is compared with the number of acknowledged votes: none may be lost or invented.
PostgreSQL is a scratch durable server (`chamber.devdb`, fsync on).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
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

from chamber import accounts, devdb  # noqa: E402
from chamber.db import make_engine, upgrade  # noqa: E402
from chamber.divisions.models import PublicSubmission  # noqa: E402
from chamber.divisions.services import create_division  # noqa: E402

PASSWORD = "benchmark password"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(url: str, voters: int) -> int:
    engine = make_engine(url)
    upgrade(engine)
    now = datetime.now(UTC)
    division = create_division(
        engine, "That the benchmark be run", ["content", "not content"],
        now - timedelta(minutes=1), now + timedelta(hours=2), slot_start=now,
    )
    for i in range(voters):
        accounts.create_account(engine, f"voter{i:05d}", PASSWORD, "public", now)
    engine.dispose()
    return division


async def voter(base: str, name: str, division: int, deadline: float,
                latencies: list[float], errors: list[str]) -> int:
    accepted = 0
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        await client.get("/api/divisions")
        token = client.cookies["csrftoken"]
        headers = {"x-csrftoken": token}
        r = await client.post("/api/session", json={"username": name, "password": PASSWORD},
                              headers=headers)
        if r.status_code != 200:
            errors.append(f"sign-in {r.status_code}")
            return 0
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            r = await client.post(f"/api/divisions/{division}/votes",
                                  json={"option": random.choice(["content", "not content"])},
                                  headers=headers)
            if r.status_code == 201:
                latencies.append(time.perf_counter() - began)
                accepted += 1
            else:
                errors.append(str(r.status_code))
    return accepted


def load(base: str, voters: int, division: int, seconds: float, queue: multiprocessing.Queue
         ) -> None:
    async def main() -> None:
        latencies: list[float] = []
        errors: list[str] = []
        deadline = time.perf_counter() + seconds
        began = time.perf_counter()
        counts = await asyncio.gather(*(
            voter(base, f"voter{i:05d}", division, deadline, latencies, errors)
            for i in range(voters)
        ))
        queue.put((sum(counts), time.perf_counter() - began, latencies, errors))

    asyncio.run(main())


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
        env = {**os.environ, "DATABASE_URL": url, "VOTE_RATE": "100000000",
               "LOGIN_RATE": "100000000"}
        # one listening socket per worker process, all on the port with SO_REUSEPORT, so the
        # kernel spreads connections evenly (uvicorn's --workers share one socket, and with
        # keep-alive clients one worker tends to take nearly all of them)
        sockets, procs = [], []
        for _ in range(args.workers):
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind(("127.0.0.1", port))
            sock.listen(1024)
            sock.set_inheritable(True)
            sockets.append(sock)
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "web.app:create_app", "--factory",
                 "--fd", str(sock.fileno()), "--log-level", "warning", "--no-access-log"],
                cwd=ROOT, env=env, pass_fds=(sock.fileno(),),
            ))
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if httpx.get(f"{base}/api/divisions", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        console.print(f"{kind}: server up, {args.voters} voters for {args.seconds:.0f} s")
        queue: multiprocessing.Queue = multiprocessing.Queue()
        client = multiprocessing.Process(target=load, args=(base, args.voters, division,
                                                             args.seconds, queue))
        client.start()
        accepted, elapsed, latencies, errors = queue.get()
        client.join()
        for proc in procs:
            proc.send_signal(signal.SIGINT)
        for proc in procs:
            proc.wait(30)
        for sock in sockets:
            sock.close()
        engine = make_engine(url)
        with Session(engine) as session:
            stored = session.exec(select(func.count(PublicSubmission.id))).one()
        engine.dispose()
        latencies.sort()

        def pct(q: float) -> float:
            return 1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))]

        return {"accepted": accepted, "rate": accepted / elapsed, "p50": pct(0.5),
                "p99": pct(0.99), "errors": len(errors), "stored": stored}
    finally:
        if server is not None:
            server.stop()
        folder.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--voters", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    console = Console(width=160)
    table = Table(title=f"Public votes through the web server: {args.voters} concurrent voters, "
                  f"{args.workers} server workers, {args.seconds:.0f} s, loopback, 2 cores")
    for col in ("database", "votes accepted", "votes/s", "p50 (ms)", "p99 (ms)", "errors",
                "stored = accepted"):
        table.add_column(col, justify="right")
    for kind in ("postgresql", "sqlite"):
        if args.only and kind != args.only:
            continue
        r = run(kind, args, console)
        table.add_row(kind, f"{r['accepted']:,}", f"{r['rate']:,.0f}", f"{r['p50']:.1f}",
                      f"{r['p99']:.1f}", str(r["errors"]),
                      "yes" if r["stored"] == r["accepted"] else f"NO ({r['stored']:,})")
    console.print(table)
    console.print("Goal: at least 2,000 votes/s on PostgreSQL with p99 under 100 ms.")


if __name__ == "__main__":
    main()
