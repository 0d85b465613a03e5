"""Reading party vote totals (or any named totals) from CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from electoral.ballots.textfile import read_text
from electoral.errors import BallotFileError


@dataclass(frozen=True, slots=True)
class PartyVotes:
    """Vote totals read from a file, with optional per-party threshold exemptions and caps."""

    names: tuple[str, ...]
    votes: tuple[int, ...]
    exempt: tuple[str, ...] = ()
    caps: Mapping[str, int] | None = None


_TRUE = {"1", "yes", "y", "true", "x"}
_FALSE = {"", "0", "no", "n", "false"}


def read_party_votes(
    path: str | Path,
    *,
    name_columns: Sequence[str] = ("party", "name"),
    value_column: str = "votes",
) -> PartyVotes:
    """Read ``party,votes`` CSV (a ``name`` column may stand for ``party``; optional ``exempt``
    yes/no and ``cap`` columns).  Errors name the file, the line and the column.

    The same reader takes other totals with other column names, e.g. ``district,population``.
    """
    spath = str(path)
    rows = list(csv.reader(io.StringIO(read_text(path), newline="")))
    label = name_columns[0]
    if not rows:
        raise BallotFileError(
            spath, None, f"empty file: expected a header with {label} and {value_column}"
        )
    header = [h.strip().lower() for h in rows[0]]
    col = {h: i for i, h in enumerate(header)}
    name_col = next((col[c] for c in name_columns if c in col), None)
    if name_col is None:
        raise BallotFileError(spath, 1, f"missing column {label!r}")
    if value_column not in col:
        raise BallotFileError(spath, 1, f"missing column {value_column!r}")
    names: list[str] = []
    votes: list[int] = []
    exempt: list[str] = []
    caps: dict[str, int] = {}
    seen: dict[str, int] = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise BallotFileError(
                spath, lineno, f"expected {len(header)} fields as in the header, found {len(row)}"
            )
        name = row[name_col].strip()
        if not name:
            raise BallotFileError(spath, lineno, f"column {label!r}: empty name")
        if name in seen:
            raise BallotFileError(
                spath, lineno, f"column {label!r}: {name!r} already appears on line {seen[name]}"
            )
        seen[name] = lineno
        raw = row[col[value_column]]
        text = raw.strip().replace(",", "").replace("_", "")
        if text.startswith("-") and text[1:].isdigit():
            raise BallotFileError(
                spath, lineno, f"column {value_column!r}: negative number {text} for {name}"
            )
        if not text.isdigit():
            raise BallotFileError(
                spath, lineno, f"column {value_column!r}: {raw!r} is not a whole number"
            )
        names.append(name)
        votes.append(int(text))
        if "exempt" in col:
            flag = row[col["exempt"]].strip().lower()
            if flag not in _TRUE | _FALSE:
                raise BallotFileError(spath, lineno, f"column 'exempt': {flag!r} is not yes or no")
            if flag in _TRUE:
                exempt.append(name)
        if "cap" in col and row[col["cap"]].strip():
            cap = row[col["cap"]].strip()
            if not cap.isdigit():
                raise BallotFileError(spath, lineno, f"column 'cap': {cap!r} is not a whole number")
            caps[name] = int(cap)
    if not names:
        raise BallotFileError(spath, None, f"no {label} in the file")
    return PartyVotes(tuple(names), tuple(votes), tuple(exempt), caps or None)
