"""Benchmark the exact Scottish STV count against votekit FastSTV and pyrankvote, side by side.

Run from the repository root:

    .venv/bin/python benchmarks/stv.py            # 1,000,000 ballots, every Scottish ward
    .venv/bin/python benchmarks/stv.py --quick    # 100,000 ballots, a sample of 50 wards

The generated election has 20 candidates in 5 parties of 4 and 5 seats.  Each voter picks a
party by seeded popularity, ranks that party's candidates first in a noisy order, then some
candidates of other parties, and stops at a random length between 1 and 20 (short ballots are
the most common), so there are many unique rankings.  All peers run in this one process on the
same ballots; times are wall clock (``time.perf_counter``).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyrankvote
from numpy.typing import NDArray
from rich.console import Console
from rich.table import Table
from votekit.elections import FastSTV
from votekit.pref_profile import RankProfile

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from electoral import scottish  # noqa: E402
from electoral.ballots import Profile, profile_from_rankings, read_blt  # noqa: E402

WARDS = ROOT.parent / "shared/data/stv/scotland"
SEATS = 5
PARTIES = 5
PER_PARTY = 4
NCAND = PARTIES * PER_PARTY
SEED_TEXT = "bench"

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """Run ``fn`` once and return (seconds, result)."""
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def best_of(runs: int, fn: Callable[[], T]) -> tuple[float, T]:
    """Run ``fn`` ``runs`` times and return the fastest time with the last result."""
    best = float("inf")
    out: T | None = None
    for _ in range(runs):
        seconds, out = timed(fn)
        best = min(best, seconds)
    assert out is not None
    return best, out


# -- the generated election -----------------------------------------------------------------------
def candidate_names() -> list[str]:
    return [f"{chr(ord('A') + p)}{i + 1}" for p in range(PARTIES) for i in range(PER_PARTY)]


def generate(n: int, seed: int) -> NDArray[np.int16]:
    """A seeded (n, 20) int16 matrix of candidate indices, -1 padded on the right, no repeats."""
    rng = np.random.default_rng(seed)
    party_of = np.repeat(np.arange(PARTIES), PER_PARTY)
    popularity = rng.dirichlet(np.full(PARTIES, 2.0))
    strength = rng.normal(0.0, 0.6, NCAND)  # some candidates are better liked than others
    out = np.empty((n, NCAND), dtype=np.int16)
    block = 250_000
    for lo in range(0, n, block):
        m = min(block, n - lo)
        party = rng.choice(PARTIES, size=m, p=popularity)
        affinity = rng.normal(0.0, 1.0, (m, PARTIES))  # how a voter feels about other parties
        score = affinity[:, party_of] + strength[None, :]
        score += rng.gumbel(0.0, 0.7, (m, NCAND))  # the noise in each voter's order
        score[party[:, None] == party_of[None, :]] += 100.0  # own party first
        order = np.argsort(-score, axis=1).astype(np.int16)
        # lengths 1..20, short ballots most common (about 4 preferences on average)
        p = 0.78 ** np.arange(NCAND)
        length = rng.choice(np.arange(1, NCAND + 1), size=m, p=p / p.sum())
        order[np.arange(NCAND)[None, :] >= length[:, None]] = -1
        out[lo : lo + m] = order
    return out


# -- the peers ------------------------------------------------------------------------------------
def votekit_profile(names: list[str], profile: Profile) -> Any:
    """A votekit RankProfile of the unique rankings and weights, built the way votekit builds one
    internally (``NumpySTVBase.get_profile``): a DataFrame of frozenset cells via a lookup table.

    ``RankProfile.df`` (a cached property that maps the stored candidate ids back to names) is
    read here too, so that its cost counts as profile construction, not as the election."""
    R = profile.rankings
    width = R.shape[1]
    lut = np.empty(NCAND + 1, dtype=object)
    lut[:] = [frozenset([name]) for name in names] + [frozenset(["~"])]
    cells = lut[np.where(R >= 0, R, NCAND)]
    data: dict[str, Any] = {f"Ranking_{i + 1}": cells[:, i] for i in range(width)}
    df = pd.DataFrame(data)
    df.index.name = "Ballot Index"
    df["Voter Set"] = pd.Series([set() for _ in range(len(df))], dtype=object, index=df.index)
    df["Weight"] = profile.weights.astype(np.float64)
    vk = RankProfile(df=df, candidates=tuple(names), max_ranking_length=width)
    _ = vk.df
    return vk


def votekit_count(vk_profile: Any, seed: int) -> tuple[str, ...]:
    election = FastSTV(vk_profile, n_seats=SEATS, rng_seed=seed)
    return tuple(c for group in election.get_elected() for c in sorted(group))


def pyrankvote_ballots(
    names: list[str], rankings: NDArray[np.int16]
) -> tuple[list[Any], list[Any]]:
    cands = [pyrankvote.Candidate(name) for name in names]
    ballots = [
        pyrankvote.Ballot(ranked_candidates=[cands[c] for c in row if c >= 0])
        for row in rankings.tolist()
    ]
    return cands, ballots


def pyrankvote_count(cands: list[Any], ballots: list[Any]) -> tuple[str, ...]:
    result = pyrankvote.single_transferable_vote(cands, ballots, number_of_seats=SEATS)
    return tuple(c.name for c in result.get_winners())


def ours(names: list[str], rankings: NDArray[np.int16]) -> tuple[float, float, Profile, Any]:
    build, profile = timed(lambda: profile_from_rankings(names, rankings, seats=SEATS))
    count, result = best_of(3, lambda: scottish.count(profile, seats=SEATS, seed=SEED_TEXT))
    return build, count, profile, result


# -- the report -----------------------------------------------------------------------------------
def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds:.3f}" if seconds >= 0.01 else f"{seconds * 1000:.2f} ms"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=2024, help="seed of the generated election")
    ap.add_argument("--ballots", type=int, default=None, help="ballots (default 1,000,000)")
    ap.add_argument("--subset", type=int, default=None, help="ballots for pyrankvote (100,000)")
    ap.add_argument("--wards", type=int, default=None, help="count only a sample of N wards")
    ap.add_argument("--quick", action="store_true", help="100,000 ballots, 10,000, 50 wards")
    args = ap.parse_args(argv)
    n = args.ballots or (100_000 if args.quick else 1_000_000)
    subset = min(n, args.subset or (10_000 if args.quick else 100_000))
    sample = args.wards or (50 if args.quick else None)

    console = Console()
    if not console.is_terminal:
        console = Console(width=170)
    console.print(
        f"cpu_count={os.cpu_count()}  numpy={np.__version__}  python={sys.version.split()[0]}"
        f"  seed={args.seed}"
    )
    names = candidate_names()
    gen_s, rankings = timed(lambda: generate(n, args.seed))
    console.print(f"generated {n:,} ballots x {NCAND} candidates, {SEATS} seats in {gen_s:.2f} s")

    # ours, on every ballot
    build_s, count_s, profile, result = ours(names, rankings)
    console.print(
        f"ours: {profile.rankings.shape[0]:,} unique rankings, {len(result.stages)} stages, "
        f"elected {', '.join(result.elected)}"
    )

    # votekit FastSTV, on the same unique rankings and weights
    vk_build_s, vk_profile = timed(lambda: votekit_profile(names, profile))
    vk_count_s, vk_elected = best_of(3, lambda: votekit_count(vk_profile, args.seed))
    vk_agree = set(vk_elected) == set(result.elected)
    console.print(
        f"votekit FastSTV elected {', '.join(vk_elected)}; agree: {'yes' if vk_agree else 'no'}"
    )

    # pyrankvote, on the first `subset` ballots; ours again on the same subset
    head = rankings[:subset]
    sub_build_s, sub_count_s, _, sub_result = ours(names, head)
    prv_make_s, (cands, ballots) = timed(lambda: pyrankvote_ballots(names, head))
    prv_s, prv_elected = best_of(3, lambda: pyrankvote_count(cands, ballots))
    prv_scaled_s = prv_s * n / subset
    prv_agree = set(prv_elected) == set(sub_result.elected)
    console.print(
        f"pyrankvote on {subset:,} ballots elected {', '.join(prv_elected)}; agree with ours on "
        f"the subset: {'yes' if prv_agree else 'no'}"
    )

    # every Scottish ward
    files = sorted(WARDS.rglob("*.blt"))
    if sample is not None and sample < len(files):
        files = sorted(random.Random(args.seed).sample(files, sample))
    read_s = ward_s = 0.0
    ward_ballots = 0
    for path in files:
        seconds, ward = timed(lambda path=path: read_blt(path))
        read_s += seconds
        seconds, _ = timed(lambda ward=ward: scottish.count(ward, seed=SEED_TEXT))
        ward_s += seconds
        ward_ballots += ward.total
    wards_total_s = read_s + ward_s
    console.print(
        f"{len(files):,} wards under {WARDS}: {ward_ballots:,} ballots, reading "
        f"{read_s:.2f} s, counting {ward_s:.2f} s"
    )

    def ratio(peer: float | None, mine: float) -> str:
        return "-" if peer is None else f"{peer / mine:,.1f}x"

    def met(ok: bool) -> str:
        return "[green]yes[/]" if ok else "[red]no[/]"

    total_s = build_s + count_s
    vk_total_s = vk_build_s + vk_count_s
    sample_note = "" if sample is None else f" (sample of {len(files)}, goal is for all)"
    rows: list[tuple[str, float, str, float | None, str, str]] = [
        (
            f"profile build ({n:,} rows -> {profile.rankings.shape[0]:,} unique)",
            build_s,
            "votekit RankProfile from the unique rows",
            vk_build_s,
            "-",
            "-",
        ),
        (
            f"Scottish count, {n:,} ballots (best of 3)",
            count_s,
            "-",
            None,
            "<= 1 s",
            met(count_s <= 1.0),
        ),
        (
            "count on the same profile",
            count_s,
            "votekit FastSTV",
            vk_count_s,
            "faster than votekit",
            met(count_s < vk_count_s),
        ),
        (
            "profile build + count",
            total_s,
            "votekit RankProfile + FastSTV",
            vk_total_s,
            "-",
            "-",
        ),
        (
            f"Scottish count, {n:,} ballots",
            count_s,
            f"pyrankvote STV, scaled from {subset:,}",
            prv_scaled_s,
            ">= 100x pyrankvote",
            met(prv_scaled_s >= 100 * count_s),
        ),
        (
            f"Scottish count, same {subset:,} ballots",
            sub_count_s,
            f"pyrankvote STV, {subset:,} ballots",
            prv_s,
            ">= 100x pyrankvote",
            met(prv_s >= 100 * sub_count_s),
        ),
        (
            f"build + count, same {subset:,} ballots",
            sub_build_s + sub_count_s,
            f"pyrankvote Ballot objects + STV, {subset:,}",
            prv_make_s + prv_s,
            "-",
            "-",
        ),
        (
            f"{len(files):,} Scottish wards, {ward_ballots:,} ballots"
            f" (read {read_s:.2f} + count {ward_s:.2f} s){sample_note}",
            wards_total_s,
            "-",
            None,
            "<= 10 s",
            met(wards_total_s <= 10.0) if sample is None else "[yellow]n/a[/]",
        ),
    ]
    table = Table(title=f"STV benchmark: {n:,} ballots, {NCAND} candidates, {SEATS} seats")
    for col in ("task", "ours (s)", "peer", "peer (s)", "ratio (peer/ours)", "goal", "met?"):
        table.add_column(col, justify="right" if "(s)" in col or "ratio" in col else "left")
    for task, mine, peer, theirs, goal, ok in rows:
        table.add_row(task, fmt(mine), peer, fmt(theirs), ratio(theirs, mine), goal, ok)
    console.print(table)
    console.print(
        f"elected: ours {', '.join(result.elected)} | votekit {', '.join(vk_elected)} "
        f"(agree: {'yes' if vk_agree else 'no'}) | pyrankvote on {subset:,}: "
        f"{', '.join(prv_elected)} vs ours {', '.join(sub_result.elected)} "
        f"(agree: {'yes' if prv_agree else 'no'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
