"""The `chamber count` and `chamber verify` commands, end to end."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli import app

runner = CliRunner()


def test_count_prints_the_stage_table(stv_data):
    r = runner.invoke(app, ["count", str(stv_data / "glasgow_2007_calton.blt"), "--seed", "s"])
    assert r.exit_code == 0, r.output
    assert "quota 1300.00000" in r.output
    assert "158.62549" in r.output
    assert "elected 1: George Redmond (Lab)" in r.output


def test_count_json_has_the_published_fields(stv_data):
    r = runner.invoke(
        app,
        ["count", str(stv_data / "glasgow_2007_calton.blt"), "--seed", "s", "--format", "json"],
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    for key in ("rule", "seats", "valid_ballots", "quota", "elected", "stages", "ties", "seed"):
        assert key in data
    assert data["quota"] == "1300.00000"
    assert data["seed"] == "s"
    stage = data["stages"][1]
    assert stage["action"] == "surplus"
    assert stage["subject"] == "George Redmond (Lab)"
    assert stage["non_transferable"] == "158.62549"
    assert set(stage["votes"]) == set(data["candidates"])
    assert len(data["source_sha256"]) == 64


def test_count_csv_stages_and_transfers(stv_data):
    f = str(stv_data / "glasgow_2007_calton.blt")
    stages = runner.invoke(app, ["count", f, "--format", "csv", "--seed", "s"])
    assert stages.stdout.splitlines()[0].startswith("candidate,stage 1: first preferences")
    transfers = runner.invoke(app, ["count", f, "--format", "csv", "--transfers", "--seed", "s"])
    assert transfers.stdout.splitlines()[0] == "stage,action,from,to,value"
    assert "2,surplus,George Redmond (Lab),Ruth Simpson (Lab)," in transfers.stdout


def test_meek_and_irv_rules(stv_data):
    f = str(stv_data / "eq1.blt")  # a file for 2 seats
    meek = runner.invoke(app, ["count", f, "--rule", "meek", "--seed", "s"])
    assert meek.exit_code == 0, meek.output
    irv = runner.invoke(app, ["count", f, "--rule", "irv", "--seats", "1", "--seed", "s"])
    assert irv.exit_code == 0, irv.output


def test_irv_on_a_file_for_several_seats_says_so_instead_of_counting_one(stv_data):
    r = runner.invoke(app, ["count", str(stv_data / "eq1.blt"), "--rule", "irv", "--seed", "s"])
    assert r.exit_code == 2
    assert "IRV fills one seat and this file is for 2" in r.output


def test_verify_accepts_a_faithful_count_and_rejects_a_tampered_one(stv_data, tmp_path):
    f = str(stv_data / "weak-surplus.blt")
    r = runner.invoke(app, ["count", f, "--format", "json", "--seed", "published"])
    published = tmp_path / "result.json"
    published.write_text(r.stdout)
    ok = runner.invoke(app, ["verify", f, str(published)])
    assert ok.exit_code == 0
    assert "verified" in ok.output
    data = json.loads(r.stdout)
    data["stages"][1]["votes"]["C"] = "9.00000"
    published.write_text(json.dumps(data))
    bad = runner.invoke(app, ["verify", f, str(published)])
    assert bad.exit_code == 1
    assert "stage 2 C: published 9.00000" in bad.output


def test_bad_file_gives_a_clear_error_and_exit_code_2(tmp_path):
    f = tmp_path / "bad.blt"
    f.write_text("2 1\n1 7 0\n0\n")
    r = runner.invoke(app, ["count", str(f)])
    assert r.exit_code == 2
    assert "bad.blt, line 2: unknown candidate id 7" in r.output


def test_many_files_are_counted_with_a_summary(stv_data):
    files = [str(stv_data / n) for n in ("42.blt", "weak-surplus.blt", "eq1.blt")]
    r = runner.invoke(app, ["count", *files, "--seed", "s", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert [len(x["elected"]) for x in json.loads(r.stdout)] == [2, 4, 2]
