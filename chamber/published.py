"""Everything published for anyone to re-run, on one public page: every stored count (a ward, a
party's members' ballot, an open primary, the jury's ballots, the Executive Committee), every
draw by lot (the jury's months, replacements, citizens' panels) and every stored step of the
routes into the chamber, newest first, each with its downloads (ballots, pool, quotas, inputs,
record) and filterable by kind and words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import ColumnElement, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from chamber.clock import london
from chamber.elections.models import Election
from chamber.errors import Invalid
from chamber.jury.models import JuryDraw
from chamber.routes.models import RouteResult

Kind = Literal["count", "draw", "route"]
KINDS: dict[str, str] = {"count": "Counts", "draw": "Draws by lot", "route": "Route steps"}
PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class Published:
    kind: Kind
    id: int
    title: str
    detail: str
    at: datetime  # London
    link: str
    downloads: tuple[tuple[str, str], ...]  # (label, link)


@dataclass(frozen=True, slots=True)
class PublishedPage:
    query: str
    kind: str
    items: tuple[Published, ...]
    total: int  # matching, all pages
    counts: dict[str, int]  # matching, by kind
    page: int
    pages: int


def _like(column: object, words: str) -> ColumnElement[bool]:
    return col(column).icontains(words, autoescape=True)


def published(session: Session, *, query: str = "", kind: str = "",
              page: int = 1) -> PublishedPage:
    """A page of what is published, newest first; ``query`` matches titles (and a draw's kind
    or month), ``kind`` is one of `KINDS` or empty for all.  An unknown kind is `Invalid`."""
    if kind and kind not in KINDS:
        raise Invalid(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    if page < 1:
        raise Invalid("page: pages start at 1")
    words = query.strip()[:200]
    items: list[Published] = []
    counts = sa_select(col(Election.id), col(Election.title), col(Election.rule),
                       col(Election.seats), col(Election.source_name), col(Election.counted_at))
    if words:
        counts = counts.where(_like(Election.title, words))
    for eid, title, rule, seats, source, at in session.execute(counts).all():
        base = f"/elections/{eid}"
        items.append(Published(
            "count", eid or 0, title, f"{rule}, {seats} seat{'s' if seats != 1 else ''}",
            london(at), base,
            ((f"ballots ({source})", f"{base}/ballots"), ("result", f"{base}/result.json"),
             ("stages", f"{base}/stages.csv"), ("transfers", f"{base}/transfers.csv")),
        ))
    draws = sa_select(col(JuryDraw.id), col(JuryDraw.kind), col(JuryDraw.month),
                      col(JuryDraw.seed), col(JuryDraw.drawn_at), col(JuryDraw.body_key))
    if words:
        draws = draws.where(or_(_like(JuryDraw.kind, words), _like(JuryDraw.month, words),
                                _like(JuryDraw.body_key, words)))
    for did, what, month, seed, at, body in session.execute(draws).all():
        base = f"/draws/{did}"
        who = "The jury" if what in ("monthly", "replacement") else "A panel"
        title = f"{who}: {what} draw" + (f", {month}" if month else "")
        downloads = [("record", f"{base}/record.json")]
        if body is not None:  # drawn from a stored pool: the pool and quotas as drawn from
            downloads += [("pool", f"{base}/pool.csv"), ("quotas", f"{base}/quotas.csv")]
        items.append(Published("draw", did or 0, title, f"seed {seed!r}", london(at), base,
                               tuple(downloads)))
    steps = sa_select(col(RouteResult.id), col(RouteResult.title), col(RouteResult.route),
                      col(RouteResult.step), col(RouteResult.source_name),
                      col(RouteResult.made_at))
    if words:
        steps = steps.where(_like(RouteResult.title, words))
    for rid, title, route, step, source, at in session.execute(steps).all():
        base = f"/routes/{rid}"
        items.append(Published(
            "route", rid or 0, title, f"{route}: {step}", london(at), base,
            ((f"inputs ({source})", f"{base}/inputs"), ("result", f"{base}/result.json")),
        ))
    by_kind = {k: sum(1 for i in items if i.kind == k) for k in KINDS}
    chosen = sorted((i for i in items if not kind or i.kind == kind),
                    key=lambda i: (i.at, i.kind, i.id), reverse=True)
    pages = max(1, -(-len(chosen) // PER_PAGE))
    page = min(page, pages)
    shown = chosen[(page - 1) * PER_PAGE: page * PER_PAGE]
    return PublishedPage(words, kind, tuple(shown), len(chosen), by_kind, page, pages)
