"""The tables of the electoral register: electors, what each was before a re-import changed
it, the imports themselves, the one-time codes for claiming an elector, and the letters that
carry codes by post."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

STATUSES = ("current", "removed")


class RegisterImport(SQLModel, table=True):
    """One import of the register's CSV: the file, its hash, and what it changed."""

    id: int | None = Field(default=None, primary_key=True)
    filename: str
    sha256: str
    imported_at: datetime
    rows: int
    added: int
    changed: int
    removed: int
    unchanged: int


class Elector(SQLModel, table=True):
    """A person on the electoral register.  ``number`` is their elector number; ``birth_date``
    is None where the register gives only the year.  An elector missing from a later import is
    ``removed``, never deleted.  ``account_id`` is the one account claimed for them;
    ``voter_id`` their public voter: bound when they claim their account, or when a voter is
    imported with the register (the demonstration)."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True)
    name: str
    postcode: str  # as "SW1A 1AA"
    birth_date: date | None = None
    birth_year: int
    email: str | None = None
    status: str = "current"  # one of STATUSES
    account_id: int | None = Field(default=None, foreign_key="account.id", unique=True)
    voter_id: int | None = Field(default=None, foreign_key="publicvoter.id", unique=True)
    import_id: int = Field(foreign_key="registerimport.id")  # the import that last changed it
    updated_at: datetime


class ElectorHistory(SQLModel, table=True):
    """What an elector's row was before an import changed it (or removed or restored it)."""

    id: int | None = Field(default=None, primary_key=True)
    elector_id: int = Field(foreign_key="elector.id", index=True)
    import_id: int = Field(foreign_key="registerimport.id")  # the import that replaced it
    name: str
    postcode: str
    birth_date: date | None = None
    birth_year: int
    email: str | None = None
    status: str
    valid_from: datetime  # when this version was stored
    replaced_at: datetime


class ClaimCode(SQLModel, table=True):
    """A one-time code for claiming an elector, stored only as a keyed hash.  It is live until
    it is used, runs out of attempts, expires, or a newer code replaces it (``ended_at``)."""

    id: int | None = Field(default=None, primary_key=True)
    elector_id: int = Field(foreign_key="elector.id", index=True)
    code_hash: str
    channel: str  # "email" or "letter"
    issued_at: datetime
    expires_at: datetime
    attempts_left: int
    used_at: datetime | None = None
    ended_at: datetime | None = None


class Letter(SQLModel, table=True):
    """A code to be posted to an elector.  ``code`` is held in clear only until the letter is
    exported for posting (or its code is replaced), then erased."""

    id: int | None = Field(default=None, primary_key=True)
    code_id: int = Field(foreign_key="claimcode.id", unique=True)
    code: str | None = None
    queued_at: datetime
    exported_at: datetime | None = None
