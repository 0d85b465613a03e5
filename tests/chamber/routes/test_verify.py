"""A stored step re-run from its stored inputs agrees with what was published; an altered
result or altered inputs are named."""

from __future__ import annotations

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session

from chamber.db import perform, read
from chamber.routes.models import RouteResult
from chamber.routes.organisations import run_ballot
from chamber.routes.party import allocate_party_seats
from chamber.routes.synthetic import table
from chamber.routes.units import divide
from chamber.routes.verify import verify_step
from tests.chamber.routes.conftest import HELD, NOW, VOTES
from tests.chamber.routes.test_youth_organisations import BALLOTS, ORGS


def test_each_computed_step_re_runs_to_what_was_published(national):
    steps = [
        perform(national, allocate_party_seats, "national", "votes.csv", VOTES, held_on=HELD,
                seed="s", now=NOW),
        perform(national, divide, "national", "local", "d.csv", table(
            ["district", "population"], [("A", 81_000), ("B", 162_000)]), seed="s", places=9,
            now=NOW),
        perform(national, divide, "national", "faith", "f.csv", table(
            ["partnership", "members"], [("North", 4_000), ("South", 96_000)]), seed="s",
            now=NOW),
        perform(national, run_ballot, "national", "orgs.csv", ORGS, "b.csv", BALLOTS, seed="s",
                now=NOW),
    ]
    for step in steps:
        assert read(national, verify_step, step) == []
    with Session(national) as s:
        allocation = s.get(RouteResult, steps[0])
        allocation.result["allocation"]["seats_by_party"]["Red"] += 1
        flag_modified(allocation, "result")
        ballot = s.get(RouteResult, steps[3])
        ballot.inputs = ballot.inputs.replace("30", "31")
        s.commit()
    assert read(national, verify_step, steps[0]) == [
        "the allocation differs in: seats_by_party"]
    problems = read(national, verify_step, steps[3])
    assert "the stored inputs are not the ones used (SHA-256 differs)" in problems
    assert any("the ballot's count differs" in p for p in problems)
