"""The apportionment methods by name."""

from __future__ import annotations

from typing import Literal, get_args

DivisorMethod = Literal["dhondt", "sainte-lague", "modified-sainte-lague", "huntington-hill"]
RemainderMethod = Literal["hare", "droop"]
Method = DivisorMethod | RemainderMethod

DIVISOR_METHODS: tuple[DivisorMethod, ...] = get_args(DivisorMethod)
REMAINDER_METHODS: tuple[RemainderMethod, ...] = get_args(RemainderMethod)
METHODS: tuple[Method, ...] = (*DIVISOR_METHODS, *REMAINDER_METHODS)
