"""Reading the routes' small tables (names, populations, memberships, youth members) from CSV:
every error names the file, the line and the column, and a file with any bad row is refused
whole."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from electoral.ballots.textfile import content, csv_header, table_rows
from electoral.bounds import MAX_FIGURE, whole_number
from electoral.errors import BallotFileError

Row = tuple[int, dict[str, str]]


def rows(text: str, name: str, required: Sequence[str], optional: Sequence[str] = ()) -> list[Row]:
    """The rows of a CSV as (line, {column: cell}) for the columns asked for; a missing required
    column, an empty required cell or a row of the wrong width names file, line and column."""
    table = list(csv.reader(io.StringIO(content(text), newline="")))
    if not table:
        csv_header(iter(()), name)
    header = [h.strip().lower() for h in table[0]]
    where = {h: i for i, h in enumerate(header)}
    for column in required:
        if column not in where:
            raise BallotFileError(
                name, 1, f"missing column {column!r} (the header needs {', '.join(required)})"
            )
    out: list[Row] = []
    for lineno, row in table_rows(table, name):
        cells = {c: " ".join(row[where[c]].split()) for c in (*required, *optional) if c in where}
        for column in required:
            if not cells[column]:
                raise BallotFileError(name, lineno, f"column {column!r}: empty")
        out.append((lineno, cells))
    if not out:
        raise BallotFileError(name, None, "no rows below the header")
    return out


def names(text: str, name: str, unique: bool = True) -> list[Row]:
    """A list of people: a ``name`` column (others, such as ``group`` or ``body``, kept); a name
    listed twice is an error naming both lines."""
    found = rows(text, name, ("name",), ("group", "body", "party", "detail"))
    seen: dict[str, int] = {}
    for lineno, cells in found:
        key = cells["name"].casefold()
        if unique and key in seen:
            raise BallotFileError(
                name, lineno, f"column 'name': {cells['name']!r} is listed twice (first at line "
                f"{seen[key]})"
            )
        seen[key] = lineno
    return found


def number(cells: dict[str, str], column: str, name: str, lineno: int) -> int:
    """A whole number from a cell (commas allowed), or an error naming file, line and column."""
    figure = cells[column].replace(",", "").replace("_", "")
    try:
        value = whole_number(figure, MAX_FIGURE)
    except ValueError as why:
        raise BallotFileError(name, lineno, f"column {column!r}: {why}") from None
    if value < 1:
        raise BallotFileError(name, lineno, f"column {column!r}: must be at least 1")
    return value


def day(cells: dict[str, str], column: str, name: str, lineno: int) -> date | None:
    """A date written YYYY-MM-DD (None for an empty cell)."""
    cell = cells.get(column, "")
    if not cell:
        return None
    try:
        return date.fromisoformat(cell)
    except ValueError:
        raise BallotFileError(
            name, lineno, f"column {column!r}: {cell!r} is not a date (YYYY-MM-DD)"
        ) from None


def totals(text: str, name: str, label: str, value: str) -> tuple[list[str], list[int]]:
    """Named totals (``district,population``, ``union,members``): each name once."""
    found = rows(text, name, (label, value))
    seen: dict[str, int] = {}
    labels: list[str] = []
    figures: list[int] = []
    for lineno, cells in found:
        key = cells[label].casefold()
        if key in seen:
            raise BallotFileError(
                name, lineno, f"column {label!r}: {cells[label]!r} is listed twice (first at "
                f"line {seen[key]})"
            )
        seen[key] = lineno
        labels.append(cells[label])
        figures.append(number(cells, value, name, lineno))
    return labels, figures
