"""The register of public voters: registering, finding voters' numbers by handle (a handle and
its number never change, so they are cached per database), and proxy codes: the public code by
which a voter is named as someone's proxy (never their handle, which is not revealed)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session, col, select

from chamber.codes import grouped, new_code, normalise
from chamber.db import fetch
from chamber.divisions.models import PublicVoter
from chamber.errors import Conflict, Invalid, NotFound

PERSON_LOCK = 7_245_100  # advisory lock class of one public voter (PostgreSQL)
_NUMBERS: dict[tuple[str, str], int] = {}  # (database, handle) -> voter number
_CACHE_LIMIT = 1_000_000


def register_voter(session: Session, handle: str, now: datetime) -> int:
    """Register a member of the public; returns their voter number."""
    handle = handle.strip()
    if not handle:
        raise Invalid("a voter needs a name to sign in with")
    if session.exec(select(PublicVoter.id).where(PublicVoter.handle == handle)).first():
        raise Conflict(f"{handle!r} is already registered")
    voter = PublicVoter(handle=handle, registered_at=now, proxy_code=new_proxy_code(session))
    session.add(voter)
    session.flush()
    assert voter.id is not None
    return voter.id


def new_proxy_code(session: Session) -> str:
    """A proxy code no voter has: eight symbols, ``7KQ2-MX9D`` (40 bits)."""
    while True:
        code = new_code(8, 4)
        taken = session.exec(select(PublicVoter.id).where(PublicVoter.proxy_code == code)).first()
        if taken is None:
            return code


def proxy_code_of(session: Session, number: int) -> str | None:
    """A voter's proxy code (None only for a voter stored without one by other means)."""
    return fetch(session, PublicVoter, number, "voter").proxy_code


def voter_by_proxy_code(session: Session, typed: str) -> int:
    """The voter whose proxy code this is (typed in any case, with or without the dash)."""
    code = grouped(normalise(typed), 4)
    found = session.exec(select(PublicVoter.id).where(PublicVoter.proxy_code == code)).first()
    if found is None:
        raise NotFound(f"no voter has the proxy code {typed.strip()!r}")
    return found


def lock_people(session: Session, *people: int) -> None:
    """Serialise a vote and a proxy change touching the same person (PostgreSQL; SQLite
    serialises every write), so that no vote of someone in the proxy graph goes unflagged."""
    if session.get_bind().dialect.name == "postgresql":
        for person in sorted(set(people)):
            session.execute(
                text("SELECT pg_advisory_xact_lock(:c, :p)"), {"c": PERSON_LOCK, "p": person}
            )


def cached_voters(url: str, handles: Iterable[str]) -> tuple[dict[str, int], list[str]]:
    """The voter numbers among ``handles`` already known for the database at ``url``, and the
    handles still to look up."""
    found: dict[str, int] = {}
    missing = []
    for handle in handles:
        known = _NUMBERS.get((url, handle))
        if known is None:
            missing.append(handle)
        else:
            found[handle] = known
    return found, missing


def remember_voter(url: str, handle: str, number: int) -> None:
    if len(_NUMBERS) < _CACHE_LIMIT:
        _NUMBERS[(url, handle)] = number


def voter_numbers(session: Session, handles: Iterable[str]) -> dict[str, int]:
    """The numbers of the registered voters among ``handles`` (one query for those not cached);
    unregistered handles are left out."""
    url = str(session.get_bind().engine.url)
    found, missing = cached_voters(url, handles)
    if missing:
        for handle, number in session.exec(
            select(PublicVoter.handle, PublicVoter.id).where(col(PublicVoter.handle).in_(missing))
        ):
            assert number is not None
            found[handle] = number
            remember_voter(url, handle, number)
    return found


def voter_number(session: Session, handle: str) -> int:
    """A registered voter's number."""
    found = voter_numbers(session, [handle]).get(handle)
    if found is None:
        raise NotFound(f"{handle!r} is not a registered voter")
    return found
