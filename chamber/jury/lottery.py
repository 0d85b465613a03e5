"""A body's lottery: the features its volunteers give, the quotas of each draw, whose seats the
drawn share, and (for the national jury) the monthly cycle.  Read from
``chamber/jury/lotteries/<body>.toml``; every problem is named with the file and the field."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chamber.jury.rules import JuryError, JuryRules
from electoral.sortition.instance import Quota

HERE = Path(__file__).parent / "lotteries"


@dataclass(frozen=True, slots=True)
class Feature:
    """A feature the quotas use: its key (a pool column), the question a volunteer answers,
    and its values in the order the form offers them."""

    key: str
    question: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Experts:
    """The experts a jury appoints: into the seats of ``category`` (each named part of it a
    field, e.g. one seat for Health, 25 open seats), for a term of ``term_months``."""

    category: str
    term_months: int

    def __post_init__(self) -> None:
        if not 1 <= self.term_months <= 120:
            raise JuryError(f"experts: term_months is {self.term_months}; it must be 1 to 120")


@dataclass(frozen=True, slots=True)
class Lottery:
    """How a body draws its people by lot: ``size`` a draw, to ``quotas``, into the seats of
    ``category``; with ``cycle`` (the national jury) a cohort every month for a term."""

    body: str
    category: str
    size: int
    features: tuple[Feature, ...]
    quotas: tuple[Quota, ...]
    cycle: JuryRules | None = None
    experts: Experts | None = None

    def __post_init__(self) -> None:
        problems = []
        if self.cycle is not None and self.cycle.drawn != self.size:
            problems.append(f"size {self.size} differs from cycle.drawn {self.cycle.drawn}")
        for f in self.features:
            mins = sum(q.min for q in self.quotas if q.feature == f.key)
            maxs = sum(q.max for q in self.quotas if q.feature == f.key)
            if mins > self.size or maxs < self.size:
                problems.append(
                    f"{f.key}: the minimums add up to {mins} and the maximums to {maxs}; a draw "
                    f"of {self.size} needs at most and at least {self.size}"
                )
        if problems:
            raise JuryError(f"the lottery of {self.body}: " + "; ".join(problems))

    def feature(self, key: str) -> Feature:
        return next(f for f in self.features if f.key == key)

    def quotas_csv(self) -> str:
        """The quotas of a draw as the published CSV (``feature,value,min,max``)."""
        return quotas_text(self.quotas)


def quotas_text(quotas: tuple[Quota, ...]) -> str:
    """Quotas as the CSV that `electoral.sortition.instance.parse_quotas` reads."""
    rows = [f"{q.feature},{q.value},{q.min},{q.max}" for q in quotas]
    return "feature,value,min,max\n" + "".join(f"{r}\n" for r in rows)


def _need(table: Mapping[str, Any], name: str, kind: type, where: str) -> Any:
    value = table.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise JuryError(f"{where}: {name} must be {kind.__name__}, not {value!r}")
    return value


def lottery_from_dict(data: Mapping[str, Any], source: str = "lottery") -> Lottery:
    """A `Lottery` from parsed TOML; a problem names ``source`` and the field."""
    features, quotas = [], []
    for n, raw in enumerate(_need(data, "features", list, source), 1):
        where = f"{source}: features[{n}]"
        if not isinstance(raw, dict):
            raise JuryError(f"{where}: expected a table")
        key = _need(raw, "key", str, where)
        values = tuple(str(v) for v in _need(raw, "values", list, where))
        low, high = _need(raw, "min", list, where), _need(raw, "max", list, where)
        if not values or len(set(values)) != len(values) or not len(low) == len(high) == len(
            values
        ):
            raise JuryError(f"{where}: values must be distinct, with one min and max each")
        features.append(Feature(key, str(raw.get("question", key)), values))
        for v, a, b in zip(values, low, high, strict=True):
            if not isinstance(a, int) or not isinstance(b, int) or not 0 <= a <= b:
                raise JuryError(f"{where}: {key}={v}: min {a!r} and max {b!r} are not 0 <= min "
                                "<= max")
            quotas.append(Quota(key, v, a, b))
    cycle = data.get("cycle")
    rules = None
    if cycle is not None:
        if not isinstance(cycle, dict):
            raise JuryError(f"{source}: cycle must be a table")
        rules = JuryRules(**{k: _need(cycle, k, int, f"{source}: cycle") for k in cycle})
    experts = data.get("experts")
    if experts is not None and not isinstance(experts, dict):
        raise JuryError(f"{source}: experts must be a table")
    return Lottery(
        body=_need(data, "body", str, source),
        category=_need(data, "category", str, source),
        size=_need(data, "size", int, source),
        features=tuple(features),
        quotas=tuple(quotas),
        cycle=rules,
        experts=None if experts is None else Experts(
            _need(experts, "category", str, f"{source}: experts"),
            _need(experts, "term_months", int, f"{source}: experts")),
    )


def load_lottery(path: Path) -> Lottery:
    """Read a lottery file (see ``lotteries/national.toml``)."""
    return lottery_from_dict(tomllib.loads(path.read_text(encoding="utf-8")), str(path))


LOTTERIES: Mapping[str, Lottery] = {
    lot.body: lot for lot in (load_lottery(p) for p in sorted(HERE.glob("*.toml")))
}
"""The lotteries that come with the engine, by body key."""
