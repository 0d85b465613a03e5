"""`chamber serve --workers 2`: two processes share the port, both answer, the parent runs the
scheduler, and SIGINT stops everything cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_workers_serve_and_stop(tmp_path):
    port = _port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "chamber"), "serve", "--port", str(port),
         "--workers", "2"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
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
        # separate connections are spread over both workers by the kernel
        for _ in range(20):
            assert httpx.get(f"http://127.0.0.1:{port}/api/divisions", timeout=5).is_success
        workers = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert len(workers) >= 2
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert "Traceback" not in out


def test_forwarded_headers_are_believed_only_from_named_proxies():
    from web.server import uvicorn_config

    plain = uvicorn_config("warning", False, False, ())
    assert plain.proxy_headers is False
    behind = uvicorn_config("warning", False, False, ("10.0.0.1", "10.0.0.2"))
    assert behind.proxy_headers is True
    assert behind.forwarded_allow_ips == ["10.0.0.1", "10.0.0.2"]
