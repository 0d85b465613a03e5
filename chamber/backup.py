"""Backup and restore of a whole chamber database, portable between SQLite and PostgreSQL: every
table's rows as JSON lines (in foreign-key order), with the schema revision and a SHA-256 of the
content, written atomically.  Restoring goes into an empty database (migrated to the same
revision) in one transaction, so a failed restore leaves nothing behind."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Engine

from chamber.db import current_revision, upgrade
from chamber.errors import Invalid
from chamber.tables import metadata

FORMAT = "chamber-backup/1"


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        (key, inner), = value.items()
        if key == "$dt":
            return datetime.fromisoformat(inner)
        if key == "$d":
            return date.fromisoformat(inner)
        if key == "$b":
            return base64.b64decode(inner)
    return value


def _tables() -> list[Table]:
    return list(metadata().sorted_tables)


def backup(engine: Engine, path: str | Path) -> dict[str, int]:
    """Write every row to ``path`` (gzip JSON lines); returns rows per table.  Read in one
    repeatable snapshot on PostgreSQL; SQLite's read transaction is a snapshot already."""
    path = Path(path)
    tmp = path.with_name(path.name + ".partial")
    counts: dict[str, int] = {}
    digest = hashlib.sha256()
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        revision = current_revision(engine)
        with gzip.open(tmp, "wt", encoding="utf-8") as out:
            out.write(json.dumps({"format": FORMAT, "revision": revision}) + "\n")
            for table in _tables():
                order = list(table.primary_key.columns)
                n = 0
                for row in conn.execute(select(table).order_by(*order)):
                    line = json.dumps(
                        {"t": table.name, "r": [_encode(v) for v in row]}, sort_keys=True
                    )
                    digest.update(line.encode())
                    out.write(line + "\n")
                    n += 1
                counts[table.name] = n
            out.write(json.dumps({"end": digest.hexdigest(), "counts": counts}) + "\n")
    os.replace(tmp, path)
    return counts


def restore(engine: Engine, path: str | Path) -> dict[str, int]:
    """Load a backup into an empty database; refuses a database that holds anything."""
    upgrade(engine)
    tables = {t.name: t for t in _tables()}
    with engine.connect() as conn:
        for existing in tables.values():
            if conn.execute(select(func.count()).select_from(existing)).scalar():
                raise Invalid(
                    f"the database is not empty (table {existing.name} has rows): restore into a "
                    "new database"
                )
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    with gzip.open(path, "rt", encoding="utf-8") as src, engine.begin() as conn:
        header = json.loads(src.readline() or "{}")
        if header.get("format") != FORMAT:
            raise Invalid(f"{path}: not a chamber backup (format {header.get('format')!r})")
        if header.get("revision") != current_revision(engine):
            raise Invalid(
                f"{path}: made at schema {header.get('revision')}, this database is at "
                f"{current_revision(engine)}"
            )
        batch: list[dict[str, Any]] = []
        table: Table | None = None
        end = None
        for number, line in enumerate(src, start=2):
            record = json.loads(line)
            if "end" in record:
                end = record
                break
            digest.update(line.rstrip("\n").encode())
            target = tables.get(record["t"])
            if target is None:
                raise Invalid(f"{path}, line {number}: unknown table {record['t']!r}")
            if table is not None and target is not table and batch:
                conn.execute(table.insert(), batch)
                batch = []
            table = target
            batch.append({c.name: _decode(v) for c, v in zip(target.columns, record["r"],
                                                                strict=True)})
            counts[target.name] = counts.get(target.name, 0) + 1
            if len(batch) >= 5000:
                conn.execute(table.insert(), batch)
                batch = []
        if table is not None and batch:
            conn.execute(table.insert(), batch)
        if end is None or end.get("end") != digest.hexdigest():
            raise Invalid(f"{path}: the backup is truncated or altered (checksum differs)")
        if engine.dialect.name == "postgresql":
            for t in tables.values():
                for column in t.primary_key.columns:
                    if column.autoincrement is True or (
                        column.type.python_type is int and column.autoincrement == "auto"
                    ):
                        conn.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('{t.name}', '{column.name}'),"
                            f" COALESCE((SELECT MAX({column.name}) FROM {t.name}), 0) + 1, false)"
                        ))
    return counts
