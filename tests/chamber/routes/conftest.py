"""The national chamber installed for the routes' tests, and small synthetic inputs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest

from chamber.bodies.builtin import NATIONAL
from chamber.bodies.services import install_body
from chamber.db import perform
from chamber.routes import synthetic as syn
from electoral.delegation import default_split
from tests.chamber.conftest import MONDAY

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
HELD = date(2026, 11, 5)
VOTES = syn.table(["party", "votes"], [("Red", 5_000), ("Blue", 3_000), ("Yellow", 1_850),
                                        ("Green", 150), ("Purple", 50)])


@pytest.fixture
def national(engine):
    perform(engine, install_body, NATIONAL, MONDAY)
    return engine


@pytest.fixture
def rng():
    return np.random.default_rng(20)


def blt(rng, seats: int, candidates: int | list[str], ballots: int = 500) -> str:
    names = candidates if isinstance(candidates, list) else syn.people(rng, candidates)
    return syn.blt(rng, names, seats, ballots, "test", rankings=30)


def submission(places: int, nominated: int | None = None, seed: int = 7) -> dict[str, str]:
    """A party delegation's files (file name -> text) for ``places`` places, split by default
    (``nominated`` overrides the nominated list's length), primaries held on 1 December 2026."""
    rng = np.random.default_rng(seed)
    split = default_split(places, 1)
    names = iter(syn.people(rng, 40))
    files = {
        "nominated.csv": syn.table(["name"], [(next(names),) for _ in range(
            split.nominated if nominated is None else nominated)]),
        "indirect.csv": syn.table(["name", "detail"], [
            (next(names), "its councillors") for _ in range(split.indirect)]),
        "members.blt": blt(rng, split.members, split.members + 3),
    }
    rows = []
    for k in range(split.constituency):
        files[f"p{k}.blt"] = blt(rng, 1, 3, 50)
        rows.append((f"Seat {k}", f"p{k}.blt", "2026-12-01"))
    files["primaries.csv"] = syn.table(["constituency", "file", "held_on"], rows)
    return files
