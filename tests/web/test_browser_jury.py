"""In headless Chromium: a person registers and volunteers for a jury, the officer draws the
month, the volunteer sees the notice, accepts, and appears on the rota of their first month.
Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from chamber.accounts.services import create_account
from chamber.bodies import composition
from chamber.bodies.pattern import SittingSpec
from chamber.bodies.services import install_body
from chamber.db import make_engine, perform, upgrade
from chamber.jury.lottery import Feature, Lottery
from chamber.jury.rules import JuryRules
from chamber.membership.services import NewMember, add_members
from chamber.rotas.services import solve_and_publish
from chamber.settings import Settings
from chamber.sittings.services import extend_calendar
from electoral.sortition.instance import Quota
from tests.chamber.conftest import public_account
from tests.web.conftest import PASSWORD
from tests.web.test_browser import ARTIFACTS, chromium_page, need_chromium, serving, sign_in
from web.app import create_app

MARCH = date(2027, 3, 1)  # a Monday: the body's calendar and the cohort's first day
NOW = datetime(2027, 1, 15, 12, tzinfo=UTC)
BODY = composition.Body(
    key="town-jury", title="A town jury", expected_seats=1,
    categories=(composition.Category(
        key="jury", title="Jury", seats=1, sharers_per_seat=2, cycle="fortnightly",
        selection="by lot", rota_by="the officer"),),
    sittings=(SittingSpec(week=1, day="Monday", session="morning"),
              SittingSpec(week=2, day="Tuesday", session="morning")),
)
LOTTERY = Lottery(
    body=BODY.key, category="jury", size=1,
    features=(Feature("gender", "Gender", ("female", "male")),),
    quotas=(Quota("gender", "female", 0, 1), Quota("gender", "male", 0, 1)),
    cycle=JuryRules(drawn=1, extended=0, term_months=2, window_months=1),
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    need_chromium()
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('town') / 'town.db'}")
    upgrade(engine)
    perform(engine, install_body, BODY, MARCH)
    # the other sharer of the seat serves on; the juror drawn for March takes the second place
    perform(engine, add_members, BODY.key, [NewMember("S000-A", "Ann Other", "S000", "jury")])
    perform(engine, extend_calendar, BODY.key, date(2027, 4, 30))
    perform(engine, create_account, "officer", PASSWORD, "administrator", NOW)
    public_account(engine, "juror", PASSWORD, NOW)
    app = create_app(engine, scheduler=False, clock=lambda: NOW,
                     config=Settings(login_rate=10_000, jury_lead_months=1),
                     lotteries={BODY.key: LOTTERY})
    with serving(app) as url:
        yield url, engine
    engine.dispose()


@pytest.fixture
def browser_page(server):
    with chromium_page() as page:  # the same Chromium set-up as the other browser tests
        yield page


def test_a_volunteer_signs_up_is_drawn_accepts_and_appears_on_the_rota(server, browser_page):
    url, engine = server
    page = browser_page
    page.goto(f"{url}/login")  # (registered on the electoral register by the fixture)
    page.get_by_label("Username").fill("juror")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/volunteer/{BODY.key}")
    page.get_by_label("Your name").fill("June Rowe")
    page.get_by_label("E-mail").fill("june@example.org")
    page.get_by_label("Gender").select_option("female")
    page.get_by_label("I agree to be contacted if I am drawn").check()
    page.get_by_role("button", name="Volunteer").click()
    assert "Volunteered" in page.content()
    page.screenshot(path=ARTIFACTS / "jury-volunteered.png", full_page=True)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, url, "officer")
    page.goto(f"{url}/admin/jury/{BODY.key}")
    page.get_by_label("Month the cohort serves from (YYYY-MM)").fill("2027-03")
    page.get_by_label("Public seed", exact=True).last.fill("lottery 4 17 23 31 40 44")
    page.get_by_role("button", name="Draw").click()
    page.wait_for_selector("#panel")
    page.screenshot(path=ARTIFACTS / "jury-draw.png", full_page=True)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, url, "juror")
    assert "You have been drawn for town-jury" in page.locator("#notices").inner_text()
    page.get_by_role("link", name="Answer").click()
    page.get_by_role("button", name="Accept").click()
    assert "accepted" in page.content()
    perform(engine, solve_and_publish, BODY.key, MARCH, 1, NOW)  # the March rota, published
    page.get_by_role("link", name="My rota", exact=True).click()
    assert "June Rowe" in page.content()
    assert "Mar 2027 08:00 GMT" in page.locator("table").first.inner_text()  # a March sitting
    page.screenshot(path=ARTIFACTS / "jury-rota.png", full_page=True)
