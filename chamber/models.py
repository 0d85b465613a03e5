"""The tables of the institution: bodies, categories, seats, members, rotas, slots and who sits
in them, sittings, business, debates and speeches, elections with their stored counts, and the
jury's months and draws.  The division tables are in `chamber.divisions.models`.

Every table is created and changed only by the alembic migrations in ``chamber/migrations``.
Times are stored timezone-aware (UTC).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

ROLES = ("member", "whip", "deputy speaker", "Speaker", "Executive Committee")


class Body(SQLModel, table=True):
    """A chamber or panel (from `chamber.composition`); ``spec`` is its full description."""

    key: str = Field(primary_key=True)
    title: str
    expected_seats: int
    spec: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))


class Category(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("body_key", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    key: str
    title: str
    seats: int
    sharers_per_seat: int
    cycle: str


class Seat(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("body_key", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    category_id: int = Field(foreign_key="category.id", index=True)
    code: str  # e.g. "S042"
    number: int  # 1-based within the body


class Member(SQLModel, table=True):
    """A sharer of a seat, with their group (party, independent, faith, ...) and role."""

    id: str = Field(primary_key=True)  # e.g. "S042-07"
    name: str
    seat_id: int = Field(foreign_key="seat.id", index=True)
    group: str
    role: str = "member"
    cycle: int = 1  # fortnights between slots: 1, or 2 for youth members


class Unavailability(SQLModel, table=True):
    """A member cannot sit in a session on a day (declared before the rota is solved)."""

    __table_args__ = (UniqueConstraint("member_id", "day", "session"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: str = Field(foreign_key="member.id", index=True)
    day: date
    session: str  # "morning" or "evening"


class Rota(SQLModel, table=True):
    """A solved rota for a period of one body; ``status`` draft or published."""

    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    start: date
    fortnights: int
    status: str = "draft"
    solved_at: datetime
    published_at: datetime | None = None
    summary: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))


class Slot(SQLModel, table=True):
    """One 8-hour slot of a rota period."""

    __table_args__ = (UniqueConstraint("rota_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    rota_id: int = Field(foreign_key="rota.id", index=True)
    number: int  # index within the rota's calendar
    day: date
    session: str
    starts_at: datetime = Field(index=True)
    ends_at: datetime
    urgent_only: bool  # Saturday afternoon: urgent business only


class Assignment(SQLModel, table=True):
    """Who sits in a seat in a slot (the rota's answer)."""

    __table_args__ = (
        UniqueConstraint("slot_id", "seat_id"),
        UniqueConstraint("slot_id", "member_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(foreign_key="slot.id", index=True)
    seat_id: int = Field(foreign_key="seat.id")
    member_id: str = Field(foreign_key="member.id", index=True)


class Sitting(SQLModel, table=True):
    """A sitting of a body in a slot."""

    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(foreign_key="slot.id", unique=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    starts_at: datetime = Field(index=True)
    ends_at: datetime
    urgent_only: bool


class BusinessItem(SQLModel, table=True):
    """An item of business planned into a sitting (a month ahead, or urgent on Saturday pm)."""

    id: int | None = Field(default=None, primary_key=True)
    sitting_id: int = Field(foreign_key="sitting.id", index=True)
    title: str
    urgent: bool = False
    planned_on: date
    planned_by: str


class Invitation(SQLModel, table=True):
    """The Speaker invites a member who is not rostered to speak in a sitting (never to vote)."""

    __table_args__ = (UniqueConstraint("sitting_id", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    sitting_id: int = Field(foreign_key="sitting.id", index=True)
    member_id: str = Field(foreign_key="member.id")
    reason: str  # one of chamber.voting.INVITATION_REASONS
    detail: str


class Debate(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="businessitem.id", unique=True)
    sitting_id: int = Field(foreign_key="sitting.id", index=True)
    title: str


class Speech(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    debate_id: int = Field(foreign_key="debate.id", index=True)
    member_id: str = Field(foreign_key="member.id")
    seat_code: str
    invited: bool  # spoke by the Speaker's invitation, not from a rostered seat
    at: datetime
    text: str = Field(sa_column=Column(Text, nullable=False))


class Election(SQLModel, table=True):
    """A stored count: its inputs (the ballot file itself), rule, seed and published result."""

    id: int | None = Field(default=None, primary_key=True)
    body_key: str | None = Field(default=None, foreign_key="body.key")
    title: str
    rule: str
    seats: int
    seed: str
    source_name: str
    source_sha256: str
    ballots: str = Field(sa_column=Column(Text, nullable=False))
    result: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    counted_at: datetime
    audit_head: str


class JuryDraw(SQLModel, table=True):
    """A draw by lot (a monthly jury draw, a replacement, or a panel) with its public record."""

    id: int | None = Field(default=None, primary_key=True)
    month: str | None = Field(default=None, index=True)  # "2027-03" for jury draws
    kind: str  # "monthly", "replacement", "panel"
    seed: str
    record: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    drawn_at: datetime
    audit_head: str


class JuryMonth(SQLModel, table=True):
    """The jury after a month: the state to continue from, and the month's report."""

    month: int = Field(primary_key=True)
    label: str = Field(unique=True)
    state: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    report: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    run_at: datetime


class Juror(SQLModel, table=True):
    """A place on the jury in a month (rows of the latest month are the serving jury)."""

    id: int | None = Field(default=None, primary_key=True)
    month: int = Field(foreign_key="jurymonth.month", index=True)
    person: str
    cohort: str
    joined: str
    term_end: str
    extended: bool


class Account(SQLModel, table=True):
    """Who may sign in: a public voter, a member, a clerk or an administrator.  ``calendar_token``
    is the secret part of a member's iCalendar feed URL."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True)
    password_hash: str
    role: str  # one of chamber.accounts.ROLES
    member_id: str | None = Field(default=None, foreign_key="member.id")
    voter_id: int | None = Field(default=None, foreign_key="publicvoter.id")
    calendar_token: str | None = Field(default=None, unique=True)
    created_at: datetime


class SwapRequest(SQLModel, table=True):
    """A member asks a sharer of their seat to swap slots; the sharer accepts or declines."""

    id: int | None = Field(default=None, primary_key=True)
    rota_id: int = Field(foreign_key="rota.id", index=True)
    from_member: str = Field(foreign_key="member.id", index=True)
    to_member: str = Field(foreign_key="member.id", index=True)
    status: str = "pending"  # pending, accepted, declined, refused
    reason: str = ""
    created_at: datetime
    decided_at: datetime | None = None
