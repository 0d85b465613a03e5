"""A citizens' panel for one decision: the officer sets its remit (question, stratum, size,
quotas, powers, public votes), it is drawn to that size and those quotas from its own pool, its
meetings are stored from its own sitting pattern, and it publishes only what its powers allow;
its public page names its members by pseudonym only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from chamber.bodies import LOCAL_HEALTH_PANEL
from chamber.bodies.services import install_body
from chamber.clock import aware
from chamber.db import perform, read
from chamber.divisions.lifecycle import create_division, open_division
from chamber.errors import Conflict, Invalid, NotFound, Refused
from chamber.jury.citizen_views import panel_page, panels
from chamber.jury.citizens import (
    add_meeting,
    create_panel,
    publish_output,
    schedule_meetings,
    set_public_votes,
)
from chamber.jury.expert_models import PanelOutput, PanelRemit
from chamber.jury.lottery import LOTTERIES
from chamber.jury.models import JuryPlace
from chamber.jury.panel import draw_panel
from chamber.jury.pool import import_pool
from chamber.sittings.models import Sitting
from chamber.sittings.services import extend_calendar
from tests.chamber.conftest import public_account, public_vote
from tests.chamber.jury.conftest import MONDAY, NOW, panel_pool_text

PANEL = LOTTERIES["local-health-panel"]
QUESTION = "Should the county's health and care plan close the two cottage hospitals?"
STRATUM = "residents of the county aged 16 and over"


def half_quotas() -> str:
    rows = [f"{q.feature},{q.value},{q.min // 2},{-(-q.max // 2)}" for q in PANEL.quotas]
    return "feature,value,min,max\n" + "\n".join(rows) + "\n"


@pytest.fixture
def panel_body(engine):
    perform(engine, install_body, LOCAL_HEALTH_PANEL, MONDAY)
    perform(engine, import_pool, PANEL, "panel.csv", panel_pool_text(300), NOW)
    return engine


def test_a_panel_is_drawn_to_its_remit_meets_and_publishes_what_its_powers_allow(panel_body):
    engine = panel_body
    for powers, match in (([], "powers"), (["veto"], "powers"), (["advise", "advise"], "powers")):
        with pytest.raises(Invalid, match=match):
            perform(engine, create_panel, PANEL, QUESTION, STRATUM, powers, NOW)
    with pytest.raises(Invalid, match="question"):
        perform(engine, create_panel, PANEL, " ", STRATUM, ["advise"], NOW)
    with pytest.raises(Invalid, match="quotas: shoe is not a feature"):
        perform(engine, create_panel, PANEL, QUESTION, STRATUM, ["advise"], NOW, size=20,
                quotas_csv="feature,value,min,max\nshoe,left,0,20\n")
    with pytest.raises(Invalid, match="quotas: the lottery of local-health-panel: gender"):
        perform(engine, create_panel, PANEL, QUESTION, STRATUM, ["advise"], NOW, size=20)
    with Session(engine) as s:
        assert s.exec(select(PanelRemit)).all() == []
    perform(engine, create_panel, PANEL, QUESTION, STRATUM, ["scrutinise", "advise"], NOW,
            size=20, quotas_csv=half_quotas())
    with pytest.raises(Conflict, match="has its remit already"):
        perform(engine, create_panel, PANEL, QUESTION, STRATUM, ["advise"], NOW)
    with pytest.raises(Refused, match="not drawn yet"):
        perform(engine, publish_output, PANEL.body, "recommendation", "Keep them", "Both.", NOW)
    perform(engine, draw_panel, PANEL, "2027-03", 6, "4 17 23", NOW, accept_days=14)
    with Session(engine) as s:
        assert len(s.exec(select(JuryPlace)).all()) == 20  # the remit's size, not the file's 40
    assert perform(engine, schedule_meetings, PANEL.body, date(2027, 3, 1), date(2027, 4, 30),
                   "County Hall") == 5  # fortnightly Tuesdays: 2, 16, 30 March, 13, 27 April
    assert perform(engine, schedule_meetings, PANEL.body, date(2027, 3, 1), date(2027, 4, 30),
                   "County Hall") == 0
    extra = perform(engine, add_meeting, PANEL.body, datetime(2027, 5, 8, 9, tzinfo=UTC),
                    datetime(2027, 5, 8, 16, tzinfo=UTC), "Town library", "Hearing evidence")
    with pytest.raises(Invalid, match="ends_at"):
        perform(engine, add_meeting, PANEL.body, NOW, NOW - timedelta(hours=1), "Hall", "")
    with pytest.raises(Refused, match="amendment only with the power to revise"):
        perform(engine, publish_output, PANEL.body, "amendment", "Clause 4", "Delete it.", NOW)
    with pytest.raises(Invalid, match="kind"):
        perform(engine, publish_output, PANEL.body, "decree", "Close them", "Now.", NOW)
    report = perform(engine, publish_output, PANEL.body, "scrutiny report", "The plan examined",
                     "The evidence for closing both is thin.", NOW, meeting_id=extra)
    perform(engine, publish_output, PANEL.body, "recommendation", "Keep one open",
            "Keep the northern hospital open.", NOW)
    with Session(engine) as s:
        assert len(s.exec(select(PanelOutput)).all()) == 2
    perform(engine, set_public_votes, PANEL.body, True)
    page = read(engine, panel_page, PANEL.body)
    assert (page.question, page.stratum, page.size, page.public_votes) == (QUESTION, STRATUM,
                                                                          20, True)
    assert page.allowed == ("scrutiny report", "recommendation")
    assert len(page.members) == 20
    assert all(ref.startswith("v") and " " not in ref for ref, *_ in page.members)
    assert len(page.meetings) == 6
    assert page.outputs[0].id == report
    assert [p.key for p in read(engine, panels)] == [PANEL.body]
    with pytest.raises(NotFound, match="not a citizens' panel"):
        perform(engine, set_public_votes, "nobody", True)


def test_a_remit_comes_before_the_draw_and_a_panel_without_one_draws_to_its_file(panel_body):
    engine = panel_body
    perform(engine, draw_panel, PANEL, "2027-03", 6, "4 17 23", NOW, accept_days=14)
    with Session(engine) as s:
        assert len(s.exec(select(JuryPlace)).all()) == PANEL.size
    with pytest.raises(Conflict, match=r"was drawn already .* set before the draw"):
        perform(engine, create_panel, PANEL, QUESTION, STRATUM, ["advise"], NOW)
    with Session(engine) as s:
        assert s.exec(select(PanelRemit)).all() == []


def test_whether_the_public_vote_on_a_panels_divisions_is_its_setting(panel_body):
    engine = panel_body
    perform(engine, create_panel, PANEL, QUESTION, STRATUM, ["advise"], NOW)
    perform(engine, extend_calendar, PANEL.body, date(2027, 3, 31))
    with Session(engine) as s:
        sitting = s.exec(select(Sitting).where(Sitting.body_key == PANEL.body,
                                               Sitting.day == date(2027, 3, 2))).one()
        starts = aware(sitting.starts_at)
    division = perform(engine, create_division, "Merge the beds?", ["content", "not content"],
                       starts + timedelta(minutes=10), starts + timedelta(hours=2),
                       sitting_id=sitting.id, now=NOW)
    voting = starts + timedelta(minutes=30)
    perform(engine, open_division, division, voting)
    public_account(engine, "ann", "a long password here", NOW)
    with pytest.raises(Refused, match="the public do not vote on this citizens' panel"):
        public_vote(engine, division, "ann", "content", voting)
    perform(engine, set_public_votes, PANEL.body, True)
    assert public_vote(engine, division, "ann", "content", voting)
