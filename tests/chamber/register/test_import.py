"""Importing the electoral register: every bad row named with its line and field and nothing
stored; re-imports update changed rows keeping what they were, mark missing electors removed
(never deleted) and bring them back; a dry run stores nothing; on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from chamber.audit.models import AuditEntry
from chamber.db import perform, read
from chamber.errors import Invalid
from chamber.integrity import verify
from chamber.register.models import Elector, ElectorHistory, RegisterImport
from chamber.register.services import import_register

T0 = datetime(2027, 1, 4, 9, tzinfo=UTC)
HEADER = "elector_number,name,postcode,date_of_birth,year_of_birth,email\n"
FIRST = HEADER + (
    "E1,Ann Smith,ab1 2cd,1980-03-01,,ann@example.org\n"
    "E2,Bob Jones,EH1 1AA,,1975,\n"
    "e3,Cat Patel,SW1A1AA,01/02/1990,1990,\n"
)


def _electors(engine) -> dict[str, Elector]:
    with Session(engine) as s:
        return {e.number: e for e in s.exec(select(Elector))}


def test_a_register_is_imported_and_normalised(engine):
    report = perform(engine, import_register, "register.csv", FIRST, T0)
    assert (report.rows, report.added, report.changed, report.removed) == (3, 3, 0, 0)
    found = _electors(engine)
    assert set(found) == {"E1", "E2", "E3"}
    assert (found["E1"].postcode, found["E1"].birth_date, found["E1"].email) == (
        "AB1 2CD", date(1980, 3, 1), "ann@example.org")
    assert (found["E2"].birth_date, found["E2"].birth_year) == (None, 1975)
    assert (found["E3"].postcode, found["E3"].birth_date) == ("SW1A 1AA", date(1990, 2, 1))
    entry = read(engine, lambda s: s.exec(select(AuditEntry)).all())[-1]
    assert entry.kind == "register imported"
    assert entry.payload["added"] == 3
    assert len(entry.payload["sha256"]) == 64
    assert read(engine, verify).intact


def test_a_file_with_bad_rows_stores_nothing_and_names_each_row_and_field(engine):
    bad = HEADER + (
        "E1,Ann Smith,AB1 2CD,1980-03-01,,\n"
        "E2,,NOTAPOST,1980-02-30,,\n"          # line 3: name, postcode, date
        "E3,Cat,EH1 1AA,,1850,cat@\n"          # line 4: year, email
        "E1,Ann Again,AB1 2CD,1980-03-01,1981,\n"  # line 5: year disagrees, number repeated
        "E5,Dan,EH1 1AA,,,\n"                  # line 6: no birth at all
        "E6,Eve,EH1 1AA\n"                     # line 7: too few fields
    )
    with pytest.raises(Invalid) as refused:
        perform(engine, import_register, "bad.csv", bad, T0)
    message = str(refused.value)
    assert message.startswith("bad.csv: ")
    assert "nothing was imported" in message
    for expected in (
        "line 3, name:", "line 3, postcode: 'NOTAPOST' is not a UK postcode",
        "line 3, date_of_birth:", "line 4, year_of_birth: the year 1850",
        "line 4, email: 'cat@'", "line 5, year_of_birth: 1981 is not the year",
        "line 5, elector_number: E1 is also on line 2", "line 6, date_of_birth: give a date",
        "line 7: 3 fields where the header has 6",
    ):
        assert expected in message, expected
    assert _electors(engine) == {}
    assert read(engine, lambda s: s.exec(select(RegisterImport)).all()) == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "the file is empty"),
        ("elector_number,name,postcode\n", "give a date_of_birth or a year_of_birth"),
        ("elector_number,name,date_of_birth\n", "the column postcode is missing"),
        ("elector_number,name,postcode,year_of_birth,emial\n", "unknown column 'emial'"),
        ("Elector Number,Name,Postcode,Year of birth\n", "no electors"),
    ],
)
def test_bad_headers_and_empty_registers_are_refused(engine, text, says):
    with pytest.raises(Invalid, match=says):
        perform(engine, import_register, "r.csv", text, T0)


def test_a_reimport_updates_keeps_history_removes_and_restores(engine):
    perform(engine, import_register, "one.csv", FIRST, T0)
    second = HEADER + (
        "E1,Ann Smith,AB1 2CD,1980-03-01,,ann@new.example.org\n"  # e-mail changed
        "E3,Cat Patel,SW1A 1AA,1990-02-01,,\n"                      # the same
        "E4,Dev Khan,M1 1AE,,2001,\n"                               # new; E2 is missing
    )
    t1 = T0 + timedelta(days=30)
    report = perform(engine, import_register, "two.csv", second, t1)
    assert (report.added, report.changed, report.removed, report.unchanged) == (1, 1, 1, 1)
    found = _electors(engine)
    assert found["E1"].email == "ann@new.example.org"
    assert found["E2"].status == "removed"  # kept, not deleted
    assert found["E4"].status == "current"
    with Session(engine) as s:
        history = s.exec(select(ElectorHistory).order_by(col(ElectorHistory.id))).all()
    was = {(h.elector_id, h.status, h.email) for h in history}
    assert was == {(found["E1"].id, "current", "ann@example.org"),
                   (found["E2"].id, "current", None)}
    assert all(h.replaced_at == t1 and h.valid_from == T0 for h in history)
    third = perform(engine, import_register, "three.csv", FIRST, t1 + timedelta(days=1))
    assert third.restored == 1  # E2 is back
    assert _electors(engine)["E2"].status == "current"
    assert _electors(engine)["E4"].status == "removed"


def test_a_dry_run_says_what_would_change_and_stores_nothing(engine):
    perform(engine, import_register, "one.csv", FIRST, T0)
    report = perform(engine, import_register, "two.csv", HEADER + "E9,Zed,EH1 1AA,,1999,\n",
                     T0, dry_run=True)
    assert (report.import_id, report.added, report.removed) == (None, 1, 3)
    assert set(_electors(engine)) == {"E1", "E2", "E3"}
    assert all(e.status == "current" for e in _electors(engine).values())
