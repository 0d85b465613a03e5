"""Proxies as transactions: appointing (general, or for one division), revoking, and the proxy
graph in force at a moment, read as arrays for `proxy_graph.resolve_proxies`."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from chamber.audit.services import append
from chamber.divisions.models import Proxy, PublicVote
from chamber.divisions.state import division, has_closed
from chamber.divisions.voters import (
    lock_people,
    proxy_code_of,
    voter_by_proxy_code,
    voter_number,
)
from chamber.errors import Invalid, NotFound, Refused

Ints = NDArray[np.int64]


def in_force(now: datetime, proxy: Any = Proxy) -> Any:
    """The WHERE clause of the proxies (of ``proxy``: the table, or an alias of it) appointed
    by ``now`` and not revoked by then."""
    return (col(proxy.appointed_at) <= now) & (
        col(proxy.revoked_at).is_(None) | (col(proxy.revoked_at) > now)
    )


def active_proxies(now: datetime, division_id: int | None) -> Any:
    """The WHERE clause of the proxies in force at ``now`` for a division."""
    return in_force(now) & (
        (col(Proxy.division_id).is_(None)) | (col(Proxy.division_id) == division_id)
    )


def _still_open(session: Session, division_id: int | None, now: datetime) -> None:
    if division_id is not None and has_closed(division(session, division_id), now):
        raise Refused("the division is closed: proxies can no longer change")


def appoint_proxy(
    session: Session, voter: str, proxy_code: str, now: datetime, division_id: int | None = None
) -> None:
    """Appoint a proxy (general, or for one division), replacing any earlier one of that kind.
    The proxy is named by their proxy code, which they gave the voter: a handle would let
    anyone find out who is registered."""
    if not proxy_code.strip():
        raise Invalid("proxy_code: give the proxy code of the person who will vote for you")
    voter_id, proxy_id = voter_number(session, voter), voter_by_proxy_code(session, proxy_code)
    if voter_id == proxy_id:
        raise Invalid("a person cannot be their own proxy")
    lock_people(session, voter_id, proxy_id)
    _still_open(session, division_id, now)
    replaced = []
    for old in session.exec(
        select(Proxy).where(
            Proxy.voter_id == voter_id,
            Proxy.division_id == division_id,
            col(Proxy.revoked_at).is_(None),
        )
    ).all():
        old.revoked_at = now
        replaced.append(old.id)
    made = Proxy(voter_id=voter_id, proxy_id=proxy_id, division_id=division_id, appointed_at=now)
    session.add(made)
    session.flush()
    session.execute(
        update(PublicVote)
        .where(col(PublicVote.voter_id).in_([voter_id, proxy_id]), ~col(PublicVote.in_graph))
        .values(in_graph=True)
    )
    append(
        session, "proxy appointed",
        {"voter": voter_id, "proxy": proxy_id, "division": division_id, "id": made.id,
         "replaces": replaced},
        now,
    )


def revoke_proxy(
    session: Session, voter: str, now: datetime, division_id: int | None = None
) -> None:
    voter_id = voter_number(session, voter)
    _still_open(session, division_id, now)
    active = session.exec(
        select(Proxy).where(
            Proxy.voter_id == voter_id,
            Proxy.division_id == division_id,
            col(Proxy.revoked_at).is_(None),
        )
    ).all()
    if not active:
        raise NotFound("there is no proxy to revoke")
    for p in active:
        p.revoked_at = now
    append(
        session, "proxy revoked",
        {"voter": voter_id, "division": division_id, "ids": [p.id for p in active]}, now,
    )


def proxy_of(session: Session, person: int, now: datetime, division_id: int | None) -> int | None:
    """Whom a voter delegates to at ``now``: for a division, its own proxy if they appointed
    one, else the general; without a division, the general proxy only."""
    rows = session.exec(
        select(Proxy.proxy_id, Proxy.division_id).where(
            Proxy.voter_id == person, active_proxies(now, division_id)
        )
    ).all()
    if division_id is None:
        rows = [r for r in rows if r[1] is None]
    return max(rows, key=lambda r: r[1] is not None)[0] if rows else None


def my_proxy(
    session: Session, voter: str, now: datetime, division_id: int | None = None
) -> str | None:
    """The proxy code of whom a voter delegates to now (for the division if given: its proxy,
    else the general)."""
    found = proxy_of(session, voter_number(session, voter), now, division_id)
    return None if found is None else proxy_code_of(session, found)


def my_proxy_code(session: Session, voter: str) -> str | None:
    """The voter's own proxy code, to give to whoever may appoint them."""
    return proxy_code_of(session, voter_number(session, voter))


def _int_rows(rows: Iterable[Sequence[int]], width: int) -> Ints:
    """Integer rows of a query as an (n, width) array, without building a list of rows."""
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64)
    return flat.reshape(-1, width)


def proxy_graph(session: Session, division_id: int, now: datetime) -> tuple[Ints, Ints, Ints]:
    """The proxies in force at close, as arrays: the people in the graph (voter numbers), each
    one's proxy as an index into them (a division's proxy overrides the general one), and
    their direct votes (option, or -1)."""
    conn = session.connection()
    table = _int_rows(
        conn.execute(
            select(Proxy.voter_id, Proxy.proxy_id, func.coalesce(Proxy.division_id, -1)).where(
                active_proxies(now, division_id)
            )
        ),
        3,
    )
    if not table.size:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    # a division's proxy comes after the general one: the last row of each voter wins
    table = table[np.lexsort((table[:, 2] >= 0, table[:, 0]))]
    last = np.r_[table[1:, 0] != table[:-1, 0], True]
    voters, proxies = table[last, 0], table[last, 1]
    people = np.unique(np.concatenate([voters, proxies]))
    voted = _int_rows(
        conn.execute(
            select(PublicVote.voter_id, PublicVote.option).where(
                PublicVote.division_id == division_id, col(PublicVote.in_graph)
            )
        ),
        2,
    )
    voted = voted[np.isin(voted[:, 0], people)]
    direct = np.full(people.size, -1, dtype=np.int64)
    direct[np.searchsorted(people, voted[:, 0])] = voted[:, 1]
    proxy = np.full(people.size, -1, dtype=np.int64)
    proxy[np.searchsorted(people, voters)] = np.searchsorted(people, proxies)
    return people, direct, proxy
