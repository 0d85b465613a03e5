"""The register of public voters: registering, and finding voters' numbers by handle (a handle
and its number never change, so they are cached per database)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session, col, select

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
    voter = PublicVoter(handle=handle, registered_at=now)
    session.add(voter)
    session.flush()
    assert voter.id is not None
    return voter.id


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


def handle_of(session: Session, number: int) -> str:
    return fetch(session, PublicVoter, number, "voter").handle
