"""the jury's experts and citizens' panels

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 22:03:26.820468
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "panelremit",
        sa.Column("body_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("question", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("stratum", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("quotas_csv", sa.Text(), nullable=False),
        sa.Column("powers", sa.JSON(), nullable=False),
        sa.Column("public_votes", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_key"],
            ["body.key"],
        ),
        sa.PrimaryKeyConstraint("body_key"),
    )
    op.create_table(
        "expertballot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("serves_from", sa.Date(), nullable=False),
        sa.Column("serves_until", sa.Date(), nullable=False),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("counted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("election_id", sa.Integer(), nullable=True),
        sa.Column("appointed", sa.JSON(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_key"],
            ["body.key"],
        ),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["election.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("expertballot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expertballot_body_key"), ["body_key"], unique=False)

    op.create_table(
        "panelmeeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("starts_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("ends_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("venue", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("agenda", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_key"],
            ["panelremit.body_key"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("panelmeeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_panelmeeting_body_key"), ["body_key"], unique=False)

    op.create_table(
        "expertnomination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("expertise", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("nominated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_id"],
            ["expertballot.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ballot_id", "name"),
    )
    with op.batch_alter_table("expertnomination", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_expertnomination_ballot_id"), ["ballot_id"], unique=False
        )

    op.create_table(
        "paneloutput",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_key"],
            ["panelremit.body_key"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["panelmeeting.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("paneloutput", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paneloutput_body_key"), ["body_key"], unique=False)

    op.create_table(
        "peerquestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("party", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("yes", sa.Integer(), nullable=False),
        sa.Column("no", sa.Integer(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=True),
        sa.Column("member_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_key"],
            ["body.key"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("peerquestion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_peerquestion_body_key"), ["body_key"], unique=False)

    op.create_table(
        "expertvote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("ranking", sa.JSON(), nullable=False),
        sa.Column("cast_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_id"],
            ["expertballot.id"],
        ),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["juryplace.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ballot_id", "place_id"),
    )
    with op.batch_alter_table("expertvote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expertvote_ballot_id"), ["ballot_id"], unique=False)

    op.create_table(
        "peeranswer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("yes", sa.Boolean(), nullable=False),
        sa.Column("cast_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["juryplace.id"],
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["peerquestion.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("question_id", "place_id"),
    )
    with op.batch_alter_table("peeranswer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_peeranswer_question_id"), ["question_id"], unique=False
        )



def downgrade() -> None:
    with op.batch_alter_table("peeranswer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_peeranswer_question_id"))

    op.drop_table("peeranswer")
    with op.batch_alter_table("expertvote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expertvote_ballot_id"))

    op.drop_table("expertvote")
    with op.batch_alter_table("peerquestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_peerquestion_body_key"))

    op.drop_table("peerquestion")
    with op.batch_alter_table("paneloutput", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paneloutput_body_key"))

    op.drop_table("paneloutput")
    with op.batch_alter_table("expertnomination", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expertnomination_ballot_id"))

    op.drop_table("expertnomination")
    with op.batch_alter_table("panelmeeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_panelmeeting_body_key"))

    op.drop_table("panelmeeting")
    with op.batch_alter_table("expertballot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expertballot_body_key"))

    op.drop_table("expertballot")
    op.drop_table("panelremit")
