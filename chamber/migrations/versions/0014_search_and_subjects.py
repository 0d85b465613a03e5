"""search across debates, speeches and divisions (FTS5 on SQLite, GIN text indexes on
PostgreSQL), subjects people follow, whether an account is e-mailed its notices (and to which
address), and the link of an e-mail

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 22:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

from chamber.fulltext import schema

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subjectfollow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("words", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "words"),
    )
    with op.batch_alter_table("subjectfollow", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subjectfollow_account_id"), ["account_id"],
                              unique=False)
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("email_notices", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("link", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    schema.create(op.get_bind())


def downgrade() -> None:
    schema.drop(op.get_bind())
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("link")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("email_notices")
        batch_op.drop_column("email")
    with op.batch_alter_table("subjectfollow", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subjectfollow_account_id"))
    op.drop_table("subjectfollow")
