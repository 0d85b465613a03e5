"""Benchmark LEXIMIN panel selection against the `sortition-algorithms` package, side by side:
``.venv/bin/python benchmarks/sortition.py [--quick]`` from the repository root (``--quick``:
fewer legacy runs, a 300 x 30 pool, short limits).

Instances: the replication data of Flanigan et al. (Nature 2021) in ``../shared/data/sortition``
(``example_small_20``: 200 volunteers, panel 20; ``example_large_200``: 2,000, panel 200; skipped
with a note when absent) and a seeded synthetic pool with four features.  For each, the table gives
the time and the smallest selection probability of every volunteer (and the Gini coefficient of the
probabilities) for

- ours: LEXIMIN by column generation over types, and the legacy greedy algorithm (estimated by
  simulation, per-type mean);
- `sortition-algorithms` (0.12): its LEXIMIN needs Gurobi (``gurobipy``); without it the package's
  own ``find_random_sample`` switches to maximin, so its open-source methods are run directly:
  ``find_distribution_maximin`` and ``find_distribution_nash`` (HiGHS and cvxpy/SCS), whose
  committees and probabilities (after the package's ``standardize_distribution``) give every
  person's probability, and ``find_random_sample_legacy`` repeated to estimate legacy's.

Both sides get the same pool and quotas (the package's People and FeatureCollection are built from
the rows and quotas our readers parsed).  The package's methods run in child processes so that a
time limit (``--peer-timeout``: 900 s per method, 4 s with ``--quick``) can stop them; their times
exclude the process start and the reading of the data.  Times are wall clock, one run each.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from common import Row as Figure  # noqa: E402
from common import report  # noqa: E402

from electoral.sortition.draw import distribution_for  # noqa: E402
from electoral.sortition.instance import (  # noqa: E402
    Instance,
    Pool,
    Quota,
    build_instance,
    read_pool,
    read_quotas,
)
from electoral.sortition.leximin import gini, leximin  # noqa: E402
from electoral.sortition.synthetic import write_instance  # noqa: E402

T = TypeVar("T")
DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "sortition"
MAXIMIN_TOLERANCE = 1e-7  # HiGHS's feasibility tolerance: maximin's LP and ours are solved to it
PEER = "sortition-algorithms"
PEER_METHODS = ("leximin", "maximin", "nash", "legacy")
SETUP_LIMIT = 300.0  # seconds a child may take to start and read the data
PRELOAD = ["numpy", "cvxpy", "highspy", "sortition_algorithms", "sortition_algorithms.core"]


@dataclass(frozen=True, slots=True)
class Case:
    """One instance: where its files are and the panel size."""

    name: str
    pool: Path
    quotas: Path
    size: int
    id_column: str | None


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the results table."""

    instance: str
    n: int
    k: int
    algorithm: str
    seconds: float | None
    minimum: float | None
    gini: float | None
    note: str


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """Run ``fn`` once and return (seconds, result)."""
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def type_mean(inst: Instance, person: NDArray[np.float64]) -> NDArray[np.float64]:
    """Every volunteer's probability replaced by the mean over their type (people of one type are
    interchangeable, so this is the lower-variance estimate of a simulated probability)."""
    sums = np.bincount(inst.type_of, weights=person, minlength=inst.ntypes)
    out: NDArray[np.float64] = (sums / inst.type_sizes)[inst.type_of]
    return out


# --- sortition-algorithms, in a child process ----------------------------------------------------


def _peer_inputs(pool: Pool, quotas: Sequence[Quota]) -> dict[str, Any]:
    """The pool rows and quotas as plain data for the package's readers (picklable)."""
    quota_features = {q.feature.lower() for q in quotas}
    cols = [j for j, f in enumerate(pool.features) if f.lower() in quota_features]
    head = ["id", *(pool.features[j] for j in cols)]
    body = [
        {
            "id": pid,
            **{pool.features[j]: pool.values[j][int(pool.codes[i, j])] for j in cols},
        }
        for i, pid in enumerate(pool.ids)
    ]
    features = [
        {"feature": q.feature, "value": q.value, "min": str(q.min), "max": str(q.max)}
        for q in quotas
    ]
    return {"head": head, "body": body, "features": features, "ids": list(pool.ids)}


