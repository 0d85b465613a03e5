"""The voters, votes and proxies of `tally.py`: chains, rings and dead ends made on purpose, and
the tally found by following every delegation one person at a time (an independent route to
what the close computes by pointer doubling)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CYCLE, LAPSED = -1, -2  # where a delegation ends, besides a direct voter's number


def _segments(rng: np.random.Generator, n: int, mean: float, longest: int,
              shortest: int = 1) -> np.ndarray:
    """Lengths (``shortest`` to ``longest``, ``mean`` on average before the cut) of segments
    that together hold ``n`` people."""
    lengths = shortest - 1 + rng.geometric(1 / (mean - shortest + 1), size=n)
    lengths = np.minimum(lengths, longest)
    return lengths[: np.searchsorted(np.cumsum(lengths), n) + 1]


def _link(target: np.ndarray, nodes: np.ndarray, lengths: np.ndarray,
          ends: np.ndarray | None) -> np.ndarray:
    """Point each segment of ``nodes`` (given by ``lengths``) along itself: every member at the
    next, the last at its segment's entry of ``ends``, or at the segment's first (a ring) when
    ``ends`` is None.  Returns each segment's first member."""
    lengths = lengths.copy()
    lengths[-1] -= lengths.sum() - nodes.size  # the last segment takes what is left
    starts = np.r_[0, np.cumsum(lengths)[:-1]]
    last = starts + lengths - 1
    nxt = np.r_[nodes[1:], 0]
    nxt[last] = nodes[starts] if ends is None else ends
    target[nodes - 1] = nxt
    return nodes[starts]


