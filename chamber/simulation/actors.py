"""The simulated people: a clerk who plans business a month ahead (and urgent Saturday items),
creates a division in each sitting and records attendance; a Speaker who invites a member; the
rostered members, who speak and vote; the public, who vote directly or by proxy; members who
swap sittings; and sharers who resign and are replaced.  Each acts through the chamber's own
services, one transaction per action (the members' votes in a division, and the public's, are
gathered into one transaction each, as the web server's group commit gathers public votes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chamber.business.models import BusinessItem, Debate
from chamber.business.rules import month_before
from chamber.business.services import invite, plan_business, record_attendances, speak
from chamber.clock import LONDON
from chamber.db import perform, read, transaction
from chamber.divisions.ballots import Ballot
from chamber.divisions.lifecycle import create_division
from chamber.divisions.member_votes import cast_member_votes
from chamber.divisions.public_votes import cast_public_votes
from chamber.errors import ChamberError
from chamber.membership.models import Member
from chamber.membership.services import NewMember, member, seat_of
from chamber.rotas.changes import replace_member
from chamber.rotas.roster import member_slots, rostered
from chamber.rotas.swaps import answer_swap, request_swap
from chamber.simulation.population import name
from chamber.sittings.models import Sitting
from chamber.sittings.services import SittingSummary, summary

QUESTIONS = (
    ("That the Housing (Standards) Bill be read a second time", ["content", "not content"]),
    ("That the amendment on rural bus services be agreed to", ["content", "not content"]),
    ("That the Climate Adaptation Report be approved", ["content", "not content"]),
    ("Which option for the hospital reconfiguration should the chamber recommend?",
     ["option A: one site", "option B: two sites", "option C: keep three"]),
    ("That the Digital Identity Bill do now pass", ["content", "not content"]),
)
CLERK = "Clerk of the Chamber"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A London wall-clock time of a day, as an aware instant."""
    return datetime.combine(day, time(hour, minute), LONDON)


@dataclass
class Tally:
    """What the simulated people did, and what the chamber refused them."""

    business: int = 0
    urgent: int = 0
    divisions: int = 0
    member_votes: int = 0
    public_votes: int = 0
    speeches: int = 0
    invitations: int = 0
    attendance: int = 0
    swaps_asked: int = 0
    swaps_accepted: int = 0
    replacements: int = 0
    refusals: list[str] = field(default_factory=list)


