"""Notices through the outbox (issue 21): a member's notices (a swap request, say) and a
follower's are also e-mailed, to the account's own address or else its elector's on the
register, unless the account opted out; never to an account with no address; on both
databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chamber.accounts.contact import contact, set_contact
from chamber.accounts.services import create_account
from chamber.business.services import plan_business
from chamber.db import perform, read
from chamber.divisions.follows import follow_division, follow_subject
from chamber.divisions.lifecycle import create_division, open_division
from chamber.errors import Invalid
from chamber.notices.services import notify_all
from chamber.outbox.services import send_queued, unsent
from chamber.rotas.roster import member_slots
from chamber.rotas.swaps import request_swap
from tests.chamber.conftest import enrol

NOW = datetime(2027, 2, 1, tzinfo=UTC)


def _member_account(engine, member: str) -> int:
    return perform(engine, create_account, member.lower(), "a long password", "member", NOW,
                   member_id=member).id


def _ask_swap(engine) -> None:
    a = read(engine, member_slots, "S002-0", NOW)[0].sitting
    b = read(engine, member_slots, "S002-1", NOW)[0].sitting
    perform(engine, request_swap, "S002-0", a, "S002-1", b, NOW)


def test_a_members_notice_is_queued_as_email_to_their_address(world):
    engine = world.engine
    asked = _member_account(engine, "S002-1")
    _member_account(engine, "S002-0")
    perform(engine, set_contact, asked, " s002-1@example.org ", True)
    _ask_swap(engine)
    [mail] = read(engine, unsent)
    assert mail.to_address == "s002-1@example.org"
    assert mail.subject == "A swap request"
    assert mail.body.startswith("S002-0 asks to exchange")
    assert "how to stop e-mail" in mail.body
    assert mail.link == "/me/rota"
    sent = []
    perform(engine, send_queued, sent.append, "chamber@example.org", NOW,
            site_url="https://chamber.example.org/")
    assert sent[0].get_content().rstrip().endswith("\n\nhttps://chamber.example.org/me/rota")


def test_business_in_a_members_sitting_is_emailed(world):
    engine = world.engine
    slot = next(s for s in read(engine, member_slots, "S001-0", NOW) if not s.urgent_only)
    account = _member_account(engine, "S001-0")
    perform(engine, set_contact, account, "s001-0@example.org", True)
    perform(engine, plan_business, slot.sitting, "The Estimates",
            now=slot.starts_at - timedelta(days=40), by="clerk")
    [mail] = read(engine, unsent)
    assert (mail.to_address, mail.subject, mail.link) == (
        "s001-0@example.org", "Business in your sitting", f"/sittings/{slot.sitting}")
    assert mail.body.startswith("'The Estimates' is planned for your sitting of ")


def test_no_email_when_opted_out_or_without_an_address(world):
    engine = world.engine
    asked = _member_account(engine, "S002-1")
    perform(engine, set_contact, asked, "s002-1@example.org", False)
    _ask_swap(engine)
    assert read(engine, unsent) == []  # opted out
    perform(engine, set_contact, asked, "", True)
    assert read(engine, contact, asked).address == ""
    assert perform(engine, notify_all, [asked], "Your rota", "It is published.", "/me/rota",
                   NOW) == 1
    assert read(engine, unsent) == []  # no address on record
    perform(engine, set_contact, asked, "s002-1@example.org", True)
    perform(engine, notify_all, [asked], "Your rota", "It is published.", "/me/rota", NOW)
    assert [m.subject for m in read(engine, unsent)] == ["Your rota"]


def test_a_follower_is_emailed_at_their_electors_address(world):
    engine = world.engine
    enrol(engine, "E1", "E2", now=NOW, emails={"E1": "e1@example.org"})
    ann = perform(engine, create_account, "ann", "a long password", "public", NOW,
                  elector="E1").id
    bob = perform(engine, create_account, "bob", "a long password", "public", NOW,
                  elector="E2").id
    assert read(engine, contact, ann).address == "e1@example.org"
    sitting = next(s for s in world.sittings() if not s.urgent_only)
    division = perform(engine, create_division, "That the rivers be cleaned",
                       ["content", "not content"], sitting.starts_at,
                       sitting.starts_at + timedelta(hours=1), sitting_id=sitting.id,
                       now=world.now)
    perform(engine, follow_division, ann, division, world.now)
    perform(engine, follow_subject, bob, "rivers", world.now)
    perform(engine, open_division, division, sitting.starts_at)
    [mail] = read(engine, unsent)  # bob has no address
    assert (mail.to_address, mail.subject) == ("e1@example.org", "A division you follow is open")
    assert mail.body.startswith("'That the rivers be cleaned' is open until")
    assert mail.link == f"/divisions/{division}"


@pytest.mark.parametrize("address", ["not an address", "a@b", "a b@example.org",
                                     "a\x00b@example.org", "x" * 250 + "@example.org"])
def test_an_address_that_is_not_one_is_refused_naming_the_field(world, address):
    engine = world.engine
    account = _member_account(engine, "S002-1")
    with pytest.raises(Invalid, match=r"^email: "):
        perform(engine, set_contact, account, address, True)
