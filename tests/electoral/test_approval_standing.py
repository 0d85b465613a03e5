"""The organisations ballot: who may stand, and reading the organisations asking to stand."""

from __future__ import annotations

import io

import pytest

from electoral.approval import KINDS, Organisation, check_eligibility, read_organisations
from electoral.errors import BallotFileError, CountError
from tests.conftest import DATA
from tests.electoral.file_errors import names_file


def read_orgs(text: str):
    return read_organisations(io.StringIO(text), name="orgs.csv")


# -- who may stand -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("party", "a political party may not stand"),
        ("political-test", "an organisation with a political test of membership may not stand"),
        (
            "party-influence",
            "an organisation formed mainly to influence a particular party may not stand",
        ),
        ("ministerial-public-body", "a public body under the control of ministers may not stand"),
    ],
)
def test_each_excluded_kind_is_refused_with_its_reason(kind, reason):
    check = check_eligibility(Organisation("X", 5_000_000, 0, kind))
    assert not check.eligible
    assert check.reasons == (reason,)


@pytest.mark.parametrize("kind", ["charity", "trade-union", "association", "company", "faith"])
def test_other_kinds_may_stand(kind):
    assert check_eligibility(Organisation("X", 100_000, 0, kind)).eligible


@pytest.mark.parametrize(
    ("members", "nominators"), [(60_000, 40_000), (100_000, 0), (0, 100_000), (1, 99_999)]
)
def test_any_mix_of_members_and_nominators_reaching_100000_may_stand(members, nominators):
    check = check_eligibility(Organisation("X", members, nominators, "association"))
    assert check.eligible
    assert check.reasons == ()


def test_99999_is_refused_naming_the_numbers_and_the_shortfall():
    check = check_eligibility(Organisation("X", 60_000, 39_999, "charity"))
    assert not check.eligible
    assert check.reasons == (
        "has 60,000 members and 39,999 nominators: 99,999, below the 100,000 needed",
    )


def test_every_reason_is_given_when_refused_twice():
    check = check_eligibility(Organisation("Tiny Party", 60_000, 30_000, "party"))
    assert check.reasons == (
        "a political party may not stand",
        "has 60,000 members and 30,000 nominators: 90,000, below the 100,000 needed",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("", 1, 1, "charity"), "must have a name"),
        (("X", -1, 1, "charity"), "members must not be negative"),
        (("X", 1, 1, "club"), "unknown kind 'club'"),
    ],
)
def test_an_organisation_with_bad_fields_is_a_count_error(args, message):
    with pytest.raises(CountError, match=message):
        Organisation(*args)


# -- reading the organisations -------------------------------------------------------------------


def test_reads_columns_in_any_order_ignoring_extra_columns():
    got, checks = read_orgs(
        "kind,notes,nominators,name,members\n"
        'Trade Union,x,"40,000",Unite ,"60,000"\n'
        "party,,0,Some Party,500000\n"
    )
    assert got == (
        Organisation("Unite", 60_000, 40_000, "trade-union"),
        Organisation("Some Party", 500_000, 0, "party"),
    )
    assert [c.eligible for c in checks] == [True, False]


def test_reads_the_sample_file_with_its_eligibility():
    got, checks = read_organisations(DATA / "approval" / "organisations.csv")
    refused = {c.name: c.reasons for c in checks if not c.eligible}
    assert set(refused) == {"Parish Bell Ringers", "Labour Party", "Office for Students"}
    assert len(got) == 8


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("name,members,kind\nA,1,charity\n", "line 1: missing column 'nominators'"),
        ("name,members,nominators,kind\nA,-5,0,charity\n", "line 2: column 'members': must not"),
        (
            "name,members,nominators,kind\nA,1,0,charity\nB,1,2.5,charity\n",
            "line 3: column 'nominators': expected a whole number",
        ),
        ("name,members,nominators,kind\nA,1,,charity\n", "line 2: column 'nominators'"),
        ("name,members,nominators,kind\n ,1,0,charity\n", "line 2: column 'name': the name is"),
        (
            "name,members,nominators,kind\nRSPB,1,0,charity\nrspb,1,0,charity\n",
            "line 3: column 'name': 'rspb' is listed twice (first at line 2)",
        ),
        (
            "name,members,nominators,kind\nA,1,0,club\n",
            "line 2: column 'kind': unknown kind 'club'; known kinds: charity, trade-union",
        ),
        ("name,members,nominators,kind\nA,1,0\n", "line 2: expected 4 fields"),
        ("name,members,nominators,kind\n", "no organisations listed"),
        ("name,members,nominators,kind,Name\nA,1,0,charity,A\n", "line 1: two 'name' columns"),
    ],
)
def test_bad_organisations_file_names_line_and_column(text, message):
    with names_file("orgs.csv", message):
        read_orgs(text)


def test_unknown_kind_lists_every_known_kind():
    with pytest.raises(BallotFileError) as exc:
        read_orgs("name,members,nominators,kind\nA,1,0,club\n")
    for kind in KINDS:
        assert kind in str(exc.value)
