"""Business planned into sittings, invitations and speeches, with every refusal and its reason;
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chamber.business.services import invite, plan_business, speak
from chamber.business.views import sitting_view
from chamber.db import perform, read
from chamber.errors import Invalid, NotFound, Refused


def test_business_is_planned_a_month_ahead_and_urgent_only_on_saturday_afternoons(world):
    engine = world.engine
    sittings = world.sittings()
    weekday = next(s for s in sittings if not s.urgent_only)
    saturday_pm = next(s for s in sittings if s.urgent_only)
    day = weekday.starts_at.date()
    early = day - timedelta(days=40)
    assert perform(engine, plan_business, weekday.id, "Budget", planned_on=early, by="clerk")
    with pytest.raises(Refused, match="a month ahead"):
        perform(engine, plan_business, weekday.id, "Late", planned_on=day - timedelta(days=3),
                by="clerk")
    with pytest.raises(Refused, match="only in a Saturday-afternoon slot"):
        perform(engine, plan_business, weekday.id, "Flood", planned_on=day, by="clerk",
                urgent=True)
    with pytest.raises(Refused, match="kept for urgent business"):
        perform(engine, plan_business, saturday_pm.id, "Ordinary", planned_on=early, by="c")
    assert perform(
        engine, plan_business, saturday_pm.id, "Flood",
        planned_on=saturday_pm.starts_at.date(), by="clerk", urgent=True,
    )
    with pytest.raises(Invalid, match="needs a title"):
        perform(engine, plan_business, weekday.id, " ", planned_on=early, by="clerk")
    with pytest.raises(NotFound, match="no sitting 9999"):
        perform(engine, plan_business, 9999, "Budget", planned_on=early, by="clerk")


def test_only_rostered_or_invited_members_speak(world):
    engine = world.engine
    sitting = next(s for s in world.sittings() if not s.urgent_only)
    roster = world.roster(sitting.id)
    everyone = {f"S{s:03d}-{k}" for s in range(3) for k in range(2)}
    outsider = sorted(everyone - set(roster.values()))[0]
    day = sitting.starts_at.date()
    debate = perform(
        engine, plan_business, sitting.id, "Budget", planned_on=day - timedelta(days=40),
        by="clerk",
    )
    during = sitting.starts_at + timedelta(minutes=30)
    if roster:
        speaker = next(iter(roster.values()))
        assert perform(engine, speak, debate, speaker, "I rise", during)
        with pytest.raises(Refused, match="needs no invitation"):
            perform(engine, invite, sitting.id, speaker, "a committee meeting", "x")
    with pytest.raises(Refused, match="no invitation"):
        perform(engine, speak, debate, outsider, "May I?", during)
    with pytest.raises(Invalid, match="an invitation is for"):
        perform(engine, invite, sitting.id, outsider, "a whim", "")
    perform(engine, invite, sitting.id, outsider, "a specific contribution", "flood data")
    assert perform(engine, speak, debate, outsider, "The data show", during)
    with pytest.raises(Refused, match="during the sitting"):
        perform(engine, speak, debate, outsider, "Late", during + timedelta(hours=9))
    view = read(engine, sitting_view, sitting.id)
    assert [sp.member for sp in view.agenda[0].speeches][-1] == outsider
    assert view.invitations[0].member == outsider
    assert len(view.seats) == len(roster)
