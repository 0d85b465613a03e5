"""Jury months stored and continued from the stored state; a month is never run twice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from chamber import jury
from chamber.db import perform
from chamber.errors import Conflict
from chamber.jury import services as records
from chamber.jury.models import Juror, JuryDraw

NOW = datetime(2027, 1, 1, 12, tzinfo=UTC)


def test_jury_months_continue_from_the_stored_state(engine):
    setup = jury.synthetic_setup(features=["gender", "age"])
    first = perform(engine, records.run_jury_month, setup, seed="test", now=NOW)
    assert first.size == 90
    second = perform(engine, records.run_jury_month, setup, seed="test", now=NOW)
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
    perform(engine, records.run_jury_month, setup, seed="test", now=NOW)
    monkeypatch.setattr(
        records, "jury_state", lambda session, s: jury.empty_state(s, 0)
    )
    with pytest.raises(Conflict, match="already been run"):
        perform(engine, records.run_jury_month, setup, seed="test", now=NOW)
