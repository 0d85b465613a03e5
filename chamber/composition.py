"""The composition of a body: its categories of seats, who shares them, how they are chosen.

Source: SPEC.md "Composition (500 seats)" and "Citizens' panels", from "THE CASE FOR A SECOND
CHAMBER" in seeds/003.  A `Body` is a declarative, validated description: every category says how
many seats it holds, how many people share each seat (each attends one slot per attendance
cycle), how its people are chosen and who arranges their rota.  `NATIONAL` is the 500-seat
chamber of the seed; `LOCAL_HEALTH_PANEL` a citizens' panel acting as a local second chamber; a
user's own body is read from TOML by `load_body` (see ``chamber/bodies/local-health-panel.toml``).

Validation lists every problem at once in one `CompositionError`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

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
        return {
            "name": self.name,
            "seats": self.seats,
            "group": self.group,
            "rota_by": self.rota_by,
        }


@dataclass(frozen=True, slots=True)
class Category:
    """One category of seats in a body.

    ``people`` is the number of people the source declares for the category; when given it must
    equal ``seats x sharers_per_seat``.  ``unit`` is the source's words when it counts something
    other than people ("50 groups", "25 assemblies").  ``selection`` is a short text on how the
    people are chosen, ``detail`` a longer one, ``note`` any caveat (an assumption made here).
    A category is checked as part of its `Body`; `Category.check` checks one on its own.
    """

    key: str
    title: str
    seats: int
    sharers_per_seat: int
    cycle: str
    selection: str
    rota_by: str
    people: int | None = None
    unit: str = ""
    subunits: tuple[SubUnit, ...] = ()
    detail: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        # a list given by the caller becomes a tuple, so that the category stays hashable
        object.__setattr__(self, "subunits", tuple(self.subunits))

    @property
    def rota_places(self) -> int:
        """Seats x sharers: the places a rota must fill (people, if each holds one place)."""
        return self.seats * self.sharers_per_seat

    @property
    def cycle_days(self) -> int:
        return CYCLES[self.cycle]

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
        return {
            "key": self.key,
            "title": self.title,
            "seats": self.seats,
            "sharers_per_seat": self.sharers_per_seat,
            "rota_places": self.rota_places,
            "people": self.people,
            "unit": self.unit,
            "cycle": self.cycle,
            "selection": self.selection,
            "rota_by": self.rota_by,
            "detail": self.detail,
            "note": self.note,
            "subunits": [s.as_dict() for s in self.subunits],
        }


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
        return {
            "seats": self.seats,
            "rota_places": self.rota_places,
            "declared_people": self.declared_people,
            "categories": self.categories,
            "subunits": self.subunits,
            "rota_places_by_cycle": dict(self.rota_places_by_cycle),
            "headline_people": self.headline_people,
        }


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "categories", tuple(self.categories))
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
        categories = []
        for cat in self.categories:
            d = cat.as_dict()
            d["share"] = str(self.share(cat))
            categories.append(d)
        return {
            "key": self.key,
            "title": self.title,
            "description": self.description,
            "expected_seats": self.expected_seats,
            "headline_people": self.headline_people,
            "categories": categories,
            "totals": self.totals().as_dict(),
        }


# -- the national chamber ------------------------------------------------------------------------

EXPERT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "professions": (
        "Health",
        "Finance",
        "Law",
        "Engineering",
        "Architecture & Planning",
        "Other Professions",
    ),
    "scientific disciplines": (
        "Physical Sciences",
        "Biological Sciences",
        "Geographical & Environmental Sciences",
        "Social Sciences",
        "Applied Sciences",
        "Other Disciplines",
    ),
    "bodies of knowledge": (
        "Economics",
        "Public Finance",
        "Public Health",
        "History",
        "Politics & Social Policy",
        "Statistics & Interpretation of Evidence",
        "Constitutional & Public Law",
        "Human Rights",
        "Ethics",
        "Government & Public Administration",
        "Politics & Political Philosophy",
        "Policy Application of Science",
        "Behavioural Sciences",
    ),
}
"""The 25 named fields of the jury's experts (SPEC.md), one seat each, grouped as in the seed."""

