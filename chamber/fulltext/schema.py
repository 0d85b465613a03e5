"""The search indexes, beside the models (migrations and `chamber.migrations.env` make them):

- SQLite: an FTS5 table ``search_<table>`` over the searched column, its content read from the
  table itself (external content), kept by three triggers on the table (insert, delete, update
  of the column).  A migration that rebuilds one of these tables (SQLite's batch mode: copy,
  drop, rename) drops its triggers; `repair` puts them back and rebuilds the index after every
  migration.
- PostgreSQL: a stored generated column ``search_vector`` (``to_tsvector('english', column)``,
  so that ranking and rechecking read it rather than parse the text again) with a GIN index
  ``ix_search_<table>``.

Neither is a model, so autogenerate is told to leave them alone (`outside_models`)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.engine import Connection

INDEXED = (("division", "question"), ("debate", "title"), ("speech", "text"))
TRIGGERS = ("insert", "delete", "update")
TOKENIZE = "porter unicode61 remove_diacritics 0"  # as PostgreSQL's english: stems, keeps accents
CONFIG = "english"
VECTOR = "search_vector"  # PostgreSQL's stored column of each searched table


def fts_table(table: str) -> str:
    return f"search_{table}"


def _triggers(table: str, column: str) -> list[str]:
    fts = fts_table(table)
    add = f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column});"
    remove = f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column});"
    return [
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {column} ON {table} BEGIN {remove} {add} END",
    ]


def _run(connection: Connection, statements: Iterable[str]) -> None:
    for statement in statements:
        connection.execute(text(statement))


def create(connection: Connection) -> None:
    """Make the search indexes of every searched table, filled with what is there."""
    if connection.dialect.name == "sqlite":
        for table, column in INDEXED:
            fts = fts_table(table)
            _run(connection, [
                f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{table}', "
                f"content_rowid='id', tokenize='{TOKENIZE}')",
                *_triggers(table, column),
                f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
            ])
    else:
        for table, column in INDEXED:
            _run(connection, [
                f"ALTER TABLE {table} ADD COLUMN {VECTOR} tsvector GENERATED ALWAYS AS "
                f"(to_tsvector('{CONFIG}'::regconfig, coalesce({column}, ''))) STORED",
                f"CREATE INDEX ix_search_{table} ON {table} USING gin ({VECTOR})",
            ])


def drop(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for table, _ in INDEXED:
            fts = fts_table(table)
            _run(connection, [
                *(f"DROP TRIGGER IF EXISTS {fts}_{what}" for what in TRIGGERS),
                f"DROP TABLE IF EXISTS {fts}",
            ])
    else:
        for table, _ in INDEXED:
            _run(connection, [f"DROP INDEX IF EXISTS ix_search_{table}",
                              f"ALTER TABLE {table} DROP COLUMN IF EXISTS {VECTOR}"])


def repair(connection: Connection) -> list[str]:
    """On SQLite, put back the triggers a table rebuilt by a migration lost, and rebuild its
    index from the table; the tables repaired."""
    if connection.dialect.name != "sqlite":
        return []
    names = set(connection.execute(
        text("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
    ).scalars())
    repaired = []
    for table, column in INDEXED:
        fts = fts_table(table)
        if fts not in names or table not in names or f"{fts}_insert" in names:
            continue
        _run(connection, [
            *(f"DROP TRIGGER IF EXISTS {fts}_{what}" for what in TRIGGERS),
            *_triggers(table, column),
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        ])
        repaired.append(table)
    return repaired


def outside_models(name: str | None, type_: str, _parents: object) -> bool:
    """Whether autogenerate should compare this object (every one but the search indexes)."""
    return not (name or "").startswith(("search_", "ix_search_"))
