"""Every role's pages in Chromium at desktop width and at 375 px (a phone): nothing wider than
the screen (wide tables scroll inside themselves), the header's links wrap inside its bar, and
the Content-Security-Policy refuses nothing (issue 21)."""

from __future__ import annotations

import pytest

from tests.web.test_browser import ARTIFACTS, chromium_page, server, sign_in  # noqa: F401

PAGES = {
    "anonymous": ["/", "/divisions", "/sittings", "/records", "/help", "/receipts", "/seats",
                  "/audit", "/register", "/login"],
    "public": ["/", "/proxy", "/divisions/{division}", "/divisions/{closed}"],
    "member": ["/me/rota", "/divisions/{division}", "/me/offices"],
    "clerk": ["/clerk", "/clerk/divisions/{division}/close"],
    "administrator": ["/admin", "/elections/{election}", "/draws/{draw}", "/admin/register"],
}


@pytest.mark.parametrize("width", [1200, 375])
@pytest.mark.parametrize("role", list(PAGES))
def test_every_page_fits_the_screen(server, world, role, width):  # noqa: F811
    with chromium_page(width, 800) as page:
        if role != "anonymous":
            sign_in(page, server, role)
        ids = {"division": world.division, "closed": world.closed, "election": world.election,
               "draw": world.draw}
        for path in PAGES[role]:
            url = server + path.format(**ids)
            response = page.goto(url)
            assert response is not None
            assert response.status < 400, (url, response.status)
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{path} is {wide} px wide on a {width} px screen"
            header = page.locator("header").bounding_box()
            nav = page.locator("header nav").bounding_box()
            assert header is not None
            assert nav is not None
            assert nav["y"] + nav["height"] <= header["y"] + header["height"] + 1, path
            if width == 375:
                name = path.strip("/").replace("/", "-").format(**ids) or "home"
                page.screenshot(path=ARTIFACTS / f"narrow-{role}-{name}.png", full_page=True)


@pytest.mark.parametrize("width", [1200, 375])
def test_a_refused_form_shows_its_error_beside_the_field_on_the_same_page(
    server, world, width  # noqa: F811
):
    """A clerk's division that closes before it opens comes back on the clerk page (not a
    "Sorry" page), the message in the form, the question typed kept, with or without
    JavaScript."""
    for javascript in (True, False):
        with chromium_page(width, 800, javascript=javascript) as page:
            sign_in(page, server, "clerk")
            page.goto(server + "/clerk")
            form = page.locator('form[action="/clerk/divisions"]')
            form.locator('input[name="question"]').fill("Shall the chamber sit late?")
            form.locator('input[name="opens_at"]').fill("2030-01-02T10:00")
            form.locator('input[name="closes_at"]').fill("2030-01-02T09:00")
            form.locator('button[type="submit"]').click()
            page.wait_for_load_state()
            assert page.locator("h1").first.inner_text() != "Sorry"
            again = page.locator('form[action="/clerk/divisions"]')
            assert "must open before it closes" in again.locator(".field-error").inner_text()
            typed = again.locator('input[name="question"]').input_value()
            assert typed == "Shall the chamber sit late?"
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width
