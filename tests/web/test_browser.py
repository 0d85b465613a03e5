"""Browser tests in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright):
a member of the public appoints a proxy and votes; someone on the electoral register asks for a
code, registers with it and votes; an administrator uploads a Scottish ward and sees the
elected; a member opens their rota and the calendar link works; and the
Content-Security-Policy refuses nothing the pages do.  Screenshots go to
``test-artifacts/`` at the repository root."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

from chamber.db import perform
from chamber.register.claims import export_letters
from chamber.settings import Settings
from tests.chamber.conftest import proxy_code
from tests.web.conftest import PASSWORD
from tests.web.test_officers import second_fortnight
from web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CALTON = ROOT / "electoral" / "samples" / "glasgow_2007_calton.blt"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def need_chromium() -> None:
    """Skip a browser test where Chromium is missing (fail instead when CI requires it)."""
    if not CHROMIUM.exists():
        if os.environ.get("CHAMBER_REQUIRE_BROWSER") == "1":
            pytest.fail("/usr/bin/chromium is missing (apt-get install chromium)")
        pytest.skip("/usr/bin/chromium is missing")


@contextmanager
def serving(app):
    """The app served by uvicorn on a free local port, in a thread; yields its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def server(world):
    need_chromium()
    app = create_app(
        world.engine,
        scheduler=False,
        clock=lambda: world.now,
        config=Settings(vote_rate=10_000, login_rate=10_000),
    )
    with serving(app) as url:
        yield url


