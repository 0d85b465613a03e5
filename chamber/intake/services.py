"""The intake of public votes sent to the JSON API.

Before a vote is cast, its request is counted against the client's rate limit
(`chamber.limits`), and the user of the session it carries is found (`chamber.accounts`).  Done
one after the other in groups of their own, those are two waits for a worker thread and for the
database between a voter and their receipt, besides the vote's own.  `VoteIntake` does all three
for a group in one hop: the counts (one statement, committed whatever then happens to the vote)
and the sessions' users (one statement; on PostgreSQL both in one round trip), then the votes
of the requests that were allowed and come from a public voter, in one transaction
(`batching.BallotWriter`).  Each request gets its count, its user and its receipt or refusal,
exactly as if it had been counted, looked up and cast in turn; the web layer answers 429, 401
or 403 from them as it does for any other route.

Votes cast by the pages' forms (already counted and signed in) join the same groups
(`VoteIntake.cast`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Connection, Engine

from chamber.accounts.services import User
from chamber.accounts.sessions import Found, Live, keep_alive, lookup_all, lookup_on
from chamber.db import quickly
from chamber.divisions.ballots import Ballot
from chamber.divisions.batching import BallotWriter, GroupWriter
from chamber.limits.services import SharedLimits, Taken

VOTERS = ("public",)  # the roles of the accounts that cast public votes (a public voter's)


@dataclass(frozen=True, slots=True)
class SignedVote:
    """A public vote as it reaches the server: what it is counted under (its client's key of
    the rate limit, ``limit`` requests a ``window`` of seconds), the session token it carries
    (None: none), and the vote, whose voter is the session's."""

    limit_key: str
    limit: int
    window: float
    token: str | None
    division_id: int
    option: str
    at: datetime
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class Admission:
    """What became of a `SignedVote`: its count; the session's user (None: no live session)
    and whether the session's expiry was moved on; and the receipt, or the refusal, of the vote
    (None: not cast, because the request was over its limit or the user casts no public vote).
    """

    taken: Taken
    user: User | None
    refreshed: bool
    outcome: str | BaseException | None


def may_vote(user: User | None) -> bool:
    """Whether a signed-in user casts public votes (a public voter's account)."""
    return user is not None and user.role in VOTERS and user.voter is not None


class VoteIntake(GroupWriter["Ballot | SignedVote", "str | Admission"]):
    """``await intake.submit(vote)`` counts, authenticates and casts a `SignedVote` with the
    group it arrives in; ``await intake.cast(ballot)`` casts a ballot already counted and
    authenticated (a page's form)."""

    def __init__(
        self, engine: Engine, limits: SharedLimits, *, audit_key: bytes,
        max_group: int = 1000, linger: float = 0.003, fill: int = 32, writers: int | None = None,
    ) -> None:
        super().__init__(max_group=max_group, linger=linger, fill=fill, writers=writers)
        self.engine = engine
        self.limits = limits
        self.ballots = BallotWriter(engine, audit_key=audit_key)  # makes the receipt secret

    async def submit(self, vote: SignedVote) -> Admission:
        answer = await self._put(vote)
        assert isinstance(answer, Admission)
        return answer

    async def cast(self, ballot: Ballot) -> str:
        receipt = await self._put(ballot)
        assert isinstance(receipt, str)
        return receipt

    def _store(self, items: Sequence[Ballot | SignedVote]) -> list[str | Admission | BaseException]:
        """In a worker thread: count and authenticate the group's signed votes, then cast every
        vote admitted, in arrival order, in one transaction."""
        signed = [item for item in items if isinstance(item, SignedVote)]
        try:
            admitted = iter(self._admit(signed) if signed else [])
        except Exception as failure:  # the counts or the sessions could not be read
            failed: BaseException | None = failure
        else:
            failed = None
        plan: list[tuple[Ballot | None, tuple[Taken, Live | None] | BaseException | None]] = []
        for item in items:
            if not isinstance(item, SignedVote):
                plan.append((item, None))
            elif failed is not None:
                plan.append((None, failed))
            else:
                taken, live, ballot = next(admitted)
                plan.append((ballot, (taken, live)))
        written = iter(self.ballots.write([ballot for ballot, _ in plan if ballot is not None]))
        out: list[str | Admission | BaseException] = []
        for ballot, admission in plan:
            outcome = next(written) if ballot is not None else None
            if isinstance(admission, BaseException):
                out.append(admission)
            elif admission is None:  # a ballot cast by a page's form
                assert outcome is not None
                out.append(outcome)
            else:
                taken, live = admission
                user = live.user if live is not None else None
                refreshed = live is not None and live.refreshed
                out.append(Admission(taken, user, refreshed, outcome))
        return out

    def _admit(self, votes: Sequence[SignedVote]) -> list[tuple[Taken, Live | None, Ballot | None]]:
        """Each vote's count, its session's user (if the request was counted), and its ballot
        if it is to be cast."""
        requests = [(v.limit_key, v.limit, v.window) for v in votes]
        now = votes[0].at
        if self.limits.postgresql:  # the counts and the sessions in one round trip
            counts, found = quickly(self.engine, lambda conn: self._count_and_look_up(
                conn, requests, {v.token for v in votes if v.token}, now))
        else:
            counts = self.limits.take_many(requests)
            allowed = {v.token for v, t in zip(votes, counts, strict=True) if t.allowed}
            found = lookup_all(self.engine, {t for t in allowed if t}, now)
        self.limits.sweep_now_and_then(max(v.window for v in votes))
        users = keep_alive(self.engine, {
            v.token: found[v.token] for v, t in zip(votes, counts, strict=True)
            if t.allowed and v.token in found
        }, now)
        out = []
        for vote, taken in zip(votes, counts, strict=True):
            live = users.get(vote.token) if taken.allowed and vote.token else None
            ballot = None
            if live is not None and may_vote(live.user):
                assert live.user.voter is not None
                ballot = Ballot(vote.division_id, live.user.voter, vote.option, vote.at,
                                vote.idempotency_key)
            out.append((taken, live, ballot))
        return out

    def _count_and_look_up(
        self, conn: Connection, requests: Sequence[tuple[str, int, float]], tokens: set[str],
        now: datetime,
    ) -> tuple[list[Taken], dict[str, Found]]:
        """On PostgreSQL, in pipeline mode: the counts, and the users of every session (of
        requests over their limit too: a look-up, which costs less than a second round
        trip)."""
        pg = conn.connection.driver_connection
        assert pg is not None
        with pg.pipeline():
            counted = self.limits.count_on(pg, requests)
            looked_up = lookup_on(pg, str(conn.engine.url), tokens, now)
            return counted(), looked_up()
