"""`chamber experts ...` and `chamber panel ...` on the national chamber and the local health
panel: the transition's crossbench peers seated, a field's ballot opened, nominations imported
(a bad row names its line and stores nothing), a count refused without votes; a panel's remit
set and an output refused before the draw."""

from __future__ import annotations

from datetime import date

from typer.testing import CliRunner

from chamber.bodies import LOCAL_HEALTH_PANEL, NATIONAL
from chamber.bodies.services import install_body
from chamber.db import make_engine, perform, upgrade
from cli import app

runner = CliRunner()


def test_the_officer_runs_the_experts_and_a_panel_from_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    engine = make_engine(url)
    upgrade(engine)
    perform(engine, install_body, NATIONAL, date(2027, 1, 4))
    perform(engine, install_body, LOCAL_HEALTH_PANEL, date(2027, 1, 4))
    engine.dispose()
    db = ["--database", url]
    peers = tmp_path / "peers.csv"
    peers.write_text("name,field\nLord Alpha,Law\nBaroness Beta,\nLord Gamma,\n",
                     encoding="utf-8")
    r = runner.invoke(app, ["experts", "crossbench", str(peers), "--from", "2027-02-01", *db])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["experts", "fields", "--on", "2027-02-01", *db])
    assert r.exit_code == 0, r.output
    assert "Law: 1 of 24 places serving (1 seats)" in r.output
    assert "Open seats (any field): 2 of 600 places serving (25 seats)" in r.output
    r = runner.invoke(app, ["experts", "ballot", "--field", "Astrology", "--from",
                            "2030-01-01", *db])
    assert r.exit_code == 2
    assert "'Astrology' is not one of the 26 fields" in r.output
    r = runner.invoke(app, ["experts", "ballot", "--field", "Health", "--from", "2030-01-01",
                            "--places", "25", *db])
    assert r.exit_code == 2
    assert "only 24 places are free" in r.output
    r = runner.invoke(app, ["experts", "ballot", "--field", "Health", "--from", "2030-01-01",
                            *db])
    assert r.exit_code == 0, r.output
    assert "ballot 1 of Health is open" in r.output
    bad = tmp_path / "bad.csv"
    bad.write_text("field,name,expertise\nHealth,Dr Ada,GP\nHeraldry,Mr Bee,\n", encoding="utf-8")
    r = runner.invoke(app, ["experts", "nominate", str(bad), *db])
    assert r.exit_code == 2
    assert "bad.csv, line 3, column 'field'" in r.output
    good = tmp_path / "good.csv"
    good.write_text("field,name,expertise\nHealth,Dr Ada,GP\nHealth,Prof Ben,surgeon\n",
                    encoding="utf-8")
    r = runner.invoke(app, ["experts", "nominate", str(good), *db])
    assert r.exit_code == 0, r.output
    assert "2 nominations entered" in r.output
    r = runner.invoke(app, ["experts", "count", "1", "--seed", "s", *db])
    assert r.exit_code == 2
    assert "cannot be counted yet" in r.output
    r = runner.invoke(app, ["panel", "remit", "--question", "Close the cottage hospitals?",
                            "--stratum", "residents of the county", "--powers",
                            "scrutinise,advise", *db])
    assert r.exit_code == 0, r.output
    text = tmp_path / "report.txt"
    text.write_text("Thin evidence.", encoding="utf-8")
    r = runner.invoke(app, ["panel", "publish", "--kind", "scrutiny report", "--title", "T",
                            str(text), *db])
    assert r.exit_code == 2
    assert "not drawn yet" in r.output
    r = runner.invoke(app, ["panel", "meetings", "--from", "2027-03-01", "--to", "2027-03-31",
                            "--venue", "County Hall", *db])
    assert r.exit_code == 0, r.output
    assert "3 meetings stored" in r.output
