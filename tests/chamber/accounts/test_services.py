"""Accounts: roles, password and username rules (case-folded, 3 to 64 safe characters),
hashed passwords, one message for every sign-in failure; a public account only bound to an
elector, and never handed a voter by registering their handle; on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from chamber.accounts.models import Account
from chamber.accounts.services import authenticate, create_account, member_for_calendar
from chamber.bodies.services import install_body
from chamber.db import perform, read
from chamber.divisions.voters import register_voter
from chamber.errors import Conflict, Invalid, Refused
from chamber.keys import deployment_secret
from chamber.membership.services import NewMember, add_members
from chamber.register.services import bind_voter
from tests.chamber.conftest import MONDAY, SMALL, enrol

NOW = datetime(2027, 1, 1, tzinfo=UTC)
PASSWORD = "a long password"


def test_accounts_by_role_and_sign_in(engine):
    perform(engine, install_body, SMALL, MONDAY)
    perform(engine, add_members, SMALL.key, [NewMember("m1", "M", "S000", "c")])
    enrol(engine, "E1")
    public = perform(engine, create_account, "ann", PASSWORD, "public", NOW, elector="E1")
    member = perform(engine, create_account, "mem1", PASSWORD, "member", NOW, member_id="m1")
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
        ("xyz", "short", "clerk", None, "password: at least 10"),
        ("xyz", PASSWORD, "king", None, "role must be"),
        ("xyz", PASSWORD, "member", None, "names the member"),
        ("xyz", PASSWORD, "clerk", "m1", "names the member"),
        ("", PASSWORD, "clerk", None, "username: 3 to 64"),
        ("a", PASSWORD, "clerk", None, "username: 3 to 64"),
        ("ab", PASSWORD, "clerk", None, "username: 3 to 64"),
        ("x" * 65, PASSWORD, "clerk", None, "username: 3 to 64"),
        ("ann smith", PASSWORD, "clerk", None, "username: 3 to 64"),
        ("ann<b>", PASSWORD, "clerk", None, "username: 3 to 64"),
        ("zoë", PASSWORD, "clerk", None, "username: 3 to 64"),
    ],
)
def test_bad_accounts_are_refused_with_reasons(engine, username, password, role, member, message):
    with pytest.raises(Invalid, match=message):
        perform(engine, create_account, username, password, role, NOW, member_id=member)


def test_usernames_are_unique_and_secrets_are_stable(engine):
    perform(engine, create_account, "ann", PASSWORD, "clerk", NOW)
    with pytest.raises(Conflict, match="taken"):
        perform(engine, create_account, "ann", PASSWORD, "administrator", NOW)
    assert deployment_secret(engine, "s") == deployment_secret(engine, "s")


def test_usernames_are_case_folded_and_sign_in_ignores_case(engine):
    enrol(engine, "E1", "E2")
    made = perform(engine, create_account, "Citizen0001", PASSWORD, "public", NOW, elector="E1")
    assert made.username == "citizen0001"
    with pytest.raises(Conflict, match="taken"):
        perform(engine, create_account, "CITIZEN0001", PASSWORD, "public", NOW, elector="E2")
    for typed in ("citizen0001", "CITIZEN0001", " Citizen0001 "):
        assert read(engine, authenticate, typed, PASSWORD).username == "citizen0001"
    perform(engine, create_account, "a.b_c-9", PASSWORD, "clerk", NOW)  # the safe set


def test_a_public_account_needs_an_elector_and_one_elector_has_one_account(engine):
    with pytest.raises(Refused, match="bound to one elector"):
        perform(engine, create_account, "ann", PASSWORD, "public", NOW)
    with pytest.raises(Refused, match="only for a public account"):
        perform(engine, create_account, "ann", PASSWORD, "clerk", NOW, elector="E1")
    enrol(engine, "E1")
    perform(engine, create_account, "ann", PASSWORD, "public", NOW, elector="E1")
    with pytest.raises(Conflict, match="E1 already has an account"):
        perform(engine, create_account, "bob", PASSWORD, "public", NOW, elector="e1")
    enrol(engine, "E2")  # E1 is now removed from the register
    with pytest.raises(Refused, match="removed"):
        perform(engine, create_account, "bob", PASSWORD, "public", NOW, elector="E1")


def test_registering_an_imported_voters_handle_does_not_take_them_over(engine):
    """The takeover: citizen0005 was imported without an account; registering that name once
    handed their voter (vote, proxies) to whoever did it."""
    enrol(engine, "E5", "E6")
    voter = perform(engine, register_voter, "citizen0005", NOW)
    perform(engine, bind_voter, "E5", voter)
    # the stranger has no code for E5; with their own elector the name is simply taken
    with pytest.raises(Refused, match="bound to one elector"):
        perform(engine, create_account, "citizen0005", PASSWORD, "public", NOW)
    with pytest.raises(Conflict, match="taken"):
        perform(engine, create_account, "citizen0005", PASSWORD, "public", NOW, elector="E6")
    with pytest.raises(Conflict, match="taken"):
        perform(engine, create_account, "CITIZEN0005", PASSWORD, "public", NOW, elector="E6")
    with Session(engine) as s:
        assert s.exec(select(Account)).all() == []
    # E5 (by an administrator here; by their code at /register) gets their own voter back
    owner = perform(engine, create_account, "fiona", PASSWORD, "public", NOW, elector="E5")
    assert owner.voter == "citizen0005"
