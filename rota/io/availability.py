"""Reading availability: who cannot sit when, and who prefers or avoids which slots.

The file has the columns ``member,date`` and optionally ``session``, ``kind``, ``weight``.
``date`` is an ISO date (2027-01-05), a weekday (``monday`` .. ``sunday``: every such day of the
period; a weekday on which the calendar has no sitting at all is an error) or ``*`` (every day);
``session`` is a session of the calendar (``morning`` or ``evening`` on the national pattern) or
``all`` (the default);
``kind`` is ``unavailable`` (the default), ``avoid`` (cost ``weight`` on the matching slots) or
``prefer`` (cost ``weight`` on the other slots of each of the member's windows that the row
touches); ``weight`` (default 1) is a non-negative number (checked but unused on ``unavailable``
rows).  Costs of several rows add up.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from rota.assignment import Floats, Ints
from rota.calendar import Calendar
from rota.io.table import (
    PathLike,
    member_codes,
    parse_column,
    parse_rows,
    read_table,
)
from rota.model import Member

Bools = NDArray[np.bool_]

WEEKDAYS = {
    **{d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{
        d: i
        for i, d in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
KINDS = {"unavailable": 0, "": 0, "prefer": 1, "avoid": 2}
DATE_HELP = "an ISO date such as 2027-01-05, a weekday (monday to sunday) or * (every day)"
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True, eq=False)
class Availability:
    """Members x slots: hard unavailability and the cost of each slot under the preferences."""

    unavailable: Bools
    preference_cost: Floats
    notes: tuple[str, ...] = ()


def _date_parser(calendar: Calendar) -> Callable[[str], tuple[str, int]]:
    """A parser of the date column: ('all', 0), ('weekday', 0..6) or ('day', ordinal).  A
    weekday on which the calendar neither sits nor has a no-sitting day is refused."""
    sits = {s.day.weekday() for s in calendar.slots} | {d.weekday() for d in calendar.no_sitting}

    def parse(value: str) -> tuple[str, int]:
        token = value.lower()
        if token == "*":
            return "all", 0
        if token in WEEKDAYS:
            if WEEKDAYS[token] not in sits:
                raise ValueError(f"the body does not sit on {DAY_NAMES[WEEKDAYS[token]]}s")
            return "weekday", WEEKDAYS[token]
        if not value:
            raise ValueError(f"empty date: expected {DATE_HELP}")
        try:
            return "day", date.fromisoformat(value).toordinal()
        except ValueError:
            raise ValueError(f"not a date: {value!r}; expected {DATE_HELP}") from None

    return parse


def _session_parser(names: Sequence[str]) -> Callable[[str], int]:
    """A parser of the session column: the index of a session of ``names``, or ``len(names)``
    for ``all`` (or an empty cell)."""
    codes = {name.lower(): k for k, name in enumerate(names)}
    codes.update({"all": len(names), "": len(names)})
    expected = f"{', '.join(names)} or all" if names else "all"

    def parse(value: str) -> int:
        try:
            return codes[value.lower()]
        except KeyError:
            raise ValueError(f"unknown session {value!r}: expected {expected}") from None

    return parse


def _kind_code(value: str) -> int:
    try:
        return KINDS[value.lower()]
    except KeyError:
        raise ValueError(f"unknown kind {value!r}: expected unavailable, prefer or avoid") from None


def _weight(value: str) -> float:
    if not value:
        return 1.0
    try:
        w = float(value)
    except ValueError:
        raise ValueError(f"not a number: {value!r}") from None
    if not math.isfinite(w) or w < 0:
        raise ValueError(f"a weight is a non-negative number, not {value!r}")
    return w


def read_availability(
    path: PathLike, calendar: Calendar, members: Sequence[Member]
) -> Availability:
    """Unavailability and preference costs of ``members`` over the slots of ``calendar`` (see the
    module docstring for the format).  Rows dated outside the period are ignored and counted in
    the notes."""
    table = read_table(path, ("member", "date"), ("session", "kind", "weight"))
    M, S, F = len(members), len(calendar.slots), calendar.cycles
    n = len(table)
    cols = table.columns

    who = member_codes(table, "member", members)
    unknown = np.flatnonzero(who < 0)
    if unknown.size:
        i = int(unknown[0])
        more = (
            f" (and {unknown.size - 1} more rows with unknown members)" if unknown.size > 1 else ""
        )
        table.fail(i, "member", f"unknown member {cols['member'][i]!r}{more}")

    names = tuple(dict.fromkeys(s.session for s in calendar.slots))
    K = len(names) + 1  # the sessions and "all"
    tokens, date_codes = parse_column(table, "date", _date_parser(calendar))
    session_of = parse_rows(table, "session", _session_parser(names), np.int64)
    kind_of = parse_rows(table, "kind", _kind_code, np.int64)
    weight_of = parse_rows(table, "weight", _weight, np.float64)

    # Slot masks of each distinct (date, session) pair that occurs.
    slots = calendar.slots
    day = np.array([s.day.toordinal() for s in slots], dtype=np.int64)
    weekday = np.array([s.day.weekday() for s in slots], dtype=np.int64)
    session = np.array([names.index(s.session) for s in slots], dtype=np.int64)
    cycle_of_slot = np.array([s.cycle for s in slots], dtype=np.int64)
    first, last = calendar.start.toordinal(), calendar.last_day.toordinal()
    pairs, pair_of = np.unique(date_codes * K + session_of, return_inverse=True)
    pair_of = pair_of.reshape(-1).astype(np.int64)
    C = pairs.size
    masks = np.zeros((C, S), dtype=bool)
    outside = np.zeros(C, dtype=bool)
    for k, code in enumerate(pairs):
        what, value = tokens[int(code) // K]
        s = int(code) % K
        if what == "all":
            mask = np.ones(S, dtype=bool)
        elif what == "weekday":
            mask = weekday == value
        else:
            mask = day == value
            outside[k] = not first <= value <= last
        masks[k] = mask & (session == s) if s < K - 1 else mask

    notes: list[str] = []
    n_out = int(outside[pair_of].sum()) if n else 0
    if n_out:
        notes.append(
            f"{n_out} rows are dated outside the period {calendar.start.isoformat()} to "
            f"{date.fromordinal(last).isoformat()} and were ignored"
        )
    matches = np.asarray(masks.any(axis=1), dtype=bool)
    n_empty = int((~outside[pair_of] & ~matches[pair_of]).sum()) if n else 0
    if n_empty:
        notes.append(
            f"{n_empty} rows name a day with no sitting (a day the body does not sit, or a "
            "no-sitting day)"
        )
    counts = np.bincount(kind_of, minlength=3)
    notes.append(f"{n} rows read: {counts[0]} unavailable, {counts[1]} prefer, {counts[2]} avoid")

    def per_member(rows: Ints, columns: Ints, values: Floats, patterns: Bools) -> Floats:
        width = patterns.shape[0]
        a = csr_matrix((values, (rows, columns)), shape=(M, width))
        return np.asarray(a @ patterns.astype(np.float64), dtype=np.float64).reshape(M, S)

    hard = kind_of == 0
    unavailable = per_member(who[hard], pair_of[hard], np.ones(int(hard.sum())), masks) > 0
    avoid = kind_of == 2
    cost = per_member(who[avoid], pair_of[avoid], weight_of[avoid], masks)

    # prefer: within each of the member's windows that the row touches, the slots it does not
    # match cost its weight.  Windows depend on the member's cycle.
    prefer = kind_of == 1
    if prefer.any():
        cycle_of = np.array([m.cycle for m in members], dtype=np.int64)
        for cycle in (1, 2):
            rows = prefer & (cycle_of[who] == cycle)
            if not rows.any():
                continue
            window = (cycle_of_slot // cycle) * cycle
            valid = window + cycle <= F
            hit = np.zeros((C, F), dtype=bool)
            for w in np.unique(window[valid]):
                hit[:, w] = masks[:, window == w].any(axis=1)
            pattern = ~masks & valid[None, :] & hit[:, window]
            cost += per_member(who[rows], pair_of[rows], weight_of[rows], pattern)
    return Availability(unavailable, cost, tuple(notes))
