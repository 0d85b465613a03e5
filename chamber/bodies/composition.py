"""The composition of a body: its categories of seats, who shares them, how they are chosen.

Source: "The case for a second chamber which would add something to Parliament and promote
empowerment" (its sections "How could this work?" and "A possible electoral method"), and the
"citizen's panels" of the post on public and patient engagement in the NHS.  A `Body` is a
declarative, validated description: every category says how many seats it holds, how many people
share each seat (each attends one slot per attendance cycle), how its people are chosen and who
arranges their rota.  The bodies themselves are data, read by `chamber.bodies.files.load_body`.

Validation lists every problem at once in one `CompositionError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from chamber.bodies.pattern import SessionSpec, SittingSpec, cycles_per_attendance, pattern_of
from chamber.serial import as_json
from rota.calendar import SittingPattern

CYCLES: Mapping[str, int] = {"fortnightly": 14, "four-weekly": 28}
"""Attendance cycles and their length in days: each sharer of a seat attends once per cycle."""

_KEY = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


class CompositionError(ValueError):
    """A body, category or body file is not a valid description; ``problems`` lists each one.

    The message is clerk-readable as it stands: a heading, then one problem per line.
    """

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        self.problems = tuple(problems) or (message,)
        super().__init__(message)

    @classmethod
    def listing(cls, subject: str, problems: Sequence[str]) -> CompositionError:
        """One error for all ``problems`` of ``subject`` (a body, a file)."""
        if len(problems) == 1:
            return cls(f"{subject}: {problems[0]}", problems)
        lines = "".join(f"\n  - {p}" for p in problems)
        return cls(f"{subject}: {len(problems)} problems:{lines}", problems)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count_problem(name: str, value: object) -> str | None:
    """Why ``value`` is not a whole number of at least 1, or None."""
    if not _is_int(value):
        return f"{name} must be a whole number, not {value!r}"
    assert isinstance(value, int)
    if value < 1:
        return f"{name} is {value}; it must be at least 1"
    return None


def _text_problem(name: str, value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"{name} must be a non-empty text, not {value!r}"
    return None


def _key_problem(name: str, value: object) -> str | None:
    if not isinstance(value, str) or not _KEY.fullmatch(value):
        return (
            f"{name} {value!r} must be lower-case letters and digits, joined by '-' or '_' "
            "(it is used on the command line and in JSON)"
        )
    return None


def _n(n: int) -> str:
    return f"{n:,}"


@dataclass(frozen=True, slots=True)
class SubUnit:
    """A named part of a category holding some of its seats (an expert field, an assembly).

    ``group`` gathers sub-units for display ("professions", "economy"); ``rota_by`` is set
    when the part arranges its own rota apart from the category's arranger.
    """

    name: str
    seats: int
    group: str = ""
    rota_by: str = ""

    def as_dict(self) -> dict[str, Any]:
        return as_json(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class Category:
    """One category of seats in a body.

    ``people`` is the number of people the source declares for the category; when given it must
    equal ``seats x sharers_per_seat``.  ``unit`` is the source's words when it counts something
    other than people ("50 groups", "25 assemblies").  ``selection`` is a short text on how the
    people are chosen, ``detail`` a longer one, ``note`` any caveat (an assumption made here).
    ``rota_places`` is derived: seats x sharers, the places a rota must fill (people, if each
    holds one place).  A category is checked as part of its `Body`; `Category.check` checks one
    on its own.  The fields are in the order a reader meets them in JSON (`as_dict`).
    """

    key: str
    title: str
    seats: int
    sharers_per_seat: int
    rota_places: int = field(init=False)
    people: int | None = None
    unit: str = ""
    cycle: str
    selection: str
    rota_by: str
    detail: str = ""
    note: str = ""
    subunits: tuple[SubUnit, ...] = ()

    def __post_init__(self) -> None:
        # a list given by the caller becomes a tuple, so that the category stays hashable
        object.__setattr__(self, "subunits", tuple(self.subunits))
        numbers = (self.seats, self.sharers_per_seat)
        places = self.seats * self.sharers_per_seat if all(map(_is_int, numbers)) else 0
        object.__setattr__(self, "rota_places", places)

    def problems(self) -> list[str]:
        """Everything wrong with this category, each naming the field (empty when valid)."""
        found: list[str] = []

        def add(problem: str | None) -> None:
            if problem is not None:
                found.append(problem)

        add(_key_problem("key", self.key))
        add(_text_problem("title", self.title))
        seats_bad = _count_problem("seats", self.seats)
        sharers_bad = _count_problem("sharers_per_seat", self.sharers_per_seat)
        add(seats_bad)
        add(sharers_bad)
        if self.cycle not in CYCLES:
            add(f"cycle {self.cycle!r} is not known (use {' or '.join(map(repr, CYCLES))})")
        add(_text_problem("selection", self.selection))
        add(_text_problem("rota_by", self.rota_by))
        if self.people is not None:
            people_bad = _count_problem("people", self.people)
            add(people_bad)
            numbers_ok = people_bad is None and seats_bad is None and sharers_bad is None
            if numbers_ok and self.people != self.rota_places:
                add(
                    f"people is {_n(self.people)} but {_n(self.seats)} seats x "
                    f"{self.sharers_per_seat} sharers per seat = {_n(self.rota_places)}"
                )
        seen: set[str] = set()
        total = 0
        sub_ok = True
        for i, sub in enumerate(self.subunits, 1):
            label = f"sub-unit {i} ({sub.name!r})"
            add(_text_problem(f"{label} name", sub.name))
            if sub.name in seen:
                add(f"sub-unit {sub.name!r} is listed more than once")
            seen.add(sub.name)
            bad = _count_problem(f"{label} seats", sub.seats)
            add(bad)
            if bad is None:
                total += sub.seats
            else:
                sub_ok = False
        if self.subunits and sub_ok and seats_bad is None and total != self.seats:
            diff = total - self.seats
            how = f"{diff} more" if diff > 0 else f"{-diff} fewer"
            add(
                f"the {len(self.subunits)} sub-units hold {_n(total)} seats, {how} than "
                f"the category's {_n(self.seats)}"
            )
        return found

    def check(self) -> Category:
        """Raise `CompositionError` listing every problem; return the category when valid."""
        problems = self.problems()
        if problems:
            raise CompositionError.listing(f"category {self.key!r}", problems)
        return self

    def as_dict(self) -> dict[str, Any]:
        return as_json(self)


@dataclass(frozen=True, slots=True)
class Totals:
    """What a body adds up to."""

    seats: int
    rota_places: int  # sum of seats x sharers over all categories
    declared_people: int  # sum of the people counts the categories declare
    categories: int
    subunits: int
    rota_places_by_cycle: Mapping[str, int] = field(default_factory=dict)
    headline_people: int | None = None  # the source's headline figure, when it gives one

    def as_dict(self) -> dict[str, Any]:
        return as_json(self)


@dataclass(frozen=True, slots=True)
class Body:
    """A chamber or panel: its categories, which must hold exactly ``expected_seats`` seats.

    Construction validates the body and all its categories and raises one `CompositionError`
    listing every problem.  ``headline_people`` is the source's own headline count of people,
    kept for comparison with the computed rota places (it is not checked against them).
    """

    key: str
    title: str
    categories: tuple[Category, ...]
    expected_seats: int
    description: str = ""
    headline_people: int | None = None
    cycle_weeks: int = 2  # the length of the sitting pattern's cycle
    sessions: tuple[SessionSpec, ...] = ()  # none: the national sessions
    sittings: tuple[SittingSpec, ...] = ()  # none: the national pattern

    def __post_init__(self) -> None:
        object.__setattr__(self, "categories", tuple(self.categories))
        object.__setattr__(self, "sessions", tuple(self.sessions))
        object.__setattr__(self, "sittings", tuple(self.sittings))
        problems = self.problems()
        if problems:
            raise CompositionError.listing(f"body {self.key!r}", problems)

    def problems(self) -> list[str]:
        found: list[str] = []
        for problem in (
            _key_problem("key", self.key),
            _text_problem("title", self.title),
            _count_problem("expected_seats", self.expected_seats),
        ):
            if problem is not None:
                found.append(problem)
        if self.headline_people is not None:
            bad = _count_problem("headline_people", self.headline_people)
            if bad is not None:
                found.append(bad)
        if not self.categories:
            found.append("it has no categories")
        found.extend(self._pattern_problems())
        seen: set[str] = set()
        seats_ok = True
        for cat in self.categories:
            if cat.key in seen:
                found.append(f"category key {cat.key!r} is used more than once")
            seen.add(cat.key)
            found.extend(f"category {cat.key!r}: {p}" for p in cat.problems())
            seats_ok = seats_ok and _count_problem("seats", cat.seats) is None
        if self.categories and seats_ok and _is_int(self.expected_seats):
            total = sum(cat.seats for cat in self.categories)
            if total != self.expected_seats:
                diff = total - self.expected_seats
                how = f"{diff} more" if diff > 0 else f"{-diff} fewer"
                found.append(
                    f"the categories hold {_n(total)} seats, {how} than the "
                    f"{_n(self.expected_seats)} expected"
                )
        return found

    @property
    def pattern(self) -> SittingPattern:
        """When the body sits (`rota.calendar.SittingPattern`)."""
        return pattern_of(self.cycle_weeks, self.sessions, self.sittings)[0]

    def cycles_of(self, category: Category) -> int:
        """How many cycles of the body's pattern a sharer of the category sits once in."""
        return cycles_per_attendance(CYCLES[category.cycle], self.pattern)

    def _pattern_problems(self) -> list[str]:
        """The pattern's own problems, and every category whose sharers do not fill its seats'
        sittings exactly once per attendance cycle."""
        bad = _count_problem("cycle_weeks", self.cycle_weeks)
        if bad is not None:
            return [bad]
        pattern, found = pattern_of(self.cycle_weeks, self.sessions, self.sittings)
        if found:
            return found
        for cat in self.categories:
            if cat.cycle not in CYCLES or not _is_int(cat.sharers_per_seat):
                continue  # the category's own problems say so
            cycles = cycles_per_attendance(CYCLES[cat.cycle], pattern)
            sittings = cycles * len(pattern.slots)
            if not cycles:
                found.append(
                    f"category {cat.key!r}: a {cat.cycle} cycle ({CYCLES[cat.cycle]} days) is not "
                    f"a whole number of the sitting pattern's {pattern.cycle_days}-day cycles"
                )
            elif sittings != cat.sharers_per_seat:
                found.append(
                    f"category {cat.key!r}: its seats sit {sittings} times a {cat.cycle} cycle, "
                    f"so they need {sittings} sharers each (one sitting each), not "
                    f"{cat.sharers_per_seat}"
                )
        return found

    def __iter__(self) -> Iterator[Category]:
        return iter(self.categories)

    def category(self, key: str) -> Category:
        for cat in self.categories:
            if cat.key == key:
                return cat
        raise KeyError(key)

    @property
    def seats(self) -> int:
        return sum(cat.seats for cat in self.categories)

    @property
    def rota_places(self) -> int:
        """Seats x sharers over every category: the places the rota must fill."""
        return sum(cat.rota_places for cat in self.categories)

    def share(self, category: Category) -> Fraction:
        """The category's share of the body's seats (1/5, 1/10)."""
        return Fraction(category.seats, self.seats)

    def totals(self) -> Totals:
        by_cycle: dict[str, int] = {}
        for cat in self.categories:
            by_cycle[cat.cycle] = by_cycle.get(cat.cycle, 0) + cat.rota_places
        return Totals(
            seats=self.seats,
            rota_places=self.rota_places,
            declared_people=sum(cat.people or 0 for cat in self.categories),
            categories=len(self.categories),
            subunits=sum(len(cat.subunits) for cat in self.categories),
            rota_places_by_cycle=by_cycle,
            headline_people=self.headline_people,
        )

    def as_dict(self) -> dict[str, Any]:
        """The body as JSON-ready data: what names it, its other fields, then its categories
        (each with its share of the seats) and its totals."""
        fields = as_json(self)
        categories = fields.pop("categories")
        for cat, data in zip(self.categories, categories, strict=True):
            data["share"] = str(self.share(cat))
        names = {name: fields.pop(name) for name in ("key", "title", "description")}
        return {**names, **fields, "categories": categories, "totals": self.totals().as_dict()}
