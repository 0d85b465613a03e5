"""A year of the national chamber on a simulated clock (`chamber simulate`), timed: the real
scheduled jobs and services with synthetic clerks, members and voters, every invariant checked
every day.  Goal: twelve months within 10 minutes on SQLite on a 2-core machine.

    .venv/bin/python benchmarks/simulate.py [--months 12] [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from chamber import devdb  # noqa: E402
from chamber.db import make_engine, upgrade  # noqa: E402
from chamber.simulation.run import Options, Simulation  # noqa: E402

GOAL_SECONDS = 600


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--from", dest="start", default="2027-03-01")
    args = parser.parse_args()
    console = Console(width=160)
    server = None
    with tempfile.TemporaryDirectory() as folder:
        if args.database == "postgresql":
            server = devdb.start(fast=False)
            url = server.create_database("simulation")
        else:
            url = f"sqlite:///{Path(folder) / 'simulation.db'}"
        engine = make_engine(url)
        upgrade(engine)
        began = time.perf_counter()
        simulation = Simulation(engine, date.fromisoformat(args.start), Options())
        report = simulation.run(args.months)
        seconds = time.perf_counter() - began
        engine.dispose()
        if server is not None:
            server.stop()
    table = Table(title=f"{args.months} months of the national chamber on {args.database}")
    for column in ("months", "days", "sittings", "divisions", "member votes", "public votes",
                   "rotas", "jury months", "replacements", "swaps", "breaches", "seconds",
                   "goal"):
        table.add_column(column, justify="right")
    t = report.tally
    table.add_row(
        str(args.months), str(report.days), str(report.sittings), str(t.divisions),
        f"{t.member_votes:,}", f"{t.public_votes:,}", str(report.rotas),
        str(len(report.jury_months)), str(t.replacements),
        f"{t.swaps_accepted}/{t.swaps_asked}", str(len(report.breaches)), f"{seconds:.0f}",
        f"<= {GOAL_SECONDS * args.months // 12}",
    )
    console.print(table)
    console.print(report.summary())


if __name__ == "__main__":
    main()
