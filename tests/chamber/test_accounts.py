"""Accounts: roles, password rules, hashed passwords, one message for every sign-in failure."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from chamber import accounts, institution
from chamber.models import Account
from chamber.voting import VotingError
from tests.chamber.conftest import SMALL

NOW = datetime(2027, 1, 1, tzinfo=UTC)


def test_accounts_by_role_and_sign_in(engine):
    institution.install_body(engine, SMALL)
    institution.add_members(engine, SMALL.key, [institution.NewMember("m1", "M", "S000", "c")])
    public = accounts.create_account(engine, "ann", "a long password", "public", NOW)
    member = accounts.create_account(engine, "m1", "a long password", "member", NOW,
                                     member_id="m1")
    assert public.voter == "ann"
    assert member.calendar_token
    assert accounts.member_for_calendar(engine, member.calendar_token) == "m1"
    assert accounts.authenticate(engine, "ann", "a long password").role == "public"
    for name, password in (("ann", "wrong password!"), ("nobody", "a long password")):
        with pytest.raises(VotingError, match=r"^wrong username or password$"):
            accounts.authenticate(engine, name, password)
    with Session(engine) as s:
        stored = s.exec(select(Account.password_hash)).all()
    assert all(h.startswith("$argon2id$") and "long" not in h for h in stored)


@pytest.mark.parametrize(
    ("username", "password", "role", "member", "message"),
    [
        ("x", "short", "public", None, "at least 10"),
        ("x", "a long password", "king", None, "role must be"),
        ("x", "a long password", "member", None, "names the member"),
        ("x", "a long password", "clerk", "m1", "names the member"),
        ("", "a long password", "clerk", None, "1 to 64"),
    ],
)
def test_bad_accounts_are_refused_with_reasons(engine, username, password, role, member, message):
    with pytest.raises(VotingError, match=message):
        accounts.create_account(engine, username, password, role, NOW, member_id=member)


def test_usernames_are_unique_and_secrets_are_stable(engine):
    accounts.create_account(engine, "ann", "a long password", "clerk", NOW)
    with pytest.raises(VotingError, match="taken"):
        accounts.create_account(engine, "ann", "a long password", "public", NOW)
    assert accounts.deployment_secret(engine, "s") == accounts.deployment_secret(engine, "s")
