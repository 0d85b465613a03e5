"""The national chamber's 25 interest assemblies are registered from its composition, two seats
each, every seat of the assemblies' category held by one assembly; registering twice is refused
and stores nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from chamber.assemblies.services import assemblies_of, install_assemblies
from chamber.bodies.builtin import NATIONAL
from chamber.bodies.services import install_body, seats_with_categories
from chamber.db import perform, read
from chamber.errors import Conflict

MONDAY = date(2027, 3, 1)
NOW = datetime(2027, 1, 4, 9, tzinfo=UTC)


def test_the_national_assemblies_hold_the_fifty_assembly_seats(engine):
    perform(engine, install_body, NATIONAL, MONDAY)
    assert perform(engine, install_assemblies, "national", names_from=MONDAY, now=NOW) == 25
    found = read(engine, assemblies_of, "national")
    assert len(found) == 25
    assert {len(a.seats) for a in found} == {2}
    assert {a.sector for a in found} == {"economy", "professions", "knowledge", "culture",
                                        "honours", "service"}
    seats = read(engine, seats_with_categories, "national")
    held = [code for a in found for code in a.seats]
    assert len(set(held)) == 50
    assert {seats[code][1].key for code in held} == {"assemblies"}
    with pytest.raises(Conflict, match="is held by the assembly"):
        perform(engine, install_assemblies, "national", names_from=MONDAY, now=NOW)
    assert len(read(engine, assemblies_of, "national")) == 25
