"""sittings made from each body's pattern, assignments per sitting, service dates, attendance,
alerts

Sittings no longer come from a published rota's slots: they are made from the body's sitting
pattern well ahead, and a rota assigns members to them.  Existing data is carried over: each
sitting takes its slot's day and session, its times become the pattern's Europe/London wall
times (they were stored as if 08:00 and 16:00 were UTC), each assignment moves from its slot to
that slot's sitting (the assignments of draft rotas, whose slots had no sittings, are dropped
with their drafts' slots: a draft is re-solved when wanted), a rota's fortnights become its
cycles, and each body's calendar starts at its first rota (or on the Monday after the upgrade).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 16:43:17.510597
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

LONDON = ZoneInfo("Europe/London")
STARTS = {"morning": time(8), "evening": time(16)}


def _date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def upgrade() -> None:
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_key", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("raised_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("resolved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["body_key"], ["body.key"], name="fk_alert_body_key_body"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_body_key"), ["body_key"], unique=False)
    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name="fk_attendance_member_id_member"
        ),
        sa.ForeignKeyConstraint(
            ["sitting_id"], ["sitting.id"], name="fk_attendance_sitting_id_sitting"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sitting_id", "member_id", name="uq_attendance_sitting_member"),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendance_sitting_id"), ["sitting_id"], unique=False
        )

    bind = op.get_bind()
    # each body's calendar starts at its first rota, or on the Monday after the upgrade
    today = datetime.now(UTC).date()
    monday = today + timedelta(days=(7 - today.weekday()) % 7)
    with op.batch_alter_table("body", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar_start", sa.Date(), nullable=True))
    firsts = dict(
        bind.execute(sa.text("SELECT body_key, MIN(start) FROM rota GROUP BY body_key")).all()
    )
    for (key,) in bind.execute(sa.text("SELECT key FROM body")).fetchall():
        start = _date(firsts[key]) if firsts.get(key) else monday
        bind.execute(
            sa.text("UPDATE body SET calendar_start = :d WHERE key = :k"), {"d": start, "k": key}
        )
    with op.batch_alter_table("body", schema=None) as batch_op:
        batch_op.alter_column("calendar_start", existing_type=sa.Date(), nullable=False)

    # sittings take their slot's day and session, and their pattern's London wall times
    with op.batch_alter_table("sitting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("day", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("session", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(sa.Column("cycle", sa.Integer(), nullable=True))
    starts = dict(bind.execute(sa.text("SELECT key, calendar_start FROM body")).all())
    rows = bind.execute(
        sa.text(
            "SELECT sitting.id, sitting.body_key, slot.day, slot.session FROM sitting"
            " JOIN slot ON slot.id = sitting.slot_id"
        )
    ).fetchall()
    for sitting_id, body_key, day, session in rows:
        day = _date(day)
        begins = datetime.combine(day, STARTS.get(session, time(8)), LONDON)
        ends = datetime.combine(day + timedelta(days=1), time(0), LONDON)
        if session == "morning":
            ends = datetime.combine(day, time(16), LONDON)
        bind.execute(
            sa.text(
                "UPDATE sitting SET day = :day, session = :session, cycle = :cycle,"
                " starts_at = :starts, ends_at = :ends WHERE id = :id"
            ),
            {
                "day": day, "session": session,
                "cycle": (day - _date(starts[body_key])).days // 14,
                "starts": begins.astimezone(UTC), "ends": ends.astimezone(UTC), "id": sitting_id,
            },
        )

    # assignments move from slots to sittings; a draft's assignments (no sittings) go
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rota_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sitting_id", sa.Integer(), nullable=True))
    bind.execute(
        sa.text(
            "UPDATE assignment SET"
            " sitting_id = (SELECT sitting.id FROM sitting WHERE sitting.slot_id ="
            " assignment.slot_id),"
            " rota_id = (SELECT slot.rota_id FROM slot WHERE slot.id = assignment.slot_id)"
        )
    )
    bind.execute(sa.text("DELETE FROM assignment WHERE sitting_id IS NULL"))
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_slot_id"))
        batch_op.drop_column("slot_id")
        batch_op.alter_column("rota_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("sitting_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_assignment_rota_id"), ["rota_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assignment_sitting_id"), ["sitting_id"], unique=False
        )
        batch_op.create_unique_constraint(
            "uq_assignment_sitting_member", ["sitting_id", "member_id"]
        )
        batch_op.create_unique_constraint("uq_assignment_sitting_seat", ["sitting_id", "seat_id"])
        batch_op.create_foreign_key("fk_assignment_rota_id_rota", "rota", ["rota_id"], ["id"])
        batch_op.create_foreign_key(
            "fk_assignment_sitting_id_sitting", "sitting", ["sitting_id"], ["id"]
        )
    with op.batch_alter_table("sitting", schema=None) as batch_op:
        batch_op.drop_column("slot_id")
        batch_op.alter_column("day", existing_type=sa.Date(), nullable=False)
        batch_op.alter_column(
            "session", existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=False
        )
        batch_op.alter_column("cycle", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(
            "uq_sitting_body_day_session", ["body_key", "day", "session"]
        )
    with op.batch_alter_table("slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slot_rota_id"))
        batch_op.drop_index(batch_op.f("ix_slot_starts_at"))
    op.drop_table("slot")
    with op.batch_alter_table("rota", schema=None) as batch_op:
        batch_op.alter_column("fortnights", new_column_name="cycles", existing_type=sa.Integer())

    # members serve from their body's calendar start
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("serves_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("serves_until", sa.Date(), nullable=True))
    bind.execute(
        sa.text(
            "UPDATE member SET serves_from = (SELECT body.calendar_start FROM body"
            " JOIN seat ON seat.body_key = body.key WHERE seat.id = member.seat_id)"
        )
    )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.alter_column("serves_from", existing_type=sa.Date(), nullable=False)

    with op.batch_alter_table("division", schema=None) as batch_op:
        batch_op.drop_column("slot_start")
    with op.batch_alter_table("swaprequest", schema=None) as batch_op:
        batch_op.add_column(sa.Column("from_sitting_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("to_sitting_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_swaprequest_to_sitting_id_sitting", "sitting", ["to_sitting_id"], ["id"]
        )
        batch_op.create_foreign_key(
            "fk_swaprequest_from_sitting_id_sitting", "sitting", ["from_sitting_id"], ["id"]
        )


def downgrade() -> None:
    """Back to slots: each sitting becomes the slot of the rota that assigns it (a sitting no
    rota assigns is dropped), at the stored instants."""
    bind = op.get_bind()
    with op.batch_alter_table("swaprequest", schema=None) as batch_op:
        batch_op.drop_constraint("fk_swaprequest_from_sitting_id_sitting", type_="foreignkey")
        batch_op.drop_constraint("fk_swaprequest_to_sitting_id_sitting", type_="foreignkey")
        batch_op.drop_column("to_sitting_id")
        batch_op.drop_column("from_sitting_id")
    with op.batch_alter_table("division", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("slot_start", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    bind.execute(
        sa.text(
            "UPDATE division SET slot_start = COALESCE((SELECT sitting.starts_at FROM sitting"
            " WHERE sitting.id = division.sitting_id), division.opens_at)"
        )
    )
    with op.batch_alter_table("division", schema=None) as batch_op:
        batch_op.alter_column(
            "slot_start", existing_type=sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False
        )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("serves_until")
        batch_op.drop_column("serves_from")
    with op.batch_alter_table("rota", schema=None) as batch_op:
        batch_op.alter_column("cycles", new_column_name="fortnights", existing_type=sa.Integer())
    op.create_table(
        "slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rota_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("session", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("starts_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("ends_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("urgent_only", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["rota_id"], ["rota.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rota_id", "number"),
    )
    with op.batch_alter_table("slot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_slot_starts_at"), ["starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_slot_rota_id"), ["rota_id"], unique=False)
    # one slot per (rota, sitting), numbered in time order within the rota; ids follow sittings
    pairs = bind.execute(
        sa.text(
            "SELECT DISTINCT a.rota_id, s.id, s.day, s.session, s.starts_at, s.ends_at,"
            " s.urgent_only FROM assignment a JOIN sitting s ON s.id = a.sitting_id"
            " ORDER BY a.rota_id, s.starts_at"
        )
    ).fetchall()
    numbers: dict[int, int] = {}
    for rota_id, sitting_id, day, session, starts, ends, urgent in pairs:
        number = numbers.get(rota_id, 0)
        numbers[rota_id] = number + 1
        bind.execute(
            sa.text(
                "INSERT INTO slot (id, rota_id, number, day, session, starts_at, ends_at,"
                " urgent_only) VALUES (:id, :r, :n, :d, :s, :a, :b, :u)"
            ),
            {"id": sitting_id, "r": rota_id, "n": number, "d": day, "s": session, "a": starts,
             "b": ends, "u": urgent},
        )
    with op.batch_alter_table("sitting", schema=None) as batch_op:
        batch_op.drop_constraint("uq_sitting_body_day_session", type_="unique")
        batch_op.add_column(sa.Column("slot_id", sa.Integer(), nullable=True))
    bind.execute(sa.text("UPDATE sitting SET slot_id = id"))
    bind.execute(
        sa.text(
            "DELETE FROM sitting WHERE id NOT IN (SELECT id FROM slot) AND id NOT IN"
            " (SELECT sitting_id FROM businessitem) AND id NOT IN (SELECT sitting_id FROM"
            " division WHERE sitting_id IS NOT NULL) AND id NOT IN (SELECT sitting_id FROM"
            " attendance)"
        )
    )
    with op.batch_alter_table("sitting", schema=None) as batch_op:
        batch_op.drop_column("cycle")
        batch_op.drop_column("session")
        batch_op.drop_column("day")
        batch_op.alter_column("slot_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint("uq_sitting_slot_id", ["slot_id"])
        batch_op.create_foreign_key("fk_sitting_slot_id_slot", "slot", ["slot_id"], ["id"])
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slot_id", sa.Integer(), nullable=True))
    bind.execute(sa.text("UPDATE assignment SET slot_id = sitting_id"))
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_constraint("fk_assignment_sitting_id_sitting", type_="foreignkey")
        batch_op.drop_constraint("fk_assignment_rota_id_rota", type_="foreignkey")
        batch_op.drop_constraint("uq_assignment_sitting_seat", type_="unique")
        batch_op.drop_constraint("uq_assignment_sitting_member", type_="unique")
        batch_op.drop_index(batch_op.f("ix_assignment_sitting_id"))
        batch_op.drop_index(batch_op.f("ix_assignment_rota_id"))
        batch_op.drop_column("sitting_id")
        batch_op.drop_column("rota_id")
        batch_op.alter_column("slot_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_assignment_slot_id"), ["slot_id"], unique=False)
        batch_op.create_unique_constraint("uq_assignment_slot_member", ["slot_id", "member_id"])
        batch_op.create_unique_constraint("uq_assignment_slot_seat", ["slot_id", "seat_id"])
        batch_op.create_foreign_key("fk_assignment_slot_id_slot", "slot", ["slot_id"], ["id"])
    with op.batch_alter_table("body", schema=None) as batch_op:
        batch_op.drop_column("calendar_start")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_sitting_id"))
    op.drop_table("attendance")
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_body_key"))
    op.drop_table("alert")
