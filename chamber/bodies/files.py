"""Body files: a `Body` read from TOML, every problem named with the file and the field.

The fields a file may give are the dataclasses' own (`Body`, `Category`, `SubUnit`): a new field
is readable as soon as it is declared.  msgspec's `convert` would read them too, but it stops at
the first problem; a clerk fixing a file wants them all at once, in the file's order.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from chamber.bodies.composition import Body, CompositionError

_TYPE_NAMES = {
    str: "a text", int: "a whole number", bool: "true or false", list: "a list of tables"
}


class _Field(NamedTuple):
    kind: type  # what TOML gives: str, int, or list (of tables)
    required: bool
    table: type | None  # the dataclass of each table of a list


@cache
def _fields(cls: type) -> dict[str, _Field]:
    """The fields a TOML table for ``cls`` may give: its init fields, the required scalars first,
    then the optional ones, then the lists of tables (which TOML writes after a table's keys)."""
    hints = typing.get_type_hints(cls)
    out: list[tuple[tuple[bool, bool], str, _Field]] = []
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        hint = hints[f.name]
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if typing.get_origin(hint) is tuple:
            spec = _Field(list, required, args[0])
        elif typing.get_origin(hint) in (typing.Union, types.UnionType):  # int | None
            spec = _Field(args[0], required, None)
        else:
            spec = _Field(hint, required, None)
        out.append(((spec.table is not None, not required), f.name, spec))
    return {name: spec for _, name, spec in sorted(out, key=lambda row: row[0])}


def _table(cls: type, path: str, table: object, problems: list[str]) -> dict[str, Any] | None:
    """The well-typed fields of one TOML table for ``cls``, its lists of tables read as their
    dataclasses; each problem is appended with its place.  None when a required field is
    missing or wrong (the table cannot be built)."""
    where = path or "body"
    if not isinstance(table, dict):
        problems.append(f"{where}: expected a table, not {table!r}")
        return None
    fields = _fields(cls)
    out: dict[str, Any] = {}
    for name, value in table.items():
        spec = fields.get(name)
        if spec is None:
            problems.append(f"{where}: unknown field {name!r} (fields: {', '.join(fields)})")
        elif isinstance(value, bool) != (spec.kind is bool) or not isinstance(value, spec.kind):
            problems.append(f"{where}.{name}: expected {_TYPE_NAMES[spec.kind]}, not {value!r}")
        else:
            out[name] = value
    missing = [name for name, spec in fields.items() if spec.required and name not in table]
    problems.extend(f"{where}.{name}: missing" for name in missing)
    for name, spec in fields.items():
        if spec.table is not None and name in out:
            where_list = f"{path}.{name}" if path else name
            out[name] = tuple(_tables(spec.table, where_list, out[name], problems))
    complete = all(name in out for name, spec in fields.items() if spec.required)
    return out if complete else None


def _tables(cls: type, path: str, tables: list[Any], problems: list[str]) -> list[Any]:
    """The tables of a list, each labelled by its number and, if it has one, its key."""
    built = []
    for i, raw in enumerate(tables, 1):
        key = raw.get("key") if isinstance(raw, dict) else None
        label = f"{path}[{i}]" + (f" ({key!r})" if isinstance(key, str) else "")
        values = _table(cls, label, raw, problems)
        if values is not None:
            built.append(cls(**values))
    return built


def body_from_dict(data: Mapping[str, Any], source: str = "body") -> Body:
    """A `Body` from parsed TOML (or JSON-like) data; problems name ``source`` and the field."""
    problems: list[str] = []
    values = _table(Body, "", dict(data), problems)
    if problems or values is None:
        raise CompositionError.listing(source, problems)
    try:
        return Body(**values)
    except CompositionError as exc:
        raise CompositionError.listing(source, exc.problems) from None


def load_body(path: str | Path) -> Body:
    """Read a body from a TOML file (see ``chamber/bodies/local-health-panel.toml``).

    Every error names the file and, where there is one, the field.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CompositionError(f"{path}: cannot read the file ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise CompositionError(f"{path}: not UTF-8 text ({exc.reason})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CompositionError(f"{path}: not valid TOML: {exc}") from None
    return body_from_dict(data, str(path))
