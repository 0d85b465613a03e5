"""`chamber register import`, `chamber register letters`, `chamber outbox send` and
`chamber account --elector`."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

from typer.testing import CliRunner

from chamber.db import make_engine, perform
from chamber.register.claims import claim_key, request_code
from cli import app

runner = CliRunner()
REGISTER = (
    "elector_number,name,postcode,date_of_birth,email\n"
    "E1,Ann Smith,AB1 2CD,1980-03-01,\n"
    "E2,Bob Jones,EH1 1AA,1975-06-30,bob@example.org\n"
)


def _database(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    assert runner.invoke(app, ["db", "upgrade", "--database", url]).exit_code == 0
    return url


def test_import_names_bad_rows_then_imports_and_reimports(tmp_path):
    url = _database(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text(REGISTER + "E3,Cat,nowhere,1990-01-01,\n")
    refused = runner.invoke(app, ["register", "import", str(bad), "--database", url])
    assert refused.exit_code == 2
    assert "line 4, postcode: 'nowhere' is not a UK postcode" in refused.output
    good = tmp_path / "register.csv"
    good.write_text(REGISTER)
    dry = runner.invoke(app, ["register", "import", str(good), "--dry-run", "--database", url])
    assert "a dry run (nothing stored): 2 electors: 2 added" in dry.output
    done = runner.invoke(app, ["register", "import", str(good), "--database", url])
    assert done.exit_code == 0, done.output
    assert "2 electors: 2 added, 0 changed" in done.output
    good.write_text(REGISTER.replace("Ann Smith", "Ann Jones"))
    again = runner.invoke(app, ["register", "import", str(good), "--database", url])
    assert "1 changed (0 back on the register), 0 removed, 1 unchanged" in again.output


def test_letters_are_exported_once_and_the_outbox_needs_smtp(tmp_path, monkeypatch):
    url = _database(tmp_path)
    (tmp_path / "register.csv").write_text(REGISTER)
    runner.invoke(app, ["register", "import", str(tmp_path / "register.csv"), "--database", url])
    engine = make_engine(url)
    now = datetime.now(UTC)
    for number, postcode, born in (("E1", "AB1 2CD", "1980"), ("E2", "EH1 1AA", "1975")):
        perform(engine, request_code, number, postcode, born, now, key=claim_key(engine),
                days=14, attempts=5)
    out = tmp_path / "letters.csv"
    result = runner.invoke(app, ["register", "letters", str(out), "--database", url])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert [(r["elector_number"], r["postcode"]) for r in rows] == [("E1", "AB1 2CD")]
    assert len(rows[0]["code"]) == 11
    refused = runner.invoke(app, ["register", "letters", str(out), "--database", url])
    assert refused.exit_code == 2  # never overwrites
    empty = runner.invoke(app, ["register", "letters", str(tmp_path / "l2.csv"),
                                "--database", url])
    assert "0 letters" in empty.output
    monkeypatch.delenv("SMTP_HOST", raising=False)
    unsent = runner.invoke(app, ["outbox", "send", "--database", url])
    assert unsent.exit_code == 2
    assert "SMTP_HOST is not set" in unsent.output
    account = runner.invoke(
        app, ["account", "ann", "--role", "public", "--elector", "E1", "--database", url],
        input="a long password\na long password\n",
    )
    assert account.exit_code == 0, account.output
    engine.dispose()
