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
    TRUSTED_PROXIES  comma-separated addresses of reverse proxies whose X-Forwarded-For and
                   X-Forwarded-Proto headers are believed (the client for rate limits, the scheme
                   of links such as the calendar feed); empty by default: the peer counts.
    VOTE_RATE      votes and proxy changes one client may submit a minute (default 120).
    LOGIN_RATE     sign-in attempts one client may make a minute (default 10).  Both are counted
                   in each server process (`chamber serve --workers N`: a client's keep-alive
                   connection stays with one worker; a client spreading connections over N
                   workers may get up to N times the rate).
    SECURE_COOKIES 1 to mark cookies Secure (behind HTTPS); default 0 for the local demo.
    """

    database_url: str = "sqlite:///chamber.db"
    proxy_cap: int = 10_000
    trusted_proxies: tuple[str, ...] = ()
    vote_rate: int = 120
    login_rate: int = 10
    secure_cookies: bool = False


def _whole(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    if not value.isdigit():
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    return int(value)


@lru_cache(maxsize=1)
def settings() -> Settings:
    proxies = os.environ.get("TRUSTED_PROXIES", "")
    return Settings(
        database_url=os.environ.get("DATABASE_URL", "sqlite:///chamber.db"),
        proxy_cap=_whole("PROXY_CAP", 10_000),
        trusted_proxies=tuple(p.strip() for p in proxies.split(",") if p.strip()),
        vote_rate=_whole("VOTE_RATE", 120),
        login_rate=_whole("LOGIN_RATE", 10),
        secure_cookies=os.environ.get("SECURE_COOKIES", "0") == "1",
    )
