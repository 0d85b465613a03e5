"""The table of e-mail waiting to be sent (and sent: its body erased)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class OutboxEmail(SQLModel, table=True):
    """An e-mail to send.  Once sent its body is erased (it may hold a one-time code); ``ref``
    names what it is about, so that a message made stale (a code replaced) can be withdrawn;
    ``link`` is the page it points to, a path made a full address (``SITE_URL``) when sent."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    to_address: str
    subject: str
    body: str = Field(sa_column=Column(Text, nullable=False))
    ref: str | None = Field(default=None, index=True)
    link: str | None = None  # a path on the site, written after the body as a full address
    queued_at: datetime
    sent_at: datetime | None = Field(default=None, index=True)
    withdrawn_at: datetime | None = None
    tries: int = 0
    last_error: str | None = None
