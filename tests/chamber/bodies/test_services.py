"""Installing a body, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from chamber.bodies.services import bodies, install_body
from chamber.clock import LONDON
from chamber.db import perform, read
from chamber.errors import Conflict, Invalid
from chamber.sittings.services import extend_calendar, sittings_between
from tests.chamber.conftest import MONDAY, SMALL


def test_a_body_cannot_be_installed_twice(engine):
    assert perform(engine, install_body, SMALL, MONDAY) == 3
    with pytest.raises(Conflict, match="already installed"):
        perform(engine, install_body, SMALL, MONDAY)
    assert read(engine, bodies) == [SMALL.key]


def test_a_body_calendar_starts_on_a_monday_and_its_sittings_follow_its_pattern(engine):
    with pytest.raises(Invalid, match="starts on a Monday"):
        perform(engine, install_body, SMALL, MONDAY + timedelta(days=1))
    perform(engine, install_body, SMALL, MONDAY)
    assert perform(engine, extend_calendar, SMALL.key, MONDAY + timedelta(days=27)) == 4
    assert perform(engine, extend_calendar, SMALL.key, MONDAY + timedelta(days=27)) == 0
    found = read(engine, sittings_between, datetime(2027, 3, 1, tzinfo=UTC),
                 datetime(2027, 4, 1, tzinfo=UTC))
    assert [(s.day, s.session, s.urgent_only) for s in found] == [
        (date(2027, 3, 1), "morning", False), (date(2027, 3, 13), "evening", True),
        (date(2027, 3, 15), "morning", False), (date(2027, 3, 27), "evening", True),
    ]
    # Monday 1 March: 08:00 GMT; Saturday 27 March: 16:00 GMT (the clocks change the next day)
    assert found[0].starts_at == datetime(2027, 3, 1, 8, tzinfo=UTC)
    assert found[3].ends_at == datetime(2027, 3, 28, 0, tzinfo=UTC)


def test_sittings_keep_london_wall_time_across_the_clock_changes(engine):
    perform(engine, install_body, SMALL, date(2027, 3, 22))
    perform(engine, extend_calendar, SMALL.key, date(2027, 11, 30))
    found = read(engine, sittings_between, datetime(2027, 3, 1, tzinfo=UTC),
                 datetime(2027, 12, 1, tzinfo=UTC))
    mornings = [s for s in found if s.session == "morning"]
    for s in mornings:
        local = s.starts_at.astimezone(LONDON)
        assert (local.hour, local.minute) == (8, 0), s
        summer = date(2027, 3, 28) <= s.day < date(2027, 10, 31)
        assert s.starts_at.astimezone(UTC).hour == (7 if summer else 8), s
    saturdays = [s for s in found if s.session == "evening"]
    assert all(s.ends_at.astimezone(LONDON).hour == 0 for s in saturdays)
