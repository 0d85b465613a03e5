"""Approval ballots for the organisations ballot: numpy arrays of the organisations each ballot
marks, and reading them from CSV."""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from numpy.typing import NDArray

from electoral.approval.organisations import Organisation, check_eligibility, name_key
from electoral.ballots.textfile import (
    content,
    csv_header,
    numbered_columns,
    source_text,
    weighted_rows,
)
from electoral.errors import BallotFileError, CountError

Choices = NDArray[np.signedinteger[Any]]
Int64s = NDArray[np.int64]


@dataclass(frozen=True, slots=True, eq=False)
class ApprovalBallots:
    """Approval ballots as numpy arrays, one row per ballot (or per group of identical ballots).

    ``choices[b]`` holds the indices (into ``organisations``) that ballot row ``b`` marks, padded
    with -1 on the right; ``weights[b]`` is how many identical ballots the row stands for and
    ``lines[b]`` the line of the file it was read from (0 when not read from a file).
    """

    organisations: tuple[str, ...]
    choices: Choices
    weights: Int64s
    lines: Int64s
    source: str = ""

    def __post_init__(self) -> None:
        if self.choices.ndim != 2 or not np.issubdtype(self.choices.dtype, np.signedinteger):
            raise CountError("ballot choices must be a matrix of signed integers")
        rows = self.choices.shape[0]
        if self.weights.shape != (rows,) or self.lines.shape != (rows,):
            raise CountError("there must be one weight and one line number per ballot row")
        if rows and np.any(self.weights < 0):
            raise CountError("ballot weights must not be negative")
        if self.choices.size and (
            int(self.choices.min()) < -1 or int(self.choices.max()) >= len(self.organisations)
        ):
            raise CountError("a ballot names an organisation index beyond the organisation list")

    @classmethod
    def from_rows(
        cls,
        organisations: Sequence[str],
        rows: Sequence[Sequence[int]],
        weights: Sequence[int] | None = None,
        lines: Sequence[int] | None = None,
        *,
        source: str = "",
    ) -> ApprovalBallots:
        """Ballots from lists of organisation indices (rows numbered from line 1 unless given)."""
        width = max((len(r) for r in rows), default=0)
        dtype = np.int16 if len(organisations) < np.iinfo(np.int16).max else np.int32
        choices = np.full((len(rows), width), -1, dtype=dtype)
        for i, r in enumerate(rows):
            choices[i, : len(r)] = r
        w = np.ones(len(rows), np.int64) if weights is None else np.asarray(weights, np.int64)
        where = (
            np.arange(1, len(rows) + 1, dtype=np.int64)
            if lines is None
            else np.asarray(lines, np.int64)
        )
        return cls(tuple(organisations), choices, w, where, source)

    @property
    def total(self) -> int:
        """The number of ballots (the sum of weights)."""
        return int(self.weights.sum())


_CHOICE = re.compile(r"^\s*(?:choice|org(?:ani[sz]ation)?|vote)?[\s_#-]*(\d+)\s*$", re.IGNORECASE)


def read_approval_ballots(
    source: str | Path | TextIO,
    organisations: Sequence[Organisation],
    *,
    name: str | None = None,
) -> ApprovalBallots:
    """Read approval ballots from a CSV file or an open stream; see
    :func:`parse_approval_ballots`."""
    text, path = source_text(source, name, "<ballots>")
    return parse_approval_ballots(text, organisations, path)


def parse_approval_ballots(
    text: str, organisations: Sequence[Organisation], name: str = "<ballots>"
) -> ApprovalBallots:
    """Parse approval ballots from CSV text; names not on the ballot paper are file errors naming
    the file (``name``), the line and the column.

    Organisation columns are those headed ``choice1``, ``choice 2``, ``org3``, ``vote_4`` or just
    ``1``, ``2`` ... (case-insensitive, in any order); an optional ``weight`` (or ``count``) column
    says how many identical ballots a row stands for; other columns (``id`` ...) are ignored.  Each
    non-empty cell names one organisation (case and spacing aside).  A row with no organisation,
    too many, or one organisation twice is kept: :func:`count_approval` reports it as invalid.
    """
    index = {name_key(o.name): i for i, o in enumerate(organisations)}
    eligibility = [check_eligibility(o) for o in organisations]
    org_names = [o.name for o in organisations]
    reader = csv.reader(io.StringIO(content(text), newline=""))
    header = csv_header(reader, name)
    choice_cols, weight_col = numbered_columns(
        header, _CHOICE, name, "organisation", "choice1, choice2, ... or 1, 2, ..."
    )

    def organisation(cell: str, lineno: int, column: str) -> int:
        i = index.get(name_key(cell))
        if i is None:
            near = difflib.get_close_matches(cell, org_names, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise BallotFileError(
                name,
                lineno,
                f"column {column!r}: unknown organisation {cell!r}, not in the list of "
                f"organisations{hint}",
            )
        if not eligibility[i].eligible:
            raise BallotFileError(
                name,
                lineno,
                f"column {column!r}: {org_names[i]!r} is not on the ballot paper: "
                f"{'; '.join(eligibility[i].reasons)}",
            )
        return i

    rows: list[list[int]] = []
    weights: list[int] = []
    lines: list[int] = []
    for lineno, row, weight in weighted_rows(reader, header, weight_col, name):
        marks = [
            organisation(row[ci].strip(), lineno, header[ci])
            for _, ci in choice_cols
            if row[ci].strip()
        ]
        rows.append(marks)
        weights.append(weight)
        lines.append(lineno)

    return ApprovalBallots.from_rows(org_names, rows, weights, lines, source=name)
