"""Ballots in and out: the numpy ballot profile and its parsers (BLT, CSV, PrefLib) and writers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from electoral.ballots.blt import parse_blt, read_blt, write_blt
from electoral.ballots.cvr import parse_cvr, read_cvr, write_cvr
from electoral.ballots.preflib import parse_preflib, read_preflib
from electoral.ballots.profile import (
    BallotProblems,
    Example,
    Profile,
    ProfileBuilder,
    StrictBallots,
    profile_from_rankings,
)
from electoral.ballots.textfile import read_text
from electoral.errors import BallotFileError

__all__ = [
    "BallotProblems",
    "Example",
    "Profile",
    "ProfileBuilder",
    "StrictBallots",
    "ballot_parser",
    "parse_ballots",
    "parse_blt",
    "parse_cvr",
    "parse_preflib",
    "profile_from_rankings",
    "read_ballots",
    "read_blt",
    "read_cvr",
    "read_preflib",
    "write_blt",
    "write_cvr",
]

#: A parser: the text of a ballot file and the name its errors give.
Parser = Callable[[str, str], Profile]

_PARSERS: dict[str, Parser] = {
    ".blt": parse_blt,
    ".csv": parse_cvr,
    ".soc": parse_preflib,
    ".soi": parse_preflib,
    ".toc": parse_preflib,
    ".toi": parse_preflib,
}


def ballot_parser(name: str) -> Parser:
    """The parser for a ballot file called ``name``, chosen by its extension (.blt, .csv,
    .soc/.soi/.toc/.toi); any other extension is a :class:`BallotFileError` naming the file."""
    suffix = Path(name).suffix.lower()
    parser = _PARSERS.get(suffix)
    if parser is None:
        raise BallotFileError(
            name,
            None,
            f"unknown ballot format {suffix or '(no extension)'!r}: "
            "expected .blt, .csv, .soc, .soi, .toc or .toi",
        )
    return parser


def parse_ballots(text: str, name: str) -> Profile:
    """Parse a ballot file's text, its format chosen by the extension of ``name``."""
    return ballot_parser(name)(text, name)


def read_ballots(path: str | Path) -> Profile:
    """Read a ballot file, its format chosen by its extension (checked before it is read)."""
    parser = ballot_parser(str(path))
    return parser(read_text(path), str(path))
