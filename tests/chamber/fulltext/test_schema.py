"""The search index is made by the migration and kept by triggers on SQLite; a table rebuilt
by a later migration (SQLite's batch mode drops its triggers) is repaired after migrating."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from chamber.db import make_engine, upgrade
from chamber.fulltext.schema import INDEXED, repair


def _division(conn, number: int, question: str) -> None:
    conn.execute(text(
        "INSERT INTO division (id, question, options, opens_at, closes_at, status) VALUES "
        "(:n, :q, '[\"a\", \"b\"]', :t, :t, 'scheduled')"
    ), {"n": number, "q": question, "t": datetime(2027, 3, 1, tzinfo=UTC)})


def _found(conn, words: str) -> list[int]:
    return list(conn.execute(
        text("SELECT rowid FROM search_division WHERE search_division MATCH :w ORDER BY rowid"),
        {"w": words},
    ).scalars())


def test_lost_triggers_are_put_back_and_the_index_rebuilt(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    upgrade(engine)
    with engine.begin() as conn:
        _division(conn, 1, "That the rivers be cleaned")
        assert _found(conn, "river") == [1]  # stemmed
        assert repair(conn) == []  # nothing lost
        for what in ("insert", "delete", "update"):  # as a rebuilt table would lose them
            conn.execute(text(f"DROP TRIGGER search_division_{what}"))
        _division(conn, 2, "That the rivers be measured")
        assert _found(conn, "measured") == []  # not indexed: no trigger
        assert repair(conn) == ["division"]
        assert _found(conn, "measured") == [2]
        _division(conn, 3, "That the rivers be named")
        assert _found(conn, "rivers") == [1, 2, 3]
        conn.execute(text("DELETE FROM division WHERE id = 1"))
        assert _found(conn, "rivers") == [2, 3]
        names = set(conn.execute(text("SELECT name FROM sqlite_master")).scalars())
    assert {f"search_{table}_{what}" for table, _ in INDEXED
            for what in ("insert", "delete", "update")} <= names
    engine.dispose()
