"""Fuzzing every parser with hypothesis: BLT, CSV cast-vote records, PrefLib, pool and quotas
CSV, party votes CSV, organisations and approval ballots, rota members and availability.  Any
input either parses or raises the package's named error (a ValueError subclass naming the
file); nothing else escapes.  Inputs mix the formats' own tokens with arbitrary text."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from electoral.approval import read_approval_ballots, read_organisations
from electoral.ballots import read_ballots
from electoral.errors import CountError
from electoral.party_list import read_party_votes
from electoral.sortition.instance import read_pool, read_quotas
from rota.calendar import make_calendar
from rota.errors import RotaError
from rota.io import read_availability, read_members

EXAMPLES = 300
TOKENS = st.sampled_from(
    [
        "0",
        "1",
        "2",
        "3",
        "-1",
        "10",
        "=",
        ",",
        " ",
        "\n",
        "\r\n",
        '"',
        "'",
        "#",
        "(",
        ")",
        "[",
        "]",
        "-",
        "1.5",
        "nan",
        "1e9",
        "99999999999999999999",
        "\t",
        "\x00",
        "é",
        "Ωmega",
        "withdrawn",
        "[nick]",
        "[tie]",
        "id",
        "gender",
        "female",
        "age",
        "min",
        "max",
        "feature",
        "value",
        "party",
        "votes",
        "name",
        "members",
        "nominators",
        "kind",
        "trade-union",
        "ballot",
        "member",
        "seat",
        "group",
        "cycle",
        "date",
        "session",
        "morning",
        "evening",
        "2027-01-04",
        "weight",
        "unavailable",
        "preference",
        "# FILE NAME:",
        "# NUMBER ALTERNATIVES:",
        "# ALTERNATIVE NAME 1:",
        ": ",
        "{",
        "}",
    ]
)
TEXT = st.one_of(
    st.lists(TOKENS, max_size=60).map("".join),
    st.text(max_size=300),
    st.lists(
        st.lists(st.sampled_from(["1", "2", "3", "0", "A", "B", ""]), max_size=6).map(",".join),
        max_size=12,
    ).map("\n".join),
)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _file(text: str, suffix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    path = folder / f"input{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


def _only_named(call, errors=(CountError,)):
    message = "parsed"
    try:
        call()
    except errors as exc:
        message = str(exc)  # a named error with a message; anything else fails the test
    assert message


@FUZZ
@given(text=TEXT, suffix=st.sampled_from([".blt", ".csv", ".soc", ".soi", ".toc", ".toi"]))
def test_ballot_readers(text, suffix):
    _only_named(lambda: read_ballots(_file(text, suffix)))


@FUZZ
@given(text=TEXT)
def test_pool_reader(text):
    _only_named(lambda: read_pool(_file(text, ".csv")))


@FUZZ
@given(text=TEXT)
def test_quota_reader(text):
    _only_named(lambda: read_quotas(_file(text, ".csv")))


@FUZZ
@given(text=TEXT)
def test_party_votes_reader(text):
    _only_named(lambda: read_party_votes(_file(text, ".csv")))


@FUZZ
@given(orgs=TEXT, ballots=TEXT)
def test_organisations_and_approval_readers(orgs, ballots):
    def call():
        organisations, _ = read_organisations(_file(orgs, ".csv"))
        read_approval_ballots(_file(ballots, ".csv"), organisations)

    _only_named(call)


@FUZZ
@given(members=TEXT, availability=TEXT)
def test_rota_readers(members, availability):
    calendar = make_calendar(date(2027, 1, 4), 1)

    def call():
        people = read_members(_file(members, ".csv"))
        read_availability(_file(availability, ".csv"), calendar, people)

    _only_named(call, (RotaError,))
