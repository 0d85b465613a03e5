"""`chamber rota solve | swap | explain` end to end on a small synthetic chamber."""

from __future__ import annotations

import json

import icalendar
import pytest
from typer.testing import CliRunner

from cli import app
from rota.synthetic import write_csvs

runner = CliRunner()
PERIOD = ["--from", "2027-01-04", "--fortnights", "2"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return write_csvs(tmp_path_factory.mktemp("rota"), seats=12)


def test_solve_reports_the_measures_and_saves_the_rota(files, tmp_path):
    members, availability = files
    saved = tmp_path / "rota.json"
    r = runner.invoke(
        app, ["rota", "solve", str(members), str(availability), *PERIOD, "--save", str(saved)]
    )
    assert r.exit_code == 0, r.output
    assert "gap to the bound" in r.output
    data = json.loads(saved.read_text())
    assert data["measures"]["violations"] == 0


def test_solve_exports_a_members_calendar(files):
    members, availability = files
    r = runner.invoke(
        app,
        [
            "rota",
            "solve",
            str(members),
            str(availability),
            *PERIOD,
            "--format",
            "ics",
            "--member",
            "S000-05",
        ],
    )
    assert r.exit_code == 0, r.output
    cal = icalendar.Calendar.from_ical(r.stdout_bytes)
    assert len(cal.walk("VEVENT")) == 2  # one slot in each fortnight


def test_swap_gives_a_verdict_with_reasons(files, tmp_path):
    members, availability = files
    saved = tmp_path / "rota.json"
    runner.invoke(
        app, ["rota", "solve", str(members), str(availability), *PERIOD, "--save", str(saved)]
    )
    r = runner.invoke(
        app,
        [
            "rota",
            "swap",
            str(members),
            str(availability),
            str(saved),
            "S000-00",
            "S001-00",
            *PERIOD,
            "--now",
            "2026-12-01T00:00",
        ],
    )
    assert r.exit_code == 1
    assert "swaps are between sharers of one seat" in r.output


def test_explain_names_the_conflict(tmp_path, files):
    members, _ = files
    availability = tmp_path / "availability.csv"
    rows = "".join(f"S000-{k:02d},*,evening,unavailable,\n" for k in range(13))
    availability.write_text("member,date,session,kind,weight\n" + rows)
    r = runner.invoke(app, ["rota", "explain", str(members), str(availability), *PERIOD])
    assert r.exit_code == 1
    assert "seat S000" in r.output
    assert "can be covered by only 11 members" in r.output


def test_cycles_is_the_same_option_as_fortnights(files, tmp_path):
    members, availability = files
    saved = {}
    for option in ("--fortnights", "--cycles"):
        saved[option] = tmp_path / f"{option[2:]}.json"
        period = ["--from", "2027-01-04", option, "2"]
        r = runner.invoke(
            app,
            [
                "rota",
                "solve",
                str(members),
                str(availability),
                *period,
                "--save",
                str(saved[option]),
            ],
        )
        assert r.exit_code == 0, r.output
    fortnights, cycles = (json.loads(p.read_text()) for p in saved.values())
    assert fortnights["assignments"] == cycles["assignments"]
    assert cycles["period"]["cycles"] == 2
    assert cycles["period"]["cycle_days"] == 14
    r = runner.invoke(app, ["rota", "solve", "--help"])
    assert "--cycles" in r.output
    assert "national sitting pattern" in " ".join(r.output.replace("│", " ").split())


def test_swap_reads_now_as_london_time_unless_it_has_an_offset(files, tmp_path):
    members, availability = files
    saved = tmp_path / "rota.json"
    runner.invoke(
        app, ["rota", "solve", str(members), str(availability), *PERIOD, "--save", str(saved)]
    )
    first = json.loads(saved.read_text())["slots"]["2027-01-04 morning"]["S000"]
    other = next(k for k in (f"S000-{k:02d}" for k in range(24)) if k != first)
    swap = ["rota", "swap", str(members), str(availability), str(saved), first, other, *PERIOD]
    for now, begun in (
        ("2027-01-04T07:59", False),
        ("2027-01-04T08:00", True),
        ("2027-01-04T07:59:00-01:00", True),  # 08:59 in London
    ):
        r = runner.invoke(app, [*swap, "--now", now])
        assert ("2027-01-04 morning has already begun" in r.output) is begun, (now, r.output)
