"""`chamber offices list | appoint | end | assemblies` on the small body with officers."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from chamber.db import make_engine, upgrade
from cli import app
from tests.chamber.officers.conftest import KEY, build

runner = CliRunner()


@pytest.fixture
def database(tmp_path):
    url = f"sqlite:///{tmp_path / 'officers.db'}"
    engine = make_engine(url)
    upgrade(engine)
    build(engine)
    engine.dispose()
    return ["--database", url]


def test_offices_are_listed_appointed_and_ended(database):
    listed = runner.invoke(app, ["offices", "list", KEY, *database])
    assert listed.exit_code == 0, listed.output
    assert "Speaker" in listed.output
    assert "Capital" in listed.output
    done = runner.invoke(app, ["offices", "appoint", KEY, "group officer", "S000-2",
                               "--from", "2027-02-01", *database])
    assert done.exit_code == 0, done.output
    holding = done.output.split("(holding ")[1].split(")")[0]
    refused = runner.invoke(app, ["offices", "appoint", KEY, "Speaker", "S001-2",
                                  "--from", "2027-02-01", *database])
    assert refused.exit_code == 2
    assert "holds the office of Speaker" in refused.output
    wrong = runner.invoke(app, ["offices", "appoint", KEY, "assembly officer", "S003-1",
                                "--from", "2027-02-01", "--assembly", "Labour", *database])
    assert wrong.exit_code == 2
    assert "no assembly 'Labour' (Capital)" in wrong.output
    ended = runner.invoke(app, ["offices", "end", holding, "--last-day", "2027-02-28",
                                *database])
    assert ended.exit_code == 0, ended.output
    later = runner.invoke(app, ["offices", "list", KEY, "--day", "2027-03-01", *database])
    assert "group officer" not in later.output
    bad = runner.invoke(app, ["offices", "end", holding, "--last-day", "soon", *database])
    assert bad.exit_code == 2
    assert "'soon' is not a date" in bad.output


def test_the_assemblies_are_listed_and_registered_once(database):
    shown = runner.invoke(app, ["offices", "assemblies", KEY, *database])
    assert shown.exit_code == 0, shown.output
    assert "S002, S003" in shown.output
    again = runner.invoke(app, ["offices", "assemblies", KEY, "--register", *database])
    assert again.exit_code == 2
    assert "is held by the assembly Capital" in again.output
