"""The load of `web.py`: `wrk` sending each signed-in voter's vote once (a Lua script reading the
voters' requests from a file), and the CPU that the server, PostgreSQL, wrk and the rest of the
machine used meanwhile (psutil, from /proc)."""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

# Each wrk thread takes every threads-th voter; each sends its voters' votes once, then waits
# (a long delay before any further request) until every vote is answered, says so, and is
# stopped by SIGINT, so the run lasts as long as the votes take.
LUA = """
local path = "%(path)s"
local threads = {}
local mine = {}
local check = "%(check)s"
local sent, answered = 0, 0
statuses, extra = {}, 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local i = 0
  verifying = id == 0  -- wrk builds one request of the first thread to check it, never sent
  for line in io.lines("%(voters)s") do
    if i %% %(threads)d == id then
      local cookie, token, client, body = line:match("([^\\t]+)\\t([^\\t]+)\\t([^\\t]+)\\t(.+)")
      mine[#mine + 1] = {cookie, token, client, body}
    end
    i = i + 1
  end
end

function delay()
  if sent >= #mine then return 3600000 end
  return 0
end

function request()
  local v = mine[1]
  if verifying then
    verifying = false
  elseif sent >= #mine then  -- a connection the server closed while idle, reopened
    extra = extra + 1
    return wrk.format("GET", check)
  else
    sent = sent + 1
    v = mine[sent]
  end
  return wrk.format("POST", path, {["Content-Type"] = "application/json", ["Cookie"] = v[1],
                                   ["x-csrftoken"] = v[2], ["X-Forwarded-For"] = v[3]}, v[4])
end

function response(status, headers, body)
  if status == 200 then return end  -- the look at the division from a reopened connection
  statuses[status] = (statuses[status] or 0) + 1
  answered = answered + 1
  if answered == #mine then
    io.write("FINISHED\\n")
    io.flush()
  end
end

function done(summary, latency, requests)
  local counts, extras = {}, 0
  for _, thread in ipairs(threads) do
    extras = extras + thread:get("extra")
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%%d": %%d', status, count))
  end
  io.write(string.format('RESULT {"p50": %%f, "p99": %%f, "max": %%f, "seconds": %%f, '
                         .. '"timeouts": %%d, "socket_errors": %%d, "extra": %%d, '
                         .. '"statuses": {%%s}}\\n',
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000,
                         latency.max / 1000, summary.duration / 1e6, summary.errors.timeout,
                         summary.errors.connect + summary.errors.read + summary.errors.write,
                         extras, table.concat(parts, ", ")))
end
"""


@dataclass
class Cpu:
    """CPU seconds (user + system) so far of the server, PostgreSQL and the whole machine."""

    server: float
    database: float
    machine: float

    @staticmethod
    def _tree(pid: int) -> float:
        root = psutil.Process(pid)
        t = root.cpu_times()
        total = t.user + t.system + t.children_user + t.children_system
        for child in root.children(recursive=True):
            try:
                c = child.cpu_times()
                total += c.user + c.system
            except psutil.NoSuchProcess:
                pass
        return total

    @classmethod
    def now(cls, server: int, postmaster: int) -> Cpu:
        t = psutil.cpu_times()
        busy = sum(t) - t.idle - getattr(t, "iowait", 0.0)
        return cls(cls._tree(server), cls._tree(postmaster), busy)


def wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True,
                       stdout=subprocess.DEVNULL)
        found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    return found


def load(base: str, division: int, voters: Path, args: argparse.Namespace, folder: Path,
         server: int, postmaster: int) -> dict[str, Any]:
    """Every voter's vote once through wrk; its figures, and the CPU each part used."""
    script = folder / "votes.lua"
    script.write_text(LUA % {"path": f"/api/divisions/{division}/votes", "threads": args.threads,
                             "voters": voters, "check": f"/api/divisions/{division}"})
    before = Cpu.now(server, postmaster)
    mine = psutil.Process().cpu_times()
    proc = subprocess.Popen(
        [wrk(), "-t", str(args.threads), "-c", str(args.connections), "-d",
         f"{args.seconds:.0f}s", "--timeout", "10s", "-s", str(script), base],
        stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    finished, result = 0, ""
    for line in proc.stdout:
        if line.startswith("FINISHED"):
            finished += 1
            if finished == args.threads:
                proc.send_signal(signal.SIGINT)
        elif line.startswith("RESULT "):
            result = line[len("RESULT "):]
    proc.wait()
    after = Cpu.now(server, postmaster)
    reaped = psutil.Process().cpu_times()
    measured: dict[str, Any] = json.loads(result)
    measured["server_cpu"] = after.server - before.server
    measured["database_cpu"] = after.database - before.database
    measured["wrk_cpu"] = (reaped.children_user + reaped.children_system
                           - mine.children_user - mine.children_system)
    measured["machine_cpu"] = after.machine - before.machine
    measured["complete"] = finished == args.threads
    return measured


