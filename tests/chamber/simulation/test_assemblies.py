"""The simulated assemblies' officers name every place of a rota period before its deadline, each
seat's sharers once a cycle and never when they said they cannot sit; what is still unnamed is
reported as missing by `chamber composition --filled`."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlmodel import Session, select

from chamber.assemblies.models import Delegate
from chamber.db import read
from chamber.membership.models import Unavailability
from chamber.routes.views import filled
from chamber.simulation import assemblies
from chamber.sittings.models import Sitting
from tests.chamber.officers.conftest import KEY, LEAD, MONDAY, OFFICER, build

NEXT = MONDAY + timedelta(days=14)  # the period after the published fortnight
DEADLINE = NEXT - timedelta(days=LEAD + 1)


def _missing(world, on: date) -> list[str]:
    report = read(world.engine, filled, KEY, on)
    return next(s for s in report.shares if s.key == "assemblies").missing


def test_an_officer_names_each_sharer_once_a_cycle_avoiding_who_cannot_sit(engine):
    world = build(engine)
    with Session(world.engine) as s:
        first = s.exec(select(Sitting).where(Sitting.day >= NEXT).order_by(Sitting.day)).first()
        first_id = first.id
        s.add(Unavailability(member_id="S002-0", day=first.day, session=first.session))
        s.commit()
    assert "3 places" not in " ".join(_missing(world, DEADLINE))
    assert any("6 places of the rota period from 2027-03-15 have no delegate" in m
               for m in _missing(world, DEADLINE))
    early = DEADLINE - timedelta(days=assemblies.NAMING_DAYS + 1)
    assert assemblies.name_due(world.engine, KEY, {1: OFFICER}, early, LEAD) == 0
    assert assemblies.name_due(world.engine, KEY, {1: OFFICER}, DEADLINE, LEAD) == 6
    with Session(world.engine) as s:
        rows = s.exec(select(Delegate, Sitting).join(Sitting, Sitting.id == Delegate.sitting_id)
                      .where(Sitting.day >= NEXT)).all()
    assert len(rows) == 6  # two seats, three sittings
    assert Counter(d.member_id for d, _ in rows) == Counter(
        f"{seat}-{k}" for seat in ("S002", "S003") for k in range(3))
    assert all(d.member_id != "S002-0" for d, sit in rows if sit.id == first_id)
    assert not any("delegate" in m for m in _missing(world, DEADLINE))
    assert assemblies.name_due(world.engine, KEY, {1: OFFICER}, DEADLINE, LEAD) == 0
