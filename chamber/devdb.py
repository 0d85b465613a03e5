"""A throwaway PostgreSQL server for the test suite and the benchmarks: initdb into a temporary
folder, start on a free loopback port, stop and delete on exit.

It uses the server binaries of Debian's ``postgresql`` package (``/usr/lib/postgresql/N/bin``),
which `make test` installs when they are absent.  As root, the server runs as the ``postgres``
user (PostgreSQL refuses to run as root).  Durability settings are off: these databases are
scratch.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg


class NoPostgresError(RuntimeError):
    """The PostgreSQL server binaries are not installed."""


def server_bin() -> Path:
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "initdb").exists():
            return Path(folder)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise NoPostgresError("PostgreSQL server binaries not found (apt-get install postgresql)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    folder: Path
    port: int
    bin: Path
    user: str | None  # the OS user the server runs as, when we are root

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def create_database(self, name: str, template: str | None = None) -> str:
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            extra = f" TEMPLATE {template}" if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{extra}')
        return self.url(name)


def start(fast: bool = True) -> Server:
    """Start a scratch server (``fast``: no fsync; the benchmarks pass False to measure a
    durable server)."""
    binaries = server_bin()
    folder = Path(tempfile.mkdtemp(prefix="chamber-pg-"))
    user = None
    if os.geteuid() == 0:
        user = "postgres"
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    server = Server(folder, _free_port(), binaries, user)
    data = folder / "data"
    try:
        server._run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                    "--no-sync")
        options = f"-p {server.port} -k {folder} -c listen_addresses=127.0.0.1"
        if fast:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        else:
            options += " -c shared_buffers=1GB -c max_wal_size=4GB -c work_mem=256MB"
        server._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w",
                    "start")
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise NoPostgresError(f"could not start PostgreSQL: {exc.stderr or exc.stdout}") from exc
    return server
