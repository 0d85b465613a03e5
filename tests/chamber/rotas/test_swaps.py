"""Swaps name the sittings they exchange: refused once either has changed hands or begun,
withdrawable by the asker, at most one pending per sitting; on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from chamber.db import perform, read
from chamber.errors import Conflict, NotFound, Refused
from chamber.membership.services import NewMember
from chamber.rotas.changes import replace_member
from chamber.rotas.roster import member_slots
from chamber.rotas.swaps import answer_swap, request_swap, withdraw_swap
from chamber.rotas.views import member_rota_view

NOW = datetime(2027, 2, 1, tzinfo=UTC)


def _sitting(engine, member):
    return read(engine, member_slots, member, NOW)[0].sitting


def test_a_swap_exchanges_the_two_named_sittings_on_acceptance(world):
    engine = world.engine
    a, b = _sitting(engine, "S000-0"), _sitting(engine, "S000-1")
    request = perform(engine, request_swap, "S000-0", a, "S000-1", b, NOW)
    view = read(engine, member_rota_view, "S000-1", NOW)
    assert view.swaps[0].incoming
    assert view.swaps[0].from_starts_at is not None
    assert view.swaps[0].to_starts_at is not None
    with pytest.raises(NotFound, match="no swap request"):
        perform(engine, answer_swap, request, "S000-0", True, NOW)  # only the asked answers
    assert perform(engine, answer_swap, request, "S000-1", True, NOW) == "accepted"
    assert (_sitting(engine, "S000-0"), _sitting(engine, "S000-1")) == (b, a)
    with pytest.raises(Refused, match="already accepted"):
        perform(engine, answer_swap, request, "S000-1", True, NOW)


def test_one_pending_request_a_sitting_and_the_asker_may_withdraw(world):
    engine = world.engine
    a, b = _sitting(engine, "S001-0"), _sitting(engine, "S001-1")
    first = perform(engine, request_swap, "S001-0", a, "S001-1", b, NOW)
    with pytest.raises(Conflict, match="already in a pending swap request"):
        perform(engine, request_swap, "S001-1", b, "S001-0", a, NOW)
    with pytest.raises(NotFound, match="no swap request"):
        perform(engine, withdraw_swap, first, "S001-1", NOW)  # only the asker withdraws
    perform(engine, withdraw_swap, first, "S001-0", NOW)
    with pytest.raises(Refused, match="already withdrawn"):
        perform(engine, answer_swap, first, "S001-1", True, NOW)
    again = perform(engine, request_swap, "S001-1", b, "S001-0", a, NOW)
    assert perform(engine, answer_swap, again, "S001-0", False, NOW) == "declined"


def test_a_swap_is_refused_once_a_sitting_has_changed_hands(world):
    engine = world.engine
    a, b = _sitting(engine, "S002-0"), _sitting(engine, "S002-1")
    request = perform(engine, request_swap, "S002-0", a, "S002-1", b, NOW)
    joiner = NewMember("S002-9", "New", "S002", "citizens", serves_from=date(2027, 2, 10))
    perform(engine, replace_member, "S002-1", joiner, NOW)  # S002-9 now holds b
    assert perform(engine, answer_swap, request, "S002-1", True, NOW) == "refused"
    view = read(engine, member_rota_view, "S002-0", NOW)
    assert "no longer sits in sitting" in view.swaps[0].reason
    with pytest.raises(Refused, match="no longer sits in sitting"):
        perform(engine, request_swap, "S002-0", a, "S002-1", b, NOW)


def test_a_swap_of_a_sitting_that_has_begun_is_refused(world):
    engine = world.engine
    a, b = _sitting(engine, "S000-0"), _sitting(engine, "S000-1")
    later = datetime(2027, 3, 1, 9, tzinfo=UTC)  # the Monday sitting is under way
    with pytest.raises(Refused, match="has begun"):
        perform(engine, request_swap, "S000-0", a, "S000-1", b, later)
    request = perform(engine, request_swap, "S000-0", a, "S000-1", b, NOW)
    assert perform(engine, answer_swap, request, "S000-1", True, later) == "refused"


def test_swaps_are_between_sharers_of_one_seat_in_one_cycle(world):
    engine = world.engine
    with pytest.raises(Refused, match=r"no longer sits|sharers of one seat"):
        perform(engine, request_swap, "S000-0", _sitting(engine, "S000-0"), "S001-0",
                _sitting(engine, "S001-0"), NOW)
