"""Reading the CSV files of a rota: one header row, case-insensitive column names, blank lines and
``#`` lines skipped; every error a :class:`RotaFileError` naming the file, the line and the
column."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn, TextIO

import numpy as np
from numpy.typing import NDArray

from rota.assignment import Ints
from rota.errors import RotaError
from rota.model import Member

PathLike = str | os.PathLike[str]
SESSION_CODES = {"morning": 0, "evening": 1, "all": 2, "": 2}


class RotaFileError(RotaError):
    """A rota input file is malformed; the message names the file, the line and the column."""

    def __init__(self, path: str, line: int | None, column: str | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.problem = problem
        where = path
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True, eq=False)
class Table:
    """The wanted columns of a CSV file as stripped strings ('' when absent), with the line of
    each row."""

    path: str
    header_line: int
    present: frozenset[str]
    columns: dict[str, list[str]]
    lines: list[int]

    def __len__(self) -> int:
        return len(self.lines)

    def fail(self, row: int, column: str | None, problem: str) -> NoReturn:
        raise RotaFileError(self.path, self.lines[row], column, problem)


def read_table(path: PathLike, required: Sequence[str], optional: Sequence[str]) -> Table:
    """The ``required`` and ``optional`` columns of the CSV file at ``path``."""
    spath = os.fspath(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return _parse(spath, fh, required, optional)
    except FileNotFoundError:
        raise RotaFileError(spath, None, None, "no such file") from None
    except UnicodeDecodeError as exc:
        raise RotaFileError(spath, None, None, f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise RotaFileError(spath, None, None, f"cannot be read ({exc.strerror})") from None


def _parse(path: str, fh: TextIO, required: Sequence[str], optional: Sequence[str]) -> Table:
    reader = csv.reader(fh)
    wanted = [*required, *optional]
    try:
        header: list[str] | None = None
        header_line = 0
        for row in reader:
            if any(c.strip() for c in row) and not row[0].lstrip().startswith("#"):
                header = [c.strip().lower() for c in row]
                header_line = reader.line_num
                break
        if header is None:
            raise RotaFileError(path, None, None, f"empty file: expected a header {_names(wanted)}")
        for k, name in enumerate(header):
            if name and name in header[:k]:
                raise RotaFileError(path, header_line, name, "this column is named twice")
        for name in required:
            if name not in header:
                raise RotaFileError(
                    path,
                    header_line,
                    name,
                    f"missing column (the header must name {_names(required)})",
                )
        at = [header.index(name) if name in header else -1 for name in wanted]
        width = len(header)
        rows: list[list[str]] = []
        lines: list[int] = []
        for row in reader:
            if not "".join(row).strip() or row[0].lstrip().startswith("#"):
                continue
            n = len(row)
            if n != width:
                if n > width and any(c.strip() for c in row[width:]):
                    raise RotaFileError(
                        path,
                        reader.line_num,
                        None,
                        f"{n} cells but the header names {width} columns",
                    )
                row = (row + [""] * width)[:width]
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise RotaFileError(path, reader.line_num, None, f"not valid CSV ({exc})") from None
    return Table(
        path=path,
        header_line=header_line,
        present=frozenset(n for n, i in zip(wanted, at, strict=True) if i >= 0),
        columns={
            name: [r[i].strip() for r in rows] if i >= 0 else [""] * len(rows)
            for name, i in zip(wanted, at, strict=True)
        },
        lines=lines,
    )


def _names(names: Sequence[str]) -> str:
    return ",".join(names)


def _factorize(values: list[str]) -> tuple[list[str], Ints]:
    """The distinct values (in order of first appearance) and each value's code."""
    lookup: dict[str, int] = {}
    codes = np.fromiter(
        (lookup.setdefault(v, len(lookup)) for v in values), dtype=np.int64, count=len(values)
    )
    return list(lookup), codes


def _first_row(codes: Ints, bad: Iterable[int]) -> int:
    return int(np.flatnonzero(np.isin(codes, np.fromiter(bad, dtype=np.int64)))[0])


def parse_column(table: Table, column: str, parse: Callable[[str], Any]) -> tuple[list[Any], Ints]:
    """Each distinct value of ``column`` parsed once, and each row's index into them; on the
    first failure, the error names the first row that has the value."""
    uniques, codes = _factorize(table.columns[column])
    out: list[Any] = []
    for k, value in enumerate(uniques):
        try:
            out.append(parse(value))
        except ValueError as exc:
            table.fail(_first_row(codes, [k]), column, str(exc))
    return out, codes


def parse_rows(
    table: Table, column: str, parse: Callable[[str], Any], dtype: type[Any]
) -> NDArray[Any]:
    """The parsed value of ``column`` in each row, as an array of ``dtype``."""
    values, codes = parse_column(table, column, parse)
    return np.asarray(np.array(values, dtype=dtype)[codes])


def member_codes(table: Table, column: str, members: Sequence[Member]) -> Ints:
    """Member index of each row (-1 for an unknown id); an empty id is an error."""
    index = {m.id: i for i, m in enumerate(members)}
    values = table.columns[column]
    codes = np.fromiter((index.get(v, -1) for v in values), dtype=np.int64, count=len(values))
    for i in np.flatnonzero(codes < 0)[:1]:
        if not values[i]:
            table.fail(int(i), column, "empty member id")
    return codes
