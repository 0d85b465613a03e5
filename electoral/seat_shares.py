"""The other shares the chamber's composition needs: youth seats between student unions and local
STV places between district councils (the seed proposal, "The case for a second chamber").

- Youth: half of the 50 youth seats go to student representatives, "divided proportionally
  between student unions" by membership (default Sainte-Laguë, configurable).
- Local STV: 100 seats x 24 = 2,400 places apportioned to district councils by population (about
  one representative per 27,000 people); each district elects its places by STV.  A district gets
  at least 3 places "where the arithmetic allows" — when 3 x districts <= places — so that STV
  has a multi-member constituency to work with; otherwise every district gets at least 1.  The
  minimum is a restriction of the divisor method (Pukelsheim ch. 7): the other places still go by
  the same quotients.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from electoral.errors import CountError
from electoral.lots import Lots, new_seed
from electoral.party_list import DIVISOR_METHODS, Allocation, LotDraw, allocate, divisor_apportion
from electoral.party_list.methods import DivisorMethod
from electoral.plain import Published, one_of

STUDENT_SEATS = 25
LOCAL_PLACES = 2400
LOCAL_MINIMUM = 3


def student_union_seats(
    unions: Sequence[str],
    members: Sequence[int],
    seats: int = STUDENT_SEATS,
    method: str = "sainte-lague",
    seed: str | None = None,
) -> Allocation:
    """The student seats divided between student unions in proportion to their membership."""
    return allocate(unions, members, seats, method, threshold=0, seed=seed)


@dataclass(frozen=True, slots=True)
class DistrictLine(Published):
    """One district's places and how many people each place stands for."""

    name: str
    population: int
    places: int
    people_per_place: int


@dataclass(frozen=True, slots=True)
class DistrictPlaces(Published):
    """Local STV places by district, with the minimum applied and the working (fields in the
    order of the published JSON; ``people_per_place`` overall is derived)."""

    method: DivisorMethod
    places: int
    minimum: int
    population: int
    people_per_place: int = field(init=False)
    districts: tuple[DistrictLine, ...]
    ties: tuple[LotDraw, ...]
    seed: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "people_per_place", round(self.population / self.places))


def district_places(
    districts: Sequence[str],
    population: Sequence[int],
    places: int = LOCAL_PLACES,
    *,
    minimum: int | None = None,
    method: str = "sainte-lague",
    seed: str | None = None,
) -> DistrictPlaces:
    """Apportion local STV places to districts by population, each with a minimum of places
    (3 where 3 x districts <= places, else 1, unless ``minimum`` is given)."""
    if len(districts) != len(population):
        raise CountError("there must be one population per district")
    if len(set(districts)) != len(districts):
        raise CountError("a district appears twice")
    if not districts:
        raise CountError("no districts")
    if not one_of(method, DIVISOR_METHODS):
        raise CountError(f"districts use a divisor method: {', '.join(DIVISOR_METHODS)}")
    if any(p <= 0 for p in population):
        raise CountError("every district needs a positive population")
    floor = minimum
    if floor is None:
        floor = LOCAL_MINIMUM if LOCAL_MINIMUM * len(districts) <= places else 1
    if floor * len(districts) > places:
        raise CountError(
            f"{len(districts)} districts with at least {floor} places each need "
            f"{floor * len(districts)} places; only {places} are available"
        )
    seed = new_seed() if seed is None else seed
    lots = Lots(seed)
    got, ties = divisor_apportion(
        population, places, method, minimum=[floor] * len(districts), lots=lots, names=districts
    )
    lines = tuple(
        DistrictLine(d, p, g, round(p / g))
        for d, p, g in zip(districts, population, got, strict=True)
    )
    return DistrictPlaces(method, places, floor, sum(population), lines, tuple(ties), seed)
