"""In Chromium, at desktop width and at 375 px: searching the record (the matched words marked,
the reason for a query with no word beside the field) and following a subject from the results,
then stopping on /me/follows; nothing wider than the screen (issue 21)."""

from __future__ import annotations

import pytest

from chamber.business.services import speak
from chamber.db import perform, read
from chamber.search.services import search
from tests.web.test_browser import ARTIFACTS, chromium_page, server, sign_in  # noqa: F401


@pytest.fixture(scope="module")
def spoken(world):
    """A speech in the debate on the Budget, by a member rostered in its sitting."""
    [debate] = read(world.engine, search, "budget", ["debate"]).hits
    perform(world.engine, speak, debate.id, world.member,
            "The budget before us was approved by the committee, and I commend it.", world.now)
    return world


def _fits(page, width: int, path: str) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{path} is {wide} px wide on a {width} px screen"


@pytest.mark.parametrize(("width", "words", "skip", "found"), [
    (1200, "budget", None, "3 results"), (375, "approved", "debates", "2 results")])
def test_search_and_follow_a_subject(server, spoken, width, words, skip, found):  # noqa: F811
    with chromium_page(width, 800) as page:
        page.goto(f"{server}/search")
        page.get_by_label("Words to find").fill('"')
        page.get_by_role("button", name="Search").click()
        alert = page.locator("#sq-error")
        assert "q: " in alert.inner_text()
        assert page.get_by_label("Words to find").get_attribute("aria-invalid") == "true"
        sign_in(page, server, "public")
        page.goto(f"{server}/search")
        page.get_by_label("Words to find").fill(words)
        if skip:
            page.get_by_label(skip).uncheck()
        page.get_by_role("button", name="Search").click()
        assert f"{found} for “{words}”" in page.get_by_role("status").inner_text()
        marks = page.locator("ol.results mark")
        assert {marks.nth(n).inner_text().lower() for n in range(marks.count())} == {words}
        _fits(page, width, "/search")
        page.screenshot(path=ARTIFACTS / f"search-{width}.png", full_page=True)
        page.get_by_role("button", name="Follow this subject").click()
        page.wait_for_url(f"{server}/me/follows?saved=followed")
        assert "You follow the subject" in page.get_by_role("status").inner_text()
        assert page.get_by_role("link", name=words).is_visible()
        _fits(page, width, "/me/follows")
        page.screenshot(path=ARTIFACTS / f"follows-{width}.png", full_page=True)
        page.get_by_role("button", name=f"Stop following {words}").click()
        page.wait_for_url(f"{server}/me/follows?saved=unfollowed")
        assert page.get_by_role("link", name=words).count() == 0
        page.goto(f"{server}/me/account")
        _fits(page, width, "/me/account")
