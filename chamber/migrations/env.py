"""Alembic's environment: the engine comes from `chamber.db.alembic_config` (or DATABASE_URL)."""

from __future__ import annotations

from alembic import context

from chamber.db import make_engine
from chamber.tables import metadata

config = context.config
engine = config.attributes.get("engine") or make_engine()

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata(),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
