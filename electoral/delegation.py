"""Inside a party delegation: how its places are split between four routes of selection.

Source: the seed proposal, "The case for a second chamber" (party seats, "After the
transition").  Each party seat is shared by ``sharers`` people (24 in the
national chamber), so a party with S seats has P = sharers x S places.  The places are chosen by
four routes:

==============  ===============================================================  ==============
route           who chooses                                                      share of P
==============  ===============================================================  ==============
nominated       the party                                                        up to 1/4
indirect        the party's elected representatives and governing bodies         up to 1/4
members         the party's members                                              at least 1/4
constituency    the whole electorate in single-member geographic constituencies  at least 1/4
                (an open primary held after the general election)
==============  ===============================================================  ==============

Rounding, when P is not divisible by 4 (this is the rule this module applies):

* "up to a quarter" means **at most floor(P/4)** places;
* "at least a quarter" means **at least ceil(P/4)** places;

so no capped route ever holds more than a true quarter, and no floored route ever holds less.
Two consequences follow.  A delegation needs at least 2 places (members and constituencies each
need at least one).  And when P = 4q + 1 the two floors take 2q + 2 places, so nominated and
indirect together may hold at most 2q - 1, one fewer than their two caps added up: each cap still
holds on its own, but both cannot be reached at once.

The default split (`default_split`) gives the party as many nominated and indirect places as the
rule allows, nominated first: nominated = min(floor(P/4), N), indirect = N - nominated, where
N = min(2 floor(P/4), P - 2 ceil(P/4)); the rest go to members and constituencies, the odd place
(if any) to members.  With 24 sharers P is a multiple of 24 and the default split is simply a
quarter each (6 places per seat to every route).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from electoral.errors import CountError
from electoral.plain import Published, one_of, plain

SHARERS = 24
"""People sharing one seat in the national chamber (one 8-hour slot each in a fortnight)."""

Route = Literal["nominated", "indirect", "members", "constituency"]
NOMINATED: Final = "nominated"
INDIRECT: Final = "indirect"
MEMBERS: Final = "members"
CONSTITUENCY: Final = "constituency"
ROUTES: tuple[Route, ...] = (NOMINATED, INDIRECT, MEMBERS, CONSTITUENCY)
CAPPED: tuple[Route, ...] = (NOMINATED, INDIRECT)  # up to a quarter each
FLOORED: tuple[Route, ...] = (MEMBERS, CONSTITUENCY)  # at least a quarter each

ROUTE_TITLES: Mapping[Route, str] = {
    NOMINATED: "nominated by the party",
    INDIRECT: "elected by the party's elected representatives and governing bodies",
    MEMBERS: "elected by the party's members",
    CONSTITUENCY: (
        "elected by the whole electorate in single-member constituencies "
        "(an open primary after the general election)"
    ),
}

ROUNDING = (
    "'up to a quarter' means at most floor(P/4) places; 'at least a quarter' means at least "
    "ceil(P/4) places (P = seats x sharers), so no capped route exceeds a true quarter and no "
    "floored route falls short of one"
)

DEFAULT_CHOICE = (
    "the most nominated and indirect places the rule allows (nominated first), the rest to "
    "members and constituencies (the odd place to members)"
)


class DelegationError(CountError):
    """A submitted delegation breaks the rule; ``problems`` lists every breach, one per item."""

    def __init__(self, heading: str, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(heading + "".join(f"\n  - {p}" for p in self.problems))


def _floor4(places: int) -> int:
    return places // 4


def _ceil4(places: int) -> int:
    return -(-places // 4)


def _quarter(places: int, rounded: str) -> str:
    """'a quarter of 24' or 'a quarter of 25 is 6.25, rounded down'."""
    if places % 4 == 0:
        return f"a quarter of {places}"
    return f"a quarter of {places} is {places / 4:g}, rounded {rounded}"


def _plural(n: int, word: str = "place") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass(frozen=True, slots=True)
class RouteLimit(Published):
    """The fewest and most places one route may hold in a delegation of ``places`` places.

    ``rule`` is the seed's words ("up to a quarter" or "at least a quarter") and ``quarter`` the
    whole number it sets: the cap (floor(P/4)) or the floor (ceil(P/4)).  ``minimum`` and
    ``maximum`` also count what the other routes' floors leave: members can hold at most
    P - ceil(P/4), because constituencies need at least ceil(P/4).
    """

    route: Route
    title: str
    rule: Literal["up to a quarter", "at least a quarter"]
    quarter: int
    minimum: int
    maximum: int


@dataclass(frozen=True, slots=True)
class RouteLimits(Published):
    """Per-route bounds for a delegation of ``places`` places (see the module's rounding rule).

    ``party_max`` is the most places nominated and indirect may hold together:
    min(2 floor(P/4), P - 2 ceil(P/4)).
    """

    places: int
    routes: Mapping[Route, RouteLimit]  # in the order of ROUTES
    party_max: int
    rounding: str = ROUNDING

    def __getitem__(self, route: Route) -> RouteLimit:
        return self.routes[route]

    def minimum(self, route: Route) -> int:
        return self[route].minimum

    def maximum(self, route: Route) -> int:
        return self[route].maximum


def limits(places: int) -> RouteLimits:
    """The bounds on each route for a delegation of ``places`` places (at least 2)."""
    if isinstance(places, bool) or not isinstance(places, int):
        raise CountError(f"the number of places must be a whole number, not {places!r}")
    if places < 2:
        raise CountError(
            f"a delegation of {_plural(places)} cannot be split: members and constituencies "
            "must each elect at least a quarter (rounded up, so at least 1 place each), "
            "so a delegation needs at least 2 places"
        )
    cap, floor = _floor4(places), _ceil4(places)
    most = places - floor  # a floored route leaves the other floored route its floor
    routes = (
        RouteLimit(NOMINATED, ROUTE_TITLES[NOMINATED], "up to a quarter", cap, 0, cap),
        RouteLimit(INDIRECT, ROUTE_TITLES[INDIRECT], "up to a quarter", cap, 0, cap),
        RouteLimit(MEMBERS, ROUTE_TITLES[MEMBERS], "at least a quarter", floor, floor, most),
        RouteLimit(
            CONSTITUENCY, ROUTE_TITLES[CONSTITUENCY], "at least a quarter", floor, floor, most
        ),
    )
    return RouteLimits(places, {r.route: r for r in routes}, min(2 * cap, places - 2 * floor))


def _places(seats: int, sharers: int) -> int:
    """P = seats x sharers, after checking both are positive whole numbers."""
    problems = []
    for name, value in (("seats", seats), ("sharers", sharers)):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{name} must be a whole number, not {value!r}")
        elif value < 1:
            problems.append(f"{name} must be at least 1, not {value}")
    if problems:
        raise CountError("; ".join(problems))
    return seats * sharers


def _rule_problems(
    rl: RouteLimits, counts: Mapping[Route, int], rejected: frozenset[str] = frozenset()
) -> list[str]:
    """Every breach of the quarter rule and of the total.

    Routes in ``rejected`` (counts already reported as not whole or negative) are not checked
    again, and then the total is not reported either: it would mislead.
    """
    problems = []
    for route in CAPPED:
        n, cap = counts[route], rl[route].quarter
        if route not in rejected and n > cap:
            problems.append(
                f"{route}: {_plural(n)}, more than the {cap} allowed "
                f"({_quarter(rl.places, 'down')}): {n - cap} too many"
            )
    for route in FLOORED:
        n, floor = counts[route], rl[route].quarter
        if route not in rejected and n < floor:
            problems.append(
                f"{route}: {_plural(n)}, fewer than the {floor} required "
                f"({_quarter(rl.places, 'up')}): {floor - n} too few"
            )
    total = sum(counts[r] for r in ROUTES)
    if not rejected and total != rl.places:
        diff = total - rl.places
        how = f"{diff} more" if diff > 0 else f"{-diff} fewer"
        problems.append(
            f"the routes add up to {_plural(total)}, {how} than the delegation's {rl.places}"
        )
    return problems


@dataclass(frozen=True, slots=True)
class DelegationSplit:
    """A valid split of a party delegation's places between the four routes.

    Construction checks the rule (raising `DelegationError`), so a split that exists is valid.
    """

    seats: int
    sharers: int
    nominated: int
    indirect: int
    members: int
    constituency: int

    def __post_init__(self) -> None:
        rl = limits(_places(self.seats, self.sharers))
        problems = _rule_problems(rl, self.counts())
        if problems:
            raise DelegationError(_heading(self.seats, self.sharers), problems)

    @property
    def places(self) -> int:
        return self.seats * self.sharers

    @property
    def limits(self) -> RouteLimits:
        return limits(self.places)

    def counts(self) -> dict[Route, int]:
        """Places per route, in the order of `ROUTES`."""
        return {
            NOMINATED: self.nominated,
            INDIRECT: self.indirect,
            MEMBERS: self.members,
            CONSTITUENCY: self.constituency,
        }

    def as_dict(self) -> dict[str, Any]:
        """The published form groups the four counts and adds the derived places and limits, so
        it is written here rather than derived from the fields."""
        return {
            "seats": self.seats,
            "sharers": self.sharers,
            "places": self.places,
            "counts": self.counts(),
            "limits": plain(self.limits),
            "rounding": ROUNDING,
        }


def _heading(seats: int, sharers: int) -> str:
    return (
        f"the delegation of {_plural(seats, 'seat')} x {_plural(sharers, 'sharer')} = "
        f"{_plural(seats * sharers)} breaks the rule:"
    )


def default_split(seats: int, sharers: int = SHARERS) -> DelegationSplit:
    """The split giving the party the most nominated and indirect places (see the module doc)."""
    places = _places(seats, sharers)
    rl = limits(places)
    cap = _floor4(places)
    nominated = min(cap, rl.party_max)
    indirect = rl.party_max - nominated
    rest = places - rl.party_max
    members = (rest + 1) // 2
    return DelegationSplit(seats, sharers, nominated, indirect, members, rest - members)


def validate_delegation(
    seats: int, counts: Mapping[str, int], sharers: int = SHARERS
) -> DelegationSplit:
    """Check a submitted delegation; raise one `DelegationError` listing every problem.

    ``counts`` maps route names to places; a route left out counts as 0.  The problems reported
    are unknown route names, counts that are not whole numbers or are negative, a capped route
    over its quarter, a floored route under its quarter, and a total other than P.  A plain
    `CountError` is raised instead when seats or sharers are impossible (P < 2).
    """
    places = _places(seats, sharers)
    rl = limits(places)
    problems: list[str] = []
    clean: dict[Route, int] = dict.fromkeys(ROUTES, 0)
    rejected: set[str] = set()
    for route, n in counts.items():
        if not one_of(route, ROUTES):
            problems.append(f"unknown route {route!r} (the routes are {', '.join(ROUTES)})")
        elif isinstance(n, bool) or not isinstance(n, int):
            problems.append(f"{route}: {n!r} is not a whole number of places")
            rejected.add(route)
        elif n < 0:
            problems.append(f"{route}: {n} places; a number of places cannot be negative")
            rejected.add(route)
        else:
            clean[route] = n
    problems.extend(_rule_problems(rl, clean, frozenset(rejected)))
    if problems:
        raise DelegationError(_heading(seats, sharers), problems)
    return DelegationSplit(seats, sharers, **clean)