INTEREST_ASSEMBLIES: Mapping[str, tuple[str, ...]] = {
    "economy": ("Land & Title", "Capital", "Labour", "Management", "Consumers"),
    "professions": (
        "Health",
        "Finance",
        "Law",
        "Engineering",
        "Architecture & Planning",
        "Other Professions",
    ),
    "knowledge": (
        "Science",
        "Social Sciences",
        "Applied Sciences",
        "Other Disciplines",
        "Universities",
        "Schools",
    ),
    "culture": ("Arts", "Media", "Sport"),
    "honours": ("Life Peers", "Other Crown Honours"),
    "service": ("Administration", "Advocacy & Dissent", "Charities"),
}
"""The 25 interest assemblies (SPEC.md), each naming 2 delegates, grouped as in the seed."""

OPEN_EXPERT_SEATS = "Open seats (any field)"

_ASSUMED_24 = (
    "the seed says only that each seat is shared by {what}; 24 sharers per seat are assumed "
    "here so that the rota has a number"
)

NATIONAL = Body(
    key="national",
    title="The part-time second chamber",
    description=(
        "500 seats, sitting 08:00-24:00 Monday to Saturday in two 8-hour slots a day "
        "(24 slots a fortnight); each sharer attends one slot per attendance cycle."
    ),
    expected_seats=500,
    headline_people=12_000,
    categories=(
        Category(
            key="party",
            title="Party",
            seats=100,
            sharers_per_seat=24,
            people=2_400,
            cycle="fortnightly",
            selection="party lists: seats in proportion to national votes (parties over 1%)",
            rota_by="each party group",
            detail=(
                "Within a delegation: up to 1/4 nominated by the party, up to 1/4 indirectly "
                "elected by its elected representatives and governing bodies, at least 1/4 "
                "elected by party members, at least 1/4 elected by the whole electorate in "
                "single-member geographic constituencies (an open primary after the general "
                "election); see electoral.delegation.  Transition: the party's political life "
                "peers have a claim on its places."
            ),
        ),
        Category(
            key="local",
            title="Local (STV)",
            seats=100,
            sharers_per_seat=24,
            people=2_400,
            cycle="fortnightly",
            selection="STV with quota; district councils as multi-member constituencies",
            rota_by="the groups they form; the LGA for those with no group",
            detail=(
                "About 1 representative per 27,000 people (about 23,000 electors); they may "
                "also serve as councillors ('aldermen')."
            ),
        ),
        Category(
            key="faith",
            title="Faith",
            seats=50,
            sharers_per_seat=24,
            people=1_200,
            cycle="fortnightly",
            selection="elected by multi-faith partnerships",
            rota_by="the partnerships (organised by the established churches)",
        ),
        Category(
            key="jury",
            title="National jury",
            seats=50,
            sharers_per_seat=24,
            people=1_200,
            cycle="fortnightly",
            selection="by lot: 90 drawn each month for a year; 10 a month extended a year",
            rota_by="an elected Secretariat of the jury",
            detail=(
                "Each month 90 jurors are drawn by lot to serve one year, and 10 chosen by the "
                "jury from those due to leave within the next three months have their term "
                "extended by a further year."
            ),
        ),
        Category(
            key="experts",
            title="Jury's experts",
            seats=50,
            sharers_per_seat=24,
            people=1_200,
            cycle="fortnightly",
            selection="appointed by the jury: one seat for each of 25 fields, 25 open seats",
            rota_by="the Secretariat of the jury",
            subunits=(
                *(
                    SubUnit(name, 1, group)
                    for group, names in EXPERT_FIELDS.items()
                    for name in names
                ),
                SubUnit(OPEN_EXPERT_SEATS, 25, "open"),
            ),
            detail=(
                "One seat (24 places) for each of 25 named fields, and 25 seats (600 people) "
                "from any area of expertise or achievement.  Transition: crossbench peers "
                "become experts of the jury."
            ),
        ),
        Category(
            key="youth",
            title="Youth",
            seats=50,
            sharers_per_seat=48,
            people=2_400,
            cycle="four-weekly",
            selection="half UK Youth Parliament; half student unions (STV with quota)",
            rota_by="the Youth Parliament; the student union body",
            subunits=(
                SubUnit("UK Youth Parliament", 25, "youth", "the Youth Parliament"),
                SubUnit("Student unions", 25, "students", "the student union body"),
            ),
            detail=(
                "Half: members of the UK Youth Parliament and former members for one term "
                "after leaving.  Half: student representatives, seats divided in proportion "
                "between student unions, who elect by STV with quota.  Members attend once "
                "every four weeks to spare their education, so each seat has 48 sharers."
            ),
        ),
        Category(
            key="organisations",
            title="Organisations",
            seats=50,
            sharers_per_seat=24,
            unit="50 groups",
            cycle="fortnightly",
            selection="voters choose up to 20; the top 50 each appoint a group for one seat",
            rota_by="each organisation",
            detail=(
                "Any organisation except parties, bodies with a political test of membership, "
                "bodies formed mainly to influence a party, or public bodies controlled by "
                "ministers, with 100,000 members or nominators (any mix)."
            ),
            note=_ASSUMED_24.format(what="'a number of people'"),
        ),
        Category(
            key="assemblies",
            title="Interest assemblies",
            seats=50,
            sharers_per_seat=24,
            unit="25 assemblies",
            cycle="fortnightly",
            selection="each assembly meets monthly and names 2 delegates for each meeting",
            rota_by="each assembly",
            subunits=tuple(
                SubUnit(name, 2, group)
                for group, names in INTEREST_ASSEMBLIES.items()
                for name in names
            ),
            note=_ASSUMED_24.format(what="'a large number of people'"),
        ),
    ),
)
"""The national chamber of SPEC.md: 500 seats in eight categories.

Six categories declare their people (2,400 + 2,400 + 1,200 + 1,200 + 1,200 + 2,400 = 10,800) and
each is checked against seats x sharers.  Organisations ("50 groups") and interest assemblies
("25 assemblies") declare no number of people; 24 sharers per seat are used for them so that the
rota has a number.  The rota places are then 13,200 (`NATIONAL.rota_places`), while the seed's
headline "12,000 people" (`NATIONAL.headline_people`) counts 24 per seat for every seat: the youth
seats' 48 sharers (+1,200) and the rotating groups make the real number larger.
"""

