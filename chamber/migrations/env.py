"""Alembic's environment: the engine comes from `chamber.db.alembic_config` (or DATABASE_URL).

On SQLite a migration that changes a table rebuilds it (batch mode: copy, drop, rename), which
foreign keys would refuse while other tables point at it; they are switched off for the
migration and every reference is checked afterwards (``PRAGMA foreign_key_check``), the recipe
SQLite documents for schema changes.  After the migrations the search index of a table rebuilt
that way gets its triggers back (`chamber.fulltext.schema.repair`)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from chamber.db import make_engine
from chamber.fulltext.schema import outside_models, repair
from chamber.tables import metadata

config = context.config
engine = config.attributes.get("engine") or make_engine()

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:  # outside any transaction, on the driver's connection
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
    context.configure(
        connection=connection,
        target_metadata=metadata(),
        render_as_batch=sqlite,
        compare_type=True,
        include_name=outside_models,  # the search indexes are not models
    )
    with context.begin_transaction():
        context.run_migrations()
        repair(connection)  # a table rebuilt in batch mode lost its search triggers
        if sqlite:
            broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
            if broken:
                raise RuntimeError(f"the migration left references to nothing: {broken[:5]}")
    connection.commit()
    if sqlite:
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
