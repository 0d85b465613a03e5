"""A division of a sitting of the small panel, its roster, and registered public voters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chamber.db import perform
from chamber.divisions.lifecycle import create_division
from chamber.divisions.voters import register_voter

T0 = datetime(2027, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def sitting(world):
    """A sitting of the panel with at least two seats filled, and its roster."""
    for s in world.sittings():
        roster = world.roster(s.id)
        if len(roster) >= 2:
            return s, roster
    raise AssertionError("the rota left every sitting nearly empty")


@pytest.fixture
def division(world, sitting):
    s, _ = sitting
    return perform(
        world.engine, create_division, "That the Bill be read a second time",
        ["content", "not content"], s.starts_at, s.starts_at + timedelta(hours=2),
        sitting_id=s.id, now=s.starts_at - timedelta(hours=1),
    )


@pytest.fixture
def voters(engine):
    for name in [*"abcdefgv", "v1"]:
        perform(engine, register_voter, name, T0 - timedelta(days=1))


@pytest.fixture
def t(sitting):
    start = sitting[0].starts_at
    return lambda minutes: start + timedelta(minutes=minutes)