class Data:
    """The seeded voters, votes and proxies, as numpy arrays (voter numbers from 1).

    The first ``votes`` voters vote directly.  Of the proxy appointments, a tenth are made by
    direct voters (their own vote overrides); the rest by people who did not vote, arranged
    into chains that end at a direct voter (most of them, one longer than the proxy cap),
    rings of people who all delegate and none of whom voted (and chains that run into them),
    and chains that end at someone who neither voted nor delegated (lapsed)."""

    def __init__(self, votes: int, proxies: int, cap: int, seed: int = 12) -> None:
        rng = np.random.default_rng(seed)
        overriders = proxies // 10
        delegating = proxies - overriders
        dead_ends = max(delegating // 40, 1)
        self.voters = votes + delegating + dead_ends
        self.vote_voter = np.arange(1, votes + 1, dtype=np.int64)
        self.vote_option = rng.choice(3, votes, p=[0.48, 0.47, 0.05]).astype(np.int64)
        people = rng.permutation(np.arange(votes + 1, votes + delegating + 1, dtype=np.int64))
        target = np.zeros(self.voters, dtype=np.int64)  # target[i - 1]: whom voter i names
        over_cap = min(cap + cap // 20, delegating // 4)  # one chain longer than the cap
        rest = delegating - over_cap
        chained, ringed, tails = (int(rest * f) for f in (0.70, 0.10, 0.05))
        parts = np.split(people, np.cumsum([over_cap, chained, ringed, tails]))
        long_chain, chains, rings, into_rings, lapsing = parts
        anyone = rng.integers(1, votes + 1, size=delegating)  # direct voters to end at
        _link(target, long_chain, np.array([long_chain.size]), anyone[:1])
        lengths = _segments(rng, chains.size, 4.0, 60)
        _link(target, chains, lengths, anyone[1:lengths.size + 1])
        long_ring = min(1_000, rings.size // 4)  # one long ring, and many short ones
        lengths = np.r_[long_ring, _segments(rng, rings.size - long_ring, 3.0, 60, shortest=2)]
        _link(target, rings, lengths, None)
        lengths = _segments(rng, into_rings.size, 3.0, 60)
        _link(target, into_rings, lengths, rng.choice(rings, lengths.size))
        lengths = _segments(rng, lapsing.size, 3.0, 60)
        ends = rng.integers(votes + delegating + 1, self.voters + 1, size=lengths.size)
        _link(target, lapsing, lengths, ends)
        over = rng.choice(self.vote_voter, overriders, replace=False)
        target[over - 1] = rng.integers(1, self.voters + 1, size=overriders)
        self.proxy_voter = np.concatenate([np.sort(people), np.sort(over)])
        self.proxy_target = target[self.proxy_voter - 1]
        self_named = self.proxy_target == self.proxy_voter
        self.proxy_target[self_named] = self.proxy_target[self_named] % self.voters + 1
        n = self.proxy_voter.size
        # revocations break chains and rings, but not the chain over the cap nor the long ring
        kept = np.isin(self.proxy_voter, np.concatenate([long_chain, rings[:long_ring]]))
        self.revoked = np.zeros(n, dtype=bool)
        self.revoked[rng.choice(np.flatnonzero(~kept), n // 50, replace=False)] = True
        self.for_division = np.zeros(n, dtype=bool)
        self.for_division[rng.choice(np.flatnonzero(~self.revoked), n // 20, replace=False)] = True
        # as the services keep it: the votes of everyone who appointed or was named a proxy
        graph = np.unique(np.concatenate([self.proxy_voter, self.proxy_target]))
        self.in_graph = np.isin(self.vote_voter, graph)

    def walk(self, cap: int) -> Walk:
        """The public tally by another route than the close's pointer doubling: follow each
        delegation, one person at a time, in plain Python (the proxies in force: revoked ones
        left out), finding every ring as it is met."""
        live = ~self.revoked
        proxy = [-1] * (self.voters + 1)
        for voter, named in zip(self.proxy_voter[live].tolist(), self.proxy_target[live].tolist(),
                                strict=True):
            proxy[voter] = named
        votes = int(self.vote_voter.size)
        end = [0] * (self.voters + 1)  # a direct voter's number, CYCLE or LAPSED; 0: not yet
        hops = [0] * (self.voters + 1)
        rings: list[int] = []
        for start in range(votes + 1, self.voters + 1):
            if proxy[start] < 0 or end[start]:
                continue
            path: list[int] = []
            where: dict[int, int] = {}
            node, depth = start, 0
            while True:
                if node <= votes:  # voted directly (a direct vote overrides any proxy)
                    reached = node
                    break
                if node in where:  # back on this path: a ring
                    rings.append(len(path) - where[node])
                    reached = CYCLE
                    break
                if end[node]:  # met a delegation already followed
                    reached, depth = end[node], hops[node]
                    break
                if proxy[node] < 0:  # neither voted nor delegated
                    reached = LAPSED
                    break
                where[node] = len(path)
                path.append(node)
                node = proxy[node]
            for k, person in enumerate(reversed(path)):
                end[person], hops[person] = reached, depth + k + 1
        ends = np.array(end, dtype=np.int64)
        delegators = np.flatnonzero(ends > 0)
        delegators = delegators[delegators > votes]
        roots = ends[delegators]
        order = np.lexsort((delegators, roots))  # each proxy's delegators by voter number
        roots_sorted = roots[order]
        first = np.r_[0, np.flatnonzero(np.diff(roots_sorted)) + 1]
        rank = np.arange(roots_sorted.size) - np.repeat(first, np.diff(np.r_[first, order.size]))
        counted = roots_sorted[rank < cap]
        option = np.zeros(self.voters + 1, dtype=np.int64)
        option[self.vote_voter] = self.vote_option
        tally = np.bincount(self.vote_option, minlength=3) + np.bincount(option[counted],
                                                                          minlength=3)
        reach = np.array(hops, dtype=np.int64)[delegators]
        return Walk(
            tally=[int(x) for x in tally],
            counted=int(counted.size),
            refused=int(roots.size - counted.size),
            in_cycles=int((ends == CYCLE).sum()),
            lapsed=int((ends == LAPSED).sum()),
            rings=len(rings),
            largest_ring=max(rings, default=0),
            in_rings=sum(rings),
            longest_chain=int(reach.max(initial=0)),
            chains=int(np.unique(roots).size),
        )


@dataclass(frozen=True)
class Walk:
    """What following every delegation found."""

    tally: list[int]
    counted: int  # delegated votes counted
    refused: int  # delegated votes over the cap
    in_cycles: int  # people in a ring or on a chain into one
    lapsed: int  # people whose chain ends at someone who neither voted nor delegated
    rings: int
    largest_ring: int
    in_rings: int
    longest_chain: int  # hops from a delegator to the direct voter who carries their vote
    chains: int  # direct voters who carry someone's vote
