"""Claiming an elector: a code only for matching details and an elector without an account,
by e-mail or letter, the same (empty) answer whatever was asked; codes hashed, expiring,
single-use, surviving a few wrong tries; step 2 says a username is taken only after the code
is right; one elector, one account; on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from chamber.accounts.services import WRONG_CODE, authenticate, claim_account, create_account
from chamber.db import perform, read
from chamber.divisions.voters import register_voter
from chamber.errors import Conflict, Invalid
from chamber.outbox.services import unsent
from chamber.register.claims import claim_key, export_letters, request_code
from chamber.register.models import ClaimCode, Elector, Letter
from chamber.register.services import bind_voter
from tests.chamber.conftest import enrol

T0 = datetime(2027, 1, 4, 9, tzinfo=UTC)
PASSWORD = "a long password"
DAYS, ATTEMPTS = 14, 3


def ask(engine, number, postcode="AB1 2CD", born="1980-03-01", at=T0):
    return perform(engine, request_code, number, postcode, born, at, key=claim_key(engine),
                   days=DAYS, attempts=ATTEMPTS)


def claim(engine, number, code, username="ann", at=T0):
    return perform(engine, claim_account, number, code, username, PASSWORD, at,
                   key=claim_key(engine))


def letter_code(engine, number="E1", at=T0):
    return next(r.code for r in perform(engine, export_letters, at) if r.elector_number == number)


def codes_issued(engine) -> int:
    with Session(engine) as s:
        return len(s.exec(select(ClaimCode)).all())


@pytest.fixture
def register(engine):
    enrol(engine, "E1", "E2", "E3", emails={"E2": "bob@example.org"})
    return engine


def test_asking_answers_the_same_whoever_is_named_and_sends_only_on_a_match(register):
    engine = register
    perform(engine, create_account, "cat", PASSWORD, "public", T0, elector="E3")
    answers = [
        ask(engine, "E1"),                      # matches: a letter
        ask(engine, "E2", born="1980"),         # matches by year: an e-mail
        ask(engine, "E9"),                      # nobody
        ask(engine, "E1", postcode="EH1 1AA"),  # wrong postcode
        ask(engine, "E1", born="1981-03-01"),   # wrong date
        ask(engine, "E3"),                      # has an account already
    ]
    assert answers == [None] * 6
    assert codes_issued(engine) == 2
    mail = read(engine, unsent, "bob@example.org")
    assert len(mail) == 1
    assert "E2" in mail[0].body
    assert [r.elector_number for r in perform(engine, export_letters, T0)] == ["E1"]
    with pytest.raises(Invalid, match=r"^postcode:"):
        ask(engine, "E1", postcode="not one")
    with pytest.raises(Invalid, match=r"^born:"):
        ask(engine, "E1", born="yesterday")


def test_codes_are_stored_hashed_and_letters_erased_once_exported(register):
    engine = register
    ask(engine, "E1")
    code = letter_code(engine)
    with Session(engine) as s:
        stored = s.exec(select(ClaimCode)).one()
        letter = s.exec(select(Letter)).one()
    assert code.replace("-", "") not in stored.code_hash
    assert len(stored.code_hash) == 64
    assert letter.code is None
    assert letter.exported_at is not None
    assert perform(engine, export_letters, T0) == []  # exported once


def test_a_code_claims_the_elector_once(register):
    engine = register
    ask(engine, "E1")
    code = letter_code(engine, "E1")
    made = claim(engine, "e1", code.lower(), username="Ann")
    assert made.user is not None
    assert made.user.username == "ann"
    assert made.user.voter == "ann"
    assert read(engine, authenticate, "ANN", PASSWORD).role == "public"
    with Session(engine) as s:
        assert s.exec(select(Elector).where(Elector.number == "E1")).one().account_id
    again = claim(engine, "E1", code, username="ann2")
    assert (again.user, again.problem) == (None, WRONG_CODE)
    ask(engine, "E1", at=T0 + timedelta(days=2))  # one elector, one account: no new code
    assert codes_issued(engine) == 1


def test_a_code_expires_and_survives_only_a_few_wrong_tries(register):
    engine = register
    ask(engine, "E1")
    code = letter_code(engine)
    late = claim(engine, "E1", code, at=T0 + timedelta(days=DAYS, seconds=1))
    assert late.problem == WRONG_CODE
    ask(engine, "E1", at=T0 + timedelta(days=DAYS + 1))  # a new code; the old one ends
    code = letter_code(engine, "E1", T0 + timedelta(days=DAYS + 1))
    later = T0 + timedelta(days=DAYS + 1, hours=1)
    for _ in range(ATTEMPTS):
        assert claim(engine, "E1", "AAAAA-AAAAA", at=later).problem == WRONG_CODE
    assert claim(engine, "E1", code, at=later).problem == WRONG_CODE  # too many wrong tries


def test_step_two_says_the_same_for_unknown_electors_and_wrong_codes(register):
    engine = register
    ask(engine, "E1")
    code = letter_code(engine)
    perform(engine, create_account, "taken", PASSWORD, "clerk", T0)
    answers = {
        claim(engine, "E9", code).problem,                       # no such elector
        claim(engine, "E2", code).problem,                       # no code for E2
        claim(engine, "E1", "AAAAA-AAAAA").problem,              # the wrong code
        claim(engine, "E1", "AAAAA-AAAAA", "taken").problem,     # taken, but the code is wrong
    }
    assert answers == {WRONG_CODE}
    with pytest.raises(Conflict, match="taken"):  # only with the right code
        claim(engine, "E1", code, "TAKEN")
    assert claim(engine, "E1", code, "ann").user is not None  # the code survived the refusal
    with pytest.raises(Invalid, match="username: 3 to 64"):
        claim(engine, "E1", code, "a")


def test_one_code_a_day_and_a_new_one_replaces_the_old(register):
    engine = register
    ask(engine, "E2")
    ask(engine, "E2", at=T0 + timedelta(hours=1))
    assert len(read(engine, unsent, "bob@example.org")) == 1
    ask(engine, "E2", at=T0 + timedelta(days=1, seconds=1))
    assert len(read(engine, unsent, "bob@example.org")) == 1  # the stale message withdrawn
    with Session(engine) as s:
        first, second = s.exec(select(ClaimCode).order_by(ClaimCode.id)).all()
    assert first.ended_at is not None
    assert second.ended_at is None


def test_an_imported_voter_is_claimed_only_through_their_electors_code(register):
    engine = register
    voter = perform(engine, register_voter, "citizen0005", T0)
    perform(engine, bind_voter, "E1", voter)
    ask(engine, "E1")
    code = letter_code(engine)
    assert claim(engine, "E2", code, "citizen0005").problem == WRONG_CODE
    made = claim(engine, "E1", code, "fiona")
    assert made.user is not None
    assert made.user.voter == "citizen0005"


def test_a_removed_elector_gets_no_code_and_their_code_ends(register):
    engine = register
    ask(engine, "E1")
    enrol(engine, "E2", "E3", now=T0 + timedelta(minutes=1))  # E1 leaves the register
    assert perform(engine, export_letters, T0) == []
    ask(engine, "E1", at=T0 + timedelta(days=2))
    assert codes_issued(engine) == 1
