"""Frozen dataclasses to and from JSON-ready values, derived from their fields (msgspec), so a
new field cannot be forgotten by a hand-written ``as_dict``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import msgspec

T = TypeVar("T")


def as_json(value: object) -> dict[str, Any]:
    """A dataclass as the dict its JSON decodes to (lists, not tuples: what a JSON column
    gives back, so stored and fresh values compare equal)."""
    data: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(value))
    return data


def from_json(data: Mapping[str, Any], kind: type[T]) -> T:
    """A dataclass from its JSON form, checked against the field types."""
    return msgspec.convert(data, kind)
