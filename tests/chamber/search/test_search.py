"""One search over debates, speeches and divisions, on SQLite (FTS5) and PostgreSQL alike:
stemmed words and phrases, ranked, with marked snippets, London dates and links; the index
follows every change (triggers on SQLite); hostile input is a 400 naming the field or a plain
search, never an error of the engine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from chamber.business.planning import retitle_business
from chamber.business.services import plan_business, speak
from chamber.clock import LONDON
from chamber.db import perform, read
from chamber.divisions.lifecycle import create_division
from chamber.errors import Invalid
from chamber.search.services import PAGE, search


@pytest.fixture
def record(world):
    """Two debates with speeches and three divisions in the first sitting with a roster."""
    engine = world.engine
    sitting = next(s for s in world.sittings() if world.roster(s.id) and not s.urgent_only)
    start = sitting.starts_at
    planned = start - timedelta(days=40)
    budget = perform(engine, plan_business, sitting.id, "The Budget", now=planned, by="clerk")
    rivers = perform(engine, plan_business, sitting.id, "Clean rivers", now=planned, by="clerk")
    speaker = sorted(world.roster(sitting.id).values())[0]
    perform(engine, speak, budget, speaker, "I rise to oppose the budget: it cuts the voting "
            "age programme and the rivers fund.", start + timedelta(minutes=5))
    perform(engine, speak, rivers, speaker, "Our rivers are choked; Zürich cleaned its lake.",
            start + timedelta(minutes=9))
    divisions = [
        perform(engine, create_division, question, ["content", "not content"],
                start + timedelta(minutes=n), start + timedelta(minutes=n + 30),
                sitting_id=sitting.id, now=world.now)
        for n, question in enumerate((
            "That the Budget be approved",
            "That the votes of sixteen year olds count",
            "That the rivers fund be doubled, and the budget amended",
        ))
    ]
    return world, sitting, budget, rivers, divisions


def test_every_kind_is_found_ranked_with_a_marked_snippet_a_london_date_and_a_link(record):
    world, sitting, budget, _, divisions = record
    found = read(world.engine, search, "budget")
    assert found.query == "budget"
    assert {(c.kind, c.found) for c in found.counts} == {
        ("division", 2), ("debate", 1), ("speech", 1)}
    assert (found.total, found.pages) == (4, 1)
    assert [h.rank for h in found.hits] == sorted(h.rank for h in found.hits)
    links = {h.link for h in found.hits}
    assert f"/divisions/{divisions[0]}" in links
    assert f"/sittings/{sitting.id}#debate-{budget}" in links
    speech = next(h for h in found.hits if h.kind == "speech")
    assert speech.link.startswith(f"/sittings/{sitting.id}#speech-")
    assert speech.title.endswith("on The Budget")
    assert any(f.matched and f.text.lower() == "budget" for f in speech.snippet)
    assert all(not f.matched or f.text.lower().startswith("budget") for f in speech.snippet)
    assert "rise to oppose the budget: it cuts" in "".join(f.text for f in speech.snippet)
    division = next(h for h in found.hits if h.link == f"/divisions/{divisions[0]}")
    assert division.at.tzinfo == LONDON
    assert division.at == sitting.starts_at  # its opening, in London time


def test_words_are_stemmed_phrases_kept_and_every_word_needed(record):
    world, _, _, _, divisions = record
    voting = read(world.engine, search, "voting")  # "votes" in a question, "voting" in a speech
    assert {h.kind for h in voting.hits} == {"division", "speech"}
    both = read(world.engine, search, "rivers budget", ["division"])
    assert [h.id for h in both.hits] == [divisions[2]]
    phrase = read(world.engine, search, '"rivers fund"')
    assert {h.kind for h in phrase.hits} == {"division", "speech"}
    assert read(world.engine, search, '"fund rivers"').total == 0
    assert read(world.engine, search, "ZÜRICH").total == 1  # any case; accents as written
    assert read(world.engine, search, "zurich").total == 0  # on both engines


def test_kinds_pages_and_their_bounds(record):
    world, sitting, *_ = record
    only = read(world.engine, search, "budget", ("debate", "speech"))
    assert only.kinds == ("debate", "speech")
    assert {h.kind for h in only.hits} == {"debate", "speech"}
    start = sitting.starts_at
    for n in range(PAGE + 3):
        perform(world.engine, create_division, f"That amendment {n} on the budget be made",
                ["content", "not content"], start + timedelta(minutes=40 + n),
                start + timedelta(minutes=90), sitting_id=sitting.id, now=world.now)
    first = read(world.engine, search, "budget amendment", ["division"])
    second = read(world.engine, search, "budget amendment", ["division"], 2)
    assert (first.total, first.pages, len(first.hits), len(second.hits)) == (
        PAGE + 4, 2, PAGE, 4)
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    for args, field in (((["nothing"],), "kind"), ((["division"], 0), "page"),
                        ((["division"], 51), "page")):
        with pytest.raises(Invalid, match=rf"^{field}: "):
            read(world.engine, search, "budget", *args)


def test_the_index_follows_a_new_title(record):
    world, sitting, *_ = record
    planned = sitting.starts_at - timedelta(days=40)
    debate = perform(world.engine, plan_business, sitting.id, "The Tithes", now=planned,
                     by="clerk")
    assert read(world.engine, search, "tithes", ["debate"]).total == 1
    with world.engine.connect() as conn:
        item = conn.execute(text("SELECT business_id FROM debate WHERE id = :d"),
                            {"d": debate}).scalar_one()
    perform(world.engine, retitle_business, item, "The Estimates", by="clerk",
            now=sitting.starts_at - timedelta(days=30))
    assert read(world.engine, search, "estimates", ["debate"]).total == 1
    assert read(world.engine, search, "tithes", ["debate"]).total == 0


NO_WORD = ["", "   ", '"', "*", "AND", "the and of", "-", "()", "^", '""', "'", ";--"]
HOSTILE = [
    'budget"', '"budget', "budget*", "budget AND", "budget OR rivers", "NOT budget",
    "budget -rivers", "budget NEAR rivers", "NEAR(", "rivers AND (", "budget: rivers",
    "{budget}", "budget^2",
    "budget'); DROP TABLE division; --", "bud\x00get", "日本 budget", "🦆 budget",
    "é" * 300, "a" * 5000, "budget " * 40, "col:budget", "\ue000budget\ue001",
]


def test_input_with_no_word_is_refused_naming_q(record):
    world = record[0]
    for query in NO_WORD:
        with pytest.raises(Invalid, match=r"^q: "):
            read(world.engine, search, query)


def test_hostile_input_is_searched_as_plain_words(record):
    world = record[0]
    for query in HOSTILE:
        found = read(world.engine, search, query)  # no engine error, whatever was typed
        assert found.total == sum(c.found for c in found.counts)
    assert read(world.engine, search, 'budget"').total == 4
    assert read(world.engine, search, "budget'); DROP TABLE division; --").total == 0
    assert read(world.engine, search, "budget").total == 4  # and nothing was dropped
