"""Members of a body: every problem listed and nothing stored; roles; on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from chamber.bodies.models import Seat
from chamber.bodies.services import install_body
from chamber.db import perform, read
from chamber.errors import Invalid, NotFound
from chamber.membership.services import NewMember, add_members, declare_unavailable, roles, set_role
from chamber.rotas.changes import end_service
from tests.chamber.conftest import MONDAY, SMALL


def test_adding_members_lists_every_problem_and_stores_nothing(engine):
    perform(engine, install_body, SMALL, MONDAY)
    bad = [
        NewMember("x1", "X", "S000", "citizens"),
        NewMember("x2", "X", "S000", "citizens"),
        NewMember("x3", "X", "S000", "citizens"),  # a third sharer
        NewMember("x1", "X", "S001", "citizens"),  # duplicate id
        NewMember("x4", "X", "S999", "citizens"),  # no such seat
        NewMember("x5", "X", "S002", "citizens", role="king"),
    ]
    with pytest.raises(Invalid) as err:
        perform(engine, add_members, SMALL.key, bad)
    message = str(err.value)
    for part in ("already used", "no seat 'S999'", "role 'king'", "seat S000 would have 3"):
        assert part in message
    assert read(engine, roles, SMALL.key) == {}
    with Session(engine) as session:
        assert session.exec(select(Seat)).all()  # the body is still there
    perform(engine, add_members, SMALL.key, bad[:2])
    perform(engine, set_role, "x1", "Speaker")
    assert read(engine, roles, SMALL.key) == {"Speaker": ["x1"]}


def test_members_of_an_uninstalled_body_and_bad_roles_and_sessions_are_refused(engine):
    with pytest.raises(NotFound, match="has no seats"):
        perform(engine, add_members, "nowhere", [NewMember("x", "X", "S000", "c")])
    perform(engine, install_body, SMALL, MONDAY)
    perform(engine, add_members, SMALL.key, [NewMember("x", "X", "S000", "c")])
    with pytest.raises(Invalid, match="role 'king'"):
        perform(engine, set_role, "x", "king")
    with pytest.raises(NotFound, match="no member 'y'"):
        perform(engine, set_role, "y", "whip")
    with pytest.raises(Invalid, match="session must be one of evening, morning"):
        perform(engine, declare_unavailable, "x", [(date(2027, 3, 1), "night")])


def test_a_seat_may_have_more_sharers_over_time_but_not_at_once(engine):
    perform(engine, install_body, SMALL, MONDAY)
    perform(engine, add_members, SMALL.key, [NewMember("a", "A", "S000", "c"),
                                             NewMember("b", "B", "S000", "c")])
    late = NewMember("c", "C", "S000", "c", serves_from=date(2027, 6, 1))
    with pytest.raises(Invalid, match="S000 would have 3 sharers serving on 2027-06-01"):
        perform(engine, add_members, SMALL.key, [late])
    perform(engine, end_service, "a", date(2027, 5, 31), datetime(2027, 5, 1, tzinfo=UTC))
    perform(engine, add_members, SMALL.key, [late])
