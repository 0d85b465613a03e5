"""The one typed settings object, read from the environment once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Settings:
    """Configuration of a deployment.

    DATABASE_URL   default: an embedded SQLite file ``chamber.db`` in the working directory;
                   PostgreSQL as ``postgresql+psycopg://user:pass@host/db``.
    PROXY_CAP      the most delegated votes one public proxy may carry (default 10,000).
    """

    database_url: str = "sqlite:///chamber.db"
    proxy_cap: int = 10_000


@lru_cache(maxsize=1)
def settings() -> Settings:
    cap = os.environ.get("PROXY_CAP", "10000")
    if not cap.isdigit():
        raise ValueError(f"PROXY_CAP must be a whole number, not {cap!r}")
    return Settings(
        database_url=os.environ.get("DATABASE_URL", "sqlite:///chamber.db"),
        proxy_cap=int(cap),
    )
