"""A search's clauses for either engine: which rows match, their rank (smaller is better, as
SQLite's bm25 gives it) and a snippet with the matched words between `START` and `STOP`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, FromClause, column, func, literal, literal_column, table
from sqlalchemy.orm import Mapped
from sqlalchemy.sql import Select

from chamber.fulltext.schema import CONFIG, VECTOR, fts_table
from chamber.fulltext.terms import Terms

START, STOP = "\ue000", "\ue001"  # private-use characters around a matched word
WORDS = 24  # in a snippet
HEADLINE = (f'StartSel="{START}", StopSel="{STOP}", MaxWords={WORDS + 6}, MinWords=12, '
            'MaxFragments=2, FragmentDelimiter=" … "')
Q = TypeVar("Q", bound=Select[*tuple[Any, ...]])
Column = ColumnElement[Any] | Mapped[Any]
MARKS = re.compile(f"([{START}{STOP}])")


@dataclass(frozen=True, slots=True)
class Match:
    where: ColumnElement[bool]
    rank: ColumnElement[float]
    snippet: ColumnElement[str]
    index: FromClause | None  # SQLite: the FTS table, joined on its rowid


def match(dialect: str, table_name: str, column_: Column, terms: Terms) -> Match:
    """The clauses searching ``column_`` of ``table_name`` (one of `INDEXED`) for ``terms``."""
    if dialect == "sqlite":
        fts = fts_table(table_name)
        name: ColumnElement[Any] = literal_column(fts)
        return Match(
            name.op("MATCH")(terms.quoted()),
            func.bm25(name),
            func.snippet(name, 0, START, STOP, "…", WORDS),
            table(fts, column("rowid")),
        )
    config: ColumnElement[Any] = literal_column(f"'{CONFIG}'::regconfig")
    vector: ColumnElement[Any] = literal_column(f"{table_name}.{VECTOR}")  # stored, indexed
    query = func.websearch_to_tsquery(config, terms.quoted())
    return Match(
        vector.op("@@")(query),
        -func.ts_rank_cd(vector, query),
        func.ts_headline(config, column_, query, literal(HEADLINE)),
        None,
    )


def restrict(query: Q, found: Match, key: Column) -> Q:
    """``query`` (selecting from the searched table) kept to the rows that match."""
    if found.index is not None:
        query = query.join(found.index, found.index.c.rowid == key)
    return query.where(found.where)


def fragments(snippet: str) -> tuple[tuple[str, bool], ...]:
    """A snippet as (text, matched) pieces, for a template to escape and mark."""
    out: list[tuple[str, bool]] = []
    marked = False
    for piece in MARKS.split(snippet):
        if piece == START:
            marked = True
        elif piece == STOP:
            marked = False
        elif piece:
            out.append((piece, marked))
    return tuple(out)
