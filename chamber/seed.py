"""The demonstration chamber (`chamber seed --demo`): the national 500-seat composition with its
members, a solved rota for two months, an STV election counted from a real Scottish ward, a jury
month, a week of sittings with debates and speeches, and divisions with member votes, public
votes and proxies (closed ones with published results, and one open for the public to vote).

Everything is made through the services, so every vote, proxy, count and draw is on the audit
chain, and everything is seeded: the same ``seed`` and ``today`` give the same database.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources

import numpy as np
from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import select

from chamber import jury
from chamber.accounts.services import create_account
from chamber.bodies import NATIONAL, Body, Category
from chamber.bodies.services import bodies, install_body
from chamber.business.services import invite, plan_business, speak
from chamber.db import perform, read, transaction
from chamber.divisions.lifecycle import close_division, create_division
from chamber.divisions.member_votes import cast_member_vote
from chamber.divisions.proxies import appoint_proxy
from chamber.divisions.public_votes import cast_public_vote
from chamber.divisions.voters import register_voter
from chamber.elections.services import count_election
from chamber.errors import Conflict
from chamber.jury.services import run_jury_month
from chamber.keys import deployment_secret
from chamber.membership.models import Member, Unavailability
from chamber.membership.services import NewMember, add_members
from chamber.rotas.roster import rostered
from chamber.rotas.services import solve_and_publish
from chamber.settings import Settings
from chamber.sittings.services import sittings_between

Step = Callable[[str], None]

PARTIES = ("Labour", "Conservative", "Liberal Democrat", "Green", "SNP", "Plaid Cymru", "Reform")
PARTY_SHARE = np.array([0.30, 0.27, 0.13, 0.10, 0.08, 0.06, 0.06])
FIRST = ("Alex", "Sam", "Jo", "Priya", "Tom", "Aisha", "Ewan", "Mei", "Owen", "Fatima", "Iain",
         "Rosa", "Dev", "Niamh", "Kwame", "Lucy", "Hamish", "Zara", "Gareth", "Ines")
LAST = ("Smith", "Jones", "Patel", "Campbell", "Williams", "Khan", "Evans", "Murray", "Brown",
        "Okafor", "Taylor", "Wilson", "Davies", "Chen", "Roberts", "Stewart", "Ali", "Hughes")
QUESTIONS = (
    ("That the Housing (Standards) Bill be read a second time", ["content", "not content"]),
    ("That the amendment on rural bus services be agreed to", ["content", "not content"]),
    ("That the Climate Adaptation Report be approved", ["content", "not content"]),
    ("Which option for the hospital reconfiguration should the chamber recommend?",
     ["option A: one site", "option B: two sites", "option C: keep three"]),
    ("That the Digital Identity Bill do now pass", ["content", "not content"]),
)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    members: int
    seats: int
    rota_ids: tuple[int, ...]
    sittings: int
    election_id: int
    jury_size: int
    divisions: tuple[int, ...]
    open_division: int
    public_voters: int
    accounts: tuple[tuple[str, str, str], ...]  # (username, role, password), shown once


def demo_members(body: Body, rng: np.random.Generator) -> list[NewMember]:
    """Sharers for every seat: party seats held by one party, local seats shared across parties
    and independents, the other categories one group each; seeded names."""
    out: list[NewMember] = []
    number = 0
    for cat in body.categories:
        for _ in range(cat.seats):
            code = f"S{number:03d}"
            party = str(rng.choice(PARTIES, p=PARTY_SHARE))
            for k in range(cat.sharers_per_seat):
                if cat.key == "party":
                    group = party
                elif cat.key == "local":
                    group = str(rng.choice([*PARTIES, "independent"], p=[*PARTY_SHARE * 0.9, 0.1]))
                else:
                    group = cat.key
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                out.append(NewMember(f"{code}-{k:02d}", name, code, group))
            number += 1
    return out


def _with_roles(members: list[NewMember]) -> list[NewMember]:
    """One Speaker, three deputy speakers, a whip per party group, an Executive Committee."""
    roles: dict[int, str] = {0: "Speaker", 1: "deputy speaker", 2: "deputy speaker",
                             3: "deputy speaker"}
    seen: set[str] = set()
    for i, m in enumerate(members):
        if m.group in PARTIES and m.group not in seen and i not in roles:
            roles[i] = "whip"
            seen.add(m.group)
    for i in range(10):
        roles.setdefault(500 + i * 997, "Executive Committee")
    return [
        NewMember(m.id, m.name, m.seat, m.group, roles.get(i, "member"))
        for i, m in enumerate(members)
    ]


def _unavailability(engine: Engine, members: list[NewMember], start: date,
                    days: int, rng: np.random.Generator, share: float = 0.05) -> None:
    rows = []
    for m in members:
        for d in range(days):
            day = start + timedelta(days=d)
            if day.weekday() == 6:
                continue
            for part in ("morning", "evening"):
                if rng.random() < share:
                    rows.append({"member_id": m.id, "day": day, "session": part})
    with transaction(engine) as session:
        session.execute(insert(Unavailability), rows)


def build_demo(
    engine: Engine, *, today: date, seed: int = 2027, step: Step = lambda _: None,
    config: Settings | None = None,
) -> DemoSummary:
    """Fill an empty, migrated database with the demonstration chamber."""
    config = config or Settings()
    if read(engine, bodies):
        raise Conflict("the database already holds a chamber; seed an empty database")
    rng = np.random.default_rng(seed)
    monday = today - timedelta(days=today.weekday() + 7)  # the rota starts last week
    now = datetime.combine(monday, datetime.min.time(), UTC) - timedelta(days=35)
    current = datetime.combine(today, datetime.min.time(), UTC) + timedelta(hours=12)
    receipts = deployment_secret(engine, "receipts").encode()

    step("the national composition")
    body = NATIONAL
    seats = perform(engine, install_body, body)
    members = _with_roles(demo_members(body, rng))
    step(f"{len(members):,} members")
    perform(engine, add_members, body.key, members)
    _unavailability(engine, members, monday, 56, rng)

    rota_ids = []
    for f in range(4):
        step(f"the rota, fortnight {f + 1} of 4")
        start = monday + timedelta(weeks=2 * f)
        rota_ids.append(perform(engine, solve_and_publish, body.key, start, 1, now))

    step("an STV election (Glasgow 2007, Calton ward)")
    blt = resources.files("electoral") / "samples" / "glasgow_2007_calton.blt"
    election_id = perform(
        engine, count_election, "Glasgow City Council 2007, Ward 9 Calton",
        "glasgow_2007_calton.blt", blt.read_text(encoding="utf-8"), rule="scottish",
        seed=f"demo {seed}", body_key=None, now=now,
    )

    step("a jury month (LEXIMIN draw of 90)")
    report = perform(
        engine, run_jury_month, jury.synthetic_setup(), seed=f"demo {seed}", now=now,
        start=monday.strftime("%Y-%m"),
    )

    step("a week of sittings with debates")
    week = read(engine, sittings_between, current - timedelta(days=6, hours=12),
                current + timedelta(hours=12))
    with transaction(engine, write=False) as session:
        names = dict(session.exec(select(Member.id, Member.name)).all())
    for n, sitting in enumerate(week):
        start = sitting.starts_at
        title = ("Urgent statement on flooding in the north" if sitting.urgent_only
                 else QUESTIONS[n % len(QUESTIONS)][0].removeprefix("That the "))
        planned_on = start.date() if sitting.urgent_only else start.date() - timedelta(days=35)
        with transaction(engine) as session:
            debate = plan_business(
                session, sitting.id, title, planned_on=planned_on, by="Clerk of the Chamber",
                urgent=sitting.urgent_only,
            )
            roster = rostered(session, sitting.id)
            speakers = rng.choice(sorted(roster.values()), size=min(4, len(roster)), replace=False)
            for k, member in enumerate(speakers):
                speak(
                    session, debate, str(member),
                    f"{names[str(member)]} on {title.lower()}: a speech of the demonstration.",
                    start + timedelta(minutes=20 + 35 * k),
                )
            outsiders = [m.id for m in members[:400] if m.id not in roster.values()]
            guest = outsiders[n % len(outsiders)]
            invite(session, sitting.id, guest, "a specific contribution", "evidence")
            speak(session, debate, guest, "An invited contribution (no vote).",
                  start + timedelta(minutes=200))

    step("public voters and proxies")
    handles = [f"citizen{i:04d}" for i in range(400)]
    with transaction(engine) as session:
        for h in handles:
            register_voter(session, h, now)
    for i in range(0, 120, 3):  # general proxies, some chains, one cycle
        perform(engine, appoint_proxy, handles[i], handles[i + 1], now)
    perform(engine, appoint_proxy, handles[121], handles[122], now)
    perform(engine, appoint_proxy, handles[122], handles[121], now)

    step("divisions with member and public votes")
    made: list[int] = []
    past = [x for x in week if not x.urgent_only and x.starts_at <= current - timedelta(hours=1)]
    chosen = past[-6:]
    for n, sitting in enumerate(chosen):
        start = sitting.starts_at
        question, options = QUESTIONS[n % len(QUESTIONS)]
        is_open = n == len(chosen) - 1
        opens = start + timedelta(minutes=45 if is_open else 360)
        closes = current + timedelta(days=3) if is_open else opens + timedelta(minutes=30)
        division = perform(
            engine, create_division, question, options, opens, closes, sitting_id=sitting.id
        )
        made.append(division)
        vote_at = opens + timedelta(minutes=5)
        roster = read(engine, rostered, sitting.id)
        weights = rng.dirichlet(np.ones(len(options)) * 3)
        for member in sorted(roster.values()):
            if rng.random() < 0.9:
                choice = options[int(rng.choice(len(options), p=weights))]
                perform(engine, cast_member_vote, division, member, choice, vote_at)
        for i, h in enumerate(handles):
            if i < 120 and i % 3 == 0:
                continue  # delegates through a proxy
            if rng.random() < 0.6:
                choice = options[int(rng.choice(len(options), p=weights))]
                perform(engine, cast_public_vote, division, h, choice, vote_at, receipts)
        if not is_open:
            perform(engine, close_division, division, closes, proxy_cap=config.proxy_cap)
    step("accounts")
    logins = []
    sitting_member = next(iter(read(engine, rostered, chosen[-1].id).values()))
    for username, role, member_id in (
        ("administrator", "administrator", None), ("clerk", "clerk", None),
        ("member", "member", sitting_member), (handles[1], "public", None),
        (handles[2], "public", None),
    ):
        password = secrets.token_urlsafe(9)
        perform(engine, create_account, username, password, role, now, member_id=member_id)
        logins.append((username, role, password))
    return DemoSummary(
        members=len(members),
        seats=seats,
        rota_ids=tuple(rota_ids),
        sittings=len(week),
        election_id=election_id,
        jury_size=report.size,
        divisions=tuple(made),
        open_division=made[-1],
        public_voters=len(handles),
        accounts=tuple(logins),
    )


PRACTICE = Body(
    key="practice-panel",
    title="A practice panel",
    expected_seats=3,
    categories=(
        Category(
            key="citizens", title="Citizens", seats=3, sharers_per_seat=2, cycle="fortnightly",
            selection="by lot", rota_by="the clerk",
        ),
    ),
)


def practice_sitting(engine: Engine, start: date, now: datetime) -> int:
    """A three-seat practice panel with a published fortnight from ``start`` (a Monday);
    returns its first sitting (for benchmarks and load tests that need a division)."""
    perform(engine, install_body, PRACTICE)
    perform(
        engine, add_members, PRACTICE.key,
        [NewMember(f"S{s:03d}-{k}", f"Member {s}-{k}", f"S{s:03d}", "citizens")
         for s in range(3) for k in range(2)],
    )
    perform(engine, solve_and_publish, PRACTICE.key, start, 1, now)
    first = datetime.combine(start, datetime.min.time(), UTC)
    return read(engine, sittings_between, first, first + timedelta(days=14))[0].id
