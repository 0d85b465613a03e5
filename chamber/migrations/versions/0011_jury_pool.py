"""the jury's volunteer pools, cohorts, places and invitations; site notices; draws from a
stored pool name their body and keep their quotas' text

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 18:43:25.415324
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jurycohort",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("month", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("seed", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("announced_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=True),
        sa.Column("drawn_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("extended", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_key"],
            ["body.key"],
        ),
        sa.ForeignKeyConstraint(
            ["draw_id"],
            ["jurydraw.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("body_key", "month"),
    )
    with op.batch_alter_table("jurycohort", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jurycohort_body_key"), ["body_key"], unique=False)

    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("link", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("done_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_account_id"), ["account_id"], unique=False)

    op.create_table(
        "volunteer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("ref", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("volunteered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("withdrawn_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["body_key"],
            ["body.key"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ref"),
    )
    with op.batch_alter_table("volunteer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_volunteer_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_volunteer_body_key"), ["body_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_volunteer_external_id"), ["external_id"], unique=False)

    op.create_table(
        "juryplace",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("cohort", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("term_end", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("extended", sa.Boolean(), nullable=False),
        sa.Column("seat_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_key"],
            ["body.key"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["seat_id"],
            ["seat.id"],
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("juryplace", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_juryplace_body_key"), ["body_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_juryplace_cohort"), ["cohort"], unique=False)
        batch_op.create_index(batch_op.f("ix_juryplace_seat_id"), ["seat_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_juryplace_volunteer_id"), ["volunteer_id"], unique=False
        )

    op.create_table(
        "juryinvitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("invited_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("respond_by", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("answered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["draw_id"],
            ["jurydraw.id"],
        ),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["juryplace.id"],
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("juryinvitation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_juryinvitation_draw_id"), ["draw_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_juryinvitation_place_id"), ["place_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_juryinvitation_volunteer_id"), ["volunteer_id"], unique=False
        )

    with op.batch_alter_table("jurydraw", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("body_key", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(sa.Column("quotas_csv", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("pool", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_jurydraw_body_key"), ["body_key"], unique=False)
        batch_op.create_foreign_key("fk_jurydraw_body_key_body", "body", ["body_key"], ["key"])

    op.create_table(
        "juryballot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("month", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("counted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("election_id", sa.Integer(), nullable=True),
        sa.Column("extended", sa.JSON(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["body_key"], ["body.key"]),
        sa.ForeignKeyConstraint(["election_id"], ["election.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("body_key", "month"),
    )
    with op.batch_alter_table("juryballot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_juryballot_body_key"), ["body_key"], unique=False)
    op.create_table(
        "juryballotvote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("ranking", sa.JSON(), nullable=False),
        sa.Column("cast_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["ballot_id"], ["juryballot.id"]),
        sa.ForeignKeyConstraint(["place_id"], ["juryplace.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ballot_id", "place_id"),
    )
    with op.batch_alter_table("juryballotvote", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_juryballotvote_ballot_id"), ["ballot_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("juryballotvote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_juryballotvote_ballot_id"))
    op.drop_table("juryballotvote")
    with op.batch_alter_table("juryballot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_juryballot_body_key"))
    op.drop_table("juryballot")
    with op.batch_alter_table("jurydraw", schema=None) as batch_op:
        batch_op.drop_constraint("fk_jurydraw_body_key_body", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_jurydraw_body_key"))
        batch_op.drop_column("pool")
        batch_op.drop_column("quotas_csv")
        batch_op.drop_column("body_key")

    with op.batch_alter_table("juryinvitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_juryinvitation_volunteer_id"))
        batch_op.drop_index(batch_op.f("ix_juryinvitation_place_id"))
        batch_op.drop_index(batch_op.f("ix_juryinvitation_draw_id"))

    op.drop_table("juryinvitation")
    with op.batch_alter_table("juryplace", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_juryplace_volunteer_id"))
        batch_op.drop_index(batch_op.f("ix_juryplace_seat_id"))
        batch_op.drop_index(batch_op.f("ix_juryplace_cohort"))
        batch_op.drop_index(batch_op.f("ix_juryplace_body_key"))

    op.drop_table("juryplace")
    with op.batch_alter_table("volunteer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_external_id"))
        batch_op.drop_index(batch_op.f("ix_volunteer_body_key"))
        batch_op.drop_index(batch_op.f("ix_volunteer_account_id"))

    op.drop_table("volunteer")
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_account_id"))

    op.drop_table("notice")
    with op.batch_alter_table("jurycohort", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jurycohort_body_key"))

    op.drop_table("jurycohort")
