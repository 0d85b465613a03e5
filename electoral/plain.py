"""The published form (plain JSON data) of the counting core's frozen values, derived from fields.

msgspec writes a dataclass field by field, in field order (``to_builtins``), and reads published
data back into the dataclass, checking the type of every field (``convert``), so a new field can
be neither left out of the JSON nor read back unchecked.  A value whose published keys are not
its fields says so beside its own ``as_dict``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeGuard, TypeVar

import msgspec

from electoral.errors import CountError

T = TypeVar("T")
Name = TypeVar("Name", bound=str)


def plain(value: object) -> Any:
    """``value`` as JSON-ready data: dataclasses become dicts in field order, tuples lists."""
    return _lists(msgspec.to_builtins(value))


def _lists(data: Any) -> Any:
    """msgspec keeps tuples; the published form, once read back from JSON, has lists."""
    if isinstance(data, tuple | list):
        return [_lists(x) for x in data]
    if isinstance(data, dict):
        return {k: _lists(v) for k, v in data.items()}
    return data


def one_of(value: str, names: tuple[Name, ...]) -> TypeGuard[Name]:
    """Whether ``value`` is one of a closed set of ``names`` (and so of their Literal type)."""
    return value in names


def load(kind: type[T], data: Mapping[str, Any], what: str) -> T:
    """Read published data back into ``kind``, checking every field; bad data names ``what``.

    Numbers written as text are accepted, as the hand-written readers this replaces accepted them.
    """
    try:
        return msgspec.convert(data, kind, strict=False)
    except msgspec.ValidationError as exc:
        raise CountError(f"not {what}: {exc}") from exc


class Published:
    """For frozen dataclasses: ``as_dict`` and ``to_json`` derived from the fields."""

    __slots__ = ()

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = plain(self)
        return data

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)
