"""The other shares the chamber's composition needs: youth seats between student unions and local
STV places between district councils (the seed proposal, SPEC.md "Composition").

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
from dataclasses import dataclass
from typing import Any

from electoral.errors import CountError
from electoral.lots import Lots, new_seed
from electoral.party_list import DIVISOR_METHODS, Allocation, LotDraw, allocate, divisor_apportion

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
class DistrictLine:
    name: str
    population: int
    places: int
    people_per_place: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "population": self.population,
            "places": self.places,
            "people_per_place": self.people_per_place,
        }


@dataclass(frozen=True, slots=True)
class DistrictPlaces:
    """Local STV places by district, with the minimum applied and the working."""

    method: str
    places: int
    minimum: int
    population: int
    districts: tuple[DistrictLine, ...]
    ties: tuple[LotDraw, ...]
    seed: str

    @property
    def people_per_place(self) -> int:
        return round(self.population / self.places)

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "places": self.places,
            "minimum": self.minimum,
            "population": self.population,
            "people_per_place": self.people_per_place,
            "districts": [d.as_dict() for d in self.districts],
            "ties": [t.as_dict() for t in self.ties],
            "seed": self.seed,
        }


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
    if method not in DIVISOR_METHODS:
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
