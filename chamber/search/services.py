"""One search over debates, speeches and divisions, on SQLite (FTS5) or PostgreSQL (text
search) alike: every word and phrase typed must appear (stemmed: "vote" finds "voting"); the
best matches first (BM25 on SQLite, cover density on PostgreSQL), then the newest; each with
its kind, its London date, a snippet with the matched words marked, and its link."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.sql import Select
from sqlmodel import Session, col

from chamber.business.models import Debate, Speech
from chamber.clock import london
from chamber.divisions.models import Division
from chamber.errors import Invalid
from chamber.fulltext.match import Match, fragments, match, restrict
from chamber.fulltext.terms import Terms, parse
from chamber.membership.models import Member
from chamber.sittings.models import Sitting

KINDS = ("division", "debate", "speech")
PAGE = 20  # results on a page
LAST_PAGE = 50


@dataclass(frozen=True, slots=True)
class Fragment:
    text: str
    matched: bool  # one of the words searched for


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str  # one of KINDS
    id: int
    title: str
    snippet: tuple[Fragment, ...]
    at: datetime  # London: a division's opening, a debate's sitting, a speech's time
    link: str
    rank: float  # smaller is better, comparable within one search


@dataclass(frozen=True, slots=True)
class KindCount:
    kind: str
    found: int


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str  # the words and phrases searched for
    kinds: tuple[str, ...]
    page: int
    pages: int
    total: int
    counts: tuple[KindCount, ...]
    hits: tuple[Hit, ...]


def _kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(kinds)) or KINDS
    for kind in wanted:
        if kind not in KINDS:
            raise Invalid(f"kind: {kind[:40]!r} is not one of {', '.join(KINDS)}")
    return tuple(k for k in KINDS if k in wanted)


def search(
    session: Session, query: str, kinds: Sequence[str] = KINDS, page: int = 1
) -> SearchResults:
    """Page ``page`` (from 1) of what matches ``query`` among ``kinds`` (all when empty).
    A query with no word, an unknown kind or a page out of range is `Invalid`, naming ``q``,
    ``kind`` or ``page``."""
    terms = parse(query, "q")
    wanted = _kinds(kinds)
    if not 1 <= page <= LAST_PAGE:
        raise Invalid(f"page: a page from 1 to {LAST_PAGE}")
    dialect = session.get_bind().dialect.name
    counts: list[KindCount] = []
    hits: list[Hit] = []
    for kind in wanted:
        found, rows = SOURCES[kind](session, dialect, terms, page * PAGE)
        counts.append(KindCount(kind, found))
        hits += rows
    hits.sort(key=lambda h: (h.rank, -h.at.timestamp(), h.kind, -h.id))
    total = sum(c.found for c in counts)
    return SearchResults(
        terms.text, wanted, page, min(LAST_PAGE, -(-total // PAGE)), total, tuple(counts),
        tuple(hits[(page - 1) * PAGE: page * PAGE]),
    )


def _run(
    session: Session, found: Match, model: type[Any], query: Select[*tuple[Any, ...]],
    order: Any, limit: int,
) -> tuple[int, list[Any]]:
    """How many match, and the best ``limit`` rows of ``query`` with their rank and snippet.
    On SQLite the snippet comes with the match (FTS5 makes it from the index); on PostgreSQL
    the best rows are found first and only they are headlined (ts_headline parses the text)."""
    key = col(model.id)
    if found.index is not None:
        matching = restrict(query.add_columns(found.rank.label("rank"), found.snippet), found,
                            key)
        rows = session.execute(
            matching.order_by(found.rank, order.desc(), key.desc()).limit(limit)
        ).all()
    else:
        best = restrict(
            query.with_only_columns(key.label("key"), found.rank.label("rank"),
                                    order.label("at")), found, key,
        ).order_by(found.rank, order.desc(), key.desc()).limit(limit).subquery()
        rows = session.execute(
            query.add_columns(best.c.rank, found.snippet)
            .join(best, best.c.key == key)
            .order_by(best.c.rank, best.c.at.desc(), key.desc())
        ).all()
    total = session.execute(
        restrict(sa_select(func.count()).select_from(model), found, key)
    ).scalar_one()
    return int(total), list(rows)


def _snippet(text: str) -> tuple[Fragment, ...]:
    return tuple(Fragment(t, m) for t, m in fragments(text or ""))


def _divisions(session: Session, dialect: str, terms: Terms, limit: int) -> tuple[int, list[Hit]]:
    found = match(dialect, "division", col(Division.question), terms)
    total, rows = _run(
        session, found, Division,
        sa_select(col(Division.id), col(Division.question), col(Division.opens_at)),
        col(Division.opens_at), limit,
    )
    return total, [
        Hit("division", i, question, _snippet(snip), london(at), f"/divisions/{i}", float(rank))
        for i, question, at, rank, snip in rows
    ]


def _debates(session: Session, dialect: str, terms: Terms, limit: int) -> tuple[int, list[Hit]]:
    found = match(dialect, "debate", col(Debate.title), terms)
    total, rows = _run(
        session, found, Debate,
        sa_select(col(Debate.id), col(Debate.title), col(Sitting.starts_at), col(Sitting.id))
        .join(Sitting, col(Sitting.id) == col(Debate.sitting_id)),
        col(Sitting.starts_at), limit,
    )
    return total, [
        Hit("debate", i, title, _snippet(snip), london(at), f"/sittings/{s}#debate-{i}",
            float(rank))
        for i, title, at, s, rank, snip in rows
    ]


def _speeches(session: Session, dialect: str, terms: Terms, limit: int) -> tuple[int, list[Hit]]:
    found = match(dialect, "speech", col(Speech.text), terms)
    total, rows = _run(
        session, found, Speech,
        sa_select(col(Speech.id), col(Member.name), col(Debate.title), col(Speech.at),
                  col(Debate.sitting_id))
        .join(Debate, col(Debate.id) == col(Speech.debate_id))
        .join(Member, col(Member.id) == col(Speech.member_id)),
        col(Speech.at), limit,
    )
    return total, [
        Hit("speech", i, f"{name} on {title}", _snippet(snip), london(at),
            f"/sittings/{s}#speech-{i}", float(rank))
        for i, name, title, at, s, rank, snip in rows
    ]


SOURCES: dict[str, Callable[[Session, str, Terms, int], tuple[int, list[Hit]]]] = {
    "division": _divisions, "debate": _debates, "speech": _speeches,
}
