"""What a public voter sees of proxies: whom they delegate to (generally and for each division),
how many votes their proxy carries against the cap, and how many they carry themselves.

The cap (``PROXY_CAP``, the most delegated votes one proxy may carry) is applied at close by
`proxy_graph.resolve_proxies`, which refuses the delegated votes of the highest voter numbers
beyond it.  Before close these pages count the appointments naming a proxy directly (an indexed
count, cheap at any size): a voter whose place among them, by voter number, is beyond the cap is
told now that their vote will not be carried.  Delegations reaching a proxy through someone
else also count at close, so the warning can only come late, never wrongly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from chamber.clock import london
from chamber.divisions.models import Division, Proxy
from chamber.divisions.proxies import active_proxies, in_force
from chamber.divisions.voters import proxy_code_of, voter_number


@dataclass(frozen=True, slots=True)
class ProxyLoad:
    """How many voters appoint one proxy (directly) for a division or generally, against the
    cap; ``place`` is the asking voter's place among them by voter number."""

    carries: int
    cap: int
    place: int | None = None

    @property
    def over(self) -> bool:
        """The proxy is appointed by more voters than the cap allows."""
        return self.carries > self.cap

    @property
    def mine_refused(self) -> bool:
        """The asking voter's vote would be refused over the cap, as things stand."""
        return self.place is not None and self.place > self.cap


@dataclass(frozen=True, slots=True)
class MyProxy:
    """One proxy the voter has appointed: general (``division`` None) or for one division."""

    code: str
    appointed_at: datetime
    load: ProxyLoad
    division: int | None = None
    question: str | None = None


@dataclass(frozen=True, slots=True)
class ProxyPage:
    """The voter's proxies in force, their own proxy code, and how many appoint them."""

    general: MyProxy | None
    for_divisions: tuple[MyProxy, ...]
    my_code: str | None
    carrying: ProxyLoad


def _appointing(proxy_id: int, now: datetime, division_id: int | None) -> Any:
    """The WHERE clause of the voters whose proxy in force for ``division_id`` (or generally)
    names ``proxy_id``: a division's own proxy, or the general one where there is none."""
    if division_id is None:
        return (
            (col(Proxy.proxy_id) == proxy_id)
            & col(Proxy.division_id).is_(None)
            & active_proxies(now, None)
        )
    own = aliased(Proxy)
    overridden = exists().where(
        (col(own.voter_id) == col(Proxy.voter_id))
        & (col(own.division_id) == division_id)
        & in_force(now, own)
    )
    return (
        (col(Proxy.proxy_id) == proxy_id)
        & active_proxies(now, division_id)
        & ((col(Proxy.division_id) == division_id) | ~overridden)
    )


def proxy_load(
    session: Session, proxy_id: int, now: datetime, cap: int, *,
    division_id: int | None = None, voter_id: int | None = None,
) -> ProxyLoad:
    """How many voters appoint ``proxy_id`` (for the division, or generally), and the place of
    ``voter_id`` among them by voter number (the order in which the cap admits them)."""
    where = _appointing(proxy_id, now, division_id)
    carries = session.exec(select(func.count()).select_from(Proxy).where(where)).one()
    place = None
    if voter_id is not None:
        place = session.exec(
            select(func.count()).select_from(Proxy).where(where, col(Proxy.voter_id) <= voter_id)
        ).one()
    return ProxyLoad(int(carries), cap, place)


def _mine(
    session: Session, row: Proxy, now: datetime, cap: int, question: str | None
) -> MyProxy:
    load = proxy_load(
        session, row.proxy_id, now, cap, division_id=row.division_id, voter_id=row.voter_id
    )
    return MyProxy(
        proxy_code_of(session, row.proxy_id) or "", london(row.appointed_at), load,
        row.division_id, question,
    )


def proxy_page(session: Session, voter: str, now: datetime, cap: int) -> ProxyPage:
    """The /proxy page of a voter: every proxy of theirs in force (the general one and one per
    division not yet closed), each with its load against the cap, and how many appoint them."""
    voter_id = voter_number(session, voter)
    rows = session.exec(
        select(Proxy, Division.question, Division.status)
        .join(Division, col(Division.id) == Proxy.division_id, isouter=True)
        .where(
            Proxy.voter_id == voter_id,
            in_force(now),
        )
        .order_by(col(Proxy.division_id))
    ).all()
    general = next((_mine(session, p, now, cap, None) for p, _, _ in rows
                    if p.division_id is None), None)
    for_divisions = tuple(
        _mine(session, p, now, cap, question) for p, question, status in rows
        if p.division_id is not None and status != "closed"
    )
    return ProxyPage(
        general, for_divisions, proxy_code_of(session, voter_id),
        proxy_load(session, voter_id, now, cap),
    )