@dataclass
class People:
    """Who acts, with the seeded randomness they act by."""

    engine: Engine
    rng: np.random.Generator
    voters: list[str]
    receipt_key: bytes
    audit_key: bytes
    speaker: str
    tally: Tally = field(default_factory=Tally)
    turnout: float = 0.9  # of rostered members, in each division
    public_share: float = 0.6  # of public voters, in each division
    joined: int = 0  # replacements so far (their ids)

    def act(self, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a service as one action; a refusal is recorded and the simulation goes on."""
        try:
            return perform(self.engine, service, *args, **kwargs)
        except ChamberError as refused:
            self.tally.refusals.append(f"{service.__name__}: {refused}")
            return None

    # -- the clerk -----------------------------------------------------------------------------

    def unplanned(self, first: date, last: date) -> list[SittingSummary]:
        with transaction(self.engine, write=False) as session:
            planned = set(session.exec(select(BusinessItem.sitting_id)).all())
            rows = session.exec(
                select(Sitting)
                .where(col(Sitting.day) >= first, col(Sitting.day) <= last)
                .order_by(col(Sitting.starts_at))
            ).all()
            return [summary(s) for s in rows if s.id not in planned]

    def plan_business(self, today: date) -> None:
        """An item into every ordinary sitting whose month-ahead deadline is today (or later,
        for sittings the calendar has just made), and urgent items into today's Saturday
        afternoons."""
        now = at(today, 7)
        for s in self.unplanned(today, today + timedelta(days=40)):
            if s.urgent_only:
                if s.day == today:
                    self.act(plan_business, s.id, "Urgent statement on flooding", now=now,
                             by=CLERK, urgent=True)
                    self.tally.urgent += 1
            elif month_before(s.day) >= today:
                title = QUESTIONS[s.id % len(QUESTIONS)][0].removeprefix("That the ")
                if self.act(plan_business, s.id, title, now=now, by=CLERK) is not None:
                    self.tally.business += 1

    def sit(self, s: SittingSummary, sweep: Callable[[datetime], None]) -> None:
        """A sitting: the Speaker invites a member, a division is created, opened by the
        scheduler's sweep, voted on by the rostered members and the public, closed by the sweep;
        two rostered members speak; the clerk records who attended."""
        roster = read(self.engine, rostered, s.id)
        members = sorted(roster.values())
        guest = self._outsider(s, set(members))
        if guest is not None and self.act(
            invite, s.id, guest, "a specific contribution", "evidence", by=self.speaker,
            now=s.starts_at,
        ) is not None:
            self.tally.invitations += 1
        question, options = QUESTIONS[s.id % len(QUESTIONS)]
        opens, closes = s.starts_at + timedelta(hours=1), s.starts_at + timedelta(hours=3)
        if s.ends_at < closes:
            opens, closes = s.starts_at + timedelta(minutes=15), s.ends_at - timedelta(minutes=15)
        division = self.act(
            create_division, question, options, opens, closes, sitting_id=s.id,
            now=s.starts_at + timedelta(minutes=5),
        )
        self._speak(s, members[:2])
        if division is not None:
            self.tally.divisions += 1
            sweep(opens)
            self._member_votes(division, members, options, opens + (closes - opens) / 4)
            self._public_votes(division, options, opens + (closes - opens) / 3)
            sweep(closes)
        self._attendance(s, members, guest)

    def _outsider(self, s: SittingSummary, sitting: set[str]) -> str | None:
        with transaction(self.engine, write=False) as session:
            ids = session.exec(
                select(Member.id).where(col(Member.serves_until).is_(None)).limit(50)
            ).all()
        free = [m for m in ids if m not in sitting and m != self.speaker]
        return free[s.id % len(free)] if free else None

    def _speak(self, s: SittingSummary, speakers: list[str]) -> None:
        debate = read(self.engine, _debate_of, s.id)
        if debate is None:
            return
        for k, speaker in enumerate(speakers):
            when = s.starts_at + timedelta(minutes=20 + 10 * k)
            if self.act(speak, debate, speaker, "A speech of the simulation.", when) is not None:
                self.tally.speeches += 1

    def _member_votes(
        self, division: int, members: list[str], options: list[str], now: datetime
    ) -> None:
        weights = self.rng.dirichlet(np.ones(len(options)) * 3)
        voting = [m for m in members if self.rng.random() < self.turnout]
        choices = self.rng.choice(len(options), size=len(voting), p=weights)
        votes = [(v, options[int(c)]) for v, c in zip(voting, choices, strict=True)]
        results = perform(self.engine, cast_member_votes, division, votes, now)
        refused = [str(r) for r in results if r is not None]
        self.tally.refusals += refused
        self.tally.member_votes += len(results) - len(refused)

    def _public_votes(self, division: int, options: list[str], now: datetime) -> None:
        voting = [v for i, v in enumerate(self.voters) if i % 3 or i >= 120]  # others delegate
        voting = [v for v in voting if self.rng.random() < self.public_share]
        choices = self.rng.choice(len(options), size=len(voting))
        ballots = [Ballot(division, v, options[int(c)], now) for v, c in zip(voting, choices,
                                                                               strict=True)]
        with transaction(self.engine) as session:
            results = cast_public_votes(session, ballots, self.receipt_key,
                                        audit_key=self.audit_key)
        refused = [str(r) for r in results if isinstance(r, ChamberError)]
        self.tally.refusals += refused
        self.tally.public_votes += len(results) - len(refused)

    def _attendance(self, s: SittingSummary, members: list[str], guest: str | None) -> None:
        now = s.starts_at + timedelta(minutes=30)
        present = [(m, "rostered") for m in members if self.rng.random() < 0.97]
        if guest is not None:
            present.append((guest, "invited"))
        if self.act(record_attendances, s.id, present, by=CLERK, now=now) is not None:
            self.tally.attendance += len(present)

    # -- members -------------------------------------------------------------------------------

    def swap(self, today: date, count: int) -> None:
        """``count`` members ask a sharer to exchange their next sittings; most accept."""
        now = at(today, 8)
        with transaction(self.engine, write=False) as session:
            ids = list(session.exec(select(Member.id).where(col(Member.serves_until).is_(None))))
        for asker in self.rng.choice(ids, size=min(count, len(ids)), replace=False).tolist():
            mine = read(self.engine, member_slots, asker, now + timedelta(days=2))
            if not mine:
                continue
            seat = read(self.engine, seat_of, asker).code
            sharer = f"{seat}-{int(self.rng.integers(0, 24)):02d}"
            theirs = [
                t for t in read(self.engine, member_slots, sharer, now + timedelta(days=2))
                if abs((t.starts_at - mine[0].starts_at).days) < 10
            ] if sharer != asker else []
            if not theirs:
                continue
            request = self.act(request_swap, asker, mine[0].sitting, sharer, theirs[0].sitting,
                               now)
            if request is None:
                continue
            self.tally.swaps_asked += 1
            status = self.act(answer_swap, request, sharer, self.rng.random() < 0.8, now)
            self.tally.swaps_accepted += status == "accepted"

    def replace(self, today: date, count: int, notice: int = 10) -> None:
        """``count`` sharers resign; each is replaced in their seat from ``notice`` days on."""
        now = at(today, 9)
        with transaction(self.engine, write=False) as session:
            ids = list(session.exec(
                select(Member.id).where(
                    col(Member.serves_until).is_(None), Member.id != self.speaker
                )
            ))
        for leaving in self.rng.choice(ids, size=min(count, len(ids)), replace=False).tolist():
            seat = read(self.engine, seat_of, leaving)
            leaver = read(self.engine, member, leaving)
            self.joined += 1
            joining = NewMember(
                f"{seat.code}-R{self.joined:03d}", name(self.rng), seat.code, leaver.group,
                serves_from=today + timedelta(days=notice),
            )
            if self.act(replace_member, leaving, joining, now) is not None:
                self.tally.replacements += 1


def _debate_of(session: Session, sitting_id: int) -> int | None:
    return session.exec(select(Debate.id).where(Debate.sitting_id == sitting_id)).first()
