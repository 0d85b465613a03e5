"""The public record, findable: every published count, draw and division, searched by words in
its title, question or those it elected (all words must appear, in any case), newest first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from chamber.divisions.views import DivisionSummary, list_divisions
from chamber.elections.views import ElectionSummary, elections
from chamber.jury.services import DrawSummary, draws

MOST = 200  # of each kind, on one page


@dataclass(frozen=True, slots=True)
class Records:
    """What a search found (or the newest of each kind, without words)."""

    words: tuple[str, ...]
    elections: tuple[ElectionSummary, ...]
    draws: tuple[DrawSummary, ...]
    divisions: tuple[DivisionSummary, ...]

    @property
    def found(self) -> int:
        return len(self.elections) + len(self.draws) + len(self.divisions)


def _matches(words: tuple[str, ...], *texts: object) -> bool:
    haystack = " ".join(str(t) for t in texts).casefold()
    return all(w in haystack for w in words)


def search_records(session: Session, query: str = "") -> Records:
    """The published counts, draws and divisions whose text has every word of ``query``."""
    words = tuple(w.casefold() for w in query.split())[:12]
    return Records(
        words,
        tuple(e for e in elections(session) if _matches(words, e.title, e.rule, *e.elected))[:MOST],
        tuple(d for d in draws(session) if _matches(words, f"draw {d.id}", d.kind, d.month,
                                                     d.seed))[:MOST],
        tuple(d for d in list_divisions(session, 5_000)
              if _matches(words, d.question, d.carried or ""))[:MOST],
    )
