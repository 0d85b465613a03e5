"""officers with powers, interest assemblies and their delegates, whips' pins

Offices held through time (``officeholding``: the Speaker, deputy speakers, the Executive
Committee, whips and group officers, assembly officers), who chairs each sitting, the Executive
Committee's elections with their ballots kept apart from who voted, the interest assemblies with
their seats and the delegate named for each seat in each sitting, and members pinned to
sittings by their whips.  The role labels members carried (Speaker, deputy speaker, whip,
Executive Committee) become offices held from each member's first day of service, so the
Speaker keeps the Speaker's page after the upgrade.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 18:52:29.415861
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TEXT = sqlmodel.sql.sqltypes.AutoString
WHEN = sqlmodel.sql.sqltypes.UTCDateTime
ROLES = ("Speaker", "deputy speaker", "whip", "Executive Committee")


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    key = "key" if target == "body" else "id"
    return sa.ForeignKeyConstraint([column], [f"{target}.{key}"],
                                   name=f"fk_{table}_{column}_{target}")


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "assembly",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_key", TEXT(), nullable=False),
        sa.Column("name", TEXT(), nullable=False),
        sa.Column("sector", TEXT(), nullable=False),
        sa.Column("names_from", sa.Date(), nullable=False),
        sa.Column("registered_at", WHEN(), nullable=False),
        _fk("assembly", "body_key", "body"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("body_key", "name", name="uq_assembly_body_name"),
    )
    _indexes("assembly", "body_key")
    op.create_table(
        "assemblyseat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("seat_id", sa.Integer(), nullable=False),
        _fk("assemblyseat", "assembly_id", "assembly"),
        _fk("assemblyseat", "seat_id", "seat"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("seat_id", name="uq_assemblyseat_seat"),
    )
    _indexes("assemblyseat", "assembly_id")
    op.create_table(
        "delegate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("seat_id", sa.Integer(), nullable=False),
        sa.Column("member_id", TEXT(), nullable=False),
        sa.Column("named_by", TEXT(), nullable=False),
        sa.Column("named_at", WHEN(), nullable=False),
        _fk("delegate", "assembly_id", "assembly"),
        _fk("delegate", "member_id", "member"),
        _fk("delegate", "seat_id", "seat"),
        _fk("delegate", "sitting_id", "sitting"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sitting_id", "member_id", name="uq_delegate_sitting_member"),
        sa.UniqueConstraint("sitting_id", "seat_id", name="uq_delegate_sitting_seat"),
    )
    _indexes("delegate", "assembly_id", "member_id", "sitting_id")
    op.create_table(
        "committeeelection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_key", TEXT(), nullable=False),
        sa.Column("title", TEXT(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("rule", TEXT(), nullable=False),
        sa.Column("seed", TEXT(), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("opens_at", WHEN(), nullable=False),
        sa.Column("closes_at", WHEN(), nullable=False),
        sa.Column("called_by", TEXT(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=True),
        _fk("committeeelection", "body_key", "body"),
        _fk("committeeelection", "election_id", "election"),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("committeeelection", "body_key")
    op.create_table(
        "committeeballot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_election_id", sa.Integer(), nullable=False),
        sa.Column("ranking", sa.JSON(), nullable=False),
        _fk("committeeballot", "committee_election_id", "committeeelection"),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("committeeballot", "committee_election_id")
    op.create_table(
        "committeevoter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_election_id", sa.Integer(), nullable=False),
        sa.Column("member_id", TEXT(), nullable=False),
        sa.Column("voted_at", WHEN(), nullable=False),
        _fk("committeevoter", "committee_election_id", "committeeelection"),
        _fk("committeevoter", "member_id", "member"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("committee_election_id", "member_id",
                            name="uq_committeevoter_election_member"),
    )
    _indexes("committeevoter", "committee_election_id")
    op.create_table(
        "officeholding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_key", TEXT(), nullable=False),
        sa.Column("office", TEXT(), nullable=False),
        sa.Column("member_id", TEXT(), nullable=False),
        sa.Column("group_name", TEXT(), nullable=True),
        sa.Column("assembly_id", sa.Integer(), nullable=True),
        sa.Column("election_id", sa.Integer(), nullable=True),
        sa.Column("holds_from", sa.Date(), nullable=False),
        sa.Column("holds_until", sa.Date(), nullable=True),
        sa.Column("appointed_by", TEXT(), nullable=False),
        sa.Column("appointed_at", WHEN(), nullable=False),
        _fk("officeholding", "assembly_id", "assembly"),
        _fk("officeholding", "body_key", "body"),
        _fk("officeholding", "election_id", "election"),
        _fk("officeholding", "member_id", "member"),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("officeholding", "body_key", "member_id")
    op.create_table(
        "pin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", TEXT(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("pinned_by", TEXT(), nullable=False),
        sa.Column("pinned_at", WHEN(), nullable=False),
        _fk("pin", "member_id", "member"),
        _fk("pin", "sitting_id", "sitting"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", "sitting_id", name="uq_pin_member_sitting"),
    )
    _indexes("pin", "member_id", "sitting_id")
    op.create_table(
        "sittingchair",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", TEXT(), nullable=False),
        sa.Column("named_by", TEXT(), nullable=False),
        sa.Column("named_at", WHEN(), nullable=False),
        _fk("sittingchair", "member_id", "member"),
        _fk("sittingchair", "sitting_id", "sitting"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sitting_id", name="uq_sittingchair_sitting"),
    )
    _offices_from_roles()


def _offices_from_roles() -> None:
    """Each member's role label becomes an office held from their first day of service (a
    whip's for their own group)."""
    bind = op.get_bind()
    member, seat = sa.table("member", *(sa.column(c) for c in (
        "id", "seat_id", "group", "role", "serves_from", "serves_until"))), sa.table(
        "seat", sa.column("id"), sa.column("body_key"))
    rows = bind.execute(
        sa.select(seat.c.body_key, member.c.role, member.c.id, member.c.group,
                  member.c.serves_from, member.c.serves_until)
        .join(seat, seat.c.id == member.c.seat_id)
        .where(member.c.role.in_(ROLES))
    ).all()
    if not rows:
        return
    holding = sa.table("officeholding", *(sa.column(c) for c in (
        "body_key", "office", "member_id", "group_name", "holds_from", "holds_until",
        "appointed_by", "appointed_at")))
    now = datetime.now(UTC)
    bind.execute(holding.insert(), [
        {"body_key": body, "office": role, "member_id": member_id,
         "group_name": group if role == "whip" else None, "holds_from": start,
         "holds_until": until, "appointed_by": "the role label before offices",
         "appointed_at": now}
        for body, role, member_id, group, start, until in rows
    ])


def downgrade() -> None:
    for table in ("sittingchair", "pin", "officeholding", "committeevoter", "committeeballot",
                  "committeeelection", "delegate", "assemblyseat", "assembly"):
        op.drop_table(table)
