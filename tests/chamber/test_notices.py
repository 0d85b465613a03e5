"""Members are told on the site of a swap request and its answer, and of business planned into
a sitting they hold (issue 21, notifications); members without accounts are skipped; on both
databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chamber.accounts.services import create_account
from chamber.business.services import plan_business
from chamber.db import perform, read
from chamber.notices.services import notices_for
from chamber.rotas.roster import member_slots
from chamber.rotas.swaps import answer_swap, request_swap

NOW = datetime(2027, 2, 1, tzinfo=UTC)


def _account(engine, member: str) -> int:
    return perform(engine, create_account, member.lower(), "a long password", "member", NOW,
                   member_id=member).id


def test_a_swap_request_and_its_answer_are_told_to_the_other_member(world):
    engine = world.engine
    asker, asked = _account(engine, "S002-0"), _account(engine, "S002-1")
    a = read(engine, member_slots, "S002-0", NOW)[0].sitting
    b = read(engine, member_slots, "S002-1", NOW)[0].sitting
    request = perform(engine, request_swap, "S002-0", a, "S002-1", b, NOW)
    [told] = read(engine, notices_for, asked)
    assert told.subject == "A swap request"
    assert "S002-0 asks to exchange" in told.text
    assert told.link == "/me/rota"
    assert read(engine, notices_for, asker) == []
    perform(engine, answer_swap, request, "S002-1", False, NOW)
    [answered] = read(engine, notices_for, asker)
    assert answered.subject == "Your swap request was declined"


def test_business_planned_into_a_sitting_is_told_to_those_rostered(world):
    engine = world.engine
    member, slot = next(
        (m, s) for m in ("S000-0", "S000-1", "S001-0", "S001-1")
        for s in read(engine, member_slots, m, NOW) if not s.urgent_only
    )
    account = _account(engine, member)
    planned_on = slot.starts_at - timedelta(days=40)
    perform(engine, plan_business, slot.sitting, "The Estimates", now=planned_on, by="clerk")
    told = [
        n for n in read(engine, notices_for, account) if n.subject == "Business in your sitting"
    ]
    assert len(told) == 1
    assert "'The Estimates' is planned for your sitting" in told[0].text
    assert told[0].link == f"/sittings/{slot.sitting}"