LOCAL_HEALTH_PANEL = Body(
    key="local-health-panel",
    title="Local health and care panel",
    description=(
        "A citizens' panel acting as a local 'second chamber' for a local health and care plan, "
        "with scrutinising, revising and advisory powers."
    ),
    expected_seats=40,
    categories=(
        Category(
            key="panel",
            title="Citizens' panel",
            seats=40,
            sharers_per_seat=1,
            people=40,
            cycle="fortnightly",
            selection="by lot: stratified lottery from volunteers (age, gender, area, education)",
            rota_by="the panel officer",
            detail=(
                "Drawn with the same stratified lottery as the national jury, from a pool of "
                "volunteers, to quotas over age, gender, area and education; every member "
                "attends every fortnightly meeting."
            ),
        ),
    ),
)
"""A local body: 40 citizens drawn by lot, one per seat, meeting fortnightly."""

BODIES: Mapping[str, Body] = {NATIONAL.key: NATIONAL, LOCAL_HEALTH_PANEL.key: LOCAL_HEALTH_PANEL}


# -- bodies from TOML ----------------------------------------------------------------------------

_BODY_FIELDS = {
    "key": str,
    "title": str,
    "expected_seats": int,
    "description": str,
    "headline_people": int,
    "categories": list,
}
_BODY_REQUIRED = ("key", "title", "expected_seats", "categories")
_CATEGORY_FIELDS = {
    "key": str,
    "title": str,
    "seats": int,
    "sharers_per_seat": int,
    "cycle": str,
    "selection": str,
    "rota_by": str,
    "people": int,
    "unit": str,
    "detail": str,
    "note": str,
    "subunits": list,
}
_CATEGORY_REQUIRED = ("key", "title", "seats", "sharers_per_seat", "cycle", "selection", "rota_by")
_SUBUNIT_FIELDS = {"name": str, "seats": int, "group": str, "rota_by": str}
_SUBUNIT_REQUIRED = ("name", "seats")
_TYPE_NAMES = {str: "a text", int: "a whole number", list: "a list of tables"}


