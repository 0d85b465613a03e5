"""`chamber draw` and `chamber draw verify` end to end."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli import app
from tests.conftest import DATA

runner = CliRunner()
SMALL = DATA / "sortition" / "example_small_20"
POOL, QUOTAS = str(SMALL / "respondents.csv"), str(SMALL / "categories.csv")


def test_draw_prints_the_panel_and_the_fairness_figures():
    r = runner.invoke(app, ["draw", POOL, QUOTAS, "--size", "20", "--seed", "lottery 1 2 3"])
    assert r.exit_code == 0, r.output
    assert "minimum probability" in r.output
    assert "10.000%" in r.output
    assert "pseudonym key" in r.output


def test_draw_json_record_verifies_and_a_changed_seed_does_not(tmp_path):
    record = tmp_path / "record.json"
    r = runner.invoke(
        app,
        [
            "draw",
            POOL,
            QUOTAS,
            "--size",
            "20",
            "--seed",
            "s1",
            "--format",
            "json",
            "--record",
            str(record),
        ],
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["seed"] == "s1"
    assert len(data["panel"]) == 20
    assert json.loads(record.read_text()) == data
    ok = runner.invoke(app, ["draw", "verify", str(record), POOL, QUOTAS])
    assert ok.exit_code == 0, ok.output
    assert "verified" in ok.output
    data["seed"] = "s2"
    record.write_text(json.dumps(data))
    bad = runner.invoke(app, ["draw", "verify", str(record), POOL, QUOTAS])
    assert bad.exit_code == 1
    assert "could not be confirmed" in bad.output


def test_draw_refuses_quotas_that_cannot_be_met(tmp_path):
    quotas = tmp_path / "q.csv"
    quotas.write_text(
        "category,feature,min,max\ngender,female,15,20\ngender,male,15,20\n"
        "leaning,liberal,0,20\nleaning,conservative,0,20\n"
    )
    r = runner.invoke(app, ["draw", POOL, str(quotas), "--size", "20", "--seed", "s"])
    assert r.exit_code == 2
    assert "the minimums for 'gender' add up to 30, more than the panel of 20" in r.output