def _peer_run(job: dict[str, Any], conn: Connection) -> tuple[float, list[float], str]:
    """Build the package's objects, report ready, run the method; returns (seconds, probability
    of every volunteer in pool order, note)."""
    from sortition_algorithms import Settings, read_in_features, read_in_people
    from sortition_algorithms.committee_generation import (
        find_distribution_leximin,
        find_distribution_maximin,
        find_distribution_nash,
        find_random_sample_legacy,
        standardize_distribution,
    )
    from sortition_algorithms.utils import set_log_level, set_random_provider

    set_log_level(50)  # CRITICAL: the package logs every step to stdout
    size, method = int(job["size"]), job["method"]
    features, _, _ = read_in_features(
        ["feature", "value", "min", "max"], job["features"], number_to_select=size
    )
    people, _ = read_in_people(
        job["head"], job["body"], features, Settings(id_column="id", columns_to_keep=[])
    )
    index = {pid: i for i, pid in enumerate(job["ids"])}
    prob = np.zeros(len(index))
    conn.send(("ready",))
    start = time.perf_counter()
    if method == "legacy":
        set_random_provider(int(job["seed"]) or 1)
        runs, budget = int(job["runs"]), float(job["budget"])
        done = 0
        while done < runs and time.perf_counter() - start < budget:
            committees, _ = find_random_sample_legacy(people, features, size, [], max_attempts=100)
            for pid in committees[0]:
                prob[index[pid]] += 1
            done += 1
        seconds = time.perf_counter() - start
        note = f"{done} runs (per-type mean)"
        if done < runs:
            note += f"; stopped by the {budget:g} s limit"
        return seconds, list(prob / max(done, 1)), note
    find = {
        "leximin": find_distribution_leximin,
        "maximin": find_distribution_maximin,
        "nash": find_distribution_nash,
    }[method]
    committees, weights, _ = find(features, people, size, [], "highspy")
    seconds = time.perf_counter() - start
    committees, weights = standardize_distribution(committees, weights)
    for committee, w in zip(committees, weights, strict=True):
        for pid in committee:
            prob[index[pid]] += w
    return seconds, list(prob), f"{len(committees)} committees"


def _peer_child(conn: Connection, job: dict[str, Any]) -> None:
    """Child process entry: silence the package's and HiGHS's printing, run, send the result."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        conn.send(("ok", *_peer_run(job, conn)))
    except BaseException as exc:  # report every failure to the parent rather than dying
        conn.send(("error", f"{type(exc).__name__}: {exc}".splitlines()[0][:140]))
    finally:
        conn.close()


def _context() -> Any:
    """A forkserver that has imported the package once (fast children, and no fork of a process
    whose HiGHS threads are running); spawn where there is no forkserver."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return mp.get_context("spawn")


def run_peer(
    ctx: Any, job: dict[str, Any], timeout: float
) -> tuple[float | None, NDArray[np.float64] | None, str]:
    """Run one method of the package in a child process, stopping it after ``timeout`` seconds."""
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_peer_child, args=(child, job), daemon=True)
    proc.start()
    child.close()
    limit = timeout + 60.0 if job["method"] == "legacy" else timeout  # legacy stops itself
    try:
        if not parent.poll(SETUP_LIMIT):
            return None, None, f"did not start within {SETUP_LIMIT:g} s"
        first = parent.recv()
        if first[0] == "error":
            return None, None, f"could not run: {first[1]}"
        if not parent.poll(limit):
            return None, None, f"no result within the {timeout:g} s limit (--peer-timeout)"
        msg = parent.recv()
    except EOFError:
        proc.join(5)
        return None, None, f"the child process died (exit code {proc.exitcode})"
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if msg[0] == "error":
        return None, None, f"could not run: {msg[1]}"
    _, seconds, prob, note = msg
    return float(seconds), np.asarray(prob, dtype=np.float64), note


# --- the benchmark -------------------------------------------------------------------------------


def cases(synthetic: Path, n: int, k: int, seed: int) -> list[Case]:
    """The two replication instances (respondents.csv has no id column) and a synthetic one."""
    out = [
        Case(name, DATA / name / "respondents.csv", DATA / name / "categories.csv", size, None)
        for name, size in (("example_small_20", 20), ("example_large_200", 200))
    ]
    pool, quotas = write_instance(synthetic, n, k, seed)
    out.append(Case(f"synthetic_{n}_{k}", pool, quotas, k, "id"))
    return out


