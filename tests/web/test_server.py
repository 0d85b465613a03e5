"""`chamber serve --workers N`: N processes share the port and answer, the parent runs the
scheduler (with one worker too), and SIGINT stops everything cleanly.  Two servers on one
PostgreSQL share their sessions and their rate limits."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from chamber.accounts.services import create_account
from chamber.business.views import sitting_view
from chamber.db import make_engine, perform, read
from chamber.divisions.lifecycle import create_division
from chamber.seed import practice_sitting
from tests.chamber.conftest import enrol, pg_server  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(base: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/divisions", timeout=2).is_success:
                return
        except httpx.HTTPError:
            if proc.poll() is not None:
                raise AssertionError(f"the server stopped: {proc.communicate()[0]}") from None
            time.sleep(0.2)
    raise AssertionError("the server did not come up")


def test_two_servers_on_one_database_share_sessions_and_rate_limits(pg_server):  # noqa: F811
    url = pg_server.create_database("twoservers", "chamber_template")
    engine = make_engine(url)
    now = datetime.now(UTC)
    sitting = practice_sitting(engine, now)
    ends = read(engine, sitting_view, sitting).sitting.ends_at
    division = perform(
        engine, create_division, "That the limit hold", ["content", "not content"], now,
        min(now + timedelta(hours=1), ends), sitting_id=sitting, now=now,
    )
    enrol(engine, "E1", now=now)
    perform(engine, create_account, "voter", "a long password", "public", now, elector="E1")
    engine.dispose()
    env = {**os.environ, "DATABASE_URL": url, "VOTE_RATE": "4", "LOGIN_RATE": "3"}
    ports = [_port(), _port()]
    servers = [
        subprocess.Popen(
            [str(Path(sys.executable).parent / "chamber"), "serve", "--port", str(port)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        for port in ports
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base, proc in zip(bases, servers, strict=True):
            _wait_for(base, proc)
        # one client (cookies do not depend on the port): signed in on the first server, its
        # session and CSRF token work on the second
        client = httpx.Client(timeout=10)
        client.get(f"{bases[0]}/api/divisions")
        signed = client.post(
            f"{bases[0]}/api/session", json={"username": "voter", "password": "a long password"},
            headers={"x-csrftoken": client.cookies["csrftoken"]},
        )
        assert signed.status_code == 200
        token = {"x-csrftoken": client.cookies["csrftoken"]}
        votes = [
            client.post(f"{bases[i % 2]}/api/divisions/{division}/votes",
                        json={"option": "content"}, headers=token).status_code
            for i in range(10)
        ]
        assert sorted(votes) == [201] * 4 + [429] * 6, votes  # 4 a minute, not 4 per server
        assert {votes[0], votes[1]} == {201}  # both servers accepted the session
        # the login throttle: the sign-in above was one of the 3 a minute
        logins = [
            client.post(f"{bases[i % 2]}/api/session",
                        json={"username": "voter", "password": "wrong password!"},
                        headers={"x-csrftoken": client.cookies["csrftoken"]}).status_code
            for i in range(4)
        ]
        assert logins == [409, 409, 429, 429], logins
    finally:
        for proc in servers:
            proc.send_signal(signal.SIGINT)
        outs = [proc.communicate(timeout=60)[0] for proc in servers]
    for proc, out in zip(servers, outs, strict=True):
        assert proc.returncode == 0, out
        assert "Traceback" not in out, out


# stopped by SIGINT to the parent alone (a supervisor), or to its whole process group (Ctrl-C
# at a terminal, as `make demo` is stopped)
@pytest.mark.parametrize(("workers", "ctrl_c"), [(1, True), (2, False), (2, True)])
def test_workers_serve_the_parent_schedules_and_all_stop(tmp_path, workers, ctrl_c):
    port = _port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "chamber"), "serve", "--port", str(port),
         "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/divisions", timeout=2).is_success:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not come up")
        # separate connections are spread over the workers by the kernel
        for _ in range(20):
            assert httpx.get(f"http://127.0.0.1:{port}/api/divisions", timeout=5).is_success
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert len(children) == workers  # each serves; none runs the scheduler ...
        # each in a process group of its own, so that a Ctrl-C reaches it once, from the parent
        # (a second SIGINT makes uvicorn skip the app's shutdown, which stores the votes taken)
        assert [os.getpgid(int(c)) for c in children] == [int(c) for c in children]
        # ... which the parent runs: it holds the scheduler's lock (`chamber.jobs`)
        lock = tmp_path / "serve.db.scheduler.lock"
        for _ in range(100):
            inode = os.stat(lock).st_ino if lock.exists() else -1
            holders = [line.split()[4] for line in Path("/proc/locks").read_text().splitlines()
                       if line.split()[5].endswith(f":{inode}")]
            if holders:
                break
            time.sleep(0.1)
        assert holders == [str(proc.pid)]
    finally:
        if ctrl_c:
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert "Traceback" not in out
    assert out.count("Application shutdown complete") == workers, out


def test_forwarded_headers_are_believed_only_from_named_proxies():
    from web.server import uvicorn_config

    plain = uvicorn_config("warning", False, ())
    assert plain.proxy_headers is False
    behind = uvicorn_config("warning", False, ("10.0.0.1", "10.0.0.2"))
    assert behind.proxy_headers is True
    assert behind.forwarded_allow_ips == ["10.0.0.1", "10.0.0.2"]
