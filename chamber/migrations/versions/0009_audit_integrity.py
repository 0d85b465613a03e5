"""audit integrity: a MAC on each public submission, checkpoints of the chain's head, and
accounts on the chain

Public submissions carry a MAC under the audit key (kept outside the database); those stored
before have none and are covered by the chain alone.  Checkpoints of the chain's head are
kept in their own table.  Accounts are now chained ("account role" entries): the accounts
that exist at the upgrade are chained as they stand, so that an account added later in the
database alone has no entry.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 19:00:00.000000
"""

from __future__ import annotations

import json

import sqlalchemy as sa
import sqlmodel
from alembic import op

from chamber.audit.chain import GENESIS, chain_hash
from chamber.clock import now

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "auditcheckpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("head", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("mac", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auditcheckpoint", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auditcheckpoint_at"), ["at"], unique=False)
    with op.batch_alter_table("publicsubmission", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mac", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
    _chain_existing_accounts()


def _chain_existing_accounts() -> None:
    bind = op.get_bind()
    accounts = bind.execute(
        sa.text("SELECT id, username, role, member_id FROM account ORDER BY id")
    ).fetchall()
    if not accounts:
        return
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text("SELECT pg_advisory_xact_lock(7245001)"))  # the chain's lock
    previous = bind.execute(
        sa.text("SELECT hash FROM auditentry ORDER BY id DESC LIMIT 1")
    ).scalar() or GENESIS
    entries = sa.table(
        "auditentry",
        sa.column("kind", sa.String()),
        sa.column("payload", sa.JSON()),
        sa.column("previous", sa.String()),
        sa.column("hash", sa.String()),
        sa.column("at", sqlmodel.sql.sqltypes.UTCDateTime()),
    )
    at = now()
    rows = []
    for account_id, username, role, member_id in accounts:
        body = {
            "kind": "account role", "at": at.isoformat(), "account": account_id,
            "username": username, "role": role, "member": member_id, "disabled": False,
            "recorded": "at the upgrade that chained accounts",
        }
        digest = chain_hash(previous, body)
        rows.append({"kind": "account role", "payload": json.loads(json.dumps(body)),
                     "previous": previous, "hash": digest, "at": at})
        previous = digest
    bind.execute(entries.insert(), rows)


def downgrade() -> None:
    # the accounts' entries stay on the chain (a chain is never cut back)
    with op.batch_alter_table("publicsubmission", schema=None) as batch_op:
        batch_op.drop_column("mac")
    with op.batch_alter_table("auditcheckpoint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auditcheckpoint_at"))
    op.drop_table("auditcheckpoint")
