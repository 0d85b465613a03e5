"""The scheduled jury day, month after month, on a stored pool: the jury fills, then stays at
its size and within its quotas (every first-year cohort and the whole jury) every month, with
declines replaced.  The national run (1,200 jurors, 36 months after the jury fills) takes
minutes: it runs with CHAMBER_LONG=1; the small jury runs in the default suite."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from chamber.bodies import NATIONAL
from chamber.bodies.services import install_body
from chamber.db import perform
from chamber.jury.lottery import LOTTERIES, Lottery
from chamber.jury.pool import import_pool
from chamber.settings import Settings
from electoral.sortition.synthetic import pool_csv
from tests.chamber.jury.conftest import LEAD, LOTTERY
from tests.chamber.jury.run import run


def test_the_jury_day_keeps_a_small_jury_full_and_within_quotas_every_month(jury_body):
    checks = run(jury_body, LOTTERY, "2027-01", 16, Settings(jury_lead_months=LEAD),
                 decline_every=6)
    steady = checks[LEAD + 2 * LOTTERY.cycle.term_months:]
    assert len(steady) == 8
    assert [(c.month, c.held, c.vacant, c.problems) for c in steady] == [
        (c.month, 18, 0, ()) for c in steady
    ]


def _national_pool(features: tuple[str, ...], size: int) -> tuple[Lottery, str]:
    """The national lottery on ``features`` and a synthetic pool as an import file."""
    national = LOTTERIES["national"]
    lottery = Lottery(
        national.body, national.category, national.size,
        tuple(f for f in national.features if f.key in features),
        tuple(q for q in national.quotas if q.feature in features), national.cycle,
    )
    rows = pool_csv(size, 1).splitlines()
    header = rows[0].split(",")
    keep = [header.index(f) for f in features]
    lines = ["id,name,email,consent," + ",".join(features)]
    for row in rows[1:]:
        cells = row.split(",")
        lines.append(f"{cells[0]},{cells[0]},{cells[0]}@example.org,yes,"
                     + ",".join(cells[k] for k in keep))
    return lottery, "\n".join(lines) + "\n"


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("CHAMBER_LONG") != "1", reason="minutes: CHAMBER_LONG=1")
@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_36_months_of_the_national_jury_stay_at_1200_and_within_quotas(engine):
    lottery, text = _national_pool(("gender", "age", "region", "education"), 60_000)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    perform(engine, install_body, NATIONAL, datetime(2026, 1, 5).date())
    perform(engine, import_pool, lottery, "pool.csv", text, now)
    rules = lottery.cycle
    assert rules is not None
    warm = 3 + 2 * rules.term_months
    checks = run(engine, lottery, "2026-01", warm + 36, Settings(), decline_every=25)
    steady = checks[warm:]
    assert [(c.month, c.held, c.vacant, c.problems) for c in steady] == [
        (c.month, 1200, 0, ()) for c in steady
    ]
