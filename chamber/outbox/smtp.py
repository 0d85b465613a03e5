"""Sending the outbox over SMTP with the deployment's settings (``SMTP_HOST``, ``SMTP_PORT``,
``SMTP_TLS``, ``SMTP_USER``, ``SMTP_PASSWORD``, ``SMTP_FROM``)."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.engine import Engine

from chamber.db import perform, read
from chamber.errors import Invalid
from chamber.outbox.services import Deliver, Sent, send_queued, waiting
from chamber.settings import Settings

TLS = ("starttls", "ssl", "none")


def check(config: Settings) -> None:
    """Refuse settings that cannot send (SMTP_HOST set without SMTP_FROM, an unknown SMTP_TLS)."""
    if config.smtp_tls not in TLS:
        raise Invalid(f"SMTP_TLS must be one of {', '.join(TLS)}, not {config.smtp_tls!r}")
    if not config.smtp_from:
        raise Invalid("SMTP_FROM must be set to send e-mail (the chamber's From address)")


@contextmanager
def smtp_connection(config: Settings) -> Iterator[Deliver]:
    """A connection to the mail server (TLS and login as configured), as a delivery function."""
    check(config)
    context = ssl.create_default_context()
    server: smtplib.SMTP
    if config.smtp_tls == "ssl":
        server = smtplib.SMTP_SSL(config.smtp_host, config.smtp_port, timeout=30, context=context)
    else:
        server = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=30)
    with server:
        if config.smtp_tls == "starttls":
            server.starttls(context=context)
        if config.smtp_user:
            server.login(config.smtp_user, config.smtp_password)
        yield server.send_message


def send_outbox(engine: Engine, config: Settings, now: datetime) -> Sent | None:
    """Send what the outbox holds; None when SMTP is not configured (nothing is sent)."""
    if not config.smtp_host:
        return None
    check(config)
    if not read(engine, waiting):
        return Sent(0, 0)
    with smtp_connection(config) as deliver:
        return perform(engine, send_queued, deliver, config.smtp_from, now,
                       site_url=config.site_url)