def bench_case(
    case: Case, args: argparse.Namespace, ctx: Any, console: Console
) -> tuple[list[Row], float, float, float | None, str]:
    """Every algorithm on one instance; returns the rows, our LEXIMIN time and minimum, and the
    package's best minimum (None if no method gave one) with the method that reached it."""
    pool = read_pool(case.pool, id_column=case.id_column)
    quotas, sha = read_quotas(case.quotas)
    inst = build_instance(pool, quotas, case.size, quotas_sha256=sha)
    rows: list[Row] = []

    def add(algorithm: str, seconds: float | None, prob: Any, note: str) -> None:
        minimum = float(np.min(prob)) if prob is not None else None
        g = gini(prob) if prob is not None else None
        rows.append(Row(case.name, pool.size, case.size, algorithm, seconds, minimum, g, note))
        shown = f"{minimum:.3%}" if minimum is not None else "-"
        took = f"{seconds:.2f} s" if seconds is not None else "-"
        console.print(f"  {algorithm:<32} {took:>11}  min {shown:>8}  {note}")

    console.print(f"[bold]{case.name}[/]: n={pool.size:,}, k={case.size}, {inst.ntypes} types")
    t_lex, lex = timed(lambda: leximin(inst))
    add(
        "ours LEXIMIN",
        t_lex,
        lex.person_probability,
        f"{lex.lp_solves} LP solves, {lex.levels} levels, {len(lex.weights)} panels",
    )
    t_leg, leg = timed(lambda: distribution_for(inst, "legacy", legacy_runs=args.legacy_runs))
    add("ours legacy", t_leg, leg.person_probability, f"{args.legacy_runs} runs (per-type mean)")

    data = _peer_inputs(pool, inst.quotas)
    best: float | None = None
    best_by = ""
    for method in PEER_METHODS:
        label = f"{PEER} {method}"
        if method == "leximin" and not _gurobi_available():
            add(
                label,
                None,
                None,
                "needs gurobipy (absent); the package itself falls back to maximin",
            )
            continue
        job = {
            **data,
            "method": method,
            "size": case.size,
            "runs": args.legacy_runs,
            "budget": args.peer_timeout,
            "seed": args.seed,
        }
        seconds, prob, note = run_peer(ctx, job, args.peer_timeout)
        if prob is not None and method == "legacy":
            prob = type_mean(inst, prob)
        add(label, seconds, prob, note)
        if prob is not None and (best is None or float(prob.min()) > best):
            best, best_by = float(prob.min()), method
    return rows, t_lex, lex.minimum, best, best_by


def _gurobi_available() -> bool:
    from sortition_algorithms.committee_generation import GUROBI_AVAILABLE

    return bool(GUROBI_AVAILABLE)


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--legacy-runs", type=int, default=1000)
    parser.add_argument("--people", type=int, default=1000, help="synthetic pool size")
    parser.add_argument("--panel", type=int, default=100, help="synthetic panel size")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--peer-timeout",
        type=float,
        default=900.0,
        help="seconds each sortition-algorithms method may run (legacy: stops early)",
    )
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.legacy_runs, args.people, args.panel = 200, 300, 30
        args.peer_timeout = min(args.peer_timeout, 4.0)
    # Piped output (make bench, a log file) would be cut to 80 columns; give the table room.
    console = Console() if sys.stdout.isatty() else Console(width=180)
    ctx = _context()
    rows: list[Row] = []
    summary: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="sortition-bench-") as tmp:
        for case in cases(Path(tmp), args.people, args.panel, args.seed):
            if not (case.pool.is_file() and case.quotas.is_file()):
                console.print(f"[yellow]skipped {case.name}: no {case.pool} or {case.quotas}[/]")
                continue
            case_rows, t_lex, lex_min, peer_min, peer_by = bench_case(case, args, ctx, console)
            rows.extend(case_rows)
            # maximin's minimum is the largest there is; LEXIMIN's must equal it, within the
            # LP tolerance of either side (stated, and applied to both)
            summary.append(
                Figure(
                    f"{case.name}: LEXIMIN minimum, from its lottery ({t_lex:.2f} s)",
                    100 * lex_min,
                    f"{PEER} best minimum ({peer_by or 'none'})",
                    None if peer_min is None else 100 * peer_min,
                    f">= peer's - {MAXIMIN_TOLERANCE:g}",
                    None if peer_min is None else lex_min >= peer_min - MAXIMIN_TOLERANCE,
                    unit="%",
                    higher=True,
                )
            )
    table = Table(title=f"Selection probabilities: ours vs {PEER} (one run each)")
    for col in ("instance", "n", "k", "algorithm", "time (s)", "min prob (%)", "Gini (%)", "note"):
        table.add_column(
            col, justify="left" if col in ("instance", "algorithm", "note") else "right"
        )
    for r in rows:
        table.add_row(
            r.instance,
            f"{r.n:,}",
            str(r.k),
            r.algorithm,
            "-" if r.seconds is None else f"{r.seconds:.2f}",
            _pct(r.minimum),
            _pct(r.gini),
            r.note,
        )
    console.print(table)
    report("sortition", f"Sortition: ours beside {PEER}", summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
