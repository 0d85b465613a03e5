"""`chamber route ...` on the command line: a body installed empty, then filled through its
routes from files (the national vote, a district table and a ward's ballots, the UK Youth
Parliament's list, the organisations ballot and a winner's group), `chamber composition
--filled` saying by which route; a refusal prints the rule and the figures and exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from chamber.routes.synthetic import people, table
from cli import app
from tests.chamber.routes.conftest import VOTES, submission
from tests.chamber.routes.test_youth_organisations import BALLOTS, ORGS

runner = CliRunner()
CALTON = Path(__file__).parents[2] / "electoral" / "samples" / "glasgow_2007_calton.blt"


def _run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def chamber(tmp_path):
    db = f"sqlite:///{tmp_path / 'routes.db'}"
    r = _run("route", "install", "--calendar-start", "2027-01-04", "--database", db)
    assert r.exit_code == 0, r.output
    assert "500 seats" in r.output
    return db, tmp_path


def _file(folder: Path, name: str, text: str) -> str:
    (folder / name).write_text(text, encoding="utf-8")
    return str(folder / name)


def test_a_body_is_filled_through_its_routes_from_the_command_line(chamber):
    db, tmp = chamber
    r = _run("route", "party-vote", _file(tmp, "votes.csv", VOTES), "--held-on", "2026-11-05",
             "--seed", "s", "--database", db)
    assert r.exit_code == 0, r.output
    saved = tmp / "again.csv"
    r = _run("route", "show", "1", "--inputs", str(saved), "--database", db)
    assert r.exit_code == 0, r.output
    assert "party seats (dhondt)" in r.output
    assert saved.read_text(encoding="utf-8") == VOTES
    assert _run("route", "show", "999", "--database", db).exit_code == 2
    assert _run("route", "show", "0", "--database", db).exit_code == 2
    r = _run("route", "divide", "local", _file(tmp, "d.csv", table(
        ["district", "population"], [("Calton", 81_000), ("Rest", 567_000)])),
        "--places", "24", "--seed", "s", "--database", db)
    assert r.exit_code == 0, r.output
    r = _run("route", "elect", "local", "Calton", str(CALTON), "--seed", "s",
             "--serves-from", "2027-01-11", "--database", db)
    assert r.exit_code == 0, r.output
    r = _run("composition", "--filled", "--on", "2027-01-10", "--format", "json",
             "--database", db)
    assert next(s for s in json.loads(r.output)["shares"] if s["key"] == "local")["routed"] == 0
    youth = table(["name", "elected", "left"], [("Ada Young", "2025-02-01", ""),
                                                ("Ben Former", "2023-02-01", "2026-01-31")])
    r = _run("route", "youth-parliament", _file(tmp, "ukyp.csv", youth), "--database", db)
    assert r.exit_code == 0, r.output
    r = _run("route", "organisations", _file(tmp, "orgs.csv", ORGS),
             _file(tmp, "ballots.csv", BALLOTS), "--seed", "s", "--database", db)
    assert r.exit_code == 0, r.output
    group = table(["name"], [(n,) for n in people(np.random.default_rng(1), 24)])
    r = _run("route", "group", "Ramblers", _file(tmp, "g.csv", group), "--database", db)
    assert r.exit_code == 0, r.output
    r = _run("composition", "--filled", "--on", "2027-01-11", "--format", "json",
             "--database", db)
    assert r.exit_code == 0, r.output
    shares = {s["key"]: s for s in json.loads(r.output)["shares"]}
    assert shares["local"]["routed"] == 3
    assert shares["youth"]["routed"] == 2
    assert shares["organisations"]["routed"] == 24
    assert any("delegations not yet filled" in m for m in shares["party"]["missing"])


def test_refusals_print_the_rule_and_exit_2_storing_nothing(chamber):
    db, tmp = chamber
    again = _run("route", "install", "--calendar-start", "2027-01-04", "--database", db)
    assert again.exit_code == 2
    assert "already installed" in again.output
    tuesday = _run("route", "install", "--body", "local-health-panel", "--calendar-start",
                   "2027-01-05", "--database", db)
    assert tuesday.exit_code == 2
    assert "Monday" in tuesday.output
    past = table(["name", "elected", "left"], [("Old Hand", "2018-02-01", "2020-01-31")])
    r = _run("route", "youth-parliament", _file(tmp, "old.csv", past), "--database", db)
    assert r.exit_code == 2
    assert "one term" in r.output
    assert "2022-01-30" in r.output
    r = _run("route", "elect", "local", "Calton", str(CALTON), "--seed", "s", "--database", db)
    assert r.exit_code == 2
    assert "not divided" in r.output
    r = _run("route", "elect", "local", "Calton", str(CALTON), "--seed", "s", "--serves-from",
             "soon", "--database", db)
    assert r.exit_code == 2
    assert "--serves-from 'soon' is not a date" in r.output
    r = _run("route", "divide", "local", _file(tmp, "d.csv", "district,population\nA,x\n"),
             "--seed", "s", "--database", db)
    assert r.exit_code == 2
    assert "d.csv" in r.output
    assert "line 2" in r.output
    r = _run("composition", "--filled", "--format", "json", "--database", db)
    assert all(s["routed"] == 0 for s in json.loads(r.output)["shares"])


def _submission(folder: Path, places: int, nominated: int | None = None) -> Path:
    folder.mkdir()
    for name, text in submission(places, nominated).items():
        _file(folder, name, text)
    return folder


def test_a_party_delegation_from_a_folder_and_its_refusal(chamber):
    db, tmp = chamber
    _run("route", "party-vote", _file(tmp, "votes.csv", VOTES), "--held-on", "2026-11-05",
         "--seed", "s", "--database", db)
    over = _submission(tmp / "over", 24, nominated=7)
    r = _run("route", "delegation", "Green", str(over), "--seed", "s", "--database", db)
    assert r.exit_code == 2
    assert "breaks the rule" in r.output
    assert "nominated 7" in r.output
    good = _submission(tmp / "good", 24)
    r = _run("route", "delegation", "Green", str(good), "--seed", "s", "--database", db)
    assert r.exit_code == 0, r.output
    r = _run("composition", "--filled", "--format", "json", "--on", "2027-01-04",
             "--database", db)
    party = next(s for s in json.loads(r.output)["shares"] if s["key"] == "party")
    assert party["routed"] == 24


def test_the_filled_table_names_each_share_and_what_is_missing(chamber):
    db, _ = chamber
    r = _run("composition", "--filled", "--on", "2027-01-04", "--database", db)
    assert r.exit_code == 0, r.output
    assert "0 of 13,200 places filled by a route" in r.output
    assert "party: the national vote is not yet imported" in r.output
    bad = _run("composition", "--filled", "--on", "soon", "--database", db)
    assert bad.exit_code == 2
    assert "--on" in bad.output
