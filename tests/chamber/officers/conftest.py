"""A small body with officers: two party seats (the Red and the Blue groups) and two seats of the
Capital assembly, three sharers a seat and three sittings a fortnight (so a rota period is one
fortnight), members serving from January so that officers act before the first sitting; the
Speaker, a deputy, a whip for each group and the assembly's officer appointed; the assembly's
delegates named for the first fortnight and its rota published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from chamber.assemblies.services import install_assemblies
from chamber.bodies import composition
from chamber.bodies.pattern import SittingSpec
from chamber.bodies.services import install_body
from chamber.db import perform, read
from chamber.membership.services import NewMember, add_members
from chamber.officers.delegates import Naming, name_delegates
from chamber.officers.services import appoint
from chamber.rotas.roster import rostered
from chamber.rotas.services import solve_and_publish
from chamber.sittings.services import SittingSummary, extend_calendar, sittings_between

KEY = "officers-test"
MONDAY = date(2027, 3, 1)
SERVING = date(2027, 1, 4)
LEAD = 42  # the rota of a period is published 42 days ahead; delegates named the day before
JANUARY = datetime(2027, 1, 10, 12, tzinfo=UTC)

BODY = composition.Body(
    key=KEY, title="A body with officers", expected_seats=4,
    categories=(
        composition.Category(key="party", title="Party", seats=2, sharers_per_seat=3,
                             cycle="fortnightly", selection="party lists",
                             rota_by="each party group"),
        composition.Category(key="assemblies", title="Interest assemblies", seats=2,
                             sharers_per_seat=3, cycle="fortnightly",
                             selection="named by the assembly", rota_by="each assembly",
                             subunits=(composition.SubUnit("Capital", 2, "economy"),)),
    ),
    sittings=(
        SittingSpec(week=1, day="Monday", session="morning"),
        SittingSpec(week=1, day="Wednesday", session="morning"),
        SittingSpec(week=2, day="Monday", session="morning"),
    ),
)
GROUPS = {"S000": "Red", "S001": "Blue", "S002": "assemblies", "S003": "assemblies"}
MEMBERS = [NewMember(f"{seat}-{k}", f"Member {seat}-{k}", seat, group, serves_from=SERVING)
           for seat, group in GROUPS.items() for k in range(3)]
SPEAKER, DEPUTY, RED_WHIP, BLUE_WHIP, OFFICER = "S000-0", "S001-0", "S000-1", "S001-1", "S002-0"


@dataclass(frozen=True)
class World:
    engine: Engine
    assembly: int
    rota: int  # the first fortnight's, published

    def sittings(self, first: date = MONDAY, days: int = 14) -> list[SittingSummary]:
        start = datetime.combine(first, datetime.min.time(), UTC)
        return read(self.engine, sittings_between, start, start + timedelta(days=days))

    def roster(self, sitting_id: int) -> dict[str, str]:
        return read(self.engine, rostered, sitting_id)

    def count(self, model: type) -> int:
        with Session(self.engine) as s:
            return len(s.exec(select(model)).all())


def name_fortnight(engine: Engine, assembly: int, first: date, now: datetime,
                   rotate: int = 0) -> int:
    """Name a delegate for both seats of every sitting of the fortnight from ``first``."""
    start = datetime.combine(first, datetime.min.time(), UTC)
    found = read(engine, sittings_between, start, start + timedelta(days=14))
    namings = [Naming(s.id, seat, f"{seat}-{(i + rotate) % 3}")
               for i, s in enumerate(found) for seat in ("S002", "S003")]
    return perform(engine, name_delegates, OFFICER, assembly, namings, now=now, lead_days=LEAD)


def build(engine: Engine) -> World:
    perform(engine, install_body, BODY, MONDAY)
    perform(engine, add_members, KEY, MEMBERS)
    perform(engine, extend_calendar, KEY, MONDAY + timedelta(weeks=12))
    assembly = perform(engine, install_assemblies, KEY, names_from=MONDAY, now=JANUARY)
    assert assembly == 1
    for office, member, extra in (
        ("Speaker", SPEAKER, {}), ("deputy speaker", DEPUTY, {}), ("whip", RED_WHIP, {}),
        ("whip", BLUE_WHIP, {}), ("assembly officer", OFFICER, {"assembly_id": 1}),
    ):
        perform(engine, appoint, KEY, office, member, holds_from=SERVING, by="clerk",
                now=JANUARY, **extra)
    name_fortnight(engine, 1, MONDAY, JANUARY)
    rota = perform(engine, solve_and_publish, KEY, MONDAY, 1, JANUARY + timedelta(days=8))
    return World(engine, 1, rota)


@pytest.fixture
def world(engine) -> World:
    return build(engine)
