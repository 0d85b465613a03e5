"""server-side sessions, disabled accounts, rate limits in the database

Sessions move from the signed cookie into the table ``accountsession`` (the cookie carries only
a random token, stored here as its SHA-256), so that signing out, disabling an account or
changing its role or password ends its sessions.  Accounts gain ``disabled`` (false for every
existing account).  ``ratelimit`` holds each client's sliding window of requests, shared by
every server on the database; on PostgreSQL it is UNLOGGED (a crash may forget the counts).
Cookies signed before the upgrade no longer sign anyone in.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 18:28:57.989781
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "ratelimit",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("hits", sa.Text(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
        prefixes=["UNLOGGED"] if postgresql else [],
    )
    op.create_table(
        "accountsession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("accountsession", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_accountsession_account_id"), ["account_id"], unique=False
        )
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("disabled")
    with op.batch_alter_table("accountsession", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accountsession_account_id"))
    op.drop_table("accountsession")
    op.drop_table("ratelimit")
