"""A small body with a jury drawn every month from a stored pool: 9 seats of 2 sharers, 5
drawn a month for 3 months and 1 extended (18 in all), quotas over gender and age."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import numpy as np
import pytest

from chamber.bodies import composition
from chamber.bodies.pattern import SittingSpec
from chamber.bodies.services import install_body
from chamber.db import perform
from chamber.jury.lottery import LOTTERIES, Feature, Lottery
from chamber.jury.pool import import_pool
from chamber.jury.rules import JuryRules
from electoral.sortition.instance import Quota

MONDAY = date(2027, 3, 1)
NOW = datetime(2027, 1, 4, 9, tzinfo=UTC)
BODY = composition.Body(
    key="test-jury", title="A test jury", expected_seats=9,
    categories=(
        composition.Category(
            key="jury", title="Jury", seats=9, sharers_per_seat=2, cycle="fortnightly",
            selection="by lot", rota_by="the officer",
        ),
    ),
    sittings=(
        SittingSpec(week=1, day="Monday", session="morning"),
        SittingSpec(week=2, day="Tuesday", session="morning"),
    ),
)
FEATURES = (Feature("gender", "Gender", ("female", "male")),
            Feature("age", "Age", ("young", "old")))
LOTTERY = Lottery(
    body=BODY.key, category="jury", size=5, features=FEATURES,
    quotas=(Quota("gender", "female", 2, 3), Quota("gender", "male", 2, 3),
            Quota("age", "young", 1, 3), Quota("age", "old", 2, 4)),
    cycle=JuryRules(drawn=5, extended=1, term_months=3, window_months=2),
)
LEAD = 2


def pool_text(n: int, seed: int = 1, start: int = 0, young: float = 0.3) -> str:
    """An import file of ``n`` volunteers."""
    rng = np.random.default_rng(seed)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["id", "name", "email", "phone", "address", "consent", "gender", "age"])
    for i in range(start, start + n):
        w.writerow([f"p{i}", f"Person {i}", f"p{i}@example.org", "", f"{i} High Street", "yes",
                    "female" if rng.random() < 0.5 else "male",
                    "young" if rng.random() < young else "old"])
    return out.getvalue()


def panel_pool_text(n: int) -> str:
    """Volunteers for the local health panel, each value about as common as its quota."""
    lottery = LOTTERIES["local-health-panel"]
    rng = np.random.default_rng(5)
    keys = [f.key for f in lottery.features]
    lines = ["id,name,email,consent," + ",".join(keys)]
    for i in range(n):
        cells = []
        for f in lottery.features:
            weight = np.array([next(q.min + q.max for q in lottery.quotas
                                    if q.feature == f.key and q.value == v) for v in f.values],
                              dtype=float)
            cells.append(f.values[rng.choice(len(f.values), p=weight / weight.sum())])
        lines.append(f"h{i},H {i},h{i}@x.org,yes," + ",".join(cells))
    return "\n".join(lines) + "\n"


def install(engine, n: int = 200) -> None:
    perform(engine, install_body, BODY, MONDAY)
    perform(engine, import_pool, LOTTERY, "pool.csv", pool_text(n), NOW)


@pytest.fixture
def jury_body(engine):
    install(engine)
    return engine
