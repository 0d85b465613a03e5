"""Benchmark `chamber count WARD.blt` as an administrator runs it: one whole process per ward,
beside Droop's `Droop.py scotland WARD.blt`, on the same 20 Scottish wards.

Run from the repository root (``make bench`` runs it so):

    .venv/bin/python benchmarks/startup.py --droop PATH

``PATH`` is a checkout of Droop (jklundell/droop on GitHub; also read from ``DROOP``).  Each
command runs once untimed first, so that both read compiled bytecode as an installed package
does (the environment's PYTHONDONTWRITEBYTECODE is dropped for these processes); then each of
the 20 wards is counted by a fresh process of each, and the CPU time (user + system) of each
process is measured with ``getrusage``, its wall-clock time with ``time.perf_counter``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

from common import SHARED, Row, process_cpu, report

WARDS = SHARED / "stv" / "scotland"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wards", type=int, default=20, help="wards, one process each (20)")
    ap.add_argument("--seed", type=int, default=2024, help="seed of the sample of wards")
    ap.add_argument("--droop", default=os.environ.get("DROOP"), help="a checkout of Droop")
    args = ap.parse_args(argv)
    files = sorted(random.Random(args.seed).sample(sorted(WARDS.rglob("*.blt")), args.wards))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    chamber = [str(Path(sys.executable).parent / "chamber"), "count"]
    commands = {"ours": chamber}
    if args.droop and (Path(args.droop) / "Droop.py").is_file():
        commands["droop"] = [sys.executable, str(Path(args.droop) / "Droop.py"), "scotland"]
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    wall: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        process_cpu([*command, str(files[0])], env)  # compiles and caches the bytecode
    for f in files:
        for name, command in commands.items():
            c, w = process_cpu([*command, str(f)], env)
            cpu[name].append(c)
            wall[name].append(w)
    droop = "droop" in commands
    peer = "Droop.py scotland" if droop else "Droop: not given (--droop PATH or DROOP)"

    def theirs(
        figures: dict[str, list[float]], how: Callable[[list[float]], float]
    ) -> float | None:
        values = figures.get("droop")
        return None if values is None else float(how(values))

    n = len(files)
    median_cpu = statistics.median(cpu["ours"])
    rows = [
        Row(
            f"`chamber count WARD.blt`, CPU per process (median of {n})",
            median_cpu,
            peer,
            theirs(cpu, statistics.median),
            "<= 0.3 s CPU",
            median_cpu <= 0.3,
        ),
        Row(f"  the slowest of the {n}, CPU", max(cpu["ours"]), peer, theirs(cpu, max)),
        Row(
            f"  {n} wards, one process each: wall clock in all",
            sum(wall["ours"]),
            peer,
            theirs(wall, sum),
        ),
    ]
    report("startup", f"Start-up: {n} Scottish wards, one process per count", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
