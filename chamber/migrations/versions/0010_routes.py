"""the routes into the chamber: each stored step of a route with its inputs, and how each
member came to their seat

Revision ID: 0010
Revises: 0009
Create Date: 2027-01-04 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "routeresult",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("route", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source_sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.Column("seed", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("made_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("audit_head", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["body_key"], ["body.key"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("routeresult", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_routeresult_body_key"), ["body_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_routeresult_route"), ["route"], unique=False)
    op.create_table(
        "memberroute",
        sa.Column("member_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("route", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("way", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=True),
        sa.Column("result_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["election_id"], ["election.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.ForeignKeyConstraint(["result_id"], ["routeresult.id"]),
        sa.PrimaryKeyConstraint("member_id"),
    )
    with op.batch_alter_table("memberroute", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_memberroute_route"), ["route"], unique=False)
        batch_op.create_index(batch_op.f("ix_memberroute_result_id"), ["result_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("memberroute", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_memberroute_result_id"))
        batch_op.drop_index(batch_op.f("ix_memberroute_route"))
    op.drop_table("memberroute")
    with op.batch_alter_table("routeresult", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routeresult_route"))
        batch_op.drop_index(batch_op.f("ix_routeresult_body_key"))
    op.drop_table("routeresult")
