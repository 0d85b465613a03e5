"""`chamber account`: create an account (also in its first form, ``chamber account NAME --role``),
disable and enable it, change its role or its password; each change ends its sessions and is on
the audit chain."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from chamber.accounts.services import authenticate
from chamber.accounts.sessions import lookup, start_session
from chamber.audit.models import AuditEntry
from chamber.db import make_engine, perform, read
from chamber.errors import Refused
from cli import app
from tests.chamber.conftest import enrol

runner = CliRunner()
PASSWORD = "a long password"
NEW = "another long password"


def _run(url: str, *args: str, input: str | None = None):
    result = runner.invoke(app, ["account", *args, "--database", url], input=input)
    return result


def test_account_commands_change_the_account_end_its_sessions_and_are_audited(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    runner.invoke(app, ["db", "upgrade", "--database", url])
    engine = make_engine(url)
    twice = f"{PASSWORD}\n{PASSWORD}\n"
    created = _run(url, "create", "kim", "--role", "clerk", input=twice)
    assert created.exit_code == 0, created.output
    assert "created clerk account 'kim'" in created.output
    enrol(engine, "E1")
    first_form = _run(url, "lee", "--role", "public", "--elector", "E1", input=twice)
    assert first_form.exit_code == 0, first_form.output
    token = perform(engine, start_session, read(engine, authenticate, "kim", PASSWORD).id,
                    datetime.now(UTC))

    disabled = _run(url, "disable", "kim")
    assert disabled.exit_code == 0, disabled.output
    assert "disabled account 'kim'; 1 session ended" in disabled.output
    assert lookup(engine, token, datetime.now(UTC)) is None
    with pytest.raises(Refused, match="disabled"):
        read(engine, authenticate, "kim", PASSWORD)
    assert _run(url, "enable", "kim").exit_code == 0
    assert read(engine, authenticate, "kim", PASSWORD).role == "clerk"

    token = perform(engine, start_session, read(engine, authenticate, "kim", PASSWORD).id,
                    datetime.now(UTC))
    demoted = _run(url, "role", "kim", "public")
    assert demoted.exit_code == 0, demoted.output
    assert "account 'kim' is now public; 1 session ended" in demoted.output
    assert lookup(engine, token, datetime.now(UTC)) is None
    assert read(engine, authenticate, "kim", PASSWORD).voter == "kim"  # registered to vote
    bad = _run(url, "role", "kim", "king")
    assert bad.exit_code == 2
    assert "role must be" in bad.output
    assert _run(url, "role", "kim", "member").exit_code == 2  # a member account names its member

    token = perform(engine, start_session, read(engine, authenticate, "kim", PASSWORD).id,
                    datetime.now(UTC))
    # typer asks again until the two agree
    changed = _run(url, "password", "kim", input=f"{NEW}\nnot the same one\n{NEW}\n{NEW}\n")
    assert changed.exit_code == 0, changed.output
    assert "changed the password of 'kim'; 1 session ended" in changed.output
    assert NEW not in changed.output  # never echoed
    assert lookup(engine, token, datetime.now(UTC)) is None
    with pytest.raises(Refused):
        read(engine, authenticate, "kim", PASSWORD)
    assert read(engine, authenticate, "kim", NEW).username == "kim"
    short = _run(url, "password", "kim", input="short\nshort\n")
    assert short.exit_code == 2
    assert "at least 10" in short.output
    assert _run(url, "disable", "nobody").exit_code == 2

    with Session(engine) as session:
        entries = [
            e for e in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()
            if e.kind in ("account disabled", "account enabled", "account role changed",
                          "account password changed")
        ]
    kinds = [(e.kind, e.payload["account"]) for e in entries]
    assert kinds == [
        ("account disabled", "kim"), ("account enabled", "kim"), ("account role changed", "kim"),
        ("account password changed", "kim"),
    ]
    assert entries[2].payload["from"] == "clerk"
    assert entries[2].payload["to"] == "public"
    assert not any(NEW in str(e.payload) or "argon2" in str(e.payload) for e in entries)
    verified = runner.invoke(app, ["audit", "verify", "--database", url])
    assert verified.exit_code == 0, verified.output
    engine.dispose()
