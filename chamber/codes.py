"""One-time codes and proxy codes: random, typed by people (Crockford's base 32: no I, L, O or
U, case and dashes ignored), and stored only as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def grouped(symbols: str, group: int) -> str:
    """Symbols in dash-separated groups: ``7KQ2MX9D4P`` -> ``7KQ2M-X9D4P``."""
    return "-".join(symbols[i: i + group] for i in range(0, len(symbols), group))


def new_code(length: int = 10, group: int = 5) -> str:
    """A random code of ``length`` symbols (5 bits each) in groups: ``7KQ2M-X9D4P``."""
    return grouped("".join(secrets.choice(ALPHABET) for _ in range(length)), group)


def normalise(typed: str) -> str:
    """A code as typed (any case, spaces and dashes, O for 0, I or L for 1) as its symbols."""
    return "".join(typed.split()).replace("-", "").upper().translate(_READ_AS)


def digest(key: bytes, code: str) -> str:
    """The keyed hash a code is stored as (HMAC-SHA256 of its symbols)."""
    return hmac.new(key, normalise(code).encode(), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
