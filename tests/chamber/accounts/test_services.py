"""Accounts: roles, password rules, hashed passwords, one message for every sign-in failure."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from chamber.accounts.models import Account
from chamber.accounts.services import authenticate, create_account, member_for_calendar
from chamber.bodies.services import install_body
from chamber.db import perform, read
from chamber.errors import Conflict, Invalid, Refused
from chamber.keys import deployment_secret
from chamber.membership.services import NewMember, add_members
from tests.chamber.conftest import MONDAY, SMALL

NOW = datetime(2027, 1, 1, tzinfo=UTC)
PASSWORD = "a long password"


def test_accounts_by_role_and_sign_in(engine):
    perform(engine, install_body, SMALL, MONDAY)
    perform(engine, add_members, SMALL.key, [NewMember("m1", "M", "S000", "c")])
    public = perform(engine, create_account, "ann", PASSWORD, "public", NOW)
    member = perform(engine, create_account, "m1", PASSWORD, "member", NOW, member_id="m1")
    assert public.voter == "ann"
    assert member.calendar_token
    assert read(engine, member_for_calendar, member.calendar_token) == "m1"
    assert read(engine, authenticate, "ann", PASSWORD).role == "public"
    for name, password in (("ann", "wrong password!"), ("nobody", PASSWORD)):
        with pytest.raises(Refused, match=r"^wrong username or password$"):
            read(engine, authenticate, name, password)
    with Session(engine) as s:
        stored = s.exec(select(Account.password_hash)).all()
    assert all(h.startswith("$argon2id$") and "long" not in h for h in stored)


@pytest.mark.parametrize(
    ("username", "password", "role", "member", "message"),
    [
        ("x", "short", "public", None, "at least 10"),
        ("x", PASSWORD, "king", None, "role must be"),
        ("x", PASSWORD, "member", None, "names the member"),
        ("x", PASSWORD, "clerk", "m1", "names the member"),
        ("", PASSWORD, "clerk", None, "1 to 64"),
    ],
)
def test_bad_accounts_are_refused_with_reasons(engine, username, password, role, member, message):
    with pytest.raises(Invalid, match=message):
        perform(engine, create_account, username, password, role, NOW, member_id=member)


def test_usernames_are_unique_and_secrets_are_stable(engine):
    perform(engine, create_account, "ann", PASSWORD, "clerk", NOW)
    with pytest.raises(Conflict, match="taken"):
        perform(engine, create_account, "ann", PASSWORD, "public", NOW)
    assert deployment_secret(engine, "s") == deployment_secret(engine, "s")
