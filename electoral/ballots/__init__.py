"""Ballots in and out: the numpy ballot profile and its readers (BLT, CSV, PrefLib) and writers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from electoral.ballots.blt import parse_blt, read_blt, write_blt
from electoral.ballots.cvr import read_cvr, write_cvr
from electoral.ballots.preflib import read_preflib
from electoral.ballots.profile import (
    BallotProblems,
    Profile,
    ProfileBuilder,
    StrictBallots,
    profile_from_rankings,
)
from electoral.errors import BallotFileError

__all__ = [
    "BallotProblems",
    "Profile",
    "ProfileBuilder",
    "StrictBallots",
    "parse_blt",
    "profile_from_rankings",
    "read_ballots",
    "read_blt",
    "read_cvr",
    "read_preflib",
    "write_blt",
    "write_cvr",
]

_READERS: dict[str, Callable[[str | Path], Profile]] = {
    ".blt": read_blt,
    ".csv": read_cvr,
    ".soc": read_preflib,
    ".soi": read_preflib,
    ".toc": read_preflib,
    ".toi": read_preflib,
}


def read_ballots(path: str | Path) -> Profile:
    """Read a ballot file, choosing the reader by extension (.blt, .csv, .soc/.soi/.toc/.toi)."""
    suffix = Path(path).suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        raise BallotFileError(
            str(path),
            None,
            f"unknown ballot format {suffix or '(no extension)'!r}: "
            "expected .blt, .csv, .soc, .soi, .toc or .toi",
        )
    return reader(path)
