"""The schema is made only by migrations: upgrade from empty, downgrade to empty, and the models
agree with the newest migration (nothing left for autogenerate to find)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import Session, select

from chamber import db
from chamber.audit.models import AuditEntry
from chamber.bodies.models import Body
from chamber.clock import aware
from chamber.divisions.models import Division
from chamber.fulltext.schema import outside_models
from chamber.integrity import verify
from chamber.membership.models import Member
from chamber.rotas.models import Assignment, Rota, SwapRequest
from chamber.sittings.models import Sitting
from chamber.tables import metadata
from tests.chamber.conftest import database_name, new_engine


@pytest.fixture(params=["sqlite", "postgresql"])
def empty(request, tmp_path):
    if request.param == "sqlite":
        engine = db.make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    else:
        server = request.getfixturevalue("pg_server")
        engine = db.make_engine(server.create_database(database_name("empty")))
    yield engine
    engine.dispose()


def test_upgrade_from_empty_then_downgrade_to_empty(empty):
    assert db.current_revision(empty) is None
    db.upgrade(empty)
    assert db.current_revision(empty) == db.head_revision()
    tables = set(inspect(empty).get_table_names())
    assert {"division", "publicvote", "proxy", "auditentry", "seat", "member", "sitting"} <= tables
    db.downgrade(empty)
    assert db.current_revision(empty) is None
    assert set(inspect(empty).get_table_names()) <= {"alembic_version"}
    db.upgrade(empty)  # and back up again
    assert db.current_revision(empty) == db.head_revision()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_models_match_the_migrations(kind, request, tmp_path):
    engine = new_engine(kind, request, tmp_path)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": outside_models})
        diff = compare_metadata(context, metadata())
    engine.dispose()
    assert diff == []


def _old_chamber(engine) -> None:
    """A chamber stored before sittings were made from patterns (revision 0004): a published
    rota with a winter and a summer slot, each a sitting with its times stored as if wall time
    were UTC, assignments to the slots, a division, a swap request, and a draft rota."""
    statements = [
        "INSERT INTO body (key, title, expected_seats, spec) VALUES ('b', 'B', 1, '{}')",
        "INSERT INTO category (id, body_key, key, title, seats, sharers_per_seat, cycle)"
        " VALUES (1, 'b', 'c', 'C', 1, 2, 'fortnightly')",
        "INSERT INTO seat (id, body_key, category_id, code, number) VALUES (1, 'b', 1, 'S000', 1)",
        "INSERT INTO member (id, name, seat_id, \"group\", role, cycle)"
        " VALUES ('m1', 'M1', 1, 'c', 'member', 1), ('m2', 'M2', 1, 'c', 'member', 1)",
        "INSERT INTO rota (id, body_key, start, fortnights, status, solved_at, published_at,"
        " summary) VALUES (1, 'b', '2027-03-01', 1, 'published', '2027-01-01 00:00:00+00:00',"
        " '2027-01-01 00:00:00+00:00', '{}'),"
        " (2, 'b', '2027-06-07', 1, 'draft', '2027-01-01 00:00:00+00:00', NULL, '{}')",
        "INSERT INTO slot (id, rota_id, number, day, session, starts_at, ends_at, urgent_only)"
        " VALUES (1, 1, 0, '2027-03-01', 'morning', '2027-03-01 08:00:00+00:00',"
        " '2027-03-01 16:00:00+00:00', false),"
        " (2, 1, 1, '2027-06-07', 'evening', '2027-06-07 16:00:00+00:00',"
        " '2027-06-08 00:00:00+00:00', false),"
        " (3, 2, 0, '2027-06-21', 'morning', '2027-06-21 08:00:00+00:00',"
        " '2027-06-21 16:00:00+00:00', false)",
        "INSERT INTO sitting (id, slot_id, body_key, starts_at, ends_at, urgent_only) VALUES"
        " (10, 1, 'b', '2027-03-01 08:00:00+00:00', '2027-03-01 16:00:00+00:00', false),"
        " (11, 2, 'b', '2027-06-07 16:00:00+00:00', '2027-06-08 00:00:00+00:00', false)",
        "INSERT INTO assignment (id, slot_id, seat_id, member_id) VALUES (1, 1, 1, 'm1'),"
        " (2, 2, 1, 'm2'), (3, 3, 1, 'm1')",
        "INSERT INTO division (id, sitting_id, question, options, slot_start, opens_at,"
        " closes_at, status) VALUES (1, 11, 'Q', '[\"a\", \"b\"]',"
        " '2027-06-07 16:00:00+00:00', '2027-06-07 17:00:00+00:00',"
        " '2027-06-07 18:00:00+00:00', 'scheduled')",
        "INSERT INTO swaprequest (id, rota_id, from_member, to_member, status, reason,"
        " created_at) VALUES (1, 1, 'm1', 'm2', 'pending', '', '2027-01-02 00:00:00+00:00')",
    ]
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def test_an_old_chamber_is_carried_over_with_london_times(empty):
    db.upgrade(empty, "0004")
    _old_chamber(empty)
    db.upgrade(empty)
    with Session(empty) as s:
        assert s.get(Body, "b").calendar_start == date(2027, 3, 1)
        winter, summer = s.exec(select(Sitting).order_by(Sitting.id)).all()
        assert (winter.day, winter.session, winter.cycle) == (date(2027, 3, 1), "morning", 0)
        assert aware(winter.starts_at) == datetime(2027, 3, 1, 8, tzinfo=UTC)
        assert (summer.day, summer.session) == (date(2027, 6, 7), "evening")
        assert aware(summer.starts_at) == datetime(2027, 6, 7, 15, tzinfo=UTC)  # 16:00 BST
        assert aware(summer.ends_at) == datetime(2027, 6, 7, 23, tzinfo=UTC)  # midnight BST
        rows = s.exec(select(Assignment).order_by(Assignment.id)).all()
        assert [(a.rota_id, a.sitting_id, a.member_id) for a in rows] == [
            (1, 10, "m1"), (1, 11, "m2")
        ]  # the draft's assignment had no sitting
        assert s.get(Rota, 1).cycles == 1
        assert {m.serves_from for m in s.exec(select(Member))} == {date(2027, 3, 1)}
        assert s.get(SwapRequest, 1).from_sitting_id is None
        assert s.get(Division, 1).sitting_id == 11
    db.downgrade(empty, "0004")  # and back
    with empty.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM assignment")).scalar() == 2
        assert conn.execute(text("SELECT count(*) FROM slot")).scalar() == 2


def test_0006_folds_usernames_and_gives_every_voter_a_proxy_code(empty):
    db.upgrade(empty, "0005")
    with empty.begin() as conn:
        conn.execute(text(
            "INSERT INTO publicvoter (id, handle, registered_at) VALUES"
            " (1, 'Ann', '2027-01-01 00:00:00+00:00'), (2, 'bob', '2027-01-01 00:00:00+00:00')"
        ))
        conn.execute(text(
            "INSERT INTO account (id, username, password_hash, role, voter_id, created_at)"
            " VALUES (1, 'Ann', 'x', 'public', 1, '2027-01-01 00:00:00+00:00')"
        ))
    db.upgrade(empty)
    with empty.connect() as conn:
        assert conn.execute(text("SELECT username FROM account")).scalar() == "ann"
        codes = conn.execute(text("SELECT proxy_code FROM publicvoter")).scalars().all()
    assert len(set(codes)) == 2
    assert all(len(c) == 9 and c[4] == "-" for c in codes)


def test_0006_stops_on_usernames_that_differ_only_in_case(empty):
    db.upgrade(empty, "0005")
    with empty.begin() as conn:
        conn.execute(text(
            "INSERT INTO account (id, username, password_hash, role, created_at) VALUES"
            " (1, 'citizen0001', 'x', 'clerk', '2027-01-01 00:00:00+00:00'),"
            " (2, 'CITIZEN0001', 'x', 'clerk', '2027-01-01 00:00:00+00:00')"
        ))
    with pytest.raises(RuntimeError, match="'citizen0001' and 'CITIZEN0001'"):
        db.upgrade(empty)
    assert db.current_revision(empty) == "0005"
    assert "elector" not in inspect(empty).get_table_names()


def test_accounts_made_before_they_were_chained_are_chained_as_they_stood(empty):
    db.upgrade(empty, "0005")
    with empty.begin() as conn:
        conn.execute(text(
            "INSERT INTO account (id, username, password_hash, role, created_at) VALUES"
            " (1, 'ann', 'x', 'clerk', '2027-01-01 00:00:00+00:00'),"
            " (2, 'bob', 'x', 'public', '2027-01-01 00:00:00+00:00')"
        ))
    db.upgrade(empty)
    with Session(empty) as s:
        found = verify(s)
        assert found.intact, found.problems
        entries = s.exec(select(AuditEntry).where(AuditEntry.kind == "account role")).all()
        assert [(e.payload["username"], e.payload["role"]) for e in entries] == [
            ("ann", "clerk"), ("bob", "public")
        ]
    with empty.begin() as conn:  # a role raised in the database alone, after the upgrade
        conn.execute(text("UPDATE account SET role = 'administrator' WHERE id = 2"))
    with Session(empty) as s:
        assert any("has the role 'administrator'" in p for p in verify(s).problems)
