"""The demonstration chamber (`chamber seed --demo`): four weeks of the national chamber's
history made by the same machinery as `chamber simulate` (its calendar of sittings, rotas
published a month and a week ahead with the youth seats sitting every four weeks, business
planned a month ahead, divisions with member and public votes and proxies, swaps, a jury of
1,200, simulated), the stored jury's pool, three months of its draws with their answers, its
extensions ballot and an experts' ballot, the crossbench peers and whip-taking peers put to the
jury, a local health and care panel with its report (`chamber.jury.demo`), then an STV election
counted from a real Scottish ward, a division open now, and accounts to sign in with.  The
public are on a synthetic electoral register (``citizen0003`` is elector ``E0003``); two have
accounts, and a third's one-time code is printed so that a tester
can claim it at /register.

Everything is made through the services, so every vote, proxy, count and draw is on the audit
chain, and everything is seeded: the same ``seed`` and ``today`` give the same database.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources

from sqlalchemy.engine import Engine

from chamber import jobs
from chamber.accounts.services import create_account
from chamber.bodies import Body, Category
from chamber.bodies.pattern import DAYS, SessionSpec, SittingSpec
from chamber.bodies.services import install_body
from chamber.clock import LONDON
from chamber.db import perform, read
from chamber.divisions.lifecycle import create_division
from chamber.divisions.sequencer import chain_public_votes
from chamber.elections.services import count_election
from chamber.jury import demo as jury_demo
from chamber.membership.services import NewMember, add_members
from chamber.officers.services import holders
from chamber.register.claims import claim_key, export_letters, request_code
from chamber.register.services import elector
from chamber.rotas.roster import rostered
from chamber.rotas.services import solve_and_publish
from chamber.routes import demo as routes_demo
from chamber.settings import Settings
from chamber.simulation.actors import QUESTIONS, at
from chamber.simulation.run import Options, Report, Simulation
from chamber.sittings.services import extend_calendar, sittings_between

Step = Callable[[str], None]
HISTORY_WEEKS = 4


@dataclass(frozen=True, slots=True)
class DemoSummary:
    members: int
    seats: int
    routed: int  # members seated through the routes (the rest invented)
    sittings: int
    rotas: int
    election_id: int
    jury_size: int
    divisions: int
    open_division: int
    public_voters: int
    breaches: int
    experts_ballot: int
    accounts: tuple[tuple[str, str, str], ...]  # (username, role, password), shown once
    claim: tuple[str, str, str, str]  # a citizen's (elector number, postcode, birth year, code)


def build_demo(
    engine: Engine, *, today: date, seed: int = 2027, step: Step = lambda _: None,
    config: Settings | None = None,
) -> DemoSummary:
    """Fill an empty, migrated database with the demonstration chamber as it stands at noon
    (London) on ``today``."""
    config = config or Settings()
    start = today - timedelta(weeks=HISTORY_WEEKS, days=today.weekday())
    options = Options(seed=f"demo {seed}", public_voters=400, jury_features=("gender", "age",
                                                                               "region"),
                      routes=lambda engine, first, day: _routes(engine, first, day, today,
                                                                 f"demo {seed}"))
    simulation = Simulation(engine, start, options, config)
    step("the national chamber, its members, rotas and jury")
    simulation.setup()
    report = Report(simulation.first, today)
    report.tally = simulation.people.tally  # type: ignore[union-attr]
    day = simulation.first
    while day < today:
        step(f"its history: {day:%a %d %b}")
        simulation.day(day, report)
        day += timedelta(days=1)
    now = datetime.combine(today, datetime.min.time(), LONDON) + timedelta(hours=12)
    report.rotas += len(jobs.publish_due_rotas(engine, at(today, 3), config))
    simulation.people.plan_business(today)  # type: ignore[union-attr]

    step("a division open now")
    open_division, member = _open_division(engine, now, simulation.audit_key)

    step("the stored jury votes, appoints experts; the panel reports")
    experts_ballot = jury_demo.on_the_day(engine, today, f"demo {seed}")

    step("an STV election (Glasgow 2007, Calton ward)")
    blt = resources.files("electoral") / "samples" / "glasgow_2007_calton.blt"
    election_id = perform(
        engine, count_election, "Glasgow City Council 2007, Ward 9 Calton",
        "glasgow_2007_calton.blt", blt.read_text(encoding="utf-8"), rule="scottish",
        seed=f"demo {seed}", body_key=None, now=now,
    )
    step("accounts")
    logins = []
    offices = {h.office: h.member for h in reversed(read(engine, holders, "national", today))}
    officers = [("speaker", offices.get("Speaker")), ("whip", offices.get("whip")),
                ("assembly", next(iter(simulation.assembly_officers.values()), None))]
    for username, role, member_id, number in (
        ("administrator", "administrator", None, None), ("clerk", "clerk", None, None),
        ("member", "member", member, None),
        *((name, "member", who, None) for name, who in officers if who and who != member),
        ("citizen0001", "public", None, "E0001"), ("citizen0002", "public", None, "E0002"),
    ):
        password = secrets.token_urlsafe(9)
        perform(engine, create_account, username, password, role, now, member_id=member_id,
                elector=number)
        logins.append((username, role, password))
    chain_public_votes(engine, simulation.audit_key)  # nothing is left for the sequencer
    step("a code for citizen0003 (elector E0003) to claim their account")
    claim = _claim_code(engine, "E0003", now, config)
    return DemoSummary(
        members=simulation.members,
        seats=options.body.seats,
        routed=simulation.routed,
        sittings=report.sittings,
        rotas=report.rotas,
        election_id=election_id,
        jury_size=report.jury_sizes[-1] if report.jury_sizes else 1200,
        divisions=report.tally.divisions,
        open_division=open_division,
        public_voters=options.public_voters,
        breaches=len(report.breaches),
        experts_ballot=experts_ballot,
        accounts=tuple(logins),
        claim=claim,
    )


def _routes(engine: Engine, first: date, day: date, today: date, seed: str) -> dict[str, int]:
    """Before the first rota: the stored jury's first cohorts, the crossbench peers and the
    panel (`chamber.jury.demo`), then the routes; seat code -> places filled."""
    step_at = at(day, 9)
    jury_demo.seat_before_rotas(engine, first, today, step_at, seed)
    return routes_demo.fill(engine, "national", first, step_at, seed)


def _claim_code(
    engine: Engine, number: str, now: datetime, config: Settings
) -> tuple[str, str, str, str]:
    """Ask for an elector's code as the public do, and take it from the letters to post."""
    person = read(engine, elector, number)
    born = str(person.birth_year)
    perform(engine, request_code, number, person.postcode, born, now, key=claim_key(engine),
            days=config.code_days, attempts=config.code_attempts)
    letter = next(r for r in perform(engine, export_letters, now) if r.elector_number == number)
    return number, person.postcode, born, letter.code


