"""A division's published result: what the close computed and the audit chain recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class LargeProxy:
    proxy: str  # the proxy's handle
    votes: int  # delegated votes counted through them


@dataclass(frozen=True, slots=True)
class PublishedResult:
    """The chamber's and the public's votes, how they combine, and the proxies' part."""

    options: tuple[str, ...]
    chamber_votes: tuple[int, ...]
    public_votes: tuple[int, ...]
    public_as_chamber_votes: tuple[int, ...]
    combined: tuple[int, ...]
    carried: str | None
    rule: str
    public_direct_votes: int
    proxy_votes_counted: int
    proxy_votes_refused_over_cap: int
    proxy_votes_in_cycles: int
    proxy_votes_lapsed: int
    proxy_cap: int
    capped_proxies_last_counted: dict[str, int]  # proxy's voter number -> last voter counted
    largest_proxies: tuple[LargeProxy, ...]
    closed_at: datetime
    audit_head: str
