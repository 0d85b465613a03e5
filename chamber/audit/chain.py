"""The hash chain as pure functions: each entry's hash covers the previous hash and the entry's
canonical JSON, so changing any stored entry changes every hash after it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

GENESIS = "0" * 64
"""The ``previous`` hash of the first entry."""


def chain_link(previous: str, payload: Mapping[str, Any]) -> tuple[str, str]:
    """The canonical JSON of a payload (sorted keys, no spaces) and the entry's hash over it."""
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return body, hashlib.sha256((previous + body).encode()).hexdigest()


def chain_hash(previous: str, payload: Mapping[str, Any]) -> str:
    """The hash of an audit entry: SHA-256 over the previous hash and the canonical JSON."""
    return chain_link(previous, payload)[1]


def verify_chain(entries: Sequence[tuple[Mapping[str, Any], str]]) -> int | None:
    """Check a log of (payload, stored hash) pairs from the start; returns the index of the first
    entry whose hash does not match (it, or something before it, was altered), or None."""
    previous = GENESIS
    for i, (payload, stored) in enumerate(entries):
        if chain_hash(previous, payload) != stored:
            return i
        previous = stored
    return None
