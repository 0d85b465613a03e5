"""`chamber allocate`, `chamber students` and `chamber districts` end to end."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli import app
from tests.conftest import DATA

runner = CliRunner()
SOUTH_WEST = str(DATA / "allocation" / "ep2019_south_west.csv")


def test_allocate_prints_the_table_and_the_quotients():
    r = runner.invoke(
        app,
        [
            "allocate",
            SOUTH_WEST,
            "--seats",
            "6",
            "--threshold",
            "0",
            "--working",
            "3",
            "--seed",
            "s",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "lowest winning quotient: 192547.5000" in r.output
    assert "305871.00" in r.output  # Brexit Party's second quotient


def test_allocate_json_applies_the_one_percent_threshold():
    r = runner.invoke(app, ["allocate", SOUTH_WEST, "--seats", "6", "--format", "json"])
    data = json.loads(r.stdout)
    assert data["threshold"] == "more than 1%"
    english_democrats = next(p for p in data["parties"] if p["name"] == "English Democrats")
    assert not english_democrats["qualified"]
    assert data["seats_by_party"]["The Brexit Party"] == 3


def test_allocate_bad_file_names_line_and_exits_2(tmp_path):
    f = tmp_path / "v.csv"
    f.write_text("party,votes\nA,10\nB,-3\n")
    r = runner.invoke(app, ["allocate", str(f), "--seats", "2"])
    assert r.exit_code == 2
    assert "v.csv, line 3: column 'votes': negative number -3 for B" in r.output


def test_students_and_districts(tmp_path):
    unions = tmp_path / "unions.csv"
    unions.write_text("union,members\nU1,520000\nU2,290000\nU3,190000\n")
    r = runner.invoke(app, ["students", str(unions), "--format", "json", "--seed", "s"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["seats_by_party"] == {"U1": 13, "U2": 7, "U3": 5}
    pops = tmp_path / "pop.csv"
    pops.write_text("district,population\nA,500000\nB,40000\nC,2000000\n")
    r = runner.invoke(app, ["districts", str(pops), "--places", "100", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [d["places"] for d in data["districts"]] == [19, 3, 78]  # B lifted to the minimum
