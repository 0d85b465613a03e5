"""The jury chooses its extensions by ballot: each month the serving jurors rank the jurors
due to leave soonest, the ballot is counted by STV and stored as an election, and the elected
serve a term longer; a juror votes once, only jurors vote, a ballot with no votes extends
nobody and says so."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, col, select

from chamber.db import perform, read
from chamber.elections.models import Election
from chamber.errors import Forbidden, Invalid, Refused
from chamber.jury.ballot import cast_vote, open_ballots
from chamber.jury.ballot_views import ballot_view
from chamber.jury.models import JuryBallot, JuryBallotVote, JuryPlace
from chamber.settings import Settings
from tests.chamber.jury.conftest import BODY, LEAD, LOTTERY
from tests.chamber.jury.run import run

CONFIG = Settings(jury_lead_months=LEAD)


def test_the_jurors_ballot_extends_whom_it_elects_and_is_stored_as_an_election(jury_body):
    checks = run(jury_body, LOTTERY, "2027-01", 9, CONFIG)
    assert [c.held for c in checks[-2:]] == [18, 18]
    with Session(jury_body) as s:
        counted = s.exec(select(JuryBallot).where(col(JuryBallot.election_id).is_not(None))
                         .order_by(col(JuryBallot.month))).all()
        assert len(counted) >= 3
        for ballot in counted:
            assert len(ballot.extended) == ballot.seats == 1
            place = s.get(JuryPlace, ballot.extended[0])
            assert place.extended
            election = s.get(Election, ballot.election_id)
            assert (election.rule, election.seats, election.body_key) == ("scottish", 1, BODY.key)
            assert election.source_name == "extensions.blt"
            assert set(ballot.extended) <= set(ballot.candidates)
            assert f"(place {place.id})" in election.result["elected"][0]
        [open_id] = open_ballots(s, BODY.key)
        ballot = s.get(JuryBallot, open_id)
        voter = s.exec(select(JuryBallotVote).where(JuryBallotVote.ballot_id == open_id)
                       ).first().place_id
        not_yet = s.exec(select(JuryPlace).where(JuryPlace.cohort > "2027-09")).first()
    at = datetime(2027, 9, 20, tzinfo=UTC)
    with pytest.raises(Refused, match="has voted in this ballot already"):
        perform(jury_body, cast_vote, open_id, list(ballot.candidates), at, place_id=voter)
    with pytest.raises(Forbidden, match="only the serving jurors"):
        perform(jury_body, cast_vote, open_id, list(ballot.candidates), at,
                place_id=not_yet.id)
    with pytest.raises(Invalid, match="ranked twice"):
        perform(jury_body, cast_vote, open_id, [ballot.candidates[0]] * 2, at, place_id=voter)
    with pytest.raises(Invalid, match="not a candidate"):
        perform(jury_body, cast_vote, open_id, [10**6], at, place_id=voter)
    view = read(jury_body, ballot_view, LOTTERY, open_id)
    assert view.rule_text.startswith("STV")
    assert view.seats == 1
    assert view.candidates
    assert all(" -> " in e for c in view.candidates for e in c.effect)


def test_a_ballot_without_votes_extends_nobody_and_says_so(jury_body):
    checks = run(jury_body, LOTTERY, "2027-01", 8, CONFIG, vote=False)
    with Session(jury_body) as s:
        due = s.exec(select(JuryBallot).where(col(JuryBallot.counted_at).is_not(None),
                                              JuryBallot.seats > 0)).all()
        assert due
        assert {b.note for b in due} == {"nobody is extended: no valid ballots to count"}
        assert s.exec(select(JuryPlace).where(JuryPlace.extended)).all() == []
    assert checks[-1].held < 18  # the jury is short: nobody is extended silently instead
