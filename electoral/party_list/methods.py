"""The apportionment methods by name."""

from __future__ import annotations

DIVISOR_METHODS = ("dhondt", "sainte-lague", "modified-sainte-lague", "huntington-hill")
REMAINDER_METHODS = ("hare", "droop")
METHODS = DIVISOR_METHODS + REMAINDER_METHODS
