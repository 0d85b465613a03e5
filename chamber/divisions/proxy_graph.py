"""Proxies resolved at close, as a pure function over arrays: whose direct vote carries each
public voter's, with chains, cycles, lapsed delegations and the cap on what one proxy carries.

Source: the proposal "The case for a second chamber": people who cannot watch the debate at the
time may appoint a proxy to vote for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from chamber.errors import Invalid


@dataclass(frozen=True, slots=True, eq=False)
class ProxyResolution:
    """Whose vote counts for each public voter at close, and the tallies that follow."""

    counted_as: NDArray[np.int64]  # per voter: the voter whose direct vote carries theirs, or -1
    option: NDArray[np.int64]  # per voter: the option counted for them, or -1
    tally: NDArray[np.int64]  # per option
    carried: NDArray[np.int64]  # per voter: votes carried for others (delegations counted)
    refused_over_cap: int
    in_cycles: int
    lapsed: int  # delegations ending at someone who did not vote

    def largest_proxies(self, k: int = 10) -> list[tuple[int, int]]:
        order = np.argsort(-self.carried, kind="stable")[:k]
        return [(int(i), int(self.carried[i])) for i in order if self.carried[i] > 0]


def resolve_proxies(
    direct: NDArray[np.int64],
    proxy: NDArray[np.int64],
    options: int,
    *,
    cap: int | None = None,
) -> ProxyResolution:
    """Resolve delegation once, at close.

    ``direct[i]`` is voter i's own last vote (an option index) or -1; ``proxy[i]`` the voter
    they delegate to (the division's proxy if they appointed one, else their general proxy) or
    -1.  A direct vote always overrides the voter's proxy.  A chain A -> B -> C carries A's vote
    to the first in the chain who voted directly; a chain that runs into a cycle or ends at
    someone who neither voted nor delegated adds nothing; each voter counts at most once.  With
    ``cap``, a proxy carries at most ``cap`` delegated votes (those of the lowest voter numbers,
    a published, reproducible order); the rest are refused and counted.  Pointer doubling makes
    it O(n log n) in numpy: 12.5 million voters resolve in seconds.
    """
    direct = np.asarray(direct, dtype=np.int64)
    proxy = np.asarray(proxy, dtype=np.int64)
    n = direct.size
    if proxy.shape != (n,):
        raise Invalid("one proxy entry per voter")
    if n and (direct.max(initial=-1) >= options or direct.min(initial=-1) < -1):
        raise Invalid("a vote names an option that does not exist")
    if n and (proxy.max(initial=-1) >= n or proxy.min(initial=-1) < -1):
        raise Invalid("a proxy names a voter who does not exist")
    sink = n  # stands for "no one": a voter who neither voted nor delegated points here
    voted = direct >= 0
    step = np.where(voted, np.arange(n), np.where(proxy >= 0, proxy, sink))
    step = np.append(step, sink)
    root = step.copy()
    for _ in range(max(1, int(np.ceil(np.log2(n + 2))) + 1)):
        root = root[root]
    root = root[:n]
    reaches = np.zeros(n, dtype=bool)
    inside = root < n
    reaches[inside] = voted[root[inside]]
    # A voter whose chain never reaches a direct voter: in a cycle, or lapsed at a non-voter.
    lapsed_or_cycle = ~voted & ~reaches & (proxy >= 0)
    ends_at_sink = np.zeros(n, dtype=bool)
    ends_at_sink[lapsed_or_cycle] = root[lapsed_or_cycle] == sink
    counted_as = np.where(reaches, root, -1)
    delegated = reaches & ~voted
    refused = 0
    if cap is not None and delegated.any():
        idx = np.flatnonzero(delegated)  # ascending voter number within each root
        order = np.argsort(counted_as[idx], kind="stable")
        sorted_idx = idx[order]
        roots = counted_as[sorted_idx]
        starts = np.r_[0, np.flatnonzero(np.diff(roots)) + 1]
        rank = np.arange(sorted_idx.size) - np.repeat(
            starts, np.diff(np.r_[starts, sorted_idx.size])
        )
        over = sorted_idx[rank >= cap]
        refused = int(over.size)
        counted_as[over] = -1
        delegated[over] = False
    option = np.where(counted_as >= 0, direct[np.clip(counted_as, 0, None)], -1)
    tally = np.bincount(option[option >= 0], minlength=options).astype(np.int64)
    carried = np.bincount(counted_as[delegated], minlength=n).astype(np.int64)
    return ProxyResolution(
        counted_as=counted_as,
        option=option,
        tally=tally,
        carried=carried,
        refused_over_cap=refused,
        in_cycles=int((lapsed_or_cycle & ~ends_at_sink).sum()),
        lapsed=int(ends_at_sink.sum()),
    )
