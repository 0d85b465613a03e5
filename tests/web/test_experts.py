"""The jury's experts and a citizens' panel on the site: the officer opens a field's ballot and
nominates, serving jurors rank the nominees (once; nobody else may), the officer counts and the
appointed appear; a peer is put to the jury and answered yes or no; a panel's remit is set, it is
drawn, publishes what its powers allow and its public page shows members by pseudonym only.
Bad fields are 400s naming them."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar.testing import TestClient
from sqlmodel import Session, select

from chamber.accounts.services import create_account
from chamber.bodies import LOCAL_HEALTH_PANEL
from chamber.bodies.services import install_body
from chamber.db import make_engine, perform, upgrade
from chamber.jury.expert_models import ExpertNomination, ExpertVote, PeerQuestion
from chamber.jury.lottery import LOTTERIES
from chamber.jury.pool import import_pool
from chamber.settings import Settings
from tests.chamber.conftest import public_account
from tests.chamber.jury.conftest import MONDAY, panel_pool_text
from tests.chamber.jury.experts_body import BODY, LOTTERY, NOW, install_with_jurors
from tests.web.conftest import PASSWORD, post, sign_in
from web.app import create_app

KEY = BODY.key


def client(app, who: str) -> TestClient:
    c = TestClient(app)
    sign_in(c, who)
    return c


def test_the_jury_appoints_experts_on_the_site(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'experts.db'}")
    upgrade(engine)
    install_with_jurors(engine)
    perform(engine, create_account, "officer", PASSWORD, "administrator", NOW)
    public_account(engine, "outsider", PASSWORD, NOW)
    app = create_app(engine, scheduler=False, clock=lambda: NOW,
                     config=Settings(login_rate=10_000), lotteries={KEY: LOTTERY})
    officer = client(app, "officer")
    assert "Open a field's ballot" in officer.get(f"/admin/jury/{KEY}/experts").text
    bad = post(officer, f"/admin/jury/{KEY}/experts/ballots",
               {"field": "Astrology", "serves_from": "2027-05-01"})
    assert bad.status_code == 400
    assert "field" in bad.text
    assert "Astrology" in bad.text
    bad = post(officer, f"/admin/jury/{KEY}/experts/ballots",
               {"field": "Health", "serves_from": "May"})
    assert bad.status_code == 400
    assert "serves_from" in bad.text
    many = post(officer, f"/admin/jury/{KEY}/experts/ballots",
                {"field": "Health", "serves_from": "2027-05-01", "places": "4"})
    assert many.status_code == 409
    assert "only 3 places are free" in many.text
    opened = post(officer, f"/admin/jury/{KEY}/experts/ballots",
                  {"field": "Health", "serves_from": "2027-05-01", "places": "1"})
    assert opened.status_code in (302, 303), opened.text
    path = opened.headers["location"]
    for name in ("Dr Ada", "Prof Ben"):
        done = post(officer, f"/admin/jury/{KEY}/experts/nominations",
                    {"field": "Health", "name": name, "expertise": "medicine"})
        assert done.status_code in (302, 303), done.text
    with Session(engine) as s:
        ada, ben = (n.id for n in s.exec(select(ExpertNomination)).all())
    page = client(app, "juror0").get(path).text
    assert "STV (single transferable vote, the Scottish local-government rules)" in page
    assert "Dr Ada" in page
    assert 'name="ranking"' in page
    for n, ranking in enumerate((f"{ada} {ben}", f"{ada}", f"{ben} {ada}")):
        voted = post(client(app, f"juror{n}"), path, {"ranking": ranking})
        assert voted.status_code in (302, 303), voted.text
    juror = client(app, "juror0")
    assert "You have voted in this ballot" in juror.get(path).text
    again = post(juror, path, {"ranking": f"{ben}"})
    assert again.status_code == 409
    assert "voted in this ballot already" in again.text
    outsider = post(client(app, "outsider"), path, {"ranking": f"{ada}"})
    assert outsider.status_code == 403
    with Session(engine) as s:
        assert len(s.exec(select(ExpertVote)).all()) == 3
    ballot_id = path.rsplit("/", 1)[1]
    counted = post(officer, f"/admin/jury/{KEY}/experts/ballots/{ballot_id}/count",
                   {"seed": "a public seed"})
    assert counted.status_code in (302, 303), counted.text
    result = TestClient(app).get(path).text
    assert "Counted: 1 of 2 nominees appointed" in result
    assert "/elections/" in result
    overview = TestClient(app).get(f"/jury/{KEY}/experts").text
    assert "Health" in overview
    assert "1 appointed" in overview
    peers = officer.post(f"/admin/jury/{KEY}/experts/peers",
                         files={"peers": ("whips.csv", b"name,party\nLord Eta,Labour\n")},
                         data={"_csrf_token": officer.cookies["csrftoken"]},
                         follow_redirects=False)
    assert peers.status_code in (302, 303), peers.text
    with Session(engine) as s:
        question = s.exec(select(PeerQuestion)).one().id
    answered = post(client(app, "juror1"), f"/jury/{KEY}/experts/peers/{question}",
                    {"answer": "yes"})
    assert answered.status_code in (302, 303), answered.text
    bad = post(client(app, "juror2"), f"/jury/{KEY}/experts/peers/{question}",
               {"answer": "maybe"})
    assert bad.status_code == 400
    decided = post(officer, f"/admin/jury/{KEY}/experts/peers/{question}/decide",
                   {"serves_from": "2027-05-01"})
    assert decided.status_code in (302, 303), decided.text
    assert "approved (1 for, 0 against)" in TestClient(app).get(f"/jury/{KEY}/experts").text
    engine.dispose()


def test_a_citizens_panel_on_the_site(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'panel.db'}")
    upgrade(engine)
    perform(engine, install_body, LOCAL_HEALTH_PANEL, MONDAY)
    panel = LOTTERIES["local-health-panel"]
    now = datetime(2027, 1, 4, 9, tzinfo=UTC)
    perform(engine, import_pool, panel, "panel.csv", panel_pool_text(300), now)
    perform(engine, create_account, "officer", PASSWORD, "administrator", now)
    app = create_app(engine, scheduler=False, clock=lambda: now,
                     config=Settings(login_rate=10_000), lotteries={panel.body: panel})
    officer = client(app, "officer")
    key = panel.body
    assert "Set the remit" in officer.get(f"/admin/panels/{key}").text
    remit = {"question": "Close the cottage hospitals?", "stratum": "residents of the county",
             "size": "40", "scrutinise": "on", "advise": "on"}
    bad = post(officer, f"/admin/panels/{key}/remit", {**remit, "size": "0"})
    assert bad.status_code == 400
    assert "size" in bad.text
    none = post(officer, f"/admin/panels/{key}/remit", {**remit, "scrutinise": "", "advise": ""})
    assert none.status_code == 400
    assert post(officer, f"/admin/panels/{key}/remit", remit).status_code in (302, 303)
    drawn = post(officer, f"/admin/jury/{key}/draw",
                 {"month": "2027-03", "months": "6", "seed": "1 2 3"})
    assert drawn.status_code in (302, 303), drawn.text
    made = post(officer, f"/admin/panels/{key}/schedule",
                {"first": "2027-03-01", "last": "2027-03-31", "venue": "County Hall"})
    assert made.status_code in (302, 303), made.text
    amendment = post(officer, f"/admin/panels/{key}/outputs",
                     {"kind": "amendment", "title": "Clause 4", "text": "Delete it."})
    assert amendment.status_code == 409
    assert "power to revise" in amendment.text
    report = post(officer, f"/admin/panels/{key}/outputs",
                  {"kind": "scrutiny report", "title": "The plan examined",
                   "text": "The evidence for closing both is thin."})
    assert report.status_code in (302, 303), report.text
    page = TestClient(app).get(f"/panels/{key}").text
    assert "Close the cottage hospitals?" in page
    assert "The evidence for closing both is thin." in page
    assert "County Hall" in page
    assert "may not vote on its divisions" in page
    assert page.count("<td>invited</td>") == 40
    assert "H 1" not in page  # volunteers' names are never shown
    assert "Local health and care panel" in TestClient(app).get("/panels").text
    engine.dispose()
