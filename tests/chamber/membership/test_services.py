"""Members of a body: every problem listed and nothing stored; roles; on both databases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from chamber.bodies.models import Seat
from chamber.bodies.services import install_body
from chamber.db import perform, read
from chamber.errors import Invalid, NotFound
from chamber.membership.services import NewMember, add_members, declare_unavailable, roles, set_role
from tests.chamber.conftest import SMALL


def test_adding_members_lists_every_problem_and_stores_nothing(engine):
    perform(engine, install_body, SMALL)
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
    perform(engine, install_body, SMALL)
    perform(engine, add_members, SMALL.key, [NewMember("x", "X", "S000", "c")])
    with pytest.raises(Invalid, match="role 'king'"):
        perform(engine, set_role, "x", "king")
    with pytest.raises(NotFound, match="no member 'y'"):
        perform(engine, set_role, "y", "whip")
    with pytest.raises(Invalid, match="morning or evening"):
        perform(engine, declare_unavailable, "x", [(date(2027, 3, 1), "night")])
