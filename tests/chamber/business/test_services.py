"""Business planned into sittings, invitations and speeches, attendance, with every refusal and
its reason; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chamber.business.services import invite, plan_business, record_attendance, speak
from chamber.business.views import sitting_view
from chamber.db import perform, read
from chamber.errors import Conflict, Forbidden, Invalid, NotFound, Refused
from chamber.membership.services import set_role
from chamber.officers.services import appoint

EARLY = datetime(2027, 1, 20, 9, tzinfo=UTC)  # more than a month before the sittings


def test_business_is_planned_a_month_ahead_and_urgent_only_on_saturday_afternoons(world):
    engine = world.engine
    monday, saturday_pm = world.sittings()
    assert not monday.urgent_only
    assert saturday_pm.urgent_only
    assert perform(engine, plan_business, monday.id, "Budget", now=EARLY, by="clerk")
    late = monday.starts_at - timedelta(days=3)
    with pytest.raises(Refused, match="a month ahead"):
        perform(engine, plan_business, monday.id, "Late", now=late, by="clerk")
    with pytest.raises(Refused, match="only in a Saturday-afternoon slot"):
        perform(engine, plan_business, monday.id, "Flood", now=late, by="clerk", urgent=True)
    with pytest.raises(Refused, match="kept for urgent business"):
        perform(engine, plan_business, saturday_pm.id, "Ordinary", now=EARLY, by="c")
    on_the_day = saturday_pm.starts_at - timedelta(hours=2)
    assert perform(engine, plan_business, saturday_pm.id, "Flood", now=on_the_day, by="clerk",
                   urgent=True)
    with pytest.raises(Invalid, match="needs a title"):
        perform(engine, plan_business, monday.id, " ", now=EARLY, by="clerk")
    with pytest.raises(NotFound, match="no sitting 9999"):
        perform(engine, plan_business, 9999, "Budget", now=EARLY, by="clerk")


def test_business_for_a_sitting_that_has_begun_is_refused(world):
    monday, saturday_pm = world.sittings()
    after = saturday_pm.starts_at + timedelta(minutes=5)
    with pytest.raises(Refused, match="has already begun"):
        perform(world.engine, plan_business, saturday_pm.id, "Flood", now=after, by="clerk",
                urgent=True)
    with pytest.raises(Refused, match="has already begun"):
        perform(world.engine, plan_business, monday.id, "Old", now=after, by="clerk")


def _setting(world):
    monday = world.sittings()[0]
    roster = world.roster(monday.id)
    everyone = {f"S{s:03d}-{k}" for s in range(3) for k in range(2)}
    outsider = sorted(everyone - set(roster.values()))[0]
    speaker = sorted(everyone - set(roster.values()) - {outsider})[0]
    perform(world.engine, set_role, speaker, "Speaker")  # a label: the office is what counts
    perform(world.engine, appoint, "test-panel", "Speaker", speaker, holds_from=monday.day,
            by="clerk", now=EARLY)
    return monday, roster, outsider, speaker


def test_only_rostered_or_invited_members_speak(world):
    engine = world.engine
    sitting, roster, outsider, speaker = _setting(world)
    debate = perform(engine, plan_business, sitting.id, "Budget", now=EARLY, by="clerk")
    during = sitting.starts_at + timedelta(minutes=30)
    member = next(iter(roster.values()))
    assert perform(engine, speak, debate, member, "I rise", during)
    before = sitting.starts_at - timedelta(hours=1)  # the Speaker holds office from that day
    with pytest.raises(Refused, match="needs no invitation"):
        perform(engine, invite, sitting.id, member, "a committee meeting", "x", by=speaker,
                now=before)
    with pytest.raises(Refused, match="no invitation"):
        perform(engine, speak, debate, outsider, "May I?", during)
    with pytest.raises(Invalid, match="an invitation is for"):
        perform(engine, invite, sitting.id, outsider, "a whim", "", by=speaker, now=before)
    with pytest.raises(Forbidden, match="may not invite members: that is for the Speaker"):
        perform(engine, invite, sitting.id, outsider, "a specific contribution", "",
                by=member, now=before)
    with pytest.raises(Forbidden, match="does not serve in test-panel on Wed 20 Jan 2027"):
        perform(engine, invite, sitting.id, outsider, "a specific contribution", "",
                by=speaker, now=EARLY)
    perform(engine, invite, sitting.id, outsider, "a specific contribution", "flood data",
            by=speaker, now=before)
    with pytest.raises(Conflict, match="already invited"):
        perform(engine, invite, sitting.id, outsider, "a specific contribution", "again",
                by=speaker, now=before)
    assert perform(engine, speak, debate, outsider, "The data show", during)
    with pytest.raises(Refused, match="during the sitting"):
        perform(engine, speak, debate, outsider, "Late", during + timedelta(hours=9))
    with pytest.raises(Refused, match="is over"):
        perform(engine, invite, sitting.id, speaker, "a committee meeting", "",
                by=speaker, now=sitting.ends_at)
    view = read(engine, sitting_view, sitting.id)
    assert [sp.member for sp in view.agenda[0].speeches][-1] == outsider
    assert view.invitations[0].member == outsider
    assert len(view.seats) == len(roster)


def test_the_clerk_records_who_attended_and_how(world):
    engine = world.engine
    sitting, roster, outsider, speaker = _setting(world)
    during = sitting.starts_at + timedelta(minutes=10)
    member = next(iter(roster.values()))
    with pytest.raises(Refused, match="has not begun"):
        perform(engine, record_attendance, sitting.id, member, "rostered", by="clerk", now=EARLY)
    perform(engine, record_attendance, sitting.id, member, "rostered", by="clerk", now=during)
    with pytest.raises(Refused, match="is not rostered"):
        perform(engine, record_attendance, sitting.id, outsider, "rostered", by="clerk",
                now=during)
    with pytest.raises(Refused, match="no invitation from the Speaker"):
        perform(engine, record_attendance, sitting.id, outsider, "invited", by="clerk",
                now=during)
    perform(engine, invite, sitting.id, outsider, "a committee meeting", "housing",
            by=speaker, now=during)
    perform(engine, record_attendance, sitting.id, outsider, "invited", by="clerk", now=during)
    with pytest.raises(Refused, match="may not attend without a vote"):
        perform(engine, record_attendance, sitting.id, outsider, "without a vote", by="clerk",
                now=during)  # no office: only the Speaker's invitation lets them in
    perform(engine, record_attendance, sitting.id, speaker, "without a vote", by="clerk",
            now=during)
    with pytest.raises(Refused, match="record them as rostered"):
        perform(engine, record_attendance, sitting.id, member, "without a vote", by="clerk",
                now=during)
    with pytest.raises(Invalid, match="attendance is"):
        perform(engine, record_attendance, sitting.id, member, "asleep", by="clerk", now=during)
    view = read(engine, sitting_view, sitting.id)
    kinds = {a.member: (a.kind, a.reason) for a in view.attendance}
    assert kinds == {
        member: ("rostered", ""),
        outsider: ("invited", "a committee meeting"),
        speaker: ("without a vote", ""),
    }
