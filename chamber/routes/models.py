"""The tables of the routes: each stored step of a route (an allocation, an apportionment, a
ballot, a list of names) with its inputs, and how each member came to their seat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

ROUTES = ("party", "local", "faith", "youth", "students", "organisations")
"""The routes that fill seats: party lists, local STV, faith partnerships, the UK Youth
Parliament, student unions, the organisations ballot."""


class RouteResult(SQLModel, table=True):
    """A stored step of a route: what was given (the file's text), the seed, and the result
    (the allocation, apportionment, ballot or list of names as published)."""

    id: int | None = Field(default=None, primary_key=True)
    body_key: str = Field(foreign_key="body.key", index=True)
    route: str = Field(index=True)  # one of ROUTES
    step: str  # "allocation", "delegation", "apportionment", "ballot", "names", ...
    unit: str = ""  # the party, district, partnership, union or organisation ("" for a share)
    title: str
    source_name: str
    source_sha256: str
    inputs: str = Field(sa_column=Column(Text, nullable=False))
    seed: str = ""
    result: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    made_at: datetime
    audit_head: str


class MemberRoute(SQLModel, table=True):
    """How a member came to their seat: the route, the way within it (nominated, elected by
    members, a constituency's open primary, a life peer's claim, elected by STV, a member of the
    Youth Parliament, named by an organisation), the unit, and the count or result that did it."""

    member_id: str = Field(foreign_key="member.id", primary_key=True)
    route: str = Field(index=True)
    way: str
    unit: str
    detail: str = ""  # a constituency's name, the body that elected, a term's end
    election_id: int | None = Field(default=None, foreign_key="election.id")
    result_id: int | None = Field(default=None, foreign_key="routeresult.id", index=True)
