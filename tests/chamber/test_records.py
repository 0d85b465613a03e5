"""Stored counts and jury months: inputs kept, re-runs agree, tampering is found."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from chamber import jury, records
from chamber.divisions.services import verify_audit
from chamber.models import Election, Juror, JuryDraw
from chamber.voting import VotingError
from electoral.errors import BallotFileError

CALTON = Path(__file__).parents[2] / "electoral" / "samples" / "glasgow_2007_calton.blt"
NOW = datetime(2027, 1, 1, 12, tzinfo=UTC)


def test_an_election_is_stored_with_its_inputs_and_re_runs_identically(engine):
    text = CALTON.read_text(encoding="utf-8")
    election_id = records.count_election(
        engine, "Calton 2007", CALTON.name, text, rule="scottish", seed="demo", now=NOW
    )
    with Session(engine) as session:
        election = session.get(Election, election_id)
        assert election.result["quota"] == "1300.00000"  # Droop's reference count
        assert election.result["elected"][0] == "George Redmond (Lab)"
    assert records.verify_election(engine, election_id) == []
    with Session(engine) as session:
        election = session.get(Election, election_id)
        election.ballots = election.ballots.replace("\n1 1 2", "\n1 2 1", 1)
        session.add(election)
        session.commit()
    assert "SHA-256 differs" in records.verify_election(engine, election_id)[0]
    assert verify_audit(engine) is None


def test_a_bad_ballot_file_stores_nothing(engine):
    with pytest.raises(BallotFileError):
        records.count_election(
            engine, "Broken", "broken.blt", "3 1\n1 9 0\n0\n", rule="scottish", seed="x", now=NOW
        )
    with Session(engine) as session:
        assert session.exec(select(Election)).all() == []


def test_jury_months_continue_from_the_stored_state(engine):
    setup = jury.synthetic_setup(features=["gender", "age"])
    first = records.run_jury_month(engine, setup, seed="test", now=NOW)
    assert first.size == 90
    second = records.run_jury_month(engine, setup, seed="test", now=NOW)
    assert second.label == "2027-02"
    assert second.size == 180
    with Session(engine) as session:
        draws = session.exec(select(JuryDraw)).all()
        assert {d.month for d in draws} == {"2027-01", "2027-02"}
        serving = session.exec(select(Juror).where(Juror.month == 2)).all()
        assert len(serving) == 180
    # the same month from the same state and seed gives the same people
    _replay, report = jury.step(jury.empty_state(setup, 0), 1, setup, seed="test")
    assert report.draws[0].panel == first.draws[0].panel


def test_a_stored_jury_month_is_not_run_twice(engine, monkeypatch):
    setup = jury.synthetic_setup(features=["gender"])
    records.run_jury_month(engine, setup, seed="test", now=NOW)
    real = records.jury_state
    monkeypatch.setattr(
        records, "jury_state", lambda e, s: jury.empty_state(s, 0) if e else real(e, s)
    )
    with pytest.raises(VotingError, match="already been run"):
        records.run_jury_month(engine, setup, seed="test", now=NOW)
