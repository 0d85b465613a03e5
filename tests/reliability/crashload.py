"""Crash safety under load: voters submit over HTTP while the server is killed with SIGKILL at
random moments and restarted; afterwards every acknowledged vote must be stored exactly once,
with its receipt, and nothing unacknowledged may be invented (every stored submission carries an
idempotency key that a client sent).

Used by the test suite (bounded) and for deliberate runs:

    .venv/bin/python -m tests.reliability.crashload --kills 20 --seconds 120 --database postgresql
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlmodel import Session, select

from chamber import devdb
from chamber.accounts.services import create_account
from chamber.business.views import sitting_view
from chamber.db import make_engine, perform, read, upgrade
from chamber.divisions.lifecycle import create_division
from chamber.divisions.models import PublicSubmission, PublicVote
from chamber.divisions.sequencer import chain_public_votes
from chamber.integrity import verify
from chamber.register.services import import_register
from chamber.seed import practice_sitting

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "crash test password"


@dataclass
class Outcome:
    kills: int = 0
    sent: set[str] = field(default_factory=set)
    acknowledged: dict[str, str] = field(default_factory=dict)  # key -> receipt
    failures: int = 0  # requests that got no answer (the server was down)
    problems: list[str] = field(default_factory=list)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, url: str, port: int, audit_key: str) -> None:
        self.url, self.port, self.proc, self.audit_key = url, port, None, audit_key

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "AUDIT_KEY": self.audit_key,
            "VOTE_RATE": "100000000",
            "LOGIN_RATE": "100000000",
        }
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "web.app:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "critical",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/api/divisions", timeout=1).is_success:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            self.proc.wait(30)


def run(
    url: str, *, voters: int = 6, kills: int = 3, seconds: float = 8.0, seed: int = 1
) -> Outcome:
    engine = make_engine(url)
    upgrade(engine)
    now = datetime.now(UTC)
    sitting = practice_sitting(engine, now)
    ends = read(engine, sitting_view, sitting).sitting.ends_at
    division = perform(
        engine, create_division, "Crash?", ["yes", "no"], now, min(now + timedelta(hours=1), ends),
        sitting_id=sitting, now=now,
    )
    names = [f"crash{i}" for i in range(voters)]
    register = "elector_number,name,postcode,year_of_birth\n" + "".join(
        f"{name},{name},AB1 2CD,1980\n" for name in names
    )
    perform(engine, import_register, "crash.csv", register, now)
    for name in names:
        perform(engine, create_account, name, PASSWORD, "public", now, elector=name)
    audit_key = secrets.token_hex(32)
    server = Server(url, _port(), audit_key)
    server.start()
    outcome = Outcome()
    lock = threading.Lock()
    finished = threading.Event()  # set after the last kill and a final stretch of load
    base = f"http://127.0.0.1:{server.port}"

    def voter(name: str) -> None:
        n = 0
        client = httpx.Client(base_url=base, timeout=5)
        signed_in = False
        while not finished.is_set():
            try:
                if not signed_in:
                    client.get("/api/divisions")
                    r = client.post(
                        "/api/session",
                        json={"username": name, "password": PASSWORD},
                        headers={"x-csrftoken": client.cookies["csrftoken"]},
                    )
                    signed_in = r.status_code == 200
                    continue
                n += 1
                key = f"{name}-{n}"
                with lock:
                    outcome.sent.add(key)
                r = client.post(
                    f"/api/divisions/{division}/votes",
                    json={"option": random.choice(["yes", "no"]), "idempotency_key": key},
                    headers={"x-csrftoken": client.cookies["csrftoken"]},
                )
                if r.status_code == 201:
                    with lock:
                        outcome.acknowledged[key] = r.json()["receipt"]
                else:
                    with lock:
                        outcome.problems.append(f"{key}: HTTP {r.status_code} {r.text[:80]}")
            except (httpx.HTTPError, KeyError):
                with lock:
                    outcome.failures += 1
                time.sleep(0.05)
        client.close()

    threads = [threading.Thread(target=voter, args=(n,)) for n in names]
    for t in threads:
        t.start()
    rng = random.Random(seed)
    stretch = seconds / (kills + 1)
    for _ in range(kills):  # every kill happens, at a random moment of its stretch of load
        time.sleep(rng.uniform(0.2 * stretch, stretch))
        server.kill()
        outcome.kills += 1
        server.start()
    time.sleep(stretch)
    finished.set()
    for t in threads:
        t.join()
    server.stop()
    chain_public_votes(engine, audit_key.encode())
    with Session(engine) as session:
        stored = session.exec(select(PublicSubmission)).all()
        by_key: dict[str | None, list[PublicSubmission]] = {}
        for sub in stored:
            by_key.setdefault(sub.idempotency_key, []).append(sub)
        for key, receipt in outcome.acknowledged.items():
            found = by_key.get(key, [])
            if len(found) != 1 or found[0].receipt != receipt:
                outcome.problems.append(f"acknowledged {key} stored {len(found)} times")
        for key in by_key:
            if key not in outcome.sent:
                outcome.problems.append(f"a submission nobody sent: {key}")
        current = session.exec(select(PublicVote)).all()
        last = {}
        for sub in sorted(stored, key=lambda s: s.id or 0):
            last[sub.voter_id] = sub.id
        for vote in current:
            if last.get(vote.voter_id) != vote.submission_id:
                outcome.problems.append(f"voter {vote.voter_id}: the current vote is not the last")
    found = read(engine, verify, audit_key.encode())
    if not found.intact:
        outcome.problems.append(f"audit: {found.broken}, {found.problems[:3]}")
    engine.dispose()
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description="Kill the server under load; count votes.")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--voters", type=int, default=16)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    server = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.database == "postgresql":
            server = devdb.start(fast=False)
            url = server.create_database("crash")
        else:
            url = f"sqlite:///{Path(tmp) / 'crash.db'}"
        try:
            out = run(url, voters=args.voters, kills=args.kills, seconds=args.seconds)
        finally:
            if server is not None:
                server.stop()
    print(
        f"{args.database}: {out.kills} kills, {len(out.sent):,} votes sent, "
        f"{len(out.acknowledged):,} acknowledged, {out.failures:,} requests unanswered, "
        f"{len(out.problems)} problems"
    )
    for p in out.problems[:20]:
        print("  ", p)
    sys.exit(1 if out.problems else 0)


if __name__ == "__main__":
    main()
