"""The jury's rules and state: its sizes, a juror's place, the jury after a month, the volunteer
pool with the monthly quotas, and how months and seeds are named.

**Months** are integers; month 1 is ``start`` (``2027-01`` by default) and month 0 the month
before.  A cohort drawn in month ``k`` serves months ``k .. k+11``: its *term ends* in month
``k+12``, when it leaves at the start of the month.  A juror's *first year* is the year of the
cohort they belong to; an extended juror serves an *extension year* after it.

**Seeds.** Every random choice has its own public seed derived from a base seed and the month,
e.g. ``{base}/2027-01/draw``, ``{base}/2027-01/withdrawals``, ``{base}/2027-01/extension``,
``{base}/2027-01/replacement/2026-05`` (`month_seed`); each report records the seeds it used.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from chamber.serial import as_json
from electoral.sortition.instance import Pool, Quota, build_instance
from electoral.sortition.leximin import Distribution

Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]
ReplacementMethod = Literal["legacy", "leximin"]

START = "2027-01"
"""The label of month 1 (month 0 is the steady state the simulation starts from)."""
NOT_SELECTED = np.iinfo(np.int64).max
"""``JuryState.selected_in`` of a volunteer never selected."""


class JuryError(ValueError):
    """The jury's rules or a step asked of it make no sense (the message says why)."""


@dataclass(frozen=True, slots=True)
class JuryRules:
    """The sizes of the jury: ``drawn`` a month for ``term_months``, ``extended`` a month for
    one more term, chosen from those due to leave within ``window_months``."""

    drawn: int = 90
    extended: int = 10
    term_months: int = 12
    window_months: int = 3

    def __post_init__(self) -> None:
        problems = []
        if self.drawn < 1:
            problems.append(f"drawn a month is {self.drawn}; it must be at least 1")
        if not 0 <= self.extended <= self.drawn:
            problems.append(f"extended a month is {self.extended}; it must be 0 to {self.drawn}")
        if self.term_months < 2:
            problems.append(f"the term is {self.term_months} months; it must be at least 2")
        if not 1 <= self.window_months < self.term_months:
            problems.append(
                f"the extension window is {self.window_months} months; it must be 1 to "
                f"{self.term_months - 1}"
            )
        if problems:
            raise JuryError("; ".join(problems))

    @property
    def size(self) -> int:
        """The steady-state size: ``(drawn + extended) * term_months``."""
        return (self.drawn + self.extended) * self.term_months

    def as_dict(self) -> dict[str, int]:
        return {**as_json(self), "size": self.size}


NATIONAL = JuryRules()
"""The national jury of the proposal: 90 drawn a month for a year, 10 extended, 1,200 in all."""


@dataclass(frozen=True, slots=True)
class Juror:
    """One place on the jury and who holds it.

    ``cohort`` is the month of the draw whose place this is (a replacement keeps the cohort of the
    juror they replace; ``joined`` is when they joined); the juror leaves at the start of month
    ``term_end``.
    """

    person: str
    index: int  # row in the volunteer pool
    cohort: int
    joined: int
    term_end: int
    extended: bool = False

    @property
    def replacement(self) -> bool:
        return self.joined != self.cohort

    def as_dict(self) -> dict[str, Any]:
        """The place as published: the person's id names them; their pool row stays inside."""
        return {name: v for name, v in as_json(self).items() if name != "index"}


@dataclass(frozen=True, slots=True, eq=False)
class JuryState:
    """The jury after ``month``: who serves, and when each volunteer was selected
    (``selected_in[i]`` is the month pool row ``i`` was drawn, `NOT_SELECTED` if never)."""

    month: int
    jurors: tuple[Juror, ...]
    selected_in: Ints
    lottery_month: int | None = None  # when the lottery of the monthly draws was computed

    @property
    def size(self) -> int:
        return len(self.jurors)

    def cohort(self, month: int) -> tuple[Juror, ...]:
        """The jurors holding places of the cohort drawn in ``month``."""
        return tuple(j for j in self.jurors if j.cohort == month)

    @property
    def available(self) -> Bools:
        """Which volunteers may still be drawn."""
        out: Bools = self.selected_in == NOT_SELECTED
        return out


@dataclass(frozen=True, slots=True, eq=False)
class JurySetup:
    """The volunteer pool, the monthly quotas and the rules; caches the LEXIMIN lotteries (a pure
    function of the pool and the volunteers available, so the cache never changes a result)."""

    pool: Pool
    quotas: tuple[Quota, ...]
    rules: JuryRules = NATIONAL
    quotas_sha256: str = ""
    membership: Bools = field(init=False, repr=False)  # (quotas, people)
    lotteries: dict[str, tuple[Distribution, Ints]] = field(
        init=False, repr=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        build_instance(self.pool, self.quotas, self.rules.drawn)  # validates, names problems
        features = {f.lower(): i for i, f in enumerate(self.pool.features)}
        rows = []
        for q in self.quotas:
            fi = features[q.feature.lower()]
            values = self.pool.values[fi]
            code = values.index(q.value) if q.value in values else -1
            rows.append(self.pool.codes[:, fi] == code)
        object.__setattr__(self, "membership", np.vstack(rows))
        if not self.quotas_sha256:
            text = "\n".join(f"{q.feature},{q.value},{q.min},{q.max}" for q in self.quotas)
            object.__setattr__(self, "quotas_sha256", sha256_hex(text.encode()))

    @property
    def lower(self) -> Ints:
        return np.array([q.min for q in self.quotas], dtype=np.int64)

    @property
    def upper(self) -> Ints:
        return np.array([q.max for q in self.quotas], dtype=np.int64)

    @property
    def jury_quotas(self) -> tuple[Quota, ...]:
        """The whole jury's quotas: the monthly ones scaled by ``size / drawn``, the minimum
        rounded down and the maximum up (the same relative tolerance)."""
        n, size = self.rules.drawn, self.rules.size
        return tuple(
            Quota(q.feature, q.value, q.min * size // n, -(-q.max * size // n)) for q in self.quotas
        )

    def counts(self, indices: Iterable[int]) -> Ints:
        """How many of the pool rows ``indices`` have each quota's value."""
        idx = np.fromiter(indices, dtype=np.int64)
        out: Ints = self.membership[:, idx].sum(axis=1).astype(np.int64)
        return out


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def month_label(month: int, start: str = START) -> str:
    """``YYYY-MM`` of ``month``, month 1 being ``start``."""
    try:
        year, mon = (int(x) for x in start.split("-"))
    except ValueError:
        raise JuryError(f"the start month {start!r} is not YYYY-MM") from None
    if not 1 <= mon <= 12:
        raise JuryError(f"the start month {start!r} is not YYYY-MM")
    at = year * 12 + mon - 1 + month - 1
    return f"{at // 12:04d}-{at % 12 + 1:02d}"


def month_seed(base: str, month: int, purpose: str, start: str = START) -> str:
    """The public seed of one random choice: ``{base}/{YYYY-MM}/{purpose}``."""
    return f"{base}/{month_label(month, start)}/{purpose}"
