"""The one typed settings object, read from the environment once (each default written once)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import get_type_hints


@dataclass(frozen=True, slots=True)
class Settings:
    """Configuration of a deployment; each field is read from the environment variable of its
    name in capitals (``DATABASE_URL``, ``PROXY_CAP``, ...).

    database_url     default: an embedded SQLite file ``chamber.db`` in the working directory;
                     PostgreSQL as ``postgresql+psycopg://user:pass@host/db``.
    proxy_cap        the most delegated votes one public proxy may carry.
    trusted_proxies  comma-separated addresses of reverse proxies whose X-Forwarded-For and
                     X-Forwarded-Proto headers are believed (the client for rate limits, the
                     scheme of links such as the calendar feed); empty: the peer counts.
    vote_rate        votes and proxy changes one client may submit a minute.
    login_rate       sign-in attempts one client may make a minute.  Both are counted in each
                     server process (`chamber serve --workers N`).
    secure_cookies   1 to mark cookies Secure (behind HTTPS); 0 for the local demo.
    rota_lead_days   how many days before its first sitting a rota period is published: at
                     least a month and a week, so that members know their sitting (and its
                     business, planned a month ahead) in time to make arrangements.
    calendar_days    how far ahead each body's sittings are made from its pattern (a quarter),
                     so that business can be planned into any sitting a month ahead.
    code_days        how many days a one-time code for claiming an elector stays valid.
    code_attempts    how many wrong guesses a code survives.
    smtp_host        the mail server that sends the outbox's e-mail; empty: none is sent (codes
                     for electors with an e-mail address wait in the outbox).
    smtp_port        its port (587 for STARTTLS, 465 for SSL, 25 for neither).
    smtp_tls         starttls, ssl or none.
    smtp_user        the user to log in as (empty: no login), with ``smtp_password``.
    smtp_from        the From address of the chamber's e-mail.
    site_url         where the site is served, as people reach it (links in e-mail).
    audit_key        the secret that signs each public submission and audit checkpoint (a MAC),
                     kept outside the database so that a row written there directly is not
                     taken for a vote (at least 32 characters); empty: read from the file
                     ``audit_key_file``.
    audit_key_file   where the audit key is kept when ``audit_key`` is empty, made (mode 0600)
                     on first use; empty: beside the SQLite database (``chamber.db.audit-key``),
                     or ``chamber.audit-key`` in the working directory for PostgreSQL.
    jury_draw_day    the day of each month (London) on which the jury's draw runs, at 06:00.
    jury_lead_months how many months ahead a cohort is drawn: on the draw day of March, the
                     cohort serving from 1 June (3), so that it has accepted, and declines are
                     replaced, before the rota of its first month is published.  At most the
                     extension window (3): the leavers it replaces are known by then.
    jury_accept_days the days a drawn volunteer has to accept or decline before the invitation
                     lapses and the place is drawn again.
    """

    database_url: str = "sqlite:///chamber.db"
    proxy_cap: int = 10_000
    trusted_proxies: tuple[str, ...] = ()
    vote_rate: int = 120
    login_rate: int = 10
    secure_cookies: bool = False
    rota_lead_days: int = 42
    calendar_days: int = 92
    code_days: int = 14
    code_attempts: int = 5
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_tls: str = "starttls"
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_from: str = ""
    site_url: str = "http://127.0.0.1:8000"
    audit_key: str = field(default="", repr=False)
    audit_key_file: str = ""
    jury_draw_day: int = 1
    jury_lead_months: int = 3
    jury_accept_days: int = 14

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings named in ``environ`` (default: the process's), the defaults for the
        rest; a value of the wrong kind is refused with the variable's name."""
        environ = os.environ if environ is None else environ
        types = get_type_hints(cls)
        values: dict[str, object] = {}
        for f in fields(cls):
            name = f.name.upper()
            if name in environ:
                values[f.name] = _parse(name, environ[name], types[f.name])
        return cls(**values)  # type: ignore[arg-type]


def _parse(name: str, value: str, kind: object) -> object:
    if kind is int:
        if not value.isascii() or not value.isdigit() or len(value) > 12:
            raise ValueError(f"{name} must be a whole number, not {value!r}")
        return int(value)
    if kind is bool:
        if value not in ("0", "1"):
            raise ValueError(f"{name} must be 0 or 1, not {value!r}")
        return value == "1"
    if kind == tuple[str, ...]:
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The deployment's settings (read once)."""
    return Settings.from_environment()
