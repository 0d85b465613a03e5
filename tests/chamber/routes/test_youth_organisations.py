"""The UK Youth Parliament's seats (former members for one term after leaving, the term end
enforced) and the organisations' seats (eligibility, the approval ballot, each winner's group
of 24); every refusal names the rule and the figures and stores nothing."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from sqlmodel import Session, func, select

from chamber.db import perform
from chamber.errors import Refused
from chamber.membership.models import Member
from chamber.routes.models import MemberRoute, RouteResult
from chamber.routes.organisations import name_group, run_ballot
from chamber.routes.synthetic import people, table
from chamber.routes.youth import seat_youth_parliament, term_end
from electoral.errors import BallotFileError
from tests.chamber.conftest import MONDAY
from tests.chamber.routes.conftest import NOW

ORGS = table(["name", "members", "nominators", "kind"], [
    ("Ramblers", 120_000, 0, "charity"), ("Unison", 90_000, 20_000, "trade-union"),
    ("Friends of the Earth", 60_000, 45_000, "charity"),
    ("Small Society", 60_000, 30_000, "association"), ("Red Party", 300_000, 0, "party"),
])
BALLOTS = table(["weight", "choice1", "choice2"], [
    (30, "Ramblers", "Unison"), (12, "Friends of the Earth", ""), (4, "Unison", "")])


def _rows(engine, model):
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_a_former_member_serves_one_term_after_leaving():
    assert term_end(date(2026, 1, 10)) == date(2028, 1, 9)
    assert term_end(date(2024, 2, 29)) == date(2026, 2, 28)


def test_members_and_former_members_are_seated_with_their_term_ends(national):
    text = table(["name", "elected", "left"], [("Ava Jones", "2026-02-20", ""),
                                               ("Ben Cole", "2024-02-23", "2026-01-10")])
    perform(national, seat_youth_parliament, "national", "ukyp.csv", text, now=NOW)
    with Session(national) as s:
        ben = s.exec(select(Member).where(Member.name == "Ben Cole")).one()
        ava = s.exec(select(Member).where(Member.name == "Ava Jones")).one()
        ways = {r.way for r in s.exec(select(MemberRoute)).all()}
    assert ben.serves_until == date(2028, 1, 9)
    assert ava.serves_until is None
    assert ava.id.startswith("S350")  # the Youth Parliament's half of the youth seats
    assert ways == {"member", "former member"}


def test_a_youth_member_past_their_term_is_refused_with_the_dates_and_nothing_stored(national):
    text = table(["name", "elected", "left"], [("Ava Jones", "2026-02-20", ""),
                                               ("Cal Reid", "2022-02-20", "2024-01-31")])
    with pytest.raises(Refused) as refused:
        perform(national, seat_youth_parliament, "national", "ukyp.csv", text, now=NOW)
    message = str(refused.value)
    assert "line 3: Cal Reid left the UK Youth Parliament on 2024-01-31" in message
    assert "until 2026-01-30" in message
    assert str(MONDAY) in message
    assert _rows(national, Member) == 0
    assert _rows(national, RouteResult) == 0
    with pytest.raises(BallotFileError, match=r"ukyp.csv, line 2: column 'left'"):
        perform(national, seat_youth_parliament, "national", "ukyp.csv",
                "name,elected,left\nDee,2026-02-20,last year\n", now=NOW)


def test_the_organisations_ballot_feeds_the_seats_and_each_winner_names_its_group(national):
    bid = perform(national, run_ballot, "national", "orgs.csv", ORGS, "ballots.csv", BALLOTS,
                  seed="s", now=NOW)
    with Session(national) as s:
        ballot = s.get(RouteResult, bid)
    assert ballot is not None
    assert ballot.result["seats"] == {"Unison": "S400", "Ramblers": "S401",  # 34 and 30 votes
                                      "Friends of the Earth": "S402"}
    perform(national, name_group, "national", "Unison", "unison.csv",
            table(["name"], [(n,) for n in people(np.random.default_rng(1), 24)]), now=NOW)
    with Session(national) as s:
        seated = s.exec(select(Member).where(Member.group == "Unison")).all()
    assert len(seated) == 24
    assert {m.id[:4] for m in seated} == {"S400"}


def test_an_organisation_failing_eligibility_or_naming_too_few_is_refused(national):
    perform(national, run_ballot, "national", "orgs.csv", ORGS, "ballots.csv", BALLOTS,
            seed="s", now=NOW)
    names = table(["name"], [(f"Person {k}",) for k in range(24)])
    with pytest.raises(Refused) as refused:
        perform(national, name_group, "national", "Small Society", "s.csv", names, now=NOW)
    assert "60,000 members and 30,000 nominators: 90,000, below the 100,000 needed" in str(
        refused.value)
    with pytest.raises(Refused, match="a political party may not stand"):
        perform(national, name_group, "national", "Red Party", "r.csv", names, now=NOW)
    with pytest.raises(Refused, match="names 23 people; its seat S401 is shared by 24"):
        perform(national, name_group, "national", "Ramblers", "r.csv",
                table(["name"], [(f"Person {k}",) for k in range(23)]), now=NOW)
    with pytest.raises(BallotFileError, match=r"r.csv, line 3: column 'name'"):
        perform(national, name_group, "national", "Ramblers", "r.csv",
                "name\nAnn\nAnn\n", now=NOW)
    assert _rows(national, Member) == 0


def test_a_ballot_naming_an_organisation_that_may_not_stand_is_refused(national):
    with pytest.raises(BallotFileError, match="Small Society' is not on the ballot paper"):
        perform(national, run_ballot, "national", "orgs.csv", ORGS, "ballots.csv",
                "choice1\nSmall Society\n", seed="s", now=NOW)
    assert _rows(national, RouteResult) == 0
