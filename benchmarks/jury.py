"""The stored national jury, timed: the LEXIMIN time of one 90-person draw from a 60,000-person
synthetic pool (its types counted), then the scheduled jury's day month after month on that
pool stored in SQLite (seed announced, the day run, every invitation accepted, every serving
juror voting in the extensions ballot), with the jury checked against its quotas each month.
The scheduled job (the day, and its run an hour later) is timed apart from what the people do
between (accepting, voting), which is not the job's.  The jury starts empty: it fills over its
first 15 months (cohorts are drawn 3 months ahead).
Goal: under 10 s a month on a 2-core machine.

    .venv/bin/python benchmarks/jury.py [--pool 60000] [--months 36] [--draw-only]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from common import Row, report  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session, col, select  # noqa: E402

from chamber import jobs  # noqa: E402
from chamber.bodies import NATIONAL  # noqa: E402
from chamber.bodies.services import install_body  # noqa: E402
from chamber.db import make_engine, perform, read, upgrade  # noqa: E402
from chamber.errors import Refused  # noqa: E402
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
SIZE = 1_200
START = "2026-01"


def time_leximin(pool: str) -> tuple[float, int, float]:
    """One 90-person LEXIMIN draw from the pool to the national lottery's quotas: (seconds, the
    types, the smallest probability)."""
    people = parse_pool(pool, "pool.csv", require_id=True)
    quotas, sha = parse_quotas(quotas_csv(90), "quotas.csv")
    inst = build_instance(people, quotas, 90, quotas_sha256=sha)
    began = time.perf_counter()
    result = run_draw(inst, "benchmark")
    return time.perf_counter() - began, inst.ntypes, result.record.minimum_probability


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
            try:  # a ballot left open by a refused draw: its voters have voted
                cast_vote(session, ballot_id, list(ballot.candidates), now, place_id=place)
            except Refused:
                continue
            cast += 1
    return cast


@dataclass(frozen=True, slots=True)
class Month:
    month: str
    seconds: float  # the scheduled job (the day, and its run an hour later)
    people: float  # what the people do between: every invitation accepted, every juror votes
    held: int
    problems: tuple[str, ...]


def run_months(engine: Engine, lottery: Lottery, months: int, console: Console) -> list[Month]:
    config = Settings()
    table = Table(title=f"The stored national jury, {months} months")
    for column in ("month", "drawn", "votes", "held", "vacant", "problems", "job s",
                   "people's s"):
        table.add_column(column, justify="right")
    out: list[Month] = []
    for k in range(months):
        month = label(index(START) + k)
        now = datetime(int(month[:4]), int(month[5:]), config.jury_draw_day, 6, tzinfo=UTC)
        due, _ = read(engine, due_cohort, lottery, now, config.jury_lead_months)
        perform(engine, announce_seed, lottery, due, f"public seed {due}", now)
        began = time.perf_counter()
        drawn = jobs.jury_day(engine, now, config, {lottery.body: lottery})
        job = time.perf_counter() - began
        perform(engine, _accept_all, lottery.body, now)
        votes = perform(engine, _vote_all, lottery.body, now)
        people = time.perf_counter() - began - job
        began = time.perf_counter()
        jobs.jury_day(engine, now + timedelta(hours=1), config, {lottery.body: lottery})
        again = time.perf_counter() - began
        check = read(engine, check_jury, lottery, month)
        out.append(Month(month, job + again, people, check.held, check.problems))
        table.add_row(month, str(len(drawn)), f"{votes:,}", f"{check.held:,}",
                      str(check.vacant), str(len(check.problems)), f"{job + again:.1f}",
                      f"{people:.1f}")
    console.print(table)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=int, default=60_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--draw-only", action="store_true")
    args = parser.parse_args()
    console = Console(width=160)
    pool = pool_csv(args.pool, 1)
    seconds, types, minimum = time_leximin(pool)
    rows = [Row(f"LEXIMIN: 90 from {args.pool:,} volunteers in {types} types, the national "
                f"lottery's quotas (minimum probability {minimum:.3%})", seconds, "-", None)]
    if not args.draw_only:
        lottery = national(tuple(FEATURES))
        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(f"sqlite:///{Path(folder) / 'jury.db'}")
            upgrade(engine)
            perform(engine, install_body, NATIONAL, date(2026, 1, 5))
            perform(engine, import_pool, lottery, "pool.csv", import_text(pool),
                    datetime(2025, 12, 1, tzinfo=UTC))
            months = run_months(engine, lottery, args.months, console)
            engine.dispose()
        mean = sum(m.seconds for m in months) / max(len(months), 1)
        slowest = max(months, key=lambda m: m.seconds)
        people = sum(m.people for m in months) / max(len(months), 1)
        full = [m for m in months if m.held == SIZE]
        kept = [m for m in full if not m.problems]
        rows += [
            Row(f"the scheduled jury job, mean of {len(months)} months (lapses, the count of "
                "the extensions ballot, the LEXIMIN draw, invitations)", mean, "-", None,
                f"< {GOAL_SECONDS:.0f} s a month", mean < GOAL_SECONDS),
            Row(f"  the slowest month ({slowest.month})", slowest.seconds, "-", None,
                f"< {GOAL_SECONDS:.0f} s", slowest.seconds < GOAL_SECONDS),
            Row("  not the job: what the people do, mean a month (every invitation accepted "
                "one at a time, every serving juror's ballot cast one at a time)", people, "-",
                None),
            Row(f"months at {SIZE:,} and within every quota, of the {len(full)} once full "
                f"(from {full[0].month if full else '-'})", len(kept), "months once full",
                len(full), "all", bool(full) and len(kept) == len(full), unit="months",
                higher=True),
        ]
        for m in full:
            for problem in m.problems:
                console.print(f"{m.month}: {problem}", highlight=False)
    report("jury", f"The stored national jury from a pool of {args.pool:,}", rows)


if __name__ == "__main__":
    main()
