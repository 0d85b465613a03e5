"""Read and write cast-vote records as CSV: one row per ballot (or per group of identical ballots).

Columns: rank columns named ``rank1``, ``rank 2``, ``choice_3``, ``pref4``, ``preference 5`` or just
``1``, ``2`` ... (case-insensitive), in rank order; an optional ``weight`` (or ``count``) column;
any other column (``id``, ``precinct`` ...) is ignored.  A cell holds a candidate name; ``A=B``
ranks two candidates equally; an empty cell (or ``undervote``/``skipped``) is a skipped rank;
``overvote`` is an ambiguous mark (read like an equal ranking).  Candidates are listed in the order
they first appear unless a candidate list is given.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from electoral.ballots.profile import Profile, ProfileBuilder
from electoral.ballots.textfile import (
    content,
    csv_header,
    numbered_columns,
    source_text,
    weighted_rows,
)
from electoral.errors import BallotFileError

_RANK = re.compile(r"^\s*(?:rank|choice|pref(?:erence)?)?[\s_#-]*(\d+)\s*$", re.IGNORECASE)
_SKIP = {"", "undervote", "skipped", "skip", "blank"}
_OVERVOTE = "overvote"


def read_cvr(
    source: str | Path | TextIO,
    *,
    candidates: Sequence[str] | None = None,
    name: str | None = None,
) -> Profile:
    """Read a CSV cast-vote record (a path or an open stream); see :func:`parse_cvr`."""
    text, path = source_text(source, name, "<cvr>")
    return parse_cvr(text, path, candidates=candidates)


def parse_cvr(
    text: str, name: str = "<cvr>", *, candidates: Sequence[str] | None = None
) -> Profile:
    """Parse the text of a CSV cast-vote record; a malformed file raises
    :class:`BallotFileError` naming ``name``, the line and the column."""
    reader = csv.reader(io.StringIO(content(text), newline=""))
    header = csv_header(reader, name)
    rank_cols, weight_col = numbered_columns(
        header, _RANK, name, "rank", "rank1, rank2, ... or 1, 2, ..."
    )
    numbers = [r for r, _ in rank_cols]
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))) or len(set(numbers)) != len(
        numbers
    ):
        raise BallotFileError(
            name, 1, f"rank columns must be numbered consecutively, got {numbers}"
        )

    fixed = candidates is not None
    index: dict[str, int] = {n: i for i, n in enumerate(candidates or ())}
    names: list[str] = list(candidates or ())
    rows: list[tuple[int, list[tuple[int, ...]], str]] = []

    def cand(cell: str, lineno: int, column: str) -> int:
        if cell not in index:
            if fixed:
                raise BallotFileError(
                    name, lineno, f"column {column!r}: unknown candidate {cell!r}"
                )
            index[cell] = len(names)
            names.append(cell)
        return index[cell]

    for lineno, row, weight in weighted_rows(reader, header, weight_col, name):
        levels: list[tuple[int, ...]] = []
        for _, ci in rank_cols:
            cell = row[ci].strip()
            low = cell.lower()
            if low in _SKIP:
                levels.append(())
            elif low == _OVERVOTE:
                levels.append((-1,))  # an ambiguous mark: the ballot is read up to it
            else:
                levels.append(tuple(cand(x.strip(), lineno, header[ci]) for x in cell.split("=")))
        rows.append((weight, levels, f"line {lineno}"))

    builder = ProfileBuilder(names, source=name)
    for weight, levels, where in rows:
        if weight == 0:
            continue
        if any(c < 0 for lv in levels for c in lv):
            # An overvote names no candidates, so every rule reads the ballot up to it.
            cut = next(i for i, lv in enumerate(levels) if any(c < 0 for c in lv))
            builder.add(weight, levels[:cut], where)
            builder.add_overvote(weight, where)
            continue
        builder.add(weight, levels, where)
    return builder.build()


def write_cvr(profile: Profile, out: TextIO) -> None:
    """Write one row per unique ballot with a ``weight`` column; '=' joins equal rankings."""
    width = max((int(lv.max(initial=-1)) + 1 for lv in profile.levels), default=0)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["weight", *(f"rank{i + 1}" for i in range(width))])
    for weight, levels in profile.iter_levels():
        cells = ["=".join(profile.candidates[c] for c in lv) for lv in levels]
        writer.writerow([weight, *cells, *([""] * (width - len(cells)))])
