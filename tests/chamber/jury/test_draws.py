"""The monthly draw from the stored pool, verified from its downloads; refusals (quotas that
cannot be met, order, a serving volunteer); answers, lapses, withdrawals and replacements."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from chamber.accounts.models import Account
from chamber.alerts.services import open_alerts
from chamber.bodies.services import install_body
from chamber.db import perform, read
from chamber.errors import Conflict, Refused
from chamber.jobs import jury_day
from chamber.jury.cycle import announce_seed, draw_cohort, draw_replacement, vacancies
from chamber.jury.lottery import Lottery
from chamber.jury.models import JuryDraw, JuryInvitation, JuryPlace, Volunteer
from chamber.jury.places import answer, lapse, withdraw_entry
from chamber.jury.pool import Entry, available, import_pool, volunteer
from chamber.jury.views import check_jury, draw_pool_csv, draw_quotas_csv, my_entries
from chamber.membership.models import Member
from chamber.settings import Settings
from electoral.sortition.draw import record_from_dict, verify
from electoral.sortition.instance import Quota, build_instance, parse_pool, parse_quotas
from tests.chamber.conftest import public_account
from tests.chamber.jury.conftest import BODY, LEAD, LOTTERY, NOW
from tests.chamber.jury.run import open_invitations

MARCH = "2027-03"


def draw(engine, month=MARCH, seed="4 17 23 31 40 44", lottery=LOTTERY, now=NOW):
    return perform(engine, draw_cohort, lottery, month, seed, now, accept_days=14,
                   lead_months=LEAD)


def test_a_monthly_draw_invites_the_drawn_and_anyone_can_verify_it_from_the_downloads(
    jury_body,
):
    draw_id = draw(jury_body)
    assert len(open_invitations(jury_body, BODY.key)) == 5
    pool_text = read(jury_body, draw_pool_csv, draw_id)
    quotas_text = read(jury_body, draw_quotas_csv, draw_id)
    with Session(jury_body) as s:
        record = record_from_dict(s.get(JuryDraw, draw_id).record)
    quotas, sha = parse_quotas(quotas_text, "quotas.csv")
    inst = build_instance(parse_pool(pool_text, "pool.csv", require_id=True), quotas,
                          record.size, quotas_sha256=sha)
    assert verify(record, inst) == []
    assert record.seed == "4 17 23 31 40 44"
    assert record.pool_size == 200
    assert "Person" not in pool_text


def test_a_draw_whose_quotas_cannot_be_met_names_the_least_relaxation(engine):
    perform(engine, install_body, BODY, BODY_MONDAY)
    rows = ["id,name,email,consent,gender,age"]
    rows += [f"m{i},M {i},m{i}@x.org,yes,male,young" for i in range(20)]
    rows += [f"f{i},F {i},f{i}@x.org,yes,female,old" for i in range(20)]
    perform(engine, import_pool, LOTTERY, "p.csv", "\n".join(rows) + "\n", NOW)
    tight = Lottery(LOTTERY.body, "jury", 5, LOTTERY.features, (
        Quota("gender", "female", 2, 3), Quota("gender", "male", 2, 3),
        Quota("age", "young", 4, 4), Quota("age", "old", 1, 1)), LOTTERY.cycle)
    with pytest.raises(Refused) as refused:
        draw(engine, lottery=tight)
    assert "smallest relaxation" in str(refused.value)
    assert "by 1" in str(refused.value)
    with Session(engine) as s:
        assert s.exec(select(JuryDraw)).all() == []


BODY_MONDAY = NOW.date() + timedelta(days=(7 - NOW.weekday()) % 7 + 49)


def test_cohorts_are_drawn_in_order_and_once_with_the_seed_announced(jury_body):
    draw(jury_body)
    with pytest.raises(Refused, match="next cohort of test-jury to draw is 2027-04, not 2027-03"):
        draw(jury_body)
    with pytest.raises(Refused, match="to draw is 2027-04, not 2027-05"):
        draw(jury_body, month="2027-05")
    perform(jury_body, announce_seed, LOTTERY, "2027-04", "announced", NOW)
    with pytest.raises(Conflict, match="announced as 'announced'"):
        draw(jury_body, month="2027-04", seed="another")
    draw(jury_body, month="2027-04", seed="announced")


def test_a_drawn_volunteer_accepts_serves_from_the_first_day_and_cannot_volunteer_again(
    jury_body,
):
    who = public_account(jury_body, "alice", "correct horse battery", NOW)
    entry = Entry("Alice", {"gender": "female", "age": "young"}, True, email="a@x.org")
    perform(jury_body, volunteer, LOTTERY, who.id, entry, NOW)
    for n in range(40):  # draw until Alice is drawn (her chance is about 1 in 40 a month)
        month = f"{2027 + (2 + n) // 12}-{(2 + n) % 12 + 1:02d}"
        draw(jury_body, month=month, seed=f"s{n}")
        mine = read(jury_body, my_entries, who.id)[0].invitations
        if mine:
            break
    [invitation] = mine
    assert perform(jury_body, answer, invitation.id, True, NOW, account_id=who.id) == "accepted"
    with Session(jury_body) as s:
        place = s.exec(select(JuryPlace).where(JuryPlace.member_id.is_not(None))).one()
        member = s.get(Member, place.member_id)
        assert member.serves_from.isoformat() == f"{place.cohort}-01"
        assert member.serves_until.isoformat() < f"{place.term_end}-01"
        account = s.get(Account, who.id)
        assert (account.role, account.member_id) == ("member", member.id)
    with pytest.raises(Refused, match="cannot volunteer again while you serve"):
        perform(jury_body, volunteer, LOTTERY, who.id, entry, NOW)
    refs = {v.ref for v in read(jury_body, available, BODY.key)}
    assert read(jury_body, my_entries, who.id)[0].ref not in refs  # never drawn again
    with pytest.raises(Refused, match="was accepted already"):
        perform(jury_body, answer, invitation.id, False, NOW, account_id=who.id)


def test_a_decline_is_replaced_by_a_draw_that_keeps_the_cohort_within_quotas(jury_body):
    draw(jury_body)
    first = open_invitations(jury_body, BODY.key)[0]
    perform(jury_body, answer, first, False, NOW)
    assert read(jury_body, vacancies, BODY.key, NOW) == [MARCH]
    perform(jury_body, draw_replacement, LOTTERY, MARCH, NOW, accept_days=14)
    for invitation in open_invitations(jury_body, BODY.key):
        perform(jury_body, answer, invitation, True, NOW)
    check = read(jury_body, check_jury, LOTTERY, MARCH)
    assert check.held == 5
    assert [p for p in check.problems if p.startswith("cohort")] == []
    with Session(jury_body) as s:
        kinds = [d.kind for d in s.exec(select(JuryDraw)).all()]
    assert kinds == ["monthly", "replacement"]


def test_an_unanswered_invitation_lapses_and_its_place_is_drawn_again(jury_body):
    draw(jury_body)
    assert perform(jury_body, lapse, BODY.key, NOW + timedelta(days=13)) == 0
    assert perform(jury_body, lapse, BODY.key, NOW + timedelta(days=15)) == 5
    with Session(jury_body) as s:
        statuses = {i.status for i in s.exec(select(JuryInvitation)).all()}
    assert statuses == {"lapsed"}
    assert read(jury_body, vacancies, BODY.key, NOW) == [MARCH]


def test_a_serving_juror_who_withdraws_leaves_after_today_and_is_replaced(jury_body):
    who = public_account(jury_body, "bob", "correct horse battery", NOW)
    draw(jury_body)
    for invitation in open_invitations(jury_body, BODY.key):
        perform(jury_body, answer, invitation, True, NOW)
    with Session(jury_body) as s:
        place = s.exec(select(JuryPlace)).first()
        s.get(Volunteer, place.volunteer_id).account_id = who.id  # the entry is Bob's
        s.commit()
        volunteer_id, member_id = place.volunteer_id, place.member_id
    later = NOW.replace(month=3, day=10)
    perform(jury_body, withdraw_entry, volunteer_id, who.id, later)
    with Session(jury_body) as s:
        assert s.get(Member, member_id).serves_until.isoformat() == "2027-03-10"
    assert read(jury_body, vacancies, BODY.key, later) == [MARCH]


def test_the_job_waits_for_the_announced_seed_and_says_so(jury_body):
    config = Settings(jury_lead_months=LEAD)
    assert jury_day(jury_body, NOW, config, {BODY.key: LOTTERY}) == []
    [alert] = read(jury_body, open_alerts)
    assert alert.kind == "jury draw waiting for its seed"
    assert "announce the public seed of 2027-03" in alert.message
