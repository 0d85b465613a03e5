"""Per-deployment secrets (session signing, CSRF, receipts): made on first use, stored in the
database, never in the repository, never changed."""

from __future__ import annotations

import secrets

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel

from chamber.db import writing
from chamber.errors import Conflict

_KNOWN: dict[tuple[str, str], str] = {}  # (database, name) -> the secret (it never changes)


class Secret(SQLModel, table=True):
    """A per-deployment secret."""

    name: str = Field(primary_key=True)
    value: str


def deployment_secret(engine: Engine, name: str) -> str:
    """The deployment's secret ``name``, made on first use in a transaction of its own (two
    workers starting at once: one inserts, the other reads it), then cached for the process.
    Call it outside any write transaction."""
    key = (str(engine.url), name)
    if key in _KNOWN:
        return _KNOWN[key]
    for _ in range(3):
        with Session(writing(engine)) as session:
            found = session.get(Secret, name)
            if found is not None:
                _KNOWN[key] = found.value
                return found.value
            value = secrets.token_hex(32)
            session.add(Secret(name=name, value=value))
            try:
                session.commit()
            except IntegrityError:
                continue
            _KNOWN[key] = value
            return value
    raise Conflict(f"could not make the secret {name!r}")