def _fields(
    where: str,
    table: object,
    fields: Mapping[str, type],
    required: Sequence[str],
    problems: list[str],
) -> dict[str, Any]:
    """The known, well-typed fields of one TOML table; each problem is appended with its place."""
    if not isinstance(table, dict):
        problems.append(f"{where}: expected a table, not {table!r}")
        return {}
    out: dict[str, Any] = {}
    for name, value in table.items():
        kind = fields.get(name)
        if kind is None:
            problems.append(f"{where}: unknown field {name!r} (fields: {', '.join(fields)})")
        elif isinstance(value, bool) or not isinstance(value, kind):
            problems.append(f"{where}.{name}: expected {_TYPE_NAMES[kind]}, not {value!r}")
        else:
            out[name] = value
    for name in required:
        if name not in table:
            problems.append(f"{where}.{name}: missing")
    return out


def body_from_dict(data: Mapping[str, Any], source: str = "body") -> Body:
    """A `Body` from parsed TOML (or JSON-like) data; problems name ``source`` and the field."""
    problems: list[str] = []
    top = _fields("body", dict(data), _BODY_FIELDS, _BODY_REQUIRED, problems)
    categories: list[Category] = []
    for i, raw in enumerate(top.get("categories", []), 1):
        label = raw.get("key") if isinstance(raw, dict) else None
        where = f"categories[{i}]" + (f" ({label!r})" if isinstance(label, str) else "")
        cat = _fields(where, raw, _CATEGORY_FIELDS, _CATEGORY_REQUIRED, problems)
        subunits = []
        for j, sub_raw in enumerate(cat.get("subunits", []), 1):
            sub = _fields(
                f"{where}.subunits[{j}]", sub_raw, _SUBUNIT_FIELDS, _SUBUNIT_REQUIRED, problems
            )
            if all(name in sub for name in _SUBUNIT_REQUIRED):
                subunits.append(SubUnit(**sub))
        cat["subunits"] = tuple(subunits)
        if all(name in cat for name in _CATEGORY_REQUIRED):
            categories.append(Category(**cat))
    if problems:
        raise CompositionError.listing(source, problems)
    top["categories"] = tuple(categories)
    try:
        return Body(**top)
    except CompositionError as exc:
        raise CompositionError.listing(source, exc.problems) from None


def load_body(path: str | Path) -> Body:
    """Read a body from a TOML file (see ``chamber/bodies/local-health-panel.toml``).

    Every error names the file and, where there is one, the field.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CompositionError(f"{path}: cannot read the file ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise CompositionError(f"{path}: not UTF-8 text ({exc.reason})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CompositionError(f"{path}: not valid TOML: {exc}") from None
    return body_from_dict(data, str(path))


def get_body(key_or_path: str | Path) -> Body:
    """A built-in body by key (`BODIES`), or a body read from a TOML file by path."""
    if isinstance(key_or_path, str) and key_or_path in BODIES:
        return BODIES[key_or_path]
    path = Path(key_or_path)
    if path.suffix.lower() == ".toml" or path.exists():
        return load_body(path)
    raise CompositionError(
        f"unknown body {str(key_or_path)!r}: use one of {', '.join(BODIES)} "
        "or the path of a .toml file"
    )
