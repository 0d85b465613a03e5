"""The national chamber installed for the routes' tests, and small synthetic inputs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest

from chamber.bodies.builtin import NATIONAL
from chamber.bodies.services import install_body
from chamber.db import perform
from chamber.routes import synthetic as syn
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
