"""`chamber jury pool import`, `seed`, `draw`, `letters`, `answer`, `day` and `vote` on the
national jury's stored pool and a citizens' panel's; what `draw` writes is all `chamber draw
verify` needs."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, select
from typer.testing import CliRunner

from chamber.bodies import LOCAL_HEALTH_PANEL, NATIONAL
from chamber.bodies.services import install_body
from chamber.clock import now
from chamber.db import make_engine, perform, upgrade
from chamber.jury.ballot import open_ballots
from chamber.jury.models import JuryBallot, JuryPlace
from chamber.jury.places import first_day, index, label, month_of
from chamber.membership.models import Member
from chamber.settings import Settings
from cli import app
from electoral.sortition.synthetic import pool_csv
from tests.chamber.jury.conftest import BODY, LEAD, LOTTERY, install, panel_pool_text
from tests.chamber.jury.run import run

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


def test_an_officer_records_a_jurors_extensions_vote_sent_by_letter(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'v.db'}"
    engine = make_engine(url)
    upgrade(engine)
    install(engine)
    run(engine, LOTTERY, "2027-01", 4, Settings(jury_lead_months=LEAD), vote=False)
    with Session(engine) as s:
        [ballot] = [s.get(JuryBallot, b) for b in open_ballots(s, BODY.key)]
        place = s.exec(select(JuryPlace).where(JuryPlace.status == "serving",
                                               JuryPlace.cohort <= "2027-04")).first()
    engine.dispose()
    monkeypatch.setattr("chamber.clock.now", lambda: datetime(2027, 4, 20, tzinfo=UTC))
    ranking = " ".join(str(c) for c in ballot.candidates)
    vote = ["jury", "vote", str(ballot.id), "--place", str(place.id), "--database", url]
    r = runner.invoke(app, [*vote, "--ranking", "first"])
    assert r.exit_code == 2
    assert "--ranking: 'first' is not place numbers" in r.output
    r = runner.invoke(app, [*vote, "--ranking", ranking])
    assert r.exit_code == 0, r.output
    assert f"the vote of place {place.id} is recorded" in r.output
    r = runner.invoke(app, [*vote, "--ranking", ranking])
    assert r.exit_code == 2
    assert "voted in this ballot already" in r.output
