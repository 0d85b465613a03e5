"""Stored counts: inputs kept, re-runs agree, tampering is found; on both databases."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from chamber.db import perform, read
from chamber.elections.models import Election
from chamber.elections.services import count_election, verify_election
from chamber.integrity import verify
from electoral.errors import BallotFileError

CALTON = Path(__file__).parents[3] / "electoral" / "samples" / "glasgow_2007_calton.blt"
NOW = datetime(2027, 1, 1, 12, tzinfo=UTC)


def test_an_election_is_stored_with_its_inputs_and_re_runs_identically(engine):
    text = CALTON.read_text(encoding="utf-8")
    election_id = perform(
        engine, count_election, "Calton 2007", CALTON.name, text, rule="scottish", seed="demo",
        now=NOW,
    )
    with Session(engine) as session:
        election = session.get(Election, election_id)
        assert election.result["quota"] == "1300.00000"  # Droop's reference count
        assert election.result["elected"][0] == "George Redmond (Lab)"
    assert perform(engine, verify_election, election_id) == []
    with Session(engine) as session:
        election = session.get(Election, election_id)
        election.ballots = election.ballots.replace("\n1 1 2", "\n1 2 1", 1)
        session.add(election)
        session.commit()
    assert "SHA-256 differs" in perform(engine, verify_election, election_id)[0]
    found = read(engine, verify)
    assert found.problems == ("the stored ballots of election 1 were changed",)


def test_a_bad_ballot_file_stores_nothing(engine):
    with pytest.raises(BallotFileError):
        perform(
            engine, count_election, "Broken", "broken.blt", "3 1\n1 9 0\n0\n", rule="scottish",
            seed="x", now=NOW,
        )
    with Session(engine) as session:
        assert session.exec(select(Election)).all() == []
