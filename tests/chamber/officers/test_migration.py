"""Migration 0008: the role labels members carried before offices (Speaker, whip, ...) become
offices held from each member's first day of service, so the Speaker keeps the Speaker's page."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlmodel import Session, select

from chamber import db
from chamber.officers.models import OfficeHolding
from tests.chamber.test_migrations import _old_chamber


def test_role_labels_become_offices_on_upgrade(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    db.upgrade(engine, "0004")
    _old_chamber(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE member SET role = 'Speaker' WHERE id = 'm1'"))
        conn.execute(text("UPDATE member SET role = 'whip' WHERE id = 'm2'"))
    db.upgrade(engine)
    with Session(engine) as s:
        held = s.exec(select(OfficeHolding).order_by(OfficeHolding.member_id)).all()
    assert [(h.member_id, h.office, h.group_name, h.holds_from, h.holds_until) for h in held] == [
        ("m1", "Speaker", None, date(2027, 3, 1), None),
        ("m2", "whip", "c", date(2027, 3, 1), None),
    ]
    engine.dispose()
