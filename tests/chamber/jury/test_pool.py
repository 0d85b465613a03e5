"""The volunteer pool: volunteering on the site, withdrawing, and an officer's import, where a
bad row stores nothing and importing again follows its stated rules."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, select

from chamber.db import perform, read
from chamber.errors import Conflict, Invalid, NotFound
from chamber.jury.models import Volunteer
from chamber.jury.places import withdraw_entry
from chamber.jury.pool import Entry, available, import_pool, pool_csv, ranges, volunteer
from chamber.jury.views import my_entries
from tests.chamber.conftest import public_account
from tests.chamber.jury.conftest import LOTTERY, NOW, pool_text

ALICE = Entry("Alice", {"gender": "female", "age": "young"}, True, email="alice@example.org")


def account(engine, name="alice") -> int:
    return public_account(engine, name, "correct horse battery", NOW).id


def test_a_volunteer_joins_the_pool_sees_and_withdraws_their_entry(jury_body):
    who = account(jury_body)
    ref = perform(jury_body, volunteer, LOTTERY, who, ALICE, NOW)
    [entry] = read(jury_body, my_entries, who)
    assert entry.ref == ref
    assert dict(entry.features) == {"gender": "female", "age": "young"}
    assert ref in {v.ref for v in read(jury_body, available, LOTTERY.body)}
    perform(jury_body, withdraw_entry, entry.id, who, NOW)
    assert ref not in {v.ref for v in read(jury_body, available, LOTTERY.body)}
    assert read(jury_body, my_entries, who)[0].withdrawn


def test_volunteering_twice_for_the_same_body_is_refused(jury_body):
    who = account(jury_body)
    perform(jury_body, volunteer, LOTTERY, who, ALICE, NOW)
    with pytest.raises(Conflict, match="already in the pool"):
        perform(jury_body, volunteer, LOTTERY, who, ALICE, NOW)


def test_an_entry_needs_consent_a_contact_and_every_feature(jury_body):
    who = account(jury_body)
    bad = Entry("Bob", {"gender": "robot"}, False)
    with pytest.raises(Invalid) as refused:
        perform(jury_body, volunteer, LOTTERY, who, bad, NOW)
    message = str(refused.value)
    for named in ("consent", "email", "gender: 'robot' is not one of female, male", "age"):
        assert named in message


def test_a_body_without_a_pool_is_not_found(engine):
    with pytest.raises(NotFound):
        perform(engine, volunteer, LOTTERY, 1, ALICE, NOW)


def test_an_import_with_bad_rows_names_each_and_stores_nothing(jury_body):
    text = pool_text(5, start=1000)
    lines = text.splitlines()
    lines[2] = lines[2].replace("female", "robot").replace("male", "robot")
    lines[4] = lines[4].replace(",yes,", ",perhaps,")
    lines.append(lines[1])  # a repeated id
    with Session(jury_body) as s:
        before = len(s.exec(select(Volunteer)).all())
    with pytest.raises(Invalid) as refused:
        perform(jury_body, import_pool, LOTTERY, "more.csv", "\n".join(lines) + "\n", NOW)
    message = str(refused.value)
    assert "nothing was imported" in message
    assert "more.csv, line 3, column 'gender': 'robot' is not one of female, male" in message
    assert "more.csv, line 5, column 'consent': 'perhaps' is not yes or no" in message
    assert "more.csv, line 7, column 'id': 'p1000' repeats line 2" in message
    with Session(jury_body) as s:
        assert len(s.exec(select(Volunteer)).all()) == before


def test_an_import_without_a_feature_column_names_it(jury_body):
    with pytest.raises(Invalid, match="line 1: no column 'age'"):
        perform(jury_body, import_pool, LOTTERY, "x.csv", "id,name,consent,gender\n", NOW)


def test_importing_again_adds_updates_replaces_and_withdraws(jury_body):
    lines = pool_text(4, start=500).splitlines()
    first = perform(jury_body, import_pool, LOTTERY, "a.csv", "\n".join(lines) + "\n", NOW)
    assert first.added == 4
    lines[1] = lines[1].replace("500 High Street", "1 New Road")  # a contact changes
    lines[2] = (lines[2].replace("female", "x").replace("male", "female").replace("x", "male"))
    lines[3] = lines[3].replace(",yes,", ",no,")
    again = perform(jury_body, import_pool, LOTTERY, "a.csv", "\n".join(lines) + "\n", NOW)
    assert (again.added, again.unchanged, again.updated, again.replaced, again.withdrawn) == (
        0, 1, 1, 1, 1)
    with Session(jury_body) as s:
        rows = s.exec(select(Volunteer).where(Volunteer.external_id == "p501")).all()
        assert [r.withdrawn_at is None for r in rows] == [False, True]  # stored anew
        assert rows[0].features != rows[1].features
        moved = s.exec(select(Volunteer).where(Volunteer.external_id == "p500")).one()
        assert moved.address == "1 New Road"


def test_the_published_pool_has_pseudonyms_and_features_only(jury_body):
    people = read(jury_body, available, LOTTERY.body)
    text = pool_csv(LOTTERY, people)
    assert text.splitlines()[0] == "id,gender,age"
    assert "Person" not in text
    assert "@" not in text
    assert "High Street" not in text


@given(st.sets(st.integers(min_value=1, max_value=500)))
def test_a_pool_is_stored_as_runs_of_ids_that_give_it_back(ids):
    runs = ranges(sorted(ids))
    assert [i for a, b in runs for i in range(a, b + 1)] == sorted(ids)
    assert all(b + 1 < c for (_, b), (c, _) in itertools.pairwise(runs))