def _open_division(engine: Engine, now: datetime, audit_key: bytes) -> tuple[int, str]:
    """A division open now in the sitting under way (or the next one), and a member rostered
    in it."""
    upcoming = [
        s for s in read(engine, sittings_between, now - timedelta(hours=8), now + timedelta(days=3))
        if s.ends_at > now + timedelta(hours=1) and not s.urgent_only
    ]
    sitting = upcoming[0]
    opens = max(now, sitting.starts_at + timedelta(minutes=30))
    question, options = QUESTIONS[0]
    division = perform(
        engine, create_division, question, options, opens, sitting.ends_at - timedelta(minutes=15),
        sitting_id=sitting.id, now=now,
    )
    jobs.sweep_divisions(engine, now, proxy_cap=Settings().proxy_cap, audit_key=audit_key)
    roster = read(engine, rostered, sitting.id)
    return division, sorted(roster.values())[0]


PRACTICE = "practice-panel"


def practice_sitting(engine: Engine, now: datetime) -> int:
    """A one-seat practice panel sitting all day on ``now``'s weekday (London), with its
    published rota; returns the sitting under way at ``now`` (for benchmarks and load tests
    that need a division open now)."""
    today = now.astimezone(LONDON).date()
    body = Body(
        key=PRACTICE, title="A practice panel", expected_seats=1,
        categories=(
            Category(key="practice", title="Practice", seats=1, sharers_per_seat=1,
                     cycle="fortnightly", selection="by the clerk", rota_by="the clerk"),
        ),
        cycle_weeks=2,
        sessions=(SessionSpec("day", "00:00", "24:00"),),
        sittings=(SittingSpec(1, DAYS[today.weekday()], "day"),),
    )
    monday = today - timedelta(days=today.weekday())
    perform(engine, install_body, body, monday)
    perform(engine, add_members, PRACTICE, [NewMember("P-00", "Practice Member", "S000", "p")])
    perform(engine, extend_calendar, PRACTICE, monday)
    perform(engine, solve_and_publish, PRACTICE, monday, 1, now)
    found = read(engine, sittings_between, now - timedelta(days=1), now + timedelta(days=1))
    return next(s.id for s in found if s.starts_at <= now < s.ends_at)
