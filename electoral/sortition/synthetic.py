"""Seeded synthetic volunteer pools and quotas, for tests, benchmarks and the demo data."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

FEATURES: dict[str, tuple[str, ...]] = {
    "gender": ("female", "male", "other"),
    "age": ("16-29", "30-44", "45-64", "65+"),
    "region": ("north", "midlands", "south", "london", "wales", "scotland"),
    "education": ("school", "college", "degree"),
}
# Population shares (the quotas) and pool shares (volunteers over-represent some groups).
POPULATION = {
    "gender": (0.50, 0.48, 0.02),
    "age": (0.22, 0.25, 0.32, 0.21),
    "region": (0.24, 0.16, 0.28, 0.14, 0.08, 0.10),
    "education": (0.35, 0.30, 0.35),
}
VOLUNTEERS = {
    "gender": (0.55, 0.43, 0.02),
    "age": (0.12, 0.22, 0.38, 0.28),
    "region": (0.20, 0.12, 0.34, 0.20, 0.06, 0.08),
    "education": (0.20, 0.25, 0.55),
}


def pool_csv(n: int, seed: int, *, households: bool = False) -> str:
    """A pool of ``n`` volunteers as CSV text (id, the four features, optionally household)."""
    rng = np.random.default_rng(seed)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["id", *FEATURES, *(["household"] if households else [])])
    columns = {f: rng.choice(len(v), size=n, p=VOLUNTEERS[f]) for f, v in FEATURES.items()}
    house = rng.integers(0, int(n * 0.8), size=n)
    for i in range(n):
        row = [f"v{i:05d}", *(FEATURES[f][columns[f][i]] for f in FEATURES)]
        w.writerow(row + ([f"h{house[i]:05d}"] if households else []))
    return out.getvalue()


def quotas_csv(size: int, slack: float = 0.1) -> str:
    """Quotas around population shares: each value within ``slack`` of its share of the panel."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["feature", "value", "min", "max"])
    for f, values in FEATURES.items():
        for v, share in zip(values, POPULATION[f], strict=True):
            target = share * size
            w.writerow(
                [f, v, int(np.floor(target * (1 - slack))), int(np.ceil(target * (1 + slack)))]
            )
    return out.getvalue()


def write_instance(
    folder: Path, n: int, size: int, seed: int, households: bool = False
) -> tuple[Path, Path]:
    """Write ``pool.csv`` and ``quotas.csv`` into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    pool, quotas = folder / "pool.csv", folder / "quotas.csv"
    pool.write_text(pool_csv(n, seed, households=households), encoding="utf-8")
    quotas.write_text(quotas_csv(size), encoding="utf-8")
    return pool, quotas
