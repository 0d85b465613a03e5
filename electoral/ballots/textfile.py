"""Reading an input file's text, with the errors every parser shares.

The parsers take text and the name to give in their errors; reading a file is left to the thin
``read_*`` wrappers, so that a caller holding an upload's text never writes it to a file first.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from electoral.errors import BallotFileError

BYTE_ORDER_MARK = "\ufeff"


def read_text(path: str | Path) -> str:
    """The file's text exactly (UTF-8, a byte-order mark kept, newlines untouched), so that the
    SHA-256 of its UTF-8 encoding is the file's; unreadable files name themselves."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BallotFileError(str(path), None, f"cannot read file: {exc.strerror}") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BallotFileError(str(path), None, "not a UTF-8 text file") from exc


def source_text(source: str | Path | TextIO, name: str | None, unnamed: str) -> tuple[str, str]:
    """The text of a file (by path) or of an open stream, and the name its errors give: the path,
    else ``name``, else the stream's own name, else ``unnamed``."""
    if isinstance(source, str | Path):
        return read_text(source), str(source)
    return source.read(), name or str(getattr(source, "name", unnamed))


def content(text: str) -> str:
    """The text a parser reads: a leading byte-order mark (some spreadsheets write one) dropped."""
    return text.removeprefix(BYTE_ORDER_MARK)


def csv_header(reader: Any, path: str) -> list[str]:
    """The header row of a ``csv.reader``; an empty or malformed file names itself."""
    try:
        header: list[str] = next(reader)
    except StopIteration:
        raise BallotFileError(path, None, "empty file: expected a header row") from None
    except csv.Error as exc:
        raise BallotFileError(path, 1, f"malformed CSV: {exc}") from exc
    return header


WEIGHT_COLUMNS = frozenset({"weight", "count", "ballots", "multiplier"})


def numbered_columns(
    header: Sequence[str], pattern: re.Pattern[str], path: str, what: str, example: str
) -> tuple[list[tuple[int, int]], int | None]:
    """Find the numbered columns of a CSV header (``rank1``, ``choice 2``, ``3`` ...) and its
    optional weight column; returns ``[(number, column index)]`` in number order and the weight
    column.  Errors name the file and line 1."""
    cols: list[tuple[int, int]] = []
    weight: int | None = None
    for i, col in enumerate(header):
        if col.strip().lower() in WEIGHT_COLUMNS:
            if weight is not None:
                raise BallotFileError(path, 1, f"two weight columns: {header[weight]!r}, {col!r}")
            weight = i
            continue
        m = pattern.match(col)
        if m:
            cols.append((int(m.group(1)), i))
    if not cols:
        raise BallotFileError(path, 1, f"no {what} columns in the header (expected {example})")
    cols.sort()
    numbers = [n for n, _ in cols]
    if len(set(numbers)) != len(numbers):
        dup = next(a for a, b in itertools.pairwise(numbers) if a == b)
        raise BallotFileError(path, 1, f"two {what} columns numbered {dup}")
    return cols, weight


def table_rows(rows: Sequence[list[str]], path: str) -> Iterator[tuple[int, list[str]]]:
    """The data rows of a CSV read whole (``rows[0]`` is its header), numbered from 2 as the
    header is row 1, blank rows skipped; a row of another width than the header is an error
    naming the file and the row."""
    width = len(rows[0])
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != width:
            raise BallotFileError(
                path, lineno, f"expected {width} fields as in the header, found {len(row)}"
            )
        yield lineno, row


def weighted_rows(
    reader: Any, header: Sequence[str], weight: int | None, path: str
) -> Iterator[tuple[int, list[str], int]]:
    """The data rows of a ``csv.reader`` (typed Any: its class is private) after its header:
    ``(line, row, weight)``, skipping blank rows; a row of the wrong width, a weight that is not
    a whole number, or malformed CSV is an error naming the file and line."""
    width = len(header)
    try:
        for row in reader:
            lineno = reader.line_num
            if not any(c.strip() for c in row):
                continue
            if len(row) != width:
                raise BallotFileError(
                    path, lineno, f"expected {width} fields as in the header, found {len(row)}"
                )
            count = 1
            if weight is not None:
                text = row[weight].strip()
                if not (text.isascii() and text.isdigit()):
                    raise BallotFileError(
                        path,
                        lineno,
                        f"column {header[weight]!r}: must be a non-negative whole number, "
                        f"got {text!r}",
                    )
                count = int(text)
            yield lineno, row, count
    except csv.Error as exc:
        raise BallotFileError(path, reader.line_num, f"malformed CSV: {exc}") from exc
