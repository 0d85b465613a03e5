"""Benchmark reading and counting STV beside votekit, pyrankvote and Droop, on the same input.

Run from the repository root (``make bench`` runs it as below and regenerates the README table):

    .venv/bin/python benchmarks/stv.py --droop PATH   # 1,000,000 ballots; all 1,099 wards
    .venv/bin/python benchmarks/stv.py --quick        # 100,000 ballots; 50 wards

``PATH`` is a checkout of Droop (jklundell/droop on GitHub; it is not a package on the package
index), also read from the environment variable ``DROOP``; without it Droop's rows are empty.

1. A generated election (20 candidates in 5 parties, 5 seats, seeded) written as a 1,000,000-line
   BLT file: ours from the file to a profile and to a result; votekit's FastSTV on the same unique
   rankings (its DataFrame-to-matrix conversion inside FastSTV shown on a row of its own);
   pyrankvote on all the same ballots (its Ballot objects shown on a row of their own).
2. Every Scottish ward under ``../shared/data/stv/scotland``, one process, file to result: ours
   (read + Scottish count); votekit (``load_scottish`` + FastSTV, reading each ward's ballots
   from votekit's own Scottish CSV format, written from the BLT before the clock starts); Droop
   (its own BLT reader + its Scottish count).  Elected sets are compared with ours.

Times are wall clock (``time.perf_counter``), best of 3 where it says so, all in this process.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyrankvote
from common import SHARED, Row, best_of, report, timed
from numpy.typing import NDArray
from votekit.cvr_loaders import load_scottish
from votekit.elections import FastSTV
from votekit.elections.election_types.ranking.stv.numpy_stv_base import NumpySTVBase
from votekit.pref_profile import RankProfile

from electoral import scottish
from electoral.ballots import Profile, read_blt
from electoral.ballots.blt import _parse_lines
from electoral.ballots.textfile import read_text

WARDS = SHARED / "stv" / "scotland"
SEATS, PARTIES, PER_PARTY = 5, 5, 4
NCAND = PARTIES * PER_PARTY
SEED_TEXT = "bench"


# -- the generated election -----------------------------------------------------------------------
def candidate_names() -> list[str]:
    return [f"{chr(ord('A') + p)}{i + 1}" for p in range(PARTIES) for i in range(PER_PARTY)]


def generate(n: int, seed: int) -> NDArray[np.int16]:
    """A seeded (n, 20) matrix of candidate indices, -1 padded on the right, no repeats: each
    voter ranks their party first in a noisy order, then some others, and stops at a random
    length (short ballots most common, about 4 preferences on average)."""
    rng = np.random.default_rng(seed)
    party_of = np.repeat(np.arange(PARTIES), PER_PARTY)
    popularity = rng.dirichlet(np.full(PARTIES, 2.0))
    strength = rng.normal(0.0, 0.6, NCAND)
    out = np.empty((n, NCAND), dtype=np.int16)
    for lo in range(0, n, 250_000):
        m = min(250_000, n - lo)
        party = rng.choice(PARTIES, size=m, p=popularity)
        score = rng.normal(0.0, 1.0, (m, PARTIES))[:, party_of] + strength[None, :]
        score += rng.gumbel(0.0, 0.7, (m, NCAND))
        score[party[:, None] == party_of[None, :]] += 100.0
        order = np.argsort(-score, axis=1).astype(np.int16)
        p = 0.78 ** np.arange(NCAND)
        length = rng.choice(np.arange(1, NCAND + 1), size=m, p=p / p.sum())
        order[np.arange(NCAND)[None, :] >= length[:, None]] = -1
        out[lo : lo + m] = order
    return out


def write_blt(path: Path, names: list[str], rankings: NDArray[np.int16]) -> None:
    """One line per ballot (weight 1), as a count's raw file is."""
    with path.open("w", encoding="utf-8") as f:
        f.write(f"{len(names)} {SEATS}\n")
        for row in rankings.tolist():
            f.write("1 " + " ".join(str(c + 1) for c in row if c >= 0) + " 0\n")
        f.write("0\n" + "".join(f'"{n}"\n' for n in names) + '"generated"\n')


