"""Sessions in the database: a token signs its account in until it is revoked or idle past its
expiry; disabling an account, changing its role or password ends all its sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from chamber.accounts.changes import set_disabled, set_password, set_role
from chamber.accounts.models import AccountSession
from chamber.accounts.services import authenticate, create_account
from chamber.accounts.sessions import (
    IDLE,
    end_session,
    lookup,
    lookup_all,
    start_session,
    token_hash,
    touch,
)
from chamber.bodies.services import install_body
from chamber.db import perform, read
from chamber.divisions.voters import cached_voters, voter_number
from chamber.errors import Invalid, NotFound, Refused
from chamber.membership.services import NewMember, add_members
from tests.chamber.conftest import MONDAY, SMALL, enrol

NOW = datetime(2027, 1, 1, tzinfo=UTC)
PASSWORD = "a long password"


def _session(engine, username: str, at: datetime = NOW) -> str:
    user = read(engine, authenticate, username, PASSWORD)
    return perform(engine, start_session, user.id, at)


def test_a_token_signs_in_until_it_is_revoked_or_idle(engine):
    enrol(engine, "E1", now=NOW)
    perform(engine, create_account, "ann", PASSWORD, "public", NOW, elector="E1")
    token = _session(engine, "ann")
    found = lookup(engine, token, NOW + timedelta(minutes=1))
    assert found is not None
    assert (found.user.username, found.user.role, found.user.voter) == ("ann", "public", "ann")
    assert found.last_seen_at == NOW
    with Session(engine) as s:
        stored = s.exec(select(AccountSession)).one()
    assert stored.token_hash == token_hash(token)
    assert token not in stored.token_hash  # only the hash is kept
    assert lookup(engine, "not a token", NOW) is None
    assert lookup(engine, token, NOW + IDLE) is None  # idle for IDLE: ended
    later = NOW + IDLE - timedelta(minutes=1)
    perform(engine, touch, token, later)  # seen: its expiry moves on
    assert lookup(engine, token, NOW + IDLE + timedelta(hours=1)) is not None
    perform(engine, end_session, token, later)
    assert lookup(engine, token, later) is None


def test_account_changes_end_every_session(engine):
    perform(engine, install_body, SMALL, MONDAY)
    perform(engine, add_members, SMALL.key, [NewMember("m1", "M", "S000", "c")])
    perform(engine, create_account, "bob", PASSWORD, "clerk", NOW)
    tokens = [_session(engine, "bob") for _ in range(2)]
    assert perform(engine, set_disabled, "bob", True, NOW) == 2
    assert all(lookup(engine, t, NOW) is None for t in tokens)
    with pytest.raises(Refused, match="disabled"):
        read(engine, authenticate, "bob", PASSWORD)
    with pytest.raises(Refused, match="wrong username or password"):  # no hint without it
        read(engine, authenticate, "bob", "wrong password!")
    assert perform(engine, set_disabled, "bob", False, NOW) == 0
    token = _session(engine, "bob")
    assert perform(engine, set_role, "bob", "member", NOW, member_id="m1") == 1
    assert lookup(engine, token, NOW) is None
    member = read(engine, authenticate, "bob", PASSWORD)
    assert (member.role, member.member_id) == ("member", "m1")
    assert member.calendar_token
    with pytest.raises(Invalid, match="names the member"):
        perform(engine, set_role, "bob", "clerk", NOW, member_id="m1")
    with pytest.raises(NotFound):
        perform(engine, set_role, "bob", "member", NOW, member_id="nobody")
    clerk_again = perform(engine, set_role, "bob", "clerk", NOW)
    assert clerk_again == 0
    assert read(engine, authenticate, "bob", PASSWORD).calendar_token is None
    token = _session(engine, "bob")
    with pytest.raises(Invalid, match="at least 10"):
        perform(engine, set_password, "bob", "short", NOW)
    assert lookup(engine, token, NOW) is not None  # a refused change ends nothing
    assert perform(engine, set_password, "bob", "a new long password", NOW) == 1
    assert lookup(engine, token, NOW) is None
    with pytest.raises(NotFound):
        perform(engine, set_disabled, "nobody", True, NOW)


def test_a_voters_session_look_up_tells_the_vote_path_their_number(engine):
    enrol(engine, "E1", now=NOW)
    perform(engine, create_account, "ann", PASSWORD, "public", NOW, elector="E1")
    token = _session(engine, "ann")
    url = str(engine.url)
    assert cached_voters(url, ["ann"]) == ({}, ["ann"])  # not known to this process yet
    assert lookup(engine, token, NOW) is not None
    number = read(engine, voter_number, "ann")
    assert cached_voters(url, ["ann"]) == ({"ann": number}, [])  # a group needs no look-up


def test_many_sessions_are_found_at_once_as_each_would_be_alone(engine):
    enrol(engine, "E1", "E2", "E3", now=NOW)
    for name, number in (("ann", "E1"), ("bob", "E2"), ("cat", "E3")):
        perform(engine, create_account, name, PASSWORD, "public", NOW, elector=number)
    ann, bob, cat = (_session(engine, name) for name in ("ann", "bob", "cat"))
    old = _session(engine, "ann", NOW - IDLE)  # idle since: ended
    perform(engine, end_session, cat, NOW)
    tokens = [ann, bob, cat, old, "not a token"]
    found = lookup_all(engine, tokens, NOW + timedelta(minutes=1))
    assert set(found) == {ann, bob}
    for token in tokens:
        assert found.get(token) == lookup(engine, token, NOW + timedelta(minutes=1))
    assert found[bob].user.voter == "bob"
    assert lookup_all(engine, [bob], NOW) == {bob: lookup(engine, bob, NOW)}
    assert lookup_all(engine, [], NOW) == {}
