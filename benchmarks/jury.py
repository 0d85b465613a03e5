"""The stored national jury, timed: the LEXIMIN time of one 90-person draw from a 60,000-person
synthetic pool (its types counted), then the scheduled jury's day month after month on that
pool stored in SQLite (seed announced, the day run, every invitation accepted, every serving
juror voting in the extensions ballot), with the jury checked against its quotas each month.
The jury starts empty: it fills over its first 15 months (cohorts are drawn 3 months ahead).
Goal: under 10 s a month on a 2-core machine.

    .venv/bin/python benchmarks/jury.py [--pool 60000] [--months 36] [--draw-only]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session, col, select  # noqa: E402

from chamber import jobs  # noqa: E402
from chamber.bodies import NATIONAL  # noqa: E402
from chamber.bodies.services import install_body  # noqa: E402
from chamber.db import make_engine, perform, read, upgrade  # noqa: E402
from chamber.jury.ballot import cast_vote, open_ballots  # noqa: E402
from chamber.jury.cycle import announce_seed, due_cohort  # noqa: E402
from chamber.jury.lottery import LOTTERIES, Lottery  # noqa: E402
from chamber.jury.models import JuryBallot, JuryInvitation, JuryPlace  # noqa: E402
from chamber.jury.places import answer, index, label, month_of  # noqa: E402
from chamber.jury.pool import import_pool  # noqa: E402
from chamber.jury.views import check_jury  # noqa: E402
from chamber.settings import Settings  # noqa: E402
from electoral.sortition.draw import run_draw  # noqa: E402
from electoral.sortition.instance import build_instance, parse_pool, parse_quotas  # noqa: E402
from electoral.sortition.synthetic import FEATURES, pool_csv, quotas_csv  # noqa: E402

GOAL_SECONDS = 10.0
START = "2026-01"


def time_leximin(pool: str, console: Console) -> None:
    people = parse_pool(pool, "pool.csv", require_id=True)
    quotas, sha = parse_quotas(quotas_csv(90), "quotas.csv")
    inst = build_instance(people, quotas, 90, quotas_sha256=sha)
    began = time.perf_counter()
    result = run_draw(inst, "benchmark")
    seconds = time.perf_counter() - began
    console.print(
        f"LEXIMIN: 90 from {len(people.ids):,} volunteers of {inst.ntypes} types in "
        f"{seconds:.1f} s (minimum probability {100 * result.record.minimum_probability:.3f}%)",
        highlight=False,
    )


def national(features: tuple[str, ...]) -> Lottery:
    """The national lottery on the synthetic pool's features."""
    base = LOTTERIES["national"]
    return Lottery(base.body, base.category, base.size,
                   tuple(f for f in base.features if f.key in features),
                   tuple(q for q in base.quotas if q.feature in features), base.cycle)


def import_text(pool: str) -> str:
    lines = pool.splitlines()
    out = ["id,name,email,consent," + lines[0].split(",", 1)[1]]
    out += [f"{row.split(',', 1)[0]},V,v@example.org,yes,{row.split(',', 1)[1]}"
            for row in lines[1:]]
    return "\n".join(out) + "\n"


def _accept_all(session: Session, body_key: str, now: datetime) -> int:
    rows = session.exec(
        select(JuryInvitation.id).join(JuryPlace, col(JuryPlace.id) == col(
            JuryInvitation.place_id))
        .where(JuryPlace.body_key == body_key, JuryInvitation.status == "invited")).all()
    for invitation in rows:
        answer(session, invitation or 0, True, now)
    return len(rows)


def _vote_all(session: Session, body_key: str, now: datetime) -> int:
    month = month_of(now)
    voters = session.exec(select(JuryPlace.id).where(
        JuryPlace.body_key == body_key, JuryPlace.status == "serving",
        col(JuryPlace.cohort) <= month, col(JuryPlace.term_end) > month)).all()
    cast = 0
    for ballot_id in open_ballots(session, body_key):
        ballot = session.get(JuryBallot, ballot_id)
        for place in voters if ballot is not None and ballot.candidates else ():
            cast_vote(session, ballot_id, list(ballot.candidates), now, place_id=place)
            cast += 1
    return cast


def run_months(engine: Engine, lottery: Lottery, months: int, console: Console) -> None:
    config = Settings()
    table = Table(title=f"The stored national jury, {months} months")
    for column in ("month", "drawn", "votes", "held", "vacant", "problems", "seconds"):
        table.add_column(column, justify="right")
    total = 0.0
    for k in range(months):
        month = label(index(START) + k)
        now = datetime(int(month[:4]), int(month[5:]), config.jury_draw_day, 6, tzinfo=UTC)
        began = time.perf_counter()
        due, _ = read(engine, due_cohort, lottery, now, config.jury_lead_months)
        perform(engine, announce_seed, lottery, due, f"public seed {due}", now)
        drawn = jobs.jury_day(engine, now, config, {lottery.body: lottery})
        perform(engine, _accept_all, lottery.body, now)
        votes = perform(engine, _vote_all, lottery.body, now)
        jobs.jury_day(engine, now + timedelta(hours=1), config, {lottery.body: lottery})
        seconds = time.perf_counter() - began
        total += seconds
        check = read(engine, check_jury, lottery, month)
        table.add_row(month, str(len(drawn)), f"{votes:,}", f"{check.held:,}",
                      str(check.vacant), str(len(check.problems)), f"{seconds:.1f}")
    console.print(table)
    console.print(f"{total:.0f} s in all, {total / max(months, 1):.1f} s a month "
                  f"(goal: under {GOAL_SECONDS:.0f} s)", highlight=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=int, default=60_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--draw-only", action="store_true")
    args = parser.parse_args()
    console = Console(width=160)
    pool = pool_csv(args.pool, 1)
    time_leximin(pool, console)
    if args.draw_only:
        return
    lottery = national(tuple(FEATURES))
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'jury.db'}")
        upgrade(engine)
        perform(engine, install_body, NATIONAL, date(2026, 1, 5))
        perform(engine, import_pool, lottery, "pool.csv", import_text(pool),
                datetime(2025, 12, 1, tzinfo=UTC))
        run_months(engine, lottery, args.months, console)
        engine.dispose()


if __name__ == "__main__":
    main()
