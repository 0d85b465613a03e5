"""Serve the site with uvicorn in one or more worker processes.

With ``workers > 1`` each worker gets its own listening socket on the same address with
SO_REUSEPORT, so the kernel spreads new connections evenly over the workers (uvicorn's own
``--workers`` share one socket, and with keep-alive clients one worker tends to take nearly all
of them).  The sockets are handed to uvicorn as TCP sockets, so every accepted connection gets
TCP_NODELAY (a socket passed to uvicorn by file descriptor is taken for a Unix socket and does
not: a response written in two parts then waits for the client's delayed ACK, 40 ms).

The parent process runs the deployment's scheduler (`chamber.jobs`, under a lock: one per
deployment) and the workers, however many, only serve: the scheduler's bursts (chaining each
second's votes, a month's jury draw) never hold up a request, and on a machine of two cores or
more they run beside the serving process rather than taking its turns.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import signal
import socket
from types import FrameType

import uvicorn

from chamber import jobs
from chamber.db import make_engine, upgrade
from chamber.settings import settings
from web.app import create_app


def listening_socket(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def uvicorn_config(
    log_level: str, access_log: bool, trusted_proxies: tuple[str, ...]
) -> uvicorn.Config:
    """A serving worker's configuration: its app runs no scheduler (the parent does)."""
    return uvicorn.Config(
        functools.partial(create_app, scheduler=False),
        factory=True,
        log_level=log_level,
        access_log=access_log,
        backlog=2048,
        # X-Forwarded-For and -Proto are believed only from the reverse proxies named in
        # TRUSTED_PROXIES (uvicorn's own default would trust 127.0.0.1 unasked)
        proxy_headers=bool(trusted_proxies),
        forwarded_allow_ips=list(trusted_proxies) or None,
    )


def _worker(sock: socket.socket, log_level: str, access_log: bool) -> None:
    # A process group of its own: a Ctrl-C at the terminal reaches the parent alone, which
    # passes it on once.  Reached by both, a worker would get two SIGINTs, and uvicorn takes the
    # second for "quit now": it skips the app's shutdown, which stores the votes already taken.
    os.setpgid(0, 0)
    config = uvicorn_config(log_level, access_log, settings().trusted_proxies)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the SIGINT it handled
        uvicorn.Server(config).run(sockets=[sock])


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    workers: int = 1,
    log_level: str = "info",
    access_log: bool = True,
) -> None:
    """Serve until SIGINT or SIGTERM; each worker finishes the requests (and stores the votes)
    it has taken before it stops."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    engine = make_engine(settings().database_url)
    upgrade(engine)  # once, before the workers start (each would otherwise race to)
    engine.dispose()
    sockets = [listening_socket(host, port, reuse_port=workers > 1) for _ in range(workers)]
    context = multiprocessing.get_context("fork")
    processes = [
        context.Process(target=_worker, args=(sock, log_level, access_log), daemon=False)
        for sock in sockets
    ]
    for process in processes:
        process.start()
    for sock in sockets:
        sock.close()
    # the scheduler runs here, beside the workers rather than in one of them, so its bursts
    # (chaining a second's votes) do not hold up that worker's requests; started after the
    # fork (a process should not fork with threads running)
    running = jobs.start_scheduler(engine, settings())

    def stop(signum: int, _: FrameType | None) -> None:
        # each worker stops gracefully on SIGINT or SIGTERM (a closed terminal's SIGHUP, which
        # no longer reaches the workers' groups, is passed on as SIGTERM)
        forwarded = signal.SIGTERM if signum == signal.SIGHUP else signum
        for process in processes:
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, forwarded)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    try:
        for process in processes:
            process.join()
    finally:
        if running is not None:
            running.shutdown()
