"""What a person types becomes words and phrases that neither engine can misread: every parse
is a valid FTS5 query (checked against a real FTS5 table), or a refusal naming the field."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chamber.errors import Invalid
from chamber.fulltext.schema import TOKENIZE
from chamber.fulltext.terms import MOST_TERMS, parse


def test_words_and_phrases():
    terms = parse('Budget "climate change" the  ZÜRICH budget')
    assert terms.units == (("budget",), ("climate", "change"), ("zürich",))
    assert terms.text == 'budget "climate change" zürich'
    assert terms.quoted() == '"budget" "climate change" "zürich"'
    assert parse(terms.text) == terms  # what is stored reads back the same


def test_operators_and_common_words_are_not_searched_for():
    assert parse("budget AND NOT rivers*").units == (("budget",), ("rivers",))
    assert parse('"to be or not" rivers').units == (("rivers",),)  # a phrase of common words
    assert parse('"the budget').units == (("the", "budget"),)  # an unclosed quote: to the end
    assert len(parse(" ".join(f"w{n}" for n in range(40))).units) == MOST_TERMS


@pytest.mark.parametrize("query", ["", " ", '"', "*", "AND", "()", "the of"])
def test_nothing_to_search_for_names_the_field(query):
    with pytest.raises(Invalid, match=r"^words: "):
        parse(query, "words")


ROWS = ({"the", "budget", "of", "zürich"}, {"and", "near", "rivers"})  # the table's words


@pytest.fixture(scope="module")
def fts():
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{TOKENIZE}')")
    db.execute("INSERT INTO t(x) VALUES ('the budget of Zürich'), ('AND \"NEAR\" * rivers')")
    yield db
    db.close()


@given(st.text(max_size=300))
def test_any_input_is_a_valid_fts5_query_or_a_refusal(fts, query):
    try:
        terms = parse(query)
    except Invalid as exc:
        refused = str(exc)
    else:
        refused = "q: "
        fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (terms.quoted(),)).fetchall()
    assert refused.startswith("q: ")


@given(st.lists(st.sampled_from(['"', "*", "AND", "OR", "NOT", "NEAR", "(", ")", ":", "^", "-",
                                 "+", "budget", "zürich", "日本", " ", "'", "\\"]), max_size=20))
def test_fts5_syntax_in_any_order_is_searched_as_words(fts, pieces):
    typed = "".join(pieces)
    try:
        terms = parse(typed)
    except Invalid:
        assert not {"budget", "zürich", "日本"} & set(typed.lower().split())  # refused: no word
    else:
        (found,) = fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (terms.quoted(),)
                               ).fetchone()
        if all(len(unit) == 1 for unit in terms.units):  # words alone: the rows with them all
            words = {unit[0] for unit in terms.units}
            assert found == sum(words <= row for row in ROWS)
