"""The four roles' journeys of issue 21 in Chromium, at desktop width and at 375 px: what each
meets on the way (a notice after acting, their own vote, a receipt naming the question in London
time, a proxy for one division shown and revoked, the record searchable, counts readable with
their transfers, the clerk's planned business and the final close asked first, a bad upload's
error beside its field naming the uploaded file), and nothing wider than the screen."""

from __future__ import annotations

import re

import pytest

from tests.chamber.conftest import proxy_code
from tests.web.test_browser import ARTIFACTS, CALTON, chromium_page, server, sign_in  # noqa: F401

WIDTHS = [1200, 375]


def _fits(page, width: int) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{page.url} is {wide} px wide on a {width} px screen"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_citizen_votes_sees_it_checks_the_receipt_and_manages_a_proxy(
    server, world, width  # noqa: F811
):
    with chromium_page(width, 800) as page:
        sign_in(page, server, "public")
        page.goto(f"{server}/divisions/{world.division}")
        page.get_by_label("content", exact=True).check()
        page.get_by_role("button", name="Cast my vote").click()
        page.wait_for_selector("#receipt")
        assert "You voted content on: That the Budget be approved" in re.sub(
            r"\s+", " ", page.locator("main").inner_text())
        page.get_by_role("link", name="Check this receipt").click()
        body = page.locator("main").inner_text()
        assert "That the Budget be approved" in body
        assert re.search(r"\b(GMT|BST)\b", body), body
        _fits(page, width)
        page.goto(f"{server}/proxy")
        page.get_by_label("Proxy code (the one your proxy gave you)").fill(
            proxy_code(world.engine, "friend"))
        page.get_by_label("For").select_option(str(world.division))
        page.get_by_role("button", name="Appoint").click()
        page.wait_for_load_state()
        assert page.locator("[role=status]").count() >= 1
        revoke = page.get_by_role("button", name="Revoke my proxy for: That the Budget be approved")
        assert revoke.count() == 1
        _fits(page, width)
        revoke.click()
        page.wait_for_load_state()
        assert page.get_by_role(
            "button", name="Revoke my proxy for: That the Budget be approved").count() == 0
        page.goto(f"{server}/records?q=Budget")
        assert "That the Budget be approved" in page.locator("main").inner_text()
        _fits(page, width)
        if width == 375:
            page.screenshot(path=ARTIFACTS / "journey-public-records.png", full_page=True)
        page.goto(f"{server}/published")
        assert f"/elections/{world.election}/ballots" in page.content()
        _fits(page, width)
        if width == 1200:
            page.screenshot(path=ARTIFACTS / "public-published.png", full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_rostered_member_votes_and_reads_the_votes_by_group(
    server, world, width  # noqa: F811
):
    with chromium_page(width, 800) as page:
        sign_in(page, server, "member")
        page.goto(f"{server}/divisions/{world.division}")
        form = page.locator(f'form[action="/divisions/{world.division}/member-vote"]')
        assert form.count() == 1  # rostered: the form is offered before anything is sent
        form.get_by_label("Option").select_option("content")
        form.get_by_role("button").click()
        page.wait_for_load_state()
        assert "Your vote is recorded: content." in page.locator("[role=status]").first.inner_text()
        _fits(page, width)
        assert page.locator("caption", has_text="By group").count() == 1  # their vote counted
        _fits(page, width)
        if width == 1200:
            page.screenshot(path=ARTIFACTS / "member-division-by-group.png", full_page=True)
        page.goto(f"{server}/members/{world.member}")
        assert world.member in page.locator("main").inner_text()
        _fits(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_clerk_sees_planned_business_and_is_asked_before_a_close(
    server, world, width  # noqa: F811
):
    with chromium_page(width, 800) as page:
        sign_in(page, server, "clerk")
        page.goto(f"{server}/clerk")
        assert "The Budget" in page.locator("main").inner_text()
        for name in ("opens_at", "closes_at"):
            assert page.locator(f'input[name="{name}"]').get_attribute("type") == "datetime-local"
        assert "London time" in page.locator('label[for="d-opens"]').inner_text()
        _fits(page, width)
        page.goto(f"{server}/clerk/divisions/{world.division}/close")
        text = page.locator("main").inner_text()
        assert "That the Budget be approved" in text
        assert "final" in text.lower()
        _fits(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_an_administrator_reads_a_count_and_a_bad_upload_is_named_beside_its_field(
    server, world, width, tmp_path  # noqa: F811
):
    with chromium_page(width, 800) as page:
        sign_in(page, server, "administrator")
        page.goto(f"{server}/elections/{world.election}")
        assert page.locator("svg").count() >= 2  # the chart and the transfers (Sankey)
        assert page.get_by_text("Every transfer, stage by stage").count() == 1
        _fits(page, width)
        if width == 1200:
            page.screenshot(path=ARTIFACTS / "admin-transfers.png", full_page=True)
        bad = tmp_path / "my-ward.blt"
        bad.write_text("3 2\n1 1 2 x 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"Ward\"\n")
        page.goto(f"{server}/admin")
        page.locator("#c-file").set_input_files(str(bad))
        page.locator("#c-seed").fill("announced")
        page.locator('form[action="/admin/counts"] button[type="submit"]').click()
        page.wait_for_load_state()
        error = page.locator('form[action="/admin/counts"] .field-error')
        assert "my-ward.blt" in error.inner_text()
        assert page.locator("#c-file").get_attribute("aria-invalid") == "true"  # beside it
        assert "/tmp" not in error.inner_text()
        assert page.locator("#c-seed").input_value() == "announced"
        _fits(page, width)
        if width == 1200:
            page.locator('form[action="/admin/counts"]').screenshot(
                path=ARTIFACTS / "admin-error-beside-field.png")
        page.locator("#c-file").set_input_files(str(CALTON))
        page.locator("#c-seats").fill("abc")
        page.locator('form[action="/admin/counts"] button[type="submit"]').click()
        page.wait_for_load_state()
        assert page.locator("#c-seats").get_attribute("aria-invalid") == "true"
        page.goto(f"{server}/seats")
        _fits(page, width)
        if width == 375:
            page.screenshot(path=ARTIFACTS / "journey-admin-seats.png", full_page=True)
