"""A ballot profile: unique rankings as a numpy matrix plus weights, built once, read by every rule.

A ranking is stored position by position: ``rankings[b, j]`` is the candidate index at position
``j`` of unique ballot ``b`` and ``levels[b, j]`` the preference level of that position (0 for the
first preference).  Two positions on one level are an equal ranking; a level missing between two
positions is a skipped rank.  Both arrays are padded with -1 on the right.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
from numpy.typing import NDArray

from electoral.ballots.rows import has_repeats, merge_identical
from electoral.bounds import check_total
from electoral.errors import CountError
from electoral.plain import Published

IntMatrix = NDArray[np.int16]
Weights = NDArray[np.int64]

#: A ballot as read from a file: preference levels, most preferred first, each a tuple of
#: candidate indices (one index for a strict preference, several for an equal ranking, none for
#: a skipped rank).
Levels = tuple[tuple[int, ...], ...]

_EXAMPLES = 5


@dataclass(frozen=True, slots=True)
class Example(Published):
    """One irregular ballot to look at: the problem, and where it is (``"line 12"``)."""

    problem: str
    where: str


@dataclass(frozen=True, slots=True)
class BallotProblems(Published):
    """Ballot-level irregularities found while reading, as weighted ballot counts.

    Each kind keeps the first few source references (``"line 12"``) so that a clerk can look
    at the paper.  Nothing here is dropped: the counting rule decides what each kind means (for
    the Scottish rule a ballot is read up to its first ambiguity).
    """

    duplicate_candidate: int = 0
    equal_ranking: int = 0
    skipped_rank: int = 0
    empty: int = 0
    overvote: int = 0
    examples: tuple[Example, ...] = ()


@dataclass(frozen=True, slots=True)
class StrictBallots:
    """The unambiguous prefix of every ballot, as the Scottish rule and IRV read them.

    ``rankings`` has one extra -1 column so that a pointer one past the last preference always
    reads -1 (exhausted).  Ballots with no unambiguous first preference are not included; they
    are counted in ``invalid``.
    """

    rankings: IntMatrix
    weights: Weights
    truncated: int
    invalid: int


@dataclass(frozen=True, slots=True, eq=False)
class Profile:
    """A set of ranked ballots: unique rankings plus the number of ballots of each."""

    candidates: tuple[str, ...]
    rankings: IntMatrix
    levels: IntMatrix
    weights: Weights
    title: str = ""
    seats: int | None = None
    withdrawn: frozenset[int] = frozenset()
    problems: BallotProblems = field(default_factory=BallotProblems)
    source: str = ""
    #: True when every ballot is known to be strict (no equal ranking, no skipped rank), as the
    #: builders establish while reading; lets the rules skip the search for ambiguities.
    all_strict: bool = False

    def __post_init__(self) -> None:
        if self.rankings.shape != self.levels.shape:
            raise CountError("rankings and levels must have the same shape")
        if self.rankings.ndim != 2 or self.weights.shape != (self.rankings.shape[0],):
            raise CountError("rankings must be a matrix with one weight per row")
        if np.any(self.weights < 0):
            raise CountError("ballot weights must not be negative")
        if self.weights.size:
            check_total([int(self.weights.max())])  # each weight is at most a billion, so ...
            check_total([int(self.weights.sum())])  # ... their sum cannot wrap in 64 bits
        if self.rankings.size and int(self.rankings.max(initial=-1)) >= len(self.candidates):
            raise CountError("a ranking names a candidate index beyond the candidate list")

    @property
    def total(self) -> int:
        """The number of ballots (the sum of weights)."""
        return int(self.weights.sum())

    def seats_to_fill(self, seats: int | None) -> int:
        """The seats asked for, or else the number the ballot file gives; at least one."""
        chosen = self.seats if seats is None else seats
        if chosen is None:
            raise CountError("the number of seats must be given: the ballot file does not say")
        if chosen < 1:
            raise CountError(f"the number of seats must be at least 1, not {chosen}")
        return chosen

    @property
    def continuing_candidates(self) -> tuple[int, ...]:
        """Indices of the candidates who stand (not withdrawn)."""
        return tuple(i for i in range(len(self.candidates)) if i not in self.withdrawn)

    def iter_levels(self) -> Iterable[tuple[int, Levels]]:
        """Yield ``(weight, levels)`` for each unique ballot, as a writer needs them."""
        for b in range(self.rankings.shape[0]):
            row, lev = self.rankings[b], self.levels[b]
            n = int(np.count_nonzero(row >= 0))
            out: list[list[int]] = []
            for j in range(n):
                while len(out) <= int(lev[j]):
                    out.append([])
                out[int(lev[j])].append(int(row[j]))
            yield int(self.weights[b]), tuple(tuple(x) for x in out)

    def readable_length(self, *, stop_at_equal: bool) -> NDArray[np.int64]:
        """How many positions of each ballot can be read: up to the first skipped rank and, if
        ``stop_at_equal``, up to the first equal ranking (0 when the first preference itself is
        skipped or, so stopping, tied)."""
        R, L = self.rankings, self.levels
        m = R.shape[1]
        cut: NDArray[np.int64] = np.count_nonzero(R >= 0, axis=1).astype(np.int64)
        if m:
            present = R >= 0
            cut[present[:, 0] & (L[:, 0] != 0)] = 0
            if m > 1:
                both = present[:, 1:] & present[:, :-1]
                cols = np.arange(m - 1)
                gap = both & (L[:, 1:] > L[:, :-1] + 1)
                cut = np.minimum(cut, np.where(gap, cols + 1, m).min(axis=1))
                if stop_at_equal:
                    equal = both & (L[:, 1:] == L[:, :-1])
                    cut = np.minimum(cut, np.where(equal, cols, m).min(axis=1))
        return cut

    def strict(self) -> StrictBallots:
        """Read every ballot up to its first ambiguity (an equal ranking or a skipped rank).

        A ballot whose first preference is itself ambiguous has no valid first preference and
        is left out, counted as invalid.
        """
        R, w = self.rankings, self.weights
        n, m = R.shape
        if self.all_strict:
            out = np.full((n, m + 1), -1, dtype=np.int16)
            out[:, :m] = R
            return StrictBallots(out, w.copy(), 0, 0)
        cut = self.readable_length(stop_at_equal=True)
        length = np.count_nonzero(R >= 0, axis=1)
        valid = cut > 0
        truncated = int(w[valid & (cut < length)].sum())
        invalid = int(w[~valid & (length > 0)].sum())
        keep = np.flatnonzero(valid)
        out = np.full((keep.size, m + 1), -1, dtype=np.int16)
        out[:, :m] = R[keep]
        mask = np.arange(m)[None, :] >= cut[keep][:, None]
        out[:, :m][mask] = -1
        return StrictBallots(out, w[keep].copy(), truncated, invalid)


class ProfileBuilder:
    """Collects ballots one by one (as a reader finds them) and builds the numpy profile."""

    def __init__(self, candidates: Sequence[str], source: str = "") -> None:
        self.candidates = tuple(candidates)
        self.source = source
        self._counts: dict[Levels, int] = {}
        self._strict: dict[tuple[int, ...], int] = {}  # one-based ids
        self._dup = self._equal = self._skip = self._empty = self._over = 0
        self._examples: list[Example] = []
        self._seen_kinds: dict[str, int] = {}

    def _note(self, kind: str, where: str) -> None:
        seen = self._seen_kinds.get(kind, 0)
        if seen < _EXAMPLES:
            self._examples.append(Example(kind, where))
        self._seen_kinds[kind] = seen + 1

    def add(self, weight: int, levels: Sequence[Sequence[int]], where: str = "") -> None:
        """Add ``weight`` ballots with these preference levels.

        A candidate mentioned again on the same ballot is ignored after its first mention (and
        reported); empty levels are skipped ranks; trailing empty levels are dropped.
        """
        seen: set[int] = set()
        clean: list[tuple[int, ...]] = []
        duplicate = False
        for level in levels:
            kept = []
            for c in level:
                if c in seen:
                    duplicate = True
                    continue
                seen.add(c)
                kept.append(c)
            clean.append(tuple(kept))
        while clean and not clean[-1]:
            clean.pop()
        if duplicate:
            self._dup += weight
            self._note("duplicate candidate (later mention ignored)", where)
        if not clean:
            self._empty += weight
            self._note("empty ballot", where)
        if any(len(lv) > 1 for lv in clean):
            self._equal += weight
            self._note("equal ranking", where)
        if any(len(lv) == 0 for lv in clean):
            self._skip += weight
            self._note("skipped rank", where)
        key = tuple(clean)
        self._counts[key] = self._counts.get(key, 0) + weight

    def add_overvote(self, weight: int, where: str = "") -> None:
        """Record that ``weight`` ballots carried an overvote (already cut off by the reader)."""
        self._over += weight
        self._note("overvote (ballot read up to the mark before it)", where)

    def add_strict(self, weight: int, ranking: tuple[int, ...], *, one_based: bool = False) -> None:
        """Fast path for a ranking known to be strict and duplicate-free (no skips, no ties).

        ``one_based`` lets a reader pass file ids (1..n) straight through; they are shifted once,
        in numpy, when the profile is built.
        """
        key = ranking if one_based else tuple(c + 1 for c in ranking)
        self._strict[key] = self._strict.get(key, 0) + weight

    def build(
        self, *, title: str = "", seats: int | None = None, withdrawn: Iterable[int] = ()
    ) -> Profile:
        """Freeze the collected ballots into a profile (identical ballots merged)."""
        gone = frozenset(withdrawn)
        strict: dict[tuple[int, ...], int] = {}
        if gone:
            for key, w in self._strict.items():
                k = tuple(c for c in key if c - 1 not in gone)
                strict[k] = strict.get(k, 0) + w
        else:
            strict = dict(self._strict)
        general: dict[tuple[tuple[int, ...], tuple[int, ...]], int] = {}
        for levels, w in self._counts.items():
            cands: list[int] = []
            levs: list[int] = []
            level_no = 0
            for lv in levels:
                kept = [c for c in lv if c not in gone]
                if lv and not kept:
                    continue  # a level of withdrawn candidates only: no gap for the voter
                for c in kept:
                    cands.append(c)
                    levs.append(level_no)
                level_no += 1
            if levs == list(range(len(levs))):  # strict after all: merge with the fast path
                k = tuple(c + 1 for c in cands)
                strict[k] = strict.get(k, 0) + w
            else:
                gkey = (tuple(cands), tuple(levs))
                general[gkey] = general.get(gkey, 0) + w
        strict.pop((), None)  # empty ballots are counted in the problems, not kept as rows
        width = max(max(map(len, strict), default=0), max((len(c) for c, _ in general), default=0))
        n_strict = len(strict)
        R = np.full((n_strict + len(general), width), -1, dtype=np.int16)
        L = np.full((n_strict + len(general), width), -1, dtype=np.int16)
        if n_strict:
            lengths = np.fromiter(map(len, strict), dtype=np.int64, count=n_strict)
            flat = np.fromiter(
                chain.from_iterable(strict), dtype=np.int16, count=int(lengths.sum())
            )
            mask = np.arange(width)[None, :] < lengths[:, None]
            R[:n_strict][mask] = flat - 1
            L[:n_strict] = np.where(mask, np.arange(width, dtype=np.int16)[None, :], -1)
        for i, (cands_t, levs_t) in enumerate(general, start=n_strict):
            R[i, : len(cands_t)] = cands_t
            L[i, : len(levs_t)] = levs_t
        check_total(chain(strict.values(), general.values()))  # exact, before any int64
        weights = np.fromiter(
            chain(strict.values(), general.values()), dtype=np.int64, count=R.shape[0]
        )
        problems = BallotProblems(
            self._dup, self._equal, self._skip, self._empty, self._over, tuple(self._examples)
        )
        return Profile(
            candidates=self.candidates,
            rankings=R,
            levels=L,
            weights=weights,
            title=title,
            seats=seats,
            withdrawn=gone,
            problems=problems,
            source=self.source,
            all_strict=not general,
        )


def profile_from_rankings(
    candidates: Sequence[str],
    rankings: NDArray[np.integer],
    weights: NDArray[np.integer] | None = None,
    *,
    title: str = "",
    seats: int | None = None,
) -> Profile:
    """Build a profile from strict rankings (rows of candidate indices, -1 padded), aggregating
    identical rows.  This is the fast path for generated elections of millions of ballots."""
    R = np.asarray(rankings)
    if R.ndim != 2:
        raise CountError("rankings must be a two-dimensional matrix")
    ncand = len(candidates)
    if weights is not None and np.asarray(weights).dtype == object:  # Python ints: check first
        check_total(int(x) for x in np.asarray(weights))
    w = np.ones(R.shape[0], dtype=np.int64) if weights is None else np.asarray(weights, np.int64)
    if w.shape != (R.shape[0],):
        raise CountError("there must be one weight per ranking")
    if R.size and (int(R.max()) >= ncand or int(R.min()) < -1):
        raise CountError("a ranking names a candidate index outside the candidate list")
    R = R.astype(np.int16)
    present = R >= 0
    if np.any(present[:, 1:] & ~present[:, :-1]):
        raise CountError("rankings must be padded with -1 on the right only")
    if has_repeats(R, ncand):
        raise CountError("a ranking names the same candidate twice")
    uniq, agg = merge_identical(R, w, ncand)
    return strict_profile(tuple(candidates), uniq, agg, title=title, seats=seats)


def strict_profile(
    candidates: tuple[str, ...],
    rankings: IntMatrix,
    weights: Weights,
    *,
    title: str = "",
    seats: int | None = None,
    source: str = "",
) -> Profile:
    """The profile of unique strict rankings already checked (known candidates, -1 padded on
    the right, none twice)."""
    levels = np.where(rankings >= 0, np.arange(rankings.shape[1], dtype=np.int16)[None, :], -1)
    return Profile(
        candidates=candidates,
        rankings=rankings,
        levels=levels.astype(np.int16),
        weights=weights,
        title=title,
        seats=seats,
        source=source,
        all_strict=True,
    )