@contextmanager
def chromium_page(width: int = 1200, height: int = 900, *, javascript: bool = True):
    """A page in a fresh headless Chromium profile; on leaving, nothing it loaded may have been
    refused by the Content-Security-Policy (an inline script or handler, an inline style,
    eval: Chromium reports each refusal on the console) or have raised."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": width, "height": height},
            java_script_enabled=javascript,
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        refused: list[str] = []
        page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text
                else None)
        page.on("pageerror", lambda e: refused.append(str(e)))
        yield page
        context.close()
        assert refused == []


@pytest.fixture
def browser_page(server):
    with chromium_page() as page:
        yield page


def sign_in(page, server, username):
    page.goto(f"{server}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server}/")


def test_a_member_of_the_public_appoints_a_proxy_and_votes(server, browser_page, world):
    page = browser_page
    sign_in(page, server, "public")
    page.get_by_role("link", name="My proxy").click()
    friend = proxy_code(world.engine, "friend")
    page.get_by_label("Proxy code (the one your proxy gave you)").fill(friend)
    page.get_by_role("button", name="Appoint").click()
    assert page.locator("#current-proxy").inner_text() == friend
    page.screenshot(path=ARTIFACTS / "public-proxy.png", full_page=True)
    page.goto(f"{server}/divisions/{world.division}")
    page.get_by_label("not content").check()
    page.get_by_role("button", name="Cast my vote").click()
    receipt = page.locator("#receipt").inner_text()
    assert len(receipt) == 24
    page.screenshot(path=ARTIFACTS / "public-vote-receipt.png", full_page=True)
    page.get_by_role("link", name="Check this receipt").click()
    assert "current vote" in page.content()


def test_an_elector_registers_with_a_code_and_votes(server, browser_page, world):
    page = browser_page
    page.goto(f"{server}/divisions/{world.division}")
    page.get_by_role("link", name="register", exact=True).click()
    page.get_by_label("Elector number (on your poll card or register letter)").fill("E6")
    page.get_by_label("Postcode").fill("ab1 2cd")
    page.get_by_label("Date of birth (YYYY-MM-DD) or year of birth").fill("1980")
    page.get_by_role("button", name="Send me a code").click()
    assert "a code is on its way" in page.locator("#code-sent").inner_text()
    letters = perform(world.engine, export_letters, world.now)  # as posted to E6
    code = next(r.code for r in letters if r.elector_number == "E6")
    page.get_by_label("Elector number", exact=True).fill("E6")
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_label("Username (3 to 64 letters, digits, . _ or -)").fill("Elector6")
    page.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.screenshot(path=ARTIFACTS / "public-register.png", full_page=True)
    page.get_by_role("button", name="Register", exact=True).click()
    page.wait_for_url(f"{server}/divisions/{world.division}")
    assert "Signed in as elector6 (public)" in page.content()
    page.get_by_label("content", exact=True).check()
    page.get_by_role("button", name="Cast my vote").click()
    assert len(page.locator("#receipt").inner_text()) == 24
    page.screenshot(path=ARTIFACTS / "public-register-vote.png", full_page=True)


def test_an_administrator_uploads_a_ward_and_sees_the_elected(server, browser_page):
    page = browser_page
    sign_in(page, server, "administrator")
    page.get_by_role("link", name="Counts and draws").click()
    page.get_by_label("Ballots (BLT, CSV cast-vote records, or PrefLib)").set_input_files(CALTON)
    page.get_by_label("Title").fill("Glasgow 2007, Calton")
    page.get_by_label("Seed announced in advance (for ties broken by lot)").fill("4 17 23 31")
    page.get_by_role("button", name="Count").click()
    page.wait_for_selector("#elected")
    elected = page.locator("#elected li").all_inner_texts()
    assert elected[0] == "George Redmond (Lab)"
    assert len(elected) == 3  # Calton elected three councillors
    assert page.locator("svg").count() >= 1
    page.screenshot(path=ARTIFACTS / "admin-count.png", full_page=True)


def test_a_member_opens_their_rota_and_the_calendar_link_works(server, browser_page, world):
    page = browser_page
    sign_in(page, server, "member")
    page.get_by_role("link", name="My rota").click()
    assert world.member in page.content()
    page.screenshot(path=ARTIFACTS / "member-rota.png", full_page=True)
    href = page.locator("#ics-link").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in response.text()


def test_the_api_documentation_renders_from_the_server_alone(server, browser_page):
    """/schema is Swagger UI served from /static (installed with the project): it renders the
    API's operations with every request to the server itself, none to a CDN or font service."""
    page = browser_page
    if not (ROOT / "web" / "static" / "vendor" / "swagger-ui" / "swagger-ui-bundle.js").exists():
        pytest.fail("Swagger UI is not installed (make installs it into web/static/vendor)")
    elsewhere: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(
        (server, "data:", "blob:")) else None)
    page.goto(f"{server}/schema")
    page.locator(".opblock-summary-path", has_text="/api/divisions").first.wait_for()
    assert "The Chamber" in page.title()
    assert elsewhere == []
    page.screenshot(path=ARTIFACTS / "api-documentation.png")
    response = page.goto(f"{server}/favicon.ico")
    assert response is not None
    assert response.ok
    assert response.url.endswith("/static/favicon.svg")
def test_an_assembly_officer_names_delegates_and_a_whip_pins_a_member(server, browser_page,
                                                                         world):
    page = browser_page
    sign_in(page, server, "member")  # the Speaker, its group's whip and an assembly's officer
    page.get_by_role("link", name="My offices").click()
    page.get_by_role("link", name="name the delegates").click()
    assert "The Capital assembly" in page.content()
    first = page.locator("select[name=member]").first
    first.select_option(world.member)
    page.get_by_role("button", name="Name these delegates").first.click()
    page.wait_for_url("**/assembly?named=1")
    assert page.locator("select[name=member]").first.input_value() == world.member
    page.screenshot(path=ARTIFACTS / "assembly-delegates.png", full_page=True)
    page.get_by_role("link", name="My offices").click()
    page.get_by_role("link", name="arrange the group's rota").click()
    seat = world.member.split("-")[0]
    other = next(m for m in sorted(world.roster.values()) if not m.startswith(seat))
    page.locator("#p-member").select_option(other)
    second = next(s for s in second_fortnight(world) if not s.urgent_only)
    page.locator("#p-sitting").select_option(str(second.id))
    page.get_by_role("button", name="Pin", exact=True).click()
    page.wait_for_url("**/whip?pinned=1")
    assert other in page.locator("#pins").inner_text()
    page.screenshot(path=ARTIFACTS / "whip-pin.png", full_page=True)
