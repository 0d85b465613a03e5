"""Reading party vote totals (or any named totals) from CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from electoral.ballots.textfile import content, read_text, table_rows
from electoral.bounds import MAX_FIGURE, whole_number
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
    """Read a vote totals CSV file; see :func:`parse_party_votes`."""
    return parse_party_votes(
        read_text(path), str(path), name_columns=name_columns, value_column=value_column
    )


def parse_party_votes(
    text: str,
    name: str = "<votes>",
    *,
    name_columns: Sequence[str] = ("party", "name"),
    value_column: str = "votes",
) -> PartyVotes:
    """Parse ``party,votes`` CSV (a ``name`` column may stand for ``party``; optional ``exempt``
    yes/no and ``cap`` columns).  Errors name the file (``name``), the line and the column.

    The same parser takes other totals with other column names, e.g. ``district,population``.
    """
    rows = list(csv.reader(io.StringIO(content(text), newline="")))
    label = name_columns[0]
    if not rows:
        raise BallotFileError(
            name, None, f"empty file: expected a header with {label} and {value_column}"
        )
    header = [h.strip().lower() for h in rows[0]]
    col = {h: i for i, h in enumerate(header)}
    name_col = next((col[c] for c in name_columns if c in col), None)
    if name_col is None:
        raise BallotFileError(name, 1, f"missing column {label!r}")
    if value_column not in col:
        raise BallotFileError(name, 1, f"missing column {value_column!r}")
    names: list[str] = []
    votes: list[int] = []
    exempt: list[str] = []
    caps: dict[str, int] = {}
    seen: dict[str, int] = {}
    for lineno, row in table_rows(rows, name):
        party = row[name_col].strip()
        if not party:
            raise BallotFileError(name, lineno, f"column {label!r}: empty name")
        if party in seen:
            raise BallotFileError(
                name, lineno, f"column {label!r}: {party!r} already appears on line {seen[party]}"
            )
        seen[party] = lineno
        raw = row[col[value_column]]
        figure = raw.strip().replace(",", "").replace("_", "")
        if figure.startswith("-") and figure[1:].isascii() and figure[1:].isdigit():
            raise BallotFileError(
                name, lineno, f"column {value_column!r}: negative number {figure} for {party}"
            )
        try:
            number = whole_number(figure, MAX_FIGURE)
        except ValueError as why:
            raise BallotFileError(name, lineno, f"column {value_column!r}: {why}") from None
        names.append(party)
        votes.append(number)
        if "exempt" in col:
            flag = row[col["exempt"]].strip().lower()
            if flag not in _TRUE | _FALSE:
                raise BallotFileError(name, lineno, f"column 'exempt': {flag!r} is not yes or no")
            if flag in _TRUE:
                exempt.append(party)
        if "cap" in col and row[col["cap"]].strip():
            cap = row[col["cap"]].strip()
            try:
                caps[party] = whole_number(cap, MAX_FIGURE)
            except ValueError as why:
                raise BallotFileError(name, lineno, f"column 'cap': {why}") from None
    if not names:
        raise BallotFileError(name, None, f"no {label} in the file")
    return PartyVotes(tuple(names), tuple(votes), tuple(exempt), caps or None)
