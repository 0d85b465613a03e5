"""`chamber composition` and `chamber delegation` on the command line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import cli.composition  # noqa: F401  (registers `composition` and `delegation`)
from cli.common import app
from tests.chamber.bodies.test_files import GOOD

runner = CliRunner()


def test_composition_table_shows_categories_totals_and_subunits():
    r = runner.invoke(app, ["composition"])
    assert r.exit_code == 0, r.output
    for text in (
        "Jury's experts",
        "each party group",
        "four-weekly",
        "50 groups",
        "25 assemblies",
        "13,200",
        "12,000 people",
        "Behavioural Sciences",
        "Advocacy & Dissent",
        "UK Youth Parliament (25 seats)",
    ):
        assert text in r.output


def test_composition_json_for_the_local_panel():
    r = runner.invoke(app, ["composition", "--body", "local-health-panel", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["key"] == "local-health-panel"
    assert data["totals"]["seats"] == 40


def test_composition_of_a_toml_file_and_of_a_bad_one(tmp_path):
    good = tmp_path / "panel.toml"
    good.write_text(GOOD, encoding="utf-8")
    r = runner.invoke(app, ["composition", "--body", str(good), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["totals"]["rota_places"] == 22
    bad = runner.invoke(app, ["composition", "--body", "senate"])
    assert bad.exit_code == 2
    assert "unknown body 'senate'" in bad.output


def test_delegation_without_counts_prints_the_default_split_and_limits():
    r = runner.invoke(app, ["delegation", "--seats", "2"])
    assert r.exit_code == 0, r.output
    assert "48 places: default split" in r.output
    assert "at most 12" in r.output
    assert "floor(P/4)" in r.output


def test_delegation_json_default():
    r = runner.invoke(app, ["delegation", "--seats", "1", "--sharers", "13", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["counts"] == {"nominated": 3, "indirect": 2, "members": 4, "constituency": 4}
    assert data["default"] is True
    assert data["limits"]["party_max"] == 5


def test_delegation_checks_a_valid_split():
    args = ["delegation", "--seats", "1", "--nominated", "6", "--indirect", "6"]
    r = runner.invoke(app, [*args, "--members", "6", "--constituency", "6"])
    assert r.exit_code == 0, r.output
    assert "valid" in r.output


def test_delegation_lists_every_problem_and_exits_1():
    r = runner.invoke(
        app,
        ["delegation", "--seats", "1", "--nominated", "7", "--members", "5", "--indirect", "0"],
    )
    assert r.exit_code == 1
    assert "nominated: 7 places, more than the 6 allowed (a quarter of 24): 1 too many" in r.output
    assert "members: 5 places, fewer than the 6 required" in r.output
    assert "constituency: 0 places" in r.output


def test_delegation_refuses_a_negative_count_before_it_runs():
    r = runner.invoke(app, ["delegation", "--seats", "1", "--indirect", "-1"])
    assert r.exit_code == 2
    assert "--indirect" in r.output


def test_delegation_that_cannot_be_split_exits_2():
    r = runner.invoke(app, ["delegation", "--seats", "1", "--sharers", "1"])
    assert r.exit_code == 2
    assert "cannot be split" in r.output
