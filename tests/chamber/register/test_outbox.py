"""The outbox: queued in the caller's transaction, sent through a delivery function (SMTP with
the settings), each sent body erased, failures kept for the next try; nothing without
SMTP_HOST."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime

from sqlmodel import Session, select

from chamber.db import perform, read
from chamber.outbox.models import OutboxEmail
from chamber.outbox.services import queue_email, send_queued, waiting
from chamber.outbox.smtp import send_outbox
from chamber.settings import Settings

T0 = datetime(2027, 1, 4, 9, tzinfo=UTC)


def test_sending_marks_erases_and_keeps_failures(engine):
    for to in ("a@example.org", "bad@example.org"):
        perform(engine, queue_email, to, "Hello", "the code is 12345-67890", T0)
    sent = []

    def deliver(message):
        if message["To"] == "bad@example.org":
            raise smtplib.SMTPRecipientsRefused({"bad@example.org": (550, b"no")})
        sent.append(message)

    report = perform(engine, send_queued, deliver, "chamber@example.org", T0)
    assert (report.sent, report.failed) == (1, 1)
    assert sent[0]["From"] == "chamber@example.org"
    assert "12345-67890" in sent[0].get_content()
    with Session(engine) as s:
        rows = {m.to_address: m for m in s.exec(select(OutboxEmail))}
    assert rows["a@example.org"].body == ""
    assert rows["a@example.org"].sent_at is not None
    assert rows["bad@example.org"].tries == 1
    assert "550" in rows["bad@example.org"].last_error
    assert read(engine, waiting) == 1


def test_send_outbox_uses_the_smtp_settings(engine, monkeypatch):
    perform(engine, queue_email, "a@example.org", "Hello", "body", T0)
    assert send_outbox(engine, Settings(), T0) is None  # SMTP_HOST not set: nothing sent
    seen = {}

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            seen["server"] = (host, port)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context):
            seen["tls"] = True

        def login(self, user, password):
            seen["login"] = (user, password)

        def send_message(self, message):
            seen["to"] = message["To"]

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    config = Settings(smtp_host="mail.example.org", smtp_port=2525, smtp_user="u",
                      smtp_password="p", smtp_from="chamber@example.org")
    assert "smtp_password" not in repr(config)
    report = send_outbox(engine, config, T0)
    assert report is not None
    assert report.sent == 1
    assert seen == {"server": ("mail.example.org", 2525), "tls": True, "login": ("u", "p"),
                    "to": "a@example.org"}
    assert read(engine, waiting) == 0
