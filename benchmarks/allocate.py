"""Benchmark party-list allocation against the `apportionment` package, side by side.

Run from the repository root:

    .venv/bin/python benchmarks/allocate.py            # 1,000 parties x 10,000 seats
    .venv/bin/python benchmarks/allocate.py --quick    # 200 parties x 2,000 seats

Both libraries allocate the same seeded vote vector by every method they share; `apportionment`
runs in its default floating-point mode (its exact `fractions=True` mode is far slower) and ours is
exact.  The table gives the best of three runs of each and whether the seats agree.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
from apportionment import methods as ap
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from electoral.party_list import divisor_apportion, remainder_apportion  # noqa: E402

T = TypeVar("T")
PEERS = {
    "dhondt": "dhondt",
    "sainte-lague": "saintelague",
    "modified-sainte-lague": "modified_saintelague",
    "huntington-hill": "huntington",
    "hare": "largest_remainder",
}


def best_of(runs: int, fn: Callable[[], T]) -> tuple[float, T]:
    best, out = float("inf"), None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    assert out is not None
    return best, out


def ours(method: str, votes: list[int], seats: int) -> list[int]:
    if method == "hare":
        return remainder_apportion(votes, seats, "hare")[0]
    return divisor_apportion(votes, seats, method)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=1000)
    parser.add_argument("--seats", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.parties, args.seats = 200, 2000
    rng = np.random.default_rng(args.seed)
    # Party sizes spread over four orders of magnitude, like a long tail of small parties.
    votes = [int(v) for v in np.exp(rng.uniform(np.log(1e3), np.log(1e7), args.parties))]
    labels = [f"p{i}" for i in range(args.parties)]
    table = Table(title=f"{args.parties:,} parties x {args.seats:,} seats (best of 3)")
    for col in ("method", "ours (s)", "apportionment (s)", "ratio", "same seats", "goal met"):
        table.add_column(col, justify="left" if col == "method" else "right")
    for method, peer in PEERS.items():
        t_ours, mine = best_of(3, lambda m=method: ours(m, votes, args.seats))
        t_peer, theirs = best_of(3, lambda p=peer: ap.compute(p, votes, args.seats, parties=labels))
        table.add_row(
            method,
            f"{t_ours:.4f}",
            f"{t_peer:.4f}",
            f"{t_peer / t_ours:.1f}x",
            "yes" if list(mine) == list(theirs) else "no",
            "yes" if t_ours < t_peer else "no",
        )
    Console().print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
