"""The table of rate-limit windows."""

from __future__ import annotations

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class RateLimit(SQLModel, table=True):
    """One client's requests of one kind (``key`` is ``"<kind>:<client address>"``): the times
    of those counted in the current window (epoch seconds, oldest first, space-separated), the
    time of the latest request and whether it was counted.  On PostgreSQL the table is UNLOGGED:
    the counts are a defence against floods, not a record, and a crash may forget them."""

    key: str = Field(primary_key=True)
    hits: str = Field(sa_column=Column(Text, nullable=False))
    at: float
    allowed: bool
