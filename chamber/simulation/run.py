"""A simulated run of the chamber: install a body and its people, then day by day on a simulated
London clock run the real scheduled jobs (the calendar and rota publication at 03:00, the jury's
month at 06:00 on the 1st, the division sweep, the audit sequencer) and the simulated people
(`actors`), checking the invariants (`invariants`) every day.  Every breach is reported with
its day; the run's result is a `Report`.

The body is installed so that its first sitting is on the simulation's first Monday: the
installation, the first rota and the business of the first month are made the day they would
have to be, a month and a week before (`setup`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from chamber import jobs
from chamber.alerts.services import open_alerts
from chamber.assemblies.services import CATEGORY
from chamber.audit.keys import audit_key
from chamber.bodies.builtin import NATIONAL
from chamber.bodies.composition import Body
from chamber.bodies.services import bodies, install_body
from chamber.db import perform, read, transaction
from chamber.divisions.proxies import appoint_proxy
from chamber.divisions.sequencer import chain_public_votes
from chamber.divisions.voters import proxy_code_of, register_voter
from chamber.errors import Conflict
from chamber.integrity import verify
from chamber.jury import JurySetup, month_label, synthetic_setup, warm_start
from chamber.jury.services import latest_month, store_state
from chamber.keys import deployment_secret
from chamber.membership.models import Member, Unavailability
from chamber.membership.services import add_members
from chamber.officers.services import offices_from_roles
from chamber.register.services import bind_voter, import_register
from chamber.rotas.models import Rota
from chamber.settings import Settings
from chamber.simulation import assemblies, invariants, population
from chamber.simulation.actors import People, Tally, at
from chamber.simulation.committee import CommitteeRun
from chamber.sittings.services import sittings_between

Progress = Callable[[date, int, int], None]  # (day, days done, days in all)


@dataclass(frozen=True, slots=True)
class Options:
    """How big and busy the simulated chamber is."""

    seed: str = "simulation"
    body: Body = NATIONAL
    public_voters: int = 200
    swaps_a_week: int = 3
    replacements_a_month: int = 4
    unavailability: float = 0.05
    jury: bool = True
    assemblies: bool = True  # register the assemblies, whose officers name delegates
    committee: bool = True  # elect the Executive Committee in the first week
    jury_features: tuple[str, ...] | None = None  # fewer quota features: a faster lottery
    # fills seats through the routes before the invented sharers top them up (the demo):
    # (engine, the first Monday, the day of installation) -> places filled per seat code
    routes: Callable[[Engine, date, date], Mapping[str, int]] | None = None


@dataclass(frozen=True, slots=True)
class Breach:
    day: date
    rule: str
    detail: str


@dataclass
class Report:
    start: date
    end: date
    days: int = 0
    sittings: int = 0
    rotas: int = 0
    jury_months: list[str] = field(default_factory=list)
    jury_sizes: list[int] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    alerts: int = 0
    audit_entries: int = 0
    delegates: int = 0  # places the assemblies' officers named
    committee: int | None = None  # the stored count of the Executive Committee
    breaches: list[Breach] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: what ran and whether every invariant held."""
        t = self.tally
        verdict = "no breach" if not self.breaches else f"{len(self.breaches)} BREACHES"
        return (
            f"{self.start} to {self.end}: {self.days} days, {self.sittings} sittings, "
            f"{self.rotas} rotas published, {t.divisions} divisions, {t.member_votes:,} member "
            f"votes, {t.public_votes:,} public votes, {t.business} items of business "
            f"(+{t.urgent} urgent), {t.swaps_accepted}/{t.swaps_asked} swaps, "
            f"{t.replacements} replacements, {len(self.jury_months)} jury months, "
            f"{self.delegates:,} delegates named, committee "
            f"{'counted' if self.committee else 'not elected'}, "
            f"{self.audit_entries:,} audit entries; {verdict} ({self.seconds:.0f} s)"
        )


