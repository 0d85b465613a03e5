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
