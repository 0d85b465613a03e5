"""What every benchmark shares: timing, one row per figure beside its peer or bound, the printed
table, and the results file that ``benchmarks/readme.py`` turns into ``benchmarks/README.md``.

A figure is quoted only as a benchmark prints it: each script calls :func:`report` once, which
prints the table and writes ``benchmarks/results/<name>.json`` (the machine, the command line and
the rows), and ``make bench`` regenerates the README's table from those files.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SHARED = ROOT.parent / "shared" / "data"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """Run ``fn`` once: (wall-clock seconds, its result)."""
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def best_of(runs: int, fn: Callable[[], T]) -> tuple[float, T]:
    """Run ``fn`` ``runs`` times: the fastest wall-clock time, and the last result."""
    best, out = float("inf"), None
    for _ in range(runs):
        seconds, out = timed(fn)
        best = min(best, seconds)
    assert out is not None
    return best, out


def process_cpu(command: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a command to its end (output discarded): (CPU seconds, user + system, of it and its
    children; wall-clock seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return cpu, wall


@dataclass(frozen=True, slots=True)
class Row:
    """One figure: ours beside a peer's (or a bound's) on the same input, and the goal.

    ``unit`` is ``"s"`` (lower is better) unless given; with ``higher`` a larger figure is
    better (votes per second), and the ratio is ours over the peer's, not the peer's over ours.
    """

    figure: str
    ours: float | None
    peer: str = "-"
    theirs: float | None = None
    goal: str = "-"
    met: bool | None = None
    unit: str = "s"
    higher: bool = False

    def ratio(self) -> str:
        if self.ours is None or self.theirs is None or not self.ours or not self.theirs:
            return "-"
        r = self.ours / self.theirs if self.higher else self.theirs / self.ours
        return f"{r:,.1f}x"


def fmt(value: float | None, unit: str = "s") -> str:
    """A figure as printed: seconds to 3 places (milliseconds below 0.01 s), others as given."""
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f}" if value >= 0.01 else f"{value * 1000:.2f} ms"
    if unit == "%":
        return f"{value:.3f}%"
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:,.2f} {unit}"


def _met(met: bool | None) -> str:
    return "-" if met is None else "yes" if met else "NO"


def report(name: str, title: str, rows: Sequence[Row], notes: Sequence[str] = ()) -> None:
    """Print the table and write ``benchmarks/results/<name>.json`` for the README."""
    console = Console(width=None if sys.stdout.isatty() else 180)
    table = Table(title=title)
    for col in ("figure", "ours", "peer or bound", "peer", "ratio", "goal", "met"):
        table.add_column(col, justify="right" if col in ("ours", "peer", "ratio") else "left")
    for r in rows:
        table.add_row(
            r.figure,
            fmt(r.ours, r.unit),
            r.peer,
            fmt(r.theirs, r.unit),
            r.ratio(),
            r.goal,
            _met(r.met),
        )
    console.print(table)
    for note in notes:
        console.print(note, highlight=False)
    RESULTS.mkdir(exist_ok=True)
    record = {
        "benchmark": name,
        "title": title,
        "command": " ".join(["python", *sys.argv]),
        "machine": machine(),
        "rows": [asdict(r) for r in rows],
        "notes": list(notes),
    }
    (RESULTS / f"{name}.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def machine() -> str:
    """The machine a figure was measured on, as the README states it."""
    return (
        f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f} at the start of the table"
    )
