"""Group commit of public votes for an asyncio server.

A surge of public votes is many small transactions, and each costs a commit (an fsync) and
several round trips.  A `GroupWriter` (the web server's is `chamber.intake.VoteIntake`) gathers
the votes that arrive while the previous group is being written, and `BallotWriter` stores the
next group in one transaction (`public_votes.cast_public_votes`), so under load the cost of a
commit is shared by hundreds of votes, and with one voter in flight a vote is written at once,
alone.  A vote is answered only after its group has committed: an
acknowledged vote is durable, exactly as when it is cast alone.

Under load the writer lingers: when fewer than ``fill`` votes are waiting and the previous group
ended less than ``RECENT`` (50 ms) ago, it waits ``linger`` (3 ms) before taking the next
group, so that the votes already on their way join it.  A group's fixed cost (a thread hop, the
round trips, a commit and its fsync) is then shared by more votes, which is what lets several
server processes on few cores keep up; a vote that arrives alone is still written at once.

If a group fails as a whole (the database went away, a serialisation failure), each vote in it
is tried again alone, so one bad vote cannot refuse its neighbours.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Generic, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from chamber.db import transaction, unpinged_engine
from chamber.divisions.ballots import Ballot
from chamber.divisions.public_votes import cast_public_votes
from chamber.keys import deployment_secret

log = logging.getLogger(__name__)
RECENT = 0.050  # a group that starts this soon after the previous one ended is under load
Item = TypeVar("Item")
Result = TypeVar("Result")


class GroupWriter(Generic[Item, Result]):
    """The group loop: ``await self._put(item)`` waits for its item's result, and ``_store``
    (in a worker thread) writes a group of items, giving each its result or the exception that
    refuses it.  ``writers`` groups in flight at a time per process: one by default.  (With two
    in flight on PostgreSQL, each group is smaller, and the interpreter's time a vote, which is
    what bounds one server process, grew by more than the second group saved in waiting for the
    database: `benchmarks/web.py`.)  The writer tasks start on first use in the running event
    loop; `close` waits for the items already taken."""

    def __init__(
        self, *, max_group: int = 1000, linger: float = 0.003, fill: int = 32,
        writers: int | None = None,
    ) -> None:
        self.writers = writers or 1
        self.max_group = max_group
        self._pending: list[tuple[Item, asyncio.Future[Result]]] = []
        self._wake: asyncio.Event | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._closing = False
        self.groups = 0  # how many groups were written, and how many items (for benchmarks)
        self.votes = 0
        self.linger, self.fill = linger, fill
        self._ended = -RECENT  # when the previous group was written (the loop's clock)

    def _store(self, items: Sequence[Item]) -> list[Result | BaseException]:
        raise NotImplementedError

    async def _put(self, item: Item) -> Result:
        loop = asyncio.get_running_loop()
        if not self._tasks or any(t.done() or t.get_loop() is not loop for t in self._tasks):
            self._wake = asyncio.Event()
            self._tasks = [loop.create_task(self._write()) for _ in range(self.writers)]
        future: asyncio.Future[Result] = loop.create_future()
        self._pending.append((item, future))
        assert self._wake is not None
        self._wake.set()
        return await future

    async def close(self) -> None:
        """Write what has been taken, then stop the writer."""
        tasks = [t for t in self._tasks if not t.done()]
        if not tasks:
            return
        self._closing = True
        assert self._wake is not None
        self._wake.set()
        await asyncio.gather(*tasks)
        self._tasks, self._closing = [], False

    async def _write(self) -> None:
        assert self._wake is not None
        loop = asyncio.get_running_loop()
        while True:
            if not self._pending:
                if self._closing:
                    return
                await self._wake.wait()
                if not self._pending:  # another writer took them
                    self._wake.clear()
                continue
            if (len(self._pending) < self.fill and not self._closing
                    and loop.time() - self._ended < RECENT):
                await asyncio.sleep(self.linger)  # under load: let the group fill a little
            group = self._pending[: self.max_group]
            del self._pending[: self.max_group]
            try:
                results = await asyncio.to_thread(self._store, [item for item, _ in group])
            except Exception as failure:  # each item fails with it (a 500), none hangs
                results = [failure] * len(group)
            self._ended = loop.time()
            self.groups += 1
            self.votes += len(group)
            for (_, future), result in zip(group, results, strict=True):
                if future.done():  # the client went away
                    continue
                if isinstance(result, BaseException):
                    future.set_exception(result)
                else:
                    future.set_result(result)


class BallotWriter:
    """Writes a group of public votes in one transaction (`public_votes.cast_public_votes`);
    if the group fails as a whole, each vote alone."""

    def __init__(self, engine: Engine, *, audit_key: bytes) -> None:
        self.writer = unpinged_engine(engine)  # no ping per group: a dead connection is retried
        self.receipt_key = deployment_secret(engine, "receipts").encode()
        self.audit_key = audit_key

    def _cast(self, ballots: Sequence[Ballot]) -> list[str | BaseException]:
        with transaction(self.writer) as session:
            if self.writer.dialect.name != "postgresql":
                return list(cast_public_votes(
                    session, ballots, self.receipt_key, audit_key=self.audit_key))
            # in pipeline mode to the end: the COMMIT goes in the same round trip as the votes'
            # last statement (if that statement fails, the COMMIT fails with it, and the
            # transaction is rolled back as any other)
            pg = session.connection().connection.driver_connection
            assert pg is not None
            with pg.pipeline():
                results: list[str | BaseException] = list(cast_public_votes(
                    session, ballots, self.receipt_key, audit_key=self.audit_key))
                session.commit()
            return results

    def write(self, ballots: Sequence[Ballot]) -> list[str | BaseException]:
        """Each ballot's receipt, or the error that refuses it."""
        if not ballots:
            return []
        try:
            try:
                return self._cast(ballots)
            except DBAPIError as failure:  # its connection was dead (the server restarted)
                if not failure.connection_invalidated:
                    raise
                return self._cast(ballots)
        except Exception as failure:
            if len(ballots) == 1:
                return [failure]
            log.warning("a group of %d votes failed (%s); casting each alone", len(ballots),
                        failure)
        alone: list[str | BaseException] = []
        for ballot in ballots:
            try:
                alone.extend(self._cast([ballot]))
            except Exception as failure:
                alone.append(failure)
        return alone

