"""What a person typed, as words and "quoted phrases": every one must appear.  Anything else
(operators, stars, brackets, stray quotes) is dropped, and so are words too common to search
for, so no input breaks a query."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from chamber.errors import Invalid

MOST_TERMS = 12
LONGEST = 200  # characters read of a query
WORD = re.compile(r"[^\W_]+")  # letters and digits, as both engines split words
# PostgreSQL's english stop words (tsearch_data/english.stop): words it leaves out of a search,
# left out on SQLite too, so that both engines find the same
_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now
"""
STOP = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True, slots=True)
class Terms:
    """Words (a unit of one) and phrases (a unit of several words in order)."""

    units: tuple[tuple[str, ...], ...]

    @property
    def text(self) -> str:
        """The query as it is searched: ``budget "climate change"``."""
        return " ".join(u[0] if len(u) == 1 else '"' + " ".join(u) + '"' for u in self.units)

    def quoted(self) -> str:
        """Every unit in double quotes: an FTS5 query of strings (``AND`` or ``NEAR`` inside
        quotes is a word), and a websearch_to_tsquery query with no ``or`` or ``-``."""
        return " ".join('"' + " ".join(u) + '"' for u in self.units)


def parse(query: str, field: str = "q") -> Terms:
    """The words and phrases of ``query``; `Invalid` naming ``field`` when it has none."""
    text = unicodedata.normalize("NFKC", query)[:LONGEST]
    if not text.strip():
        raise Invalid(f"{field}: type a word or two to search for")
    units: list[tuple[str, ...]] = []
    for n, part in enumerate(text.split('"')):
        words = tuple(w.lower() for w in WORD.findall(part))
        if n % 2 and len(words) > 1:  # inside quotes: a phrase (not of common words alone)
            if not STOP.issuperset(words):
                units.append(words)
        else:
            units.extend((w,) for w in words if w not in STOP)
    units = list(dict.fromkeys(units))[:MOST_TERMS]
    if not units:
        raise Invalid(f"{field}: {query.strip()[:40]!r} has no word to search for: type a word "
                      "(letters or digits) that is not as common as 'the' or 'and'")
    return Terms(tuple(units))
