"""the electoral register, claim codes, letters, the e-mail outbox, proxy codes; usernames
case-folded

Electors (with the history of their rows and the imports that made them), one-time codes for
claiming an elector (stored hashed), letters carrying codes by post, and the outbox of e-mail.
Every public voter gets a proxy code (the public code by which others appoint them), and every
username is folded to lower case (sign-in ignores case from now on); two usernames that differ
only in case stop the upgrade, naming them, for an administrator to rename one first.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 18:21:59.922042
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # as chamber.codes (a migration stands alone)
AutoString = sqlmodel.sql.sqltypes.AutoString
UTCDateTime = sqlmodel.sql.sqltypes.UTCDateTime


def _proxy_code(taken: set[str]) -> str:
    while True:
        raw = "".join(secrets.choice(ALPHABET) for _ in range(8))
        code = f"{raw[:4]}-{raw[4:]}"
        if code not in taken:
            taken.add(code)
            return code


def _fold_usernames(conn: sa.Connection) -> None:
    accounts = conn.execute(sa.text("SELECT id, username FROM account ORDER BY id")).all()
    folded: dict[str, list[str]] = {}
    for _, name in accounts:
        folded.setdefault(name.strip().lower(), []).append(name)
    clashes = [names for names in folded.values() if len(names) > 1]
    if clashes:
        raise RuntimeError(
            "usernames become case-insensitive, and these differ only in case: "
            + "; ".join(" and ".join(repr(n) for n in names) for names in clashes)
            + " (rename all but one of each, then upgrade again)"
        )
    for account_id, name in accounts:
        if name != name.strip().lower():
            conn.execute(
                sa.text("UPDATE account SET username = :u WHERE id = :i"),
                {"u": name.strip().lower(), "i": account_id},
            )


def upgrade() -> None:
    _fold_usernames(op.get_bind())  # first: a clash stops the upgrade before anything is made
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_address", AutoString(), nullable=False),
        sa.Column("subject", AutoString(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("ref", AutoString(), nullable=True),
        sa.Column("queued_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("withdrawn_at", UTCDateTime(), nullable=True),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("last_error", AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outbox_ref", "outbox", ["ref"], unique=False)
    op.create_index("ix_outbox_sent_at", "outbox", ["sent_at"], unique=False)
    op.create_table(
        "registerimport",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", AutoString(), nullable=False),
        sa.Column("sha256", AutoString(), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "elector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", AutoString(), nullable=False),
        sa.Column("name", AutoString(), nullable=False),
        sa.Column("postcode", AutoString(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=False),
        sa.Column("email", AutoString(), nullable=True),
        sa.Column("status", AutoString(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("voter_id", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name="fk_elector_account_id"),
        sa.ForeignKeyConstraint(["import_id"], ["registerimport.id"], name="fk_elector_import_id"),
        sa.ForeignKeyConstraint(["voter_id"], ["publicvoter.id"], name="fk_elector_voter_id"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", name="uq_elector_account_id"),
        sa.UniqueConstraint("number", name="uq_elector_number"),
        sa.UniqueConstraint("voter_id", name="uq_elector_voter_id"),
    )
    op.create_table(
        "claimcode",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("elector_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", AutoString(), nullable=False),
        sa.Column("channel", AutoString(), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("attempts_left", sa.Integer(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["elector_id"], ["elector.id"], name="fk_claimcode_elector_id"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_claimcode_elector_id", "claimcode", ["elector_id"], unique=False)
    op.create_table(
        "electorhistory",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("elector_id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("name", AutoString(), nullable=False),
        sa.Column("postcode", AutoString(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=False),
        sa.Column("email", AutoString(), nullable=True),
        sa.Column("status", AutoString(), nullable=False),
        sa.Column("valid_from", UTCDateTime(), nullable=False),
        sa.Column("replaced_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["elector_id"], ["elector.id"], name="fk_electorhistory_elector_id"
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["registerimport.id"], name="fk_electorhistory_import_id"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_electorhistory_elector_id", "electorhistory", ["elector_id"], unique=False
    )
    op.create_table(
        "letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("code", AutoString(), nullable=True),
        sa.Column("queued_at", UTCDateTime(), nullable=False),
        sa.Column("exported_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["code_id"], ["claimcode.id"], name="fk_letter_code_id"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_id", name="uq_letter_code_id"),
    )
    # a column added in place (no table rebuild on SQLite), then every voter's code
    op.add_column("publicvoter", sa.Column("proxy_code", AutoString(), nullable=True))
    conn = op.get_bind()
    taken: set[str] = set()
    voters = conn.execute(sa.text("SELECT id FROM publicvoter ORDER BY id")).scalars().all()
    rows = [{"c": _proxy_code(taken), "i": v} for v in voters]
    for n in range(0, len(rows), 10_000):
        conn.execute(
            sa.text("UPDATE publicvoter SET proxy_code = :c WHERE id = :i"), rows[n: n + 10_000]
        )
    op.create_index("ix_publicvoter_proxy_code", "publicvoter", ["proxy_code"], unique=True)


def downgrade() -> None:
    # usernames stay folded: their old case is not kept
    op.drop_index("ix_publicvoter_proxy_code", table_name="publicvoter")
    with op.batch_alter_table("publicvoter", schema=None) as batch_op:
        batch_op.drop_column("proxy_code")
    op.drop_table("letter")
    op.drop_index("ix_electorhistory_elector_id", table_name="electorhistory")
    op.drop_table("electorhistory")
    op.drop_index("ix_claimcode_elector_id", table_name="claimcode")
    op.drop_table("claimcode")
    op.drop_table("elector")
    op.drop_table("registerimport")
    op.drop_index("ix_outbox_sent_at", table_name="outbox")
    op.drop_index("ix_outbox_ref", table_name="outbox")
    op.drop_table("outbox")
