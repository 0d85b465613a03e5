"""`chamber jury pool import`, `seed`, `draw`, `letters`, `answer` and `day` on the national
jury's stored pool; what `draw` writes is all `chamber draw verify` needs."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from sqlmodel import Session, select
from typer.testing import CliRunner

from chamber.bodies import LOCAL_HEALTH_PANEL, NATIONAL
from chamber.bodies.services import install_body
from chamber.clock import now
from chamber.db import make_engine, perform, upgrade
from chamber.jury.places import first_day, index, label, month_of
from chamber.membership.models import Member
from cli import app
from electoral.sortition.synthetic import pool_csv
from tests.chamber.jury.conftest import panel_pool_text

runner = CliRunner()


def _volunteers(n: int) -> str:
    rows = pool_csv(n, 3).splitlines()
    out = ["id,name,email,consent," + rows[0].split(",", 1)[1]]
    out += [f"{r.split(',')[0]},N {r.split(',')[0]},x@y.org,yes,{r.split(',', 1)[1]}"
            for r in rows[1:]]
    return "\n".join(out) + "\n"


def test_an_officer_imports_announces_draws_and_anyone_verifies(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    engine = make_engine(url)
    upgrade(engine)
    perform(engine, install_body, NATIONAL, date(2027, 1, 4))
    engine.dispose()
    bad = tmp_path / "bad.csv"
    bad.write_text(_volunteers(5).replace(",female,", ",robot,", 1), encoding="utf-8")
    r = runner.invoke(app, ["jury", "pool", "import", str(bad), "--database", url])
    assert r.exit_code == 2
    assert "nothing was imported" in r.output
    assert "bad.csv, line" in r.output
    good = tmp_path / "pool.csv"
    good.write_text(_volunteers(1500), encoding="utf-8")
    r = runner.invoke(app, ["jury", "pool", "import", str(good), "--database", url])
    assert r.exit_code == 0, r.output
    assert "1500 new" in r.output
    r = runner.invoke(app, ["jury", "seed", "--month", "2027-05", "--seed", "4 8 15",
                            "--database", url])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["jury", "draw", "--month", "2027-05", "--seed", "16 23 42",
                            "--database", url, "--out", str(tmp_path / "pub")])
    assert r.exit_code == 2
    assert "announced as '4 8 15'" in r.output
    r = runner.invoke(app, ["jury", "draw", "--month", "2027-05", "--seed", "4 8 15",
                            "--database", url, "--out", str(tmp_path / "pub")])
    assert r.exit_code == 0, r.output
    assert "90 people serving from 2027-05" in r.output
    pub = tmp_path / "pub"
    r = runner.invoke(app, ["draw", "verify", str(pub / "record.json"), str(pub / "pool.csv"),
                            str(pub / "quotas.csv")])
    assert r.exit_code == 0, r.output
    assert "verified" in r.output
    r = runner.invoke(app, ["jury", "letters", "--database", url])
    assert r.exit_code == 0
    letters = list(csv.DictReader(io.StringIO(r.output)))
    assert len(letters) == 90
    first, second = letters[0]["invitation"], letters[1]["invitation"]
    r = runner.invoke(app, ["jury", "answer", first, "--accept", "--database", url])
    assert r.exit_code == 0, r.output
    assert f"invitation {first}: accepted" in r.output
    r = runner.invoke(app, ["jury", "answer", first, "--decline", "--database", url])
    assert r.exit_code == 2
    assert "accepted already" in r.output
    r = runner.invoke(app, ["jury", "answer", second, "--decline", "--database", url])
    assert r.exit_code == 0, r.output
    with Session(make_engine(url)) as s:
        member = s.exec(select(Member).where(Member.name == letters[0]["name"])).one()
        assert member.serves_from == date(2027, 5, 1)
        assert member.serves_until == date(2028, 4, 30)
    r = runner.invoke(app, ["jury", "day", "--database", url])
    assert r.exit_code == 0, r.output
    assert "national 2027-05 replacements" in r.output
    r = runner.invoke(app, ["jury", "letters", "--database", url])
    assert len(list(csv.DictReader(io.StringIO(r.output)))) == 89


def test_a_body_not_drawn_by_lot_is_named():
    r = runner.invoke(app, ["jury", "seed", "--body", "nowhere", "--month", "2027-05",
                            "--seed", "1", "--database", "sqlite://"])
    assert r.exit_code == 2
    assert "'nowhere' draws nobody by lot; one of " in r.output
    assert "national" in r.output


def test_an_officer_draws_a_citizens_panel_from_its_own_pool(tmp_path):
    url = f"sqlite:///{tmp_path / 'p.db'}"
    engine = make_engine(url)
    upgrade(engine)
    perform(engine, install_body, LOCAL_HEALTH_PANEL, date(2027, 1, 4))
    engine.dispose()
    body = ["--body", "local-health-panel", "--database", url]
    start = label(index(month_of(now())) + 1)  # the commands run on the real clock
    last = first_day(label(index(start) + 6)) - timedelta(days=1)
    pool = tmp_path / "panel.csv"
    pool.write_text(panel_pool_text(400), encoding="utf-8")
    r = runner.invoke(app, ["jury", "pool", "import", str(pool), *body])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["jury", "draw", "--month", start, "--months", "0",
                            "--seed", "s", *body])
    assert r.exit_code == 2
    pub = tmp_path / "pub"
    draw = ["jury", "draw", "--month", start, "--months", "6", "--seed", "9 9 9",
            "--out", str(pub), *body]
    r = runner.invoke(app, draw)
    assert r.exit_code == 0, r.output
    assert f"40 people serving from {start}" in r.output
    r = runner.invoke(app, ["draw", "verify", str(pub / "record.json"), str(pub / "pool.csv"),
                            str(pub / "quotas.csv")])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, draw)
    assert r.exit_code == 2
    assert "was drawn already" in r.output
    r = runner.invoke(app, ["jury", "letters", *body])
    letters = list(csv.DictReader(io.StringIO(r.output)))
    assert len(letters) == 40
    r = runner.invoke(app, ["jury", "answer", letters[0]["invitation"], "--accept",
                            "--database", url])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["jury", "answer", letters[1]["invitation"], "--decline",
                            "--database", url])
    assert r.exit_code == 0, r.output
    with Session(make_engine(url)) as s:
        member = s.exec(select(Member).where(Member.name == letters[0]["name"])).one()
        assert (member.serves_from, member.serves_until) == (first_day(start), last)
        assert member.group == "panel"
    r = runner.invoke(app, ["jury", "day", "--database", url])
    assert r.exit_code == 0, r.output
    assert "local-health-panel panel replacements" in r.output
