"""The tables of the national jury and citizens' panels: each body's volunteer pool, the
monthly cohorts with their announced seeds, the places on the jury and who holds each, the
invitations of those drawn, every draw's public record; and the simulation's stored months."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class JuryDraw(SQLModel, table=True):
    """A draw by lot (a monthly jury draw, a replacement, or a panel) with its public record.
    A draw from a stored pool names its body; its pool is the body's volunteers available when
    it was drawn (`chamber.jury.pool.pool_at`) and its quotas are kept as the published text."""

    id: int | None = Field(default=None, primary_key=True)
    month: str | None = Field(default=None, index=True)  # "2027-03" for jury draws
    kind: str  # "monthly", "replacement", "panel"
    seed: str
    record: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    drawn_at: datetime
    audit_head: str
    body_key: str | None = Field(default=None, foreign_key="body.key", index=True)
    quotas_csv: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    pool: list[list[int]] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class Volunteer(SQLModel, table=True):
    """One entry in a body's volunteer pool.  Its features never change (a published pool is
    re-made from these rows): a changed entry is withdrawn and stored anew."""

    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    ref: str = Field(unique=True)  # the pseudonym published in the pool, e.g. "v3f9a1c2b7d"
    source: str  # "site" or "import"
    account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    external_id: str | None = Field(default=None, index=True)  # the id in an imported file
    name: str
    email: str = ""
    phone: str = ""
    address: str = ""
    features: dict[str, str] = Field(sa_column=Column(JSON, nullable=False))
    consent: bool
    volunteered_at: datetime
    withdrawn_at: datetime | None = None


class JuryCohort(SQLModel, table=True):
    """A month's cohort of a body with a monthly cycle: the seed announced for its draw, then
    the draw, and the extensions chosen before it."""

    __table_args__ = (UniqueConstraint("body_key", "month"),)
    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    month: str  # "2027-03": its jurors serve from the first day of this month
    seed: str
    announced_at: datetime
    draw_id: int | None = Field(default=None, foreign_key="jurydraw.id")
    drawn_at: datetime | None = None
    extended: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class JuryPlace(SQLModel, table=True):
    """A place on the jury: a share of a seat from the first day of ``cohort`` until ``term_end``
    begins, held by an invited or serving volunteer, or vacant until a replacement is drawn."""

    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    cohort: str = Field(index=True)
    term_end: str  # "2028-03": the holder leaves when this month begins
    extended: bool = False
    seat_id: int = Field(foreign_key="seat.id", index=True)
    status: str  # "invited", "serving" or "vacant"
    volunteer_id: int | None = Field(default=None, foreign_key="volunteer.id", index=True)
    member_id: str | None = Field(default=None, foreign_key="member.id")


class JuryInvitation(SQLModel, table=True):
    """A drawn volunteer asked to take a place: accepted, declined, lapsed (no answer in time)
    or withdrawn (after accepting)."""

    id: int | None = Field(default=None, primary_key=True)
    place_id: int = Field(foreign_key="juryplace.id", index=True)
    volunteer_id: int = Field(foreign_key="volunteer.id", index=True)
    draw_id: int = Field(foreign_key="jurydraw.id", index=True)
    invited_at: datetime
    respond_by: datetime
    status: str  # "invited", "accepted", "declined", "lapsed", "withdrawn"
    answered_at: datetime | None = None


class JuryBallot(SQLModel, table=True):
    """The serving jurors' ballot on a month's extensions: the candidates (places of jurors due
    to leave within the window), how many are extended, the rule; once counted, the stored
    election (`chamber.elections`) and the places extended."""

    __table_args__ = (UniqueConstraint("body_key", "month"),)
    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    month: str  # "2027-03": the extensions decided in this month
    seats: int
    rule: str
    candidates: list[int] = Field(sa_column=Column(JSON, nullable=False))  # place ids
    opened_at: datetime
    counted_at: datetime | None = None
    election_id: int | None = Field(default=None, foreign_key="election.id")
    extended: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: str = ""


class JuryBallotVote(SQLModel, table=True):
    """One serving juror's ranking of the candidates (place ids, first preference first)."""

    __table_args__ = (UniqueConstraint("ballot_id", "place_id"),)
    id: int | None = Field(default=None, primary_key=True)
    ballot_id: int = Field(foreign_key="juryballot.id", index=True)
    place_id: int = Field(foreign_key="juryplace.id")
    ranking: list[int] = Field(sa_column=Column(JSON, nullable=False))
    cast_at: datetime


class JuryMonth(SQLModel, table=True):
    """The simulated jury after a month (`chamber simulate`): the state to continue from, and
    the month's report."""

    month: int = Field(primary_key=True)
    label: str = Field(unique=True)
    state: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    report: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    run_at: datetime


class Juror(SQLModel, table=True):
    """A place on the simulated jury in a month (rows of the latest month are the serving
    jury)."""

    id: int | None = Field(default=None, primary_key=True)
    month: int = Field(foreign_key="jurymonth.month", index=True)
    person: str
    cohort: str
    joined: str
    term_end: str
    extended: bool
