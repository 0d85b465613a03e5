"""A sortition instance: the volunteer pool, the quotas and the panel size, validated, in numpy.

Input formats (as the Sortition Foundation's tools and the `sortition-algorithms` package use):

- pool CSV: one row per volunteer, an id column (``id`` by default; without one the row number is
  the id, as in the replication data of Flanigan et al. 2021), one column per feature, optionally a
  household/address column;
- quotas CSV: ``feature,value,min,max`` (``category,feature,min,max`` and ``category,name,min,max``
  are read the same way).

People with identical feature values are interchangeable for every quota, so the instance groups
them into *types*; a panel is then a count per type.  With a household rule everyone who shares a
household is their own type, so that at most one per household can be enforced; those who live
alone stay grouped by their features.  That loses nothing: the LEXIMIN probabilities are unique
(were two vectors both leximin-optimal, their average would be better), and swapping two
volunteers of the same features who share no household with anyone maps every feasible panel to
a feasible panel, so those two have the same probability (issue 22: with every volunteer their
own type, 2,000 volunteers did not finish in 150 s; as three types they take well under one).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from electoral.ballots.textfile import content, read_text, table_rows
from electoral.bounds import MAX_FIGURE, whole_number
from electoral.errors import BallotFileError, CountError

Ints = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Quota:
    """Between ``min`` and ``max`` panel members must have ``value`` for ``feature``."""

    feature: str
    value: str
    min: int
    max: int

    @property
    def label(self) -> str:
        return f"{self.feature}={self.value}"


@dataclass(frozen=True, slots=True, eq=False)
class Pool:
    """The volunteers: ids, their feature values as codes, and their households."""

    ids: tuple[str, ...]
    features: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]  # per feature, the value names (code = index)
    codes: Ints  # (n, F) value code of each person for each feature
    households: tuple[str, ...] | None = None
    sha256: str = ""
    source: str = ""

    @property
    def size(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, slots=True, eq=False)
class Instance:
    """Pool + quotas + panel size, grouped into types, ready for the solvers.

    ``incidence[q, t]`` is 1 when type ``t`` has the value of quota ``q``; ``members[t]`` are the
    pool indices of type ``t`` (sorted); ``household_groups`` are the pool indices of each
    household of more than one volunteer when the household rule is on (each of them a type of
    their own).
    """

    pool: Pool
    quotas: tuple[Quota, ...]
    size: int
    type_of: Ints
    members: tuple[Ints, ...]
    incidence: NDArray[np.float64]
    lower: Ints
    upper: Ints
    one_per_household: bool = False
    household_groups: tuple[Ints, ...] = field(default_factory=tuple)
    quotas_sha256: str = ""

    @property
    def type_sizes(self) -> Ints:
        return np.array([m.size for m in self.members], dtype=np.int64)

    @property
    def ntypes(self) -> int:
        return len(self.members)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def read_pool(
    path: str | Path,
    *,
    id_column: str | None = "id",
    household_column: str | None = None,
    features: Sequence[str] | None = None,
    require_id: bool = False,
) -> Pool:
    """Read the pool CSV file; see :func:`parse_pool`."""
    return parse_pool(
        read_text(path),
        str(path),
        id_column=id_column,
        household_column=household_column,
        features=features,
        require_id=require_id,
    )


def parse_pool(
    text: str,
    name: str = "<pool>",
    *,
    id_column: str | None = "id",
    household_column: str | None = None,
    features: Sequence[str] | None = None,
    require_id: bool = False,
) -> Pool:
    """Parse the pool CSV's text.  Every column other than the id and household columns is a
    feature unless ``features`` names them.  Without the id column the row number (from 0) is
    the id, unless ``require_id``.  Errors name the file (``name``), the row and the column.

    The pool's SHA-256 is of the text without a leading byte-order mark (as published draws
    have always recorded it)."""
    text = content(text)
    rows = _rows(text)
    if not rows:
        raise BallotFileError(name, None, "empty file: expected a header row")
    header = [h.strip() for h in rows[0]]
    lower = [h.lower() for h in header]
    id_col = lower.index(id_column.lower()) if id_column and id_column.lower() in lower else None
    if require_id and id_col is None:
        raise BallotFileError(name, 1, f"no id column {id_column!r}")
    hh_col = None
    if household_column:
        if household_column.lower() not in lower:
            raise BallotFileError(name, 1, f"no household column {household_column!r}")
        hh_col = lower.index(household_column.lower())
    if features is None:
        feat_cols = [i for i in range(len(header)) if i not in (id_col, hh_col)]
    else:
        missing = [f for f in features if f.lower() not in lower]
        if missing:
            raise BallotFileError(name, 1, f"no column for feature(s): {', '.join(missing)}")
        feat_cols = [lower.index(f.lower()) for f in features]
    if not feat_cols:
        raise BallotFileError(name, 1, "no feature columns")
    ids: list[str] = []
    households: list[str] = []
    seen: dict[str, int] = {}
    value_index: list[dict[str, int]] = [{} for _ in feat_cols]
    codes: list[list[int]] = []
    for lineno, row in table_rows(rows, name):
        pid = row[id_col].strip() if id_col is not None else str(len(ids))
        if not pid:
            raise BallotFileError(name, lineno, f"column {header[id_col or 0]!r}: empty id")
        if pid in seen:
            raise BallotFileError(
                name,
                lineno,
                f"column {header[id_col or 0]!r}: id {pid!r} repeats line {seen[pid]}",
            )
        seen[pid] = lineno
        ids.append(pid)
        code_row = []
        for j, c in enumerate(feat_cols):
            value = row[c].strip()
            if not value:
                raise BallotFileError(name, lineno, f"column {header[c]!r}: empty value")
            code_row.append(value_index[j].setdefault(value, len(value_index[j])))
        codes.append(code_row)
        if hh_col is not None:
            households.append(row[hh_col].strip() or f"(alone) {pid}")
    if not ids:
        raise BallotFileError(name, None, "no volunteers in the pool")
    return Pool(
        ids=tuple(ids),
        features=tuple(header[c] for c in feat_cols),
        values=tuple(tuple(v) for v in value_index),
        codes=np.asarray(codes, dtype=np.int64),
        households=tuple(households) if hh_col is not None else None,
        sha256=_sha(text),
        source=name,
    )


_QUOTA_HEADERS = (
    ("feature", "value", "min", "max"),
    ("category", "feature", "min", "max"),
    ("category", "name", "min", "max"),
)


def read_quotas(path: str | Path) -> tuple[tuple[Quota, ...], str]:
    """Read a quotas CSV file; see :func:`parse_quotas`."""
    return parse_quotas(read_text(path), str(path))


def parse_quotas(text: str, name: str = "<quotas>") -> tuple[tuple[Quota, ...], str]:
    """Parse ``feature,value,min,max`` quotas; returns the quotas and the text's SHA-256 (without
    a leading byte-order mark, as for the pool).  Errors name the file (``name``) and the row."""
    text = content(text)
    rows = _rows(text)
    if not rows:
        raise BallotFileError(name, None, "empty file: expected a header feature,value,min,max")
    lower = [h.strip().lower() for h in rows[0]]
    for names in _QUOTA_HEADERS:
        if all(n in lower for n in names):
            cols = [lower.index(n) for n in names]
            break
    else:
        raise BallotFileError(name, 1, "the header must have the columns feature,value,min,max")
    quotas: list[Quota] = []
    seen: dict[tuple[str, str], int] = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) < len(rows[0]):
            raise BallotFileError(name, lineno, f"expected {len(rows[0])} fields")
        feature, value = row[cols[0]].strip(), row[cols[1]].strip()
        if not feature or not value:
            raise BallotFileError(name, lineno, "empty feature or value")
        bounds = []
        for bound, c in zip(("min", "max"), cols[2:], strict=True):
            cell = row[c].strip()
            try:
                bounds.append(whole_number(cell, MAX_FIGURE))
            except ValueError as why:
                raise BallotFileError(name, lineno, f"column {bound!r}: {why}") from None
        if bounds[0] > bounds[1]:
            raise BallotFileError(
                name, lineno, f"{feature}={value}: min {bounds[0]} is above max {bounds[1]}"
            )
        if (feature, value) in seen:
            raise BallotFileError(
                name,
                lineno,
                f"{feature}={value} already has a quota on line {seen[feature, value]}",
            )
        seen[feature, value] = lineno
        quotas.append(Quota(feature, value, bounds[0], bounds[1]))
    if not quotas:
        raise BallotFileError(name, None, "no quotas in the file")
    return tuple(quotas), _sha(text)


def build_instance(
    pool: Pool,
    quotas: Sequence[Quota],
    size: int,
    *,
    one_per_household: bool = False,
    quotas_sha256: str = "",
) -> Instance:
    """Check the quotas against the pool and the panel size, and group people into types.

    Refuses, naming the row and column or the quota: a pool value with no quota, a quota feature
    that is not a pool column, quotas of one feature that cannot add up to the panel size, a
    minimum larger than the number of volunteers who have the value.
    """
    if size < 1:
        raise CountError("the panel size must be at least 1")
    if size > pool.size:
        raise CountError(f"a panel of {size} cannot be drawn from a pool of {pool.size}")
    by_feature: dict[str, dict[str, Quota]] = {}
    for q in quotas:
        by_feature.setdefault(q.feature, {})[q.value] = q
    feature_index = {f.lower(): i for i, f in enumerate(pool.features)}
    problems: list[str] = []
    for f in by_feature:
        if f.lower() not in feature_index:
            problems.append(f"quota feature {f!r} is not a column of the pool")
    used: list[int] = []
    for fi, f in enumerate(pool.features):
        quotas_f = next((by_feature[k] for k in by_feature if k.lower() == f.lower()), None)
        if quotas_f is None:
            continue  # a column with no quotas (e.g. a name) is not a feature for selection
        used.append(fi)
        counts = np.bincount(pool.codes[:, fi], minlength=len(pool.values[fi]))
        for code, value in enumerate(pool.values[fi]):
            if value not in quotas_f:
                row = int(np.flatnonzero(pool.codes[:, fi] == code)[0]) + 2
                problems.append(
                    f"{pool.source}, row {row}, column {f!r}: value {value!r} has no quota "
                    f"(known: {', '.join(sorted(quotas_f))})"
                )
        for value, q in quotas_f.items():
            supply = int(counts[pool.values[fi].index(value)]) if value in pool.values[fi] else 0
            if q.min > supply:
                problems.append(
                    f"{q.label}: min {q.min} is more than the {supply} volunteers with this value"
                )
        lo = sum(q.min for q in quotas_f.values())
        hi = sum(q.max for q in quotas_f.values())
        if lo > size:
            problems.append(f"the minimums for {f!r} add up to {lo}, more than the panel of {size}")
        if hi < size:
            problems.append(f"the maximums for {f!r} add up to {hi}, less than the panel of {size}")
    if problems:
        raise CountError("the quotas do not fit the pool:\n  " + "\n  ".join(problems))
    if not used:
        raise CountError("no pool column has quotas")
    if one_per_household and pool.households is None:
        raise CountError("the household rule needs a household column in the pool")
    key = pool.codes[:, used].astype(np.int64)
    households: tuple[Ints, ...] = ()
    if one_per_household:
        assert pool.households is not None
        groups: dict[str, list[int]] = {}
        for i, h in enumerate(pool.households):
            groups.setdefault(h, []).append(i)
        households = tuple(np.asarray(g, dtype=np.int64) for g in groups.values() if len(g) > 1)
        # Who shares a household is their own type; the others stay interchangeable with those
        # of the same features (see the module docstring).
        alone = np.zeros((pool.size, 1), dtype=np.int64)
        if households:
            shared = np.concatenate(households)
            alone[shared, 0] = shared + 1
        key = np.hstack([key, alone])
    _, reps, type_of = np.unique(key, axis=0, return_index=True, return_inverse=True)
    type_of = type_of.ravel().astype(np.int64)
    order = np.argsort(type_of, kind="stable")
    bounds = np.searchsorted(type_of[order], np.arange(len(reps) + 1))
    members = tuple(order[bounds[t] : bounds[t + 1]].astype(np.int64) for t in range(len(reps)))
    ordered: list[Quota] = []
    rows_inc: list[NDArray[np.float64]] = []
    for fi in used:
        f = pool.features[fi]
        quotas_f = next(by_feature[k] for k in by_feature if k.lower() == f.lower())
        for value in sorted(quotas_f):
            q = quotas_f[value]
            ordered.append(q)
            code = pool.values[fi].index(value) if value in pool.values[fi] else -1
            rows_inc.append((pool.codes[reps, fi] == code).astype(np.float64))
    return Instance(
        pool=pool,
        quotas=tuple(ordered),
        size=size,
        type_of=type_of,
        members=members,
        incidence=np.vstack(rows_inc),
        lower=np.array([q.min for q in ordered], dtype=np.int64),
        upper=np.array([q.max for q in ordered], dtype=np.int64),
        one_per_household=one_per_household,
        household_groups=households,
        quotas_sha256=quotas_sha256,
    )


def each_their_own_type(inst: Instance) -> Instance:
    """The same instance with every volunteer a type of their own, in pool order (as the first
    version of the household rule had it; kept to verify the draws it made)."""
    n = inst.pool.size
    everyone = np.arange(n, dtype=np.int64)
    return replace(
        inst,
        type_of=everyone,
        members=tuple(everyone[i : i + 1] for i in range(n)),
        incidence=inst.incidence[:, inst.type_of],
    )