class Simulation:
    """One simulated run on an empty database."""

    def __init__(
        self, engine: Engine, start: date, options: Options = Options(),
        config: Settings | None = None,
    ) -> None:
        self.engine = engine
        self.options = options
        self.config = config or Settings()
        self.rng = np.random.default_rng(list(options.seed.encode()))
        self.first = start + timedelta(days=(7 - start.weekday()) % 7)  # the first Monday
        self.jury_setup: JurySetup | None = None
        self.assembly_officers: dict[int, str] = {}
        self.committee = CommitteeRun(
            options.body.key, self.first, np.random.default_rng([*options.seed.encode(), 20])
        ) if options.committee else None
        self.people: People | None = None
        self.audit_key = audit_key(self.config, engine.url)
        self.members = 0
        self.routed = 0
        self.jury_start = month_label(1, f"{start.year}-{start.month:02d}")

    # -- before the first day ------------------------------------------------------------------

    def setup(self) -> None:
        """Install the body (its calendar starting on the first Monday) and its people a month
        and a week ahead; publish the first rota and plan the first month's business then."""
        if read(self.engine, bodies):
            raise Conflict("the database already holds a chamber; simulate on an empty one")
        body = self.options.body
        day = self.first - timedelta(days=self.config.rota_lead_days)
        perform(self.engine, install_body, body, self.first)
        routed = self.options.routes(self.engine, self.first, day) if self.options.routes else {}
        members = population.sharers(body, self.rng, routed)
        perform(self.engine, add_members, body.key, members)
        perform(self.engine, offices_from_roles, body.key, by="simulation", now=at(day, 9))
        self.routed = sum(routed.values())
        self.members = len(members) + self.routed
        sessions = tuple(s.name for s in body.pattern.sessions)
        rows = list(population.unavailability(members, sessions, self.first, 400, self.rng,
                                              self.options.unavailability))
        with transaction(self.engine) as session:
            for n in range(0, len(rows), 20_000):
                session.execute(insert(Unavailability), rows[n: n + 20_000])
        voters = population.voters(self.options.public_voters)
        codes = self.register_public(voters, day)
        for voter, proxy in population.proxies(voters):
            perform(self.engine, appoint_proxy, voter, codes[proxy], at(day, 9))
        with transaction(self.engine, write=False) as session:
            speaker = session.exec(select(Member.id).where(Member.role == "Speaker")).first()
        self.people = People(
            self.engine, self.rng, voters, deployment_secret(self.engine, "receipts").encode(),
            self.audit_key, speaker or members[0].id,
        )
        jobs.publish_due_rotas(self.engine, at(day, 3), self.config)
        if self.options.assemblies and any(
            c.key == CATEGORY for c in body.categories
        ):
            self.assembly_officers = assemblies.install(self.engine, body.key, day, self.first)
        for d in range((self.first - day).days):
            self.people.plan_business(day + timedelta(days=d))
        if self.options.jury:
            self.jury_setup = synthetic_setup(features=self.options.jury_features)
            warm, _ = warm_start(self.jury_setup, seed=self.options.seed, start=self.jury_start)
            perform(self.engine, store_state, warm, at(day, 6), start=self.jury_start)

    def register_public(self, voters: list[str], day: date) -> dict[str, str]:
        """Import a synthetic electoral register with an elector for each member of the public
        (``E0000`` for ``citizen0000``, ...), register them as voters bound to their electors
        (so their accounts can only be claimed with their electors' codes); their proxy codes."""
        rng = np.random.default_rng([*self.options.seed.encode(), 18])  # apart from self.rng
        text = population.register_csv(len(voters), rng, day)
        perform(self.engine, import_register, "synthetic-register.csv", text, at(day, 8))
        codes = {}
        with transaction(self.engine) as session:
            for i, handle in enumerate(voters):
                number = register_voter(session, handle, at(day, 9))
                bind_voter(session, population.elector_of(i), number)
                codes[handle] = proxy_code_of(session, number) or ""
        return codes

    # -- a day ---------------------------------------------------------------------------------

    def day(self, today: date, report: Report) -> None:
        people = self.people
        assert people is not None
        if self.assembly_officers:
            report.delegates += assemblies.name_due(
                self.engine, self.options.body.key, self.assembly_officers, today,
                self.config.rota_lead_days)
        report.rotas += len(jobs.publish_due_rotas(self.engine, at(today, 3), self.config))
        if self.jury_setup is not None and today.day == 1:
            label = jobs.monthly_jury(
                self.engine, self.jury_setup, self.options.seed, at(today, 6),
                start=self.jury_start,
            )
            if label is not None:
                month = read(self.engine, latest_month)
                report.jury_months.append(label)
                report.jury_sizes.append(month.size)
                rules = self.jury_setup.rules
                if month.size != rules.size or month.joined != rules.drawn:
                    report.breaches.append(Breach(
                        today, "the jury stays at 1,200 with 90 joining each month",
                        f"{label}: {month.size} jurors, {month.joined} joined",
                    ))
        people.plan_business(today)
        if self.committee is not None:
            self.committee.day(self.engine, today)
            report.committee = self.committee.count
        if today.weekday() == 0:
            people.swap(today, self.options.swaps_a_week)
        if self.rng.random() < self.options.replacements_a_month / 30:
            people.replace(today, 1)

        def sweep(moment: object) -> None:
            jobs.sweep_divisions(self.engine, moment, proxy_cap=self.config.proxy_cap,  # type: ignore[arg-type]
                                 audit_key=self.audit_key)
            chain_public_votes(self.engine, self.audit_key)

        for sitting in read(self.engine, sittings_between, at(today, 0),
                            at(today + timedelta(days=1), 0)):
            people.sit(sitting, sweep)
            report.sittings += 1
        sweep(at(today + timedelta(days=1), 0))
        self.check(today, report)

    def check(self, today: date, report: Report) -> None:
        """The invariants of the day."""
        found: list[tuple[str, list[str]]] = []
        with transaction(self.engine, write=False) as session:
            found.append(("every seat of every sitting has one rostered member",
                          invariants.seats_filled(session, today)))
            found.append(("business and rotas are known a month (and a week) ahead",
                          invariants.ahead(session, today, self.config.rota_lead_days)))
            found.append(("member votes come from the rostered member while open",
                          invariants.member_votes(session, today)))
            found.append(("every division is closed exactly once",
                          invariants.divisions_closed(session, at(today + timedelta(days=1), 0))))
            for rota_id in session.exec(
                select(Rota.id).where(col(Rota.solved_at) >= at(today, 0))
            ).all():
                assert rota_id is not None
                found.append(("each serving member sits once a cycle, within service",
                              invariants.rota_rules(session, rota_id)))
        for rule, problems in found:
            report.breaches += [Breach(today, rule, p) for p in problems]

    # -- the whole run -------------------------------------------------------------------------

    def run(self, months: int, progress: Progress | None = None) -> Report:
        began = time.perf_counter()
        self.setup()
        end = _add_months(self.first, months)
        report = Report(self.first, end - timedelta(days=1))
        assert self.people is not None
        report.tally = self.people.tally
        total = (end - self.first).days
        for n in range(total):
            today = self.first + timedelta(days=n)
            self.day(today, report)
            report.days += 1
            if progress is not None:
                progress(today, n + 1, total)
        with transaction(self.engine, write=False) as session:
            found = verify(session, self.audit_key)
            report.alerts = len(open_alerts(session))
        report.audit_entries = found.entries
        if not found.intact:
            report.breaches.append(Breach(end, "the audit chain verifies", str(
                found.broken or found.problems[:3])))
        report.seconds = time.perf_counter() - began
        return report


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    return date(day.year + year, month + 1, min(day.day, 28))
