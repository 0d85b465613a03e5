"""The Executive Committee elected in a simulated chamber's first week, as the clerks and members
would (`chamber.officers.committee`): a clerk calls the election on the first Monday (candidates
from every group), members rank candidates on the Wednesday, and it is counted by STV on the
Friday evening, the count stored and published like any other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from chamber.bodies.models import Seat
from chamber.db import perform, transaction
from chamber.membership.models import Member
from chamber.officers.committee import (
    call_committee_election,
    cast_committee_ballot,
    committee_election,
    count_committee,
)
from chamber.simulation.actors import at

SEATS = 9
CANDIDATES = 20
VOTERS = 300


@dataclass
class CommitteeRun:
    """One election through the first week: called, voted, counted."""

    body_key: str
    first: date  # the first Monday of sittings
    rng: np.random.Generator
    election: int | None = None
    count: int | None = None  # the stored count, once counted

    def day(self, engine: Engine, today: date) -> None:
        step = (today - self.first).days
        if step == 0:
            self._call(engine, today)
        elif step == 2 and self.election is not None:
            self._vote(engine, today)
        elif step == 4 and self.election is not None:
            self.count = perform(engine, count_committee, self.election, by="clerk",
                                 now=at(today, 18))

    def _members(self, engine: Engine, today: date) -> list[tuple[str, str]]:
        with transaction(engine, write=False) as session:
            return [(m, g or "") for m, g in session.exec(
                select(col(Member.id), col(Member.group))
                .join(Seat, col(Seat.id) == col(Member.seat_id))
                .where(
                    Seat.body_key == self.body_key,
                    col(Member.serves_from) <= today,
                    (col(Member.serves_until).is_(None)) | (col(Member.serves_until) >= today),
                ).order_by(col(Member.id))
            ).all()]

    def _call(self, engine: Engine, today: date) -> None:
        members = self._members(engine, today)
        by_group: dict[str, list[str]] = {}
        for m, g in members:
            by_group.setdefault(g, []).append(m)
        candidates: list[str] = []
        while len(candidates) < min(CANDIDATES, len(members)):  # a few from each group in turn
            for names in by_group.values():
                if names and len(candidates) < CANDIDATES:
                    candidates.append(names.pop(int(self.rng.integers(len(names)))))
        self.election = perform(
            engine, call_committee_election, self.body_key, "Executive Committee", SEATS,
            candidates, rule="scottish", seed="the first Executive Committee",
            opens_at=at(today, 10), closes_at=at(today + timedelta(days=4), 17), by="clerk",
            now=at(today, 9),
        )

    def _vote(self, engine: Engine, today: date) -> None:
        assert self.election is not None
        members = [m for m, _ in self._members(engine, today)]
        voters = self.rng.choice(len(members), size=min(VOTERS, len(members)), replace=False)
        with transaction(engine) as session:
            candidates = list(committee_election(session, self.election).candidates)
            for i in sorted(voters):
                k = int(self.rng.integers(1, 7))
                ranking = [candidates[j] for j in self.rng.permutation(len(candidates))[:k]]
                cast_committee_ballot(session, self.election, members[i], ranking,
                                      at(today, 12))
