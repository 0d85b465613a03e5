"""The jury on the site: volunteering (a bad field is a 400 naming it), an officer's import
(a bad row stores nothing), the draw, its published pool and quotas verified, the letters,
and a drawn volunteer's notice and answer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from litestar.testing import TestClient
from sqlmodel import Session, select

from chamber.accounts.models import Account
from chamber.accounts.services import create_account
from chamber.bodies import LOCAL_HEALTH_PANEL
from chamber.bodies.services import install_body
from chamber.db import make_engine, perform, upgrade
from chamber.jury.ballot import open_ballots
from chamber.jury.lottery import LOTTERIES
from chamber.jury.models import JuryBallot, JuryDraw, JuryPlace, Volunteer
from chamber.jury.pool import import_pool
from chamber.settings import Settings
from electoral.sortition.draw import record_from_dict, verify
from electoral.sortition.instance import build_instance, parse_pool, parse_quotas
from tests.chamber.conftest import public_account
from tests.chamber.jury.conftest import (
    BODY,
    LEAD,
    LOTTERY,
    MONDAY,
    NOW,
    install,
    panel_pool_text,
    pool_text,
)
from tests.chamber.jury.run import run
from tests.web.conftest import PASSWORD, post, sign_in
from web.app import create_app
from web.schemas import FEATURE_FIELDS

KEY = BODY.key


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('jury') / 'jury.db'}")
    upgrade(engine)
    perform(engine, install_body, BODY, MONDAY)
    perform(engine, import_pool, LOTTERY, "pool.csv", pool_text(40), NOW)
    perform(engine, create_account, "officer", PASSWORD, "administrator", NOW)
    for name in ("vol", "other"):
        public_account(engine, name, PASSWORD, NOW)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app(engine):
    return create_app(engine, scheduler=False, clock=lambda: NOW,
                      config=Settings(login_rate=10_000, jury_lead_months=LEAD),
                      lotteries={KEY: LOTTERY})


def client(app, who: str) -> TestClient:
    c = TestClient(app)
    sign_in(c, who)
    return c


def entries(engine) -> int:
    with Session(engine) as s:
        return len(s.exec(select(Volunteer)).all())


FORM = {"name": "Val", "email": "val@example.org", "consent": "on", "gender": "female",
        "age": "young"}


def test_the_volunteer_form_asks_every_feature_of_every_lottery():
    keys = {f.key for lot in (*LOTTERIES.values(), LOTTERY) for f in lot.features}
    assert keys <= set(FEATURE_FIELDS)


def test_a_volunteer_signs_up_once_and_a_bad_field_is_named(app, engine):
    vol = client(app, "vol")
    page = vol.get(f"/volunteer/{KEY}")
    assert 'name="gender"' in page.text
    assert 'name="consent"' in page.text
    bad = post(vol, f"/volunteer/{KEY}", {**FORM, "age": "ancient"})
    assert bad.status_code == 400
    assert "age: &#39;ancient&#39; is not one of young, old" in bad.text
    too_long = post(vol, f"/volunteer/{KEY}", {**FORM, "gender": "x" * 101})
    assert too_long.status_code == 400
    assert "gender" in too_long.text
    assert post(vol, f"/volunteer/{KEY}", FORM).status_code in (302, 303)
    assert "Volunteered" in vol.get("/me/volunteering").text
    again = post(vol, f"/volunteer/{KEY}", FORM)
    assert again.status_code == 409
    assert "already in the pool" in again.text
    assert client(app, "other").get("/volunteer/nowhere").status_code == 404


def test_an_import_with_a_bad_row_is_refused_naming_it_and_stores_nothing(app, engine):
    officer = client(app, "officer")
    before = entries(engine)
    text = pool_text(3, start=900).replace("p901,Person 901", "p901,")
    response = officer.post(
        f"/admin/jury/{KEY}/pool", data={"_csrf_token": officer.cookies["csrftoken"]},
        files={"pool": ("more.csv", text.encode(), "text/csv")}, follow_redirects=False,
    )
    assert response.status_code == 400
    assert "more.csv, line 3, column &#39;name&#39;: give your name" in response.text
    assert entries(engine) == before
    good = officer.post(
        f"/admin/jury/{KEY}/pool", data={"_csrf_token": officer.cookies["csrftoken"]},
        files={"pool": ("more.csv", pool_text(3, start=900).encode(), "text/csv")},
        follow_redirects=False,
    )
    assert good.status_code in (302, 303)
    assert entries(engine) == before + 3


def test_the_officer_draws_and_the_downloads_verify_it(app, engine):
    officer = client(app, "officer")
    assert "Pool and draws of test-jury" in officer.get(f"/admin/jury/{KEY}").text
    drawn = post(officer, f"/admin/jury/{KEY}/draw", {"month": "2027-03", "seed": "7 11 19"})
    assert drawn.status_code in (302, 303), drawn.text
    page = officer.get(drawn.headers["location"])
    draw_id = int(drawn.headers["location"].rsplit("/", 1)[1])
    assert f"/draws/{draw_id}/pool.csv" in page.text
    anyone = TestClient(app)
    pool = anyone.get(f"/draws/{draw_id}/pool.csv").text
    quotas = anyone.get(f"/draws/{draw_id}/quotas.csv").text
    record = record_from_dict(anyone.get(f"/draws/{draw_id}/record.json").json())
    parsed, sha = parse_quotas(quotas, "quotas.csv")
    inst = build_instance(parse_pool(pool, "pool.csv", require_id=True), parsed, record.size,
                          quotas_sha256=sha)
    assert verify(record, inst) == []
    assert "Person" not in pool
    letters = officer.get(f"/admin/jury/{KEY}/letters.csv").text.splitlines()
    assert letters[0].startswith("invitation,name,address")
    assert len(letters) == 1 + 5
    again = post(officer, f"/admin/jury/{KEY}/draw", {"month": "2027-03", "seed": "7 11 19"})
    assert again.status_code == 409
    bad_month = post(officer, f"/admin/jury/{KEY}/draw", {"month": "March", "seed": "x"})
    assert bad_month.status_code == 400
    assert "month" in bad_month.text
    with Session(engine) as s:
        assert s.exec(select(JuryDraw)).first().body_key == KEY


def test_the_officer_records_an_answer_given_by_letter(app, engine):
    officer = client(app, "officer")
    line = officer.get(f"/admin/jury/{KEY}/letters.csv").text.splitlines()[1]
    invitation = line.split(",")[0]
    done = post(officer, f"/admin/jury/{KEY}/invitations/{invitation}", {"answer": "decline"})
    assert done.status_code in (302, 303)
    assert "declined" in done.headers["location"]
    twice = post(officer, f"/admin/jury/{KEY}/invitations/{invitation}", {"answer": "accept"})
    assert twice.status_code == 409


def test_a_serving_juror_votes_on_the_extensions_once_and_anyone_reads_the_ballot(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'ballot.db'}")
    upgrade(engine)
    install(engine)
    run(engine, LOTTERY, "2027-01", 4, Settings(jury_lead_months=LEAD), vote=False)
    with Session(engine) as s:
        [ballot] = [s.get(JuryBallot, b) for b in open_ballots(s, KEY)]
        assert ballot.candidates
        place = s.exec(select(JuryPlace).where(JuryPlace.status == "serving",
                                               JuryPlace.cohort <= "2027-04")).first()
        member_id = place.member_id
    juror = public_account(engine, "juror", PASSWORD, NOW)
    with Session(engine) as s:
        account = s.get(Account, juror.id)
        account.role, account.member_id = "member", member_id
        s.add(account)
        s.commit()
    app = create_app(engine, scheduler=False, clock=lambda: datetime(2027, 4, 15, tzinfo=UTC),
                     config=Settings(login_rate=10_000, jury_lead_months=LEAD),
                     lotteries={KEY: LOTTERY})
    path = f"/jury/{KEY}/ballots/{ballot.id}"
    page = TestClient(app).get(path)
    assert "STV (single transferable vote" in page.text
    assert "effect on the jury" in page.text
    assert 'name="ranking"' not in page.text  # not a juror: nothing to vote with
    c = client(app, "juror")
    assert 'name="ranking"' in c.get(path).text
    bad = post(c, path, {"ranking": "first"})
    assert bad.status_code == 400
    assert "ranking" in bad.text
    unknown = post(c, path, {"ranking": "999999"})
    assert unknown.status_code == 400
    assert "not a candidate" in unknown.text
    first = " ".join(str(p) for p in ballot.candidates)
    assert post(c, path, {"ranking": first}).status_code in (302, 303)
    assert "You have voted in this ballot" in c.get(path).text
    again = post(c, path, {"ranking": first})
    assert again.status_code == 409
    assert "voted in this ballot already" in again.text
    perform(engine, create_account, "boss", PASSWORD, "administrator", NOW)
    officer_page = client(app, "boss").get(f"/admin/jury/{KEY}").text
    assert f'href="{path}"' in officer_page
    engine.dispose()


def test_the_officer_draws_a_citizens_panel_on_the_site(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'panel.db'}")
    upgrade(engine)
    perform(engine, install_body, LOCAL_HEALTH_PANEL, MONDAY)
    panel = LOTTERIES["local-health-panel"]
    perform(engine, import_pool, panel, "panel.csv", panel_pool_text(300), NOW)
    perform(engine, create_account, "officer", PASSWORD, "administrator", NOW)
    app = create_app(engine, scheduler=False, clock=lambda: NOW,
                     config=Settings(login_rate=10_000), lotteries={panel.body: panel})
    officer = client(app, "officer")
    page = officer.get(f"/admin/jury/{panel.body}").text
    assert "Draw the panel" in page
    form = {"month": "2027-03", "months": "6", "seed": "1 2 3"}
    bad = post(officer, f"/admin/jury/{panel.body}/draw", {**form, "months": "0"})
    assert bad.status_code == 400
    assert "months" in bad.text
    drawn = post(officer, f"/admin/jury/{panel.body}/draw", form)
    assert drawn.status_code in (302, 303), drawn.text
    letters = officer.get(f"/admin/jury/{panel.body}/letters.csv").text.splitlines()
    assert len(letters) == 1 + 40
    again = post(officer, f"/admin/jury/{panel.body}/draw", form)
    assert again.status_code == 409
    engine.dispose()
