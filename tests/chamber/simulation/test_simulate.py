"""`chamber simulate`: three months of the national chamber on SQLite and on PostgreSQL (run side
by side, one process each), every invariant holding every day; and the invariants themselves
find what they look for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from chamber.db import perform, read
from chamber.divisions.lifecycle import create_division
from chamber.rotas.models import Assignment
from chamber.simulation import invariants

ROOT = Path(__file__).resolve().parents[3]
MONDAY = datetime(2027, 3, 1, tzinfo=UTC).date()


def _simulate(url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "simulate", "--from", "2027-03-01", "--months", "3",
         "--database", url, "--jury-features", "gender,age", "--voters", "100",
         "--format", "json"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_three_months_hold_every_invariant_on_sqlite_and_postgresql(tmp_path, pg_server):
    runs = {
        "sqlite": _simulate(f"sqlite:///{tmp_path / 'sim.db'}"),
        "postgresql": _simulate(pg_server.create_database("simulation")),
    }
    for kind, run in runs.items():
        out, err = run.communicate(timeout=1800)
        assert run.returncode == 0, (kind, err[-3000:])
        report = json.loads(out)
        assert report["breaches"] == [], kind
        assert report["days"] == 92
        assert report["sittings"] == 158  # Monday to Saturday, two a day, for 13 weeks + 1 day
        assert report["divisions"] == report["sittings"]
        assert report["jury_months"] == ["2027-03", "2027-04", "2027-05"]
        assert report["jury_sizes"] == [1200, 1200, 1200]
        assert report["rotas"] >= 3
        assert report["replacements"] >= 1
        assert report["swaps_accepted"] >= 1
        assert report["member_votes"] > 60_000
        assert report["delegates"] > 4_000  # two periods' places of the 25 assemblies
        assert report["committee_count"] is not None
        assert "no breach" in report["summary"]


def test_the_invariants_find_an_empty_seat_and_a_member_who_does_not_sit(world):
    engine = world.engine
    monday = world.sittings()[0]
    assert read(engine, invariants.seats_filled, monday.day) == []
    assert read(engine, invariants.rota_rules, world.rota) == []
    with Session(engine) as s:
        gone = s.exec(select(Assignment).where(Assignment.sitting_id == monday.id)).first()
        s.delete(gone)
        s.commit()
    assert any("have no rostered member" in p
               for p in read(engine, invariants.seats_filled, monday.day))
    assert any(f"{gone.member_id} sits 0 times" in p
               for p in read(engine, invariants.rota_rules, world.rota))


def test_the_invariants_find_divisions_not_closed(world):
    start = world.sittings()[0].starts_at
    perform(world.engine, create_division, "Q", ["a", "b"], start, start + timedelta(hours=1),
            sitting_id=world.sittings()[0].id, now=start)
    late = read(world.engine, invariants.divisions_closed, start + timedelta(hours=2))
    assert late
    assert "should have closed" in late[0]