# -- the peers ------------------------------------------------------------------------------------
class ConversionClock:
    """Times votekit's own DataFrame-to-matrix conversion inside each FastSTV call."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._convert = NumpySTVBase._convert_profile_to_numpy_arrays
        clock = self

        def convert(self: Any, pf: Any) -> Any:
            start = time.perf_counter()
            try:
                return clock._convert(self, pf)
            finally:
                clock.seconds += time.perf_counter() - start

        NumpySTVBase._convert_profile_to_numpy_arrays = convert  # type: ignore[method-assign]


def votekit_profile(profile: Profile) -> Any:
    """A votekit RankProfile of the unique rankings and weights (its DataFrame built directly)."""
    R, names = profile.rankings, list(profile.candidates)
    lut = np.empty(len(names) + 1, dtype=object)
    lut[:] = [frozenset([name]) for name in names] + [frozenset(["~"])]
    cells = lut[np.where(R >= 0, R, len(names))]
    df = pd.DataFrame({f"Ranking_{i + 1}": cells[:, i] for i in range(R.shape[1])})
    df.index.name = "Ballot Index"
    df["Voter Set"] = pd.Series([set() for _ in range(len(df))], dtype=object, index=df.index)
    df["Weight"] = profile.weights.astype(np.float64)
    vk = RankProfile(df=df, candidates=tuple(names), max_ranking_length=R.shape[1])
    _ = vk.df
    return vk


def votekit_elected(vk: Any, seats: int) -> frozenset[str]:
    election = FastSTV(vk, n_seats=seats, rng_seed=1)
    return frozenset(c for group in election.get_elected() for c in group)


def pyrankvote_ballots(
    names: list[str], rankings: NDArray[np.int16]
) -> tuple[list[Any], list[Any]]:
    cands = [pyrankvote.Candidate(name) for name in names]
    rows = rankings.tolist()
    return cands, [pyrankvote.Ballot([cands[c] for c in row if c >= 0]) for row in rows]


def pyrankvote_elected(cands: list[Any], ballots: list[Any]) -> frozenset[str]:
    result = pyrankvote.single_transferable_vote(cands, ballots, number_of_seats=SEATS)
    return frozenset(c.name for c in result.get_winners())


def scot_elex_csv(blt: Path, out: Path) -> None:
    """The ward's ballots in votekit's Scottish CSV format (mggg/scot-elex): the same header and
    ballot lines without the terminating 0, then one row per candidate, then the title."""
    profile = read_blt(blt)
    lines = [f"{len(profile.candidates)},{profile.seats}"]
    for row, w in zip(profile.rankings.tolist(), profile.weights.tolist(), strict=True):
        lines.append(",".join(str(x) for x in [w, *(c + 1 for c in row if c >= 0)]))
    lines += [f"Candidate,{name},Party" for name in profile.candidates]
    out.write_text("\n".join([*lines, profile.title or "ward"]) + "\n", encoding="utf-8")


def droop_counter(path: str | None) -> Callable[[Path], frozenset[str]] | None:
    if not path or not (Path(path) / "droop").is_dir():
        return None
    sys.path.insert(0, path)
    from droop.election import Election  # deferred: a checkout named on the command line
    from droop.profile import ElectionProfile

    def count(blt: Path) -> frozenset[str]:
        election = Election(ElectionProfile(path=str(blt)), {"rule": "scotland"})
        election.count()
        return frozenset(c.name for c in election.elected)

    return count


# -- the figures ----------------------------------------------------------------------------------
def ours_elected(profile: Profile) -> frozenset[str]:
    return frozenset(scottish.count(profile, seed=SEED_TEXT).elected)


def generated(n: int, seed: int, tmp: Path) -> list[Row]:
    names = candidate_names()
    rankings = generate(n, seed)
    blt = tmp / "generated.blt"
    write_blt(blt, names, rankings)
    read_s, profile = best_of(3, lambda: read_blt(blt))
    text = read_text(blt)
    lines_s, _ = timed(lambda: _parse_lines(text.splitlines(), str(blt)))
    count_s, mine = best_of(3, lambda: ours_elected(profile))
    clock = ConversionClock()
    vk = votekit_profile(profile)
    runs = 3
    vk_s, vk_elected = best_of(runs, lambda: votekit_elected(vk, SEATS))
    convert_s = clock.seconds / runs
    make_s, (cands, ballots) = timed(lambda: pyrankvote_ballots(names, rankings))
    prv_s, prv_elected = timed(lambda: pyrankvote_elected(cands, ballots))
    agree = f"votekit {'agrees' if vk_elected == mine else 'DIFFERS'}"
    agree += f", pyrankvote {'agrees' if prv_elected == mine else 'DIFFERS'}"
    unique = profile.rankings.shape[0]
    return [
        Row(
            f"{n:,}-line BLT file to a profile ({unique:,} unique)",
            read_s,
            "the line-by-line reader (before issue 22), same file",
            lines_s,
            "<= 0.5 s",
            read_s <= 0.5,
        ),
        Row(
            f"Scottish count of the profile, best of 3 ({agree})",
            count_s,
            "votekit FastSTV, same unique rankings, less its conversion",
            vk_s - convert_s,
        ),
        Row(
            "  votekit's DataFrame-to-matrix conversion inside FastSTV",
            None,
            "votekit (conversion only)",
            convert_s,
        ),
        Row(
            f"file to result, {n:,} ballots (read + count)",
            read_s + count_s,
            f"pyrankvote, all {n:,}: Ballot objects (it reads no file) + count",
            make_s + prv_s,
        ),
        Row("  the count alone", count_s, "pyrankvote STV, its count alone", prv_s),
    ]


def ward_files(sample: int | None, seed: int) -> list[Path]:
    files = sorted(WARDS.rglob("*.blt"))
    if sample is not None and sample < len(files):
        files = sorted(random.Random(seed).sample(files, sample))
    return files


def total_time(
    files: Iterable[Path], fn: Callable[[Path], frozenset[str]]
) -> tuple[float, list[frozenset[str]]]:
    start = time.perf_counter()
    out = [fn(f) for f in files]
    return time.perf_counter() - start, out


def same(mine: list[frozenset[str]], theirs: list[frozenset[str]]) -> int:
    return sum(a == b for a, b in zip(mine, theirs, strict=True))


def wards(files: list[Path], droop_path: str | None, tmp: Path) -> tuple[list[Row], list[str]]:
    read_s = count_s = 0.0
    mine: list[frozenset[str]] = []
    for f in files:
        seconds, profile = timed(lambda f=f: read_blt(f))
        read_s += seconds
        seconds, elected = timed(lambda p=profile: ours_elected(p))
        count_s += seconds
        mine.append(elected)
    ours_s = read_s + count_s
    csvs = []
    for i, f in enumerate(files):
        csvs.append(tmp / f"ward{i}.csv")
        scot_elex_csv(f, csvs[-1])
    clock = ConversionClock()

    def votekit_ward(csv: Path) -> frozenset[str]:
        vk, seats, *_ = load_scottish(csv)
        return votekit_elected(vk, seats)

    vk_s, vk = total_time(csvs, votekit_ward)
    n = len(files)
    label = f"{n:,} Scottish wards, file to result, one process"
    rows = [
        Row(
            f"{label} (read {read_s:.2f} + count {count_s:.2f} s)",
            ours_s,
            "votekit load_scottish + FastSTV",
            vk_s,
            "<= 3 s" if n >= 1099 else "-",
            ours_s <= 3.0 if n >= 1099 else None,
        ),
        Row(
            "  votekit's conversion inside FastSTV, all wards",
            None,
            "votekit (conversion only)",
            clock.seconds,
        ),
    ]
    notes = [f"votekit elects the same members in {same(mine, vk)} of {n} wards"]
    droop = droop_counter(droop_path)
    if droop is None:
        rows.append(Row(label, ours_s, "Droop: not given (--droop PATH or DROOP)", None))
    else:
        droop_s, dr = total_time(files, droop)
        rows.append(Row(label, ours_s, "Droop (its reader + Scottish rule)", droop_s))
        notes.append(f"Droop elects the same members in {same(mine, dr)} of {n} wards")
    return rows, notes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=2024, help="seed of the generated election")
    ap.add_argument("--ballots", type=int, default=None, help="ballots (default 1,000,000)")
    ap.add_argument("--wards", type=int, default=None, help="only a sample of N wards")
    ap.add_argument("--droop", default=os.environ.get("DROOP"), help="a checkout of Droop")
    ap.add_argument("--quick", action="store_true", help="100,000 ballots and 50 wards")
    args = ap.parse_args(argv)
    n = args.ballots or (100_000 if args.quick else 1_000_000)
    sample = args.wards or (50 if args.quick else None)
    with tempfile.TemporaryDirectory() as tmp:
        rows = generated(n, args.seed, Path(tmp))
        more, notes = wards(ward_files(sample, args.seed), args.droop, Path(tmp))
    report("stv", f"STV: {n:,} generated ballots and the Scottish wards", rows + more, notes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
