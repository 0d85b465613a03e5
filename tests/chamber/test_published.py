"""The public list of everything published: counts, draws and route steps, newest first, with
their downloads, filtered by words and kind, a page at a time; on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chamber.db import perform, read
from chamber.elections.services import count_election
from chamber.errors import Invalid
from chamber.jury.services import run_panel_draw
from chamber.published import PER_PAGE, published
from tests.conftest import DATA

CALTON = Path(__file__).parents[2] / "electoral" / "samples" / "glasgow_2007_calton.blt"
NOW = datetime(2027, 1, 4, 9, tzinfo=UTC)


def _count(engine, title: str, at: datetime) -> int:
    return perform(engine, count_election, title, "calton.blt", CALTON.read_text(),
                   rule="scottish", seed="s", now=at)


def test_everything_published_is_listed_newest_first_with_its_downloads(engine):
    first = _count(engine, "Calton 100% ward", NOW)
    pool = DATA / "sortition" / "example_small_20"
    draw = perform(engine, run_panel_draw, "respondents.csv",
                   (pool / "respondents.csv").read_text(), "categories.csv",
                   (pool / "categories.csv").read_text(), size=20, seed="s", method="legacy",
                   now=NOW + timedelta(hours=1))
    second = _count(engine, "Anderston", NOW + timedelta(hours=2))
    page = read(engine, published)
    assert [(i.kind, i.id) for i in page.items] == [("count", second), ("draw", draw),
                                                     ("count", first)]
    assert page.counts == {"count": 2, "draw": 1, "route": 0}
    count = page.items[0]
    assert ("ballots (calton.blt)", f"/elections/{second}/ballots") in count.downloads
    assert page.items[1].downloads == (("record", f"/draws/{draw}/record.json"),)
    assert [i.id for i in read(engine, published, query="calton").items] == [first]
    assert read(engine, published, query="100%").total == 1  # % is a character, not a pattern
    assert read(engine, published, query="_").total == 0
    assert read(engine, published, kind="draw").total == 1
    with pytest.raises(Invalid, match="kind: 'votes' is not one of"):
        read(engine, published, kind="votes")


def test_a_long_list_comes_a_page_at_a_time(engine):
    for n in range(PER_PAGE + 1):
        _count(engine, f"Ward {n}", NOW + timedelta(minutes=n))
    first, last = read(engine, published), read(engine, published, page=2)
    assert (first.pages, len(first.items), len(last.items)) == (2, PER_PAGE, 1)
    assert last.items[0].title == "Ward 0"
    assert read(engine, published, page=99).page == 2
