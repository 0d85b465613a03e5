"""Bodies and their composition: the national chamber, a local panel, and their validation."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction

import pytest

from chamber.bodies import (
    BODIES,
    LOCAL_HEALTH_PANEL,
    NATIONAL,
    Body,
    Category,
    CompositionError,
    SubUnit,
)

DECLARED_PEOPLE = {  # the six categories whose people the proposal counts
    "party": 2_400,
    "local": 2_400,
    "faith": 1_200,
    "jury": 1_200,
    "experts": 1_200,
    "youth": 2_400,
}

# The proposal's lists, in its order and with its groups ("A possible electoral method"); the
# professions are both expert fields and interest assemblies.
PROFESSIONS = (
    "Health",
    "Finance",
    "Law",
    "Engineering",
    "Architecture & Planning",
    "Other Professions",
)
EXPERT_FIELDS = {
    "professions": PROFESSIONS,
    "scientific disciplines": (
        "Physical Sciences",
        "Biological Sciences",
        "Geographical & Environmental Sciences",
        "Social Sciences",
        "Applied Sciences",
        "Other Disciplines",
    ),
    "bodies of knowledge": (
        "Economics",
        "Public Finance",
        "Public Health",
        "History",
        "Politics & Social Policy",
        "Statistics & Interpretation of Evidence",
        "Constitutional & Public Law",
        "Human Rights",
        "Ethics",
        "Government & Public Administration",
        "Politics & Political Philosophy",
        "Policy Application of Science",
        "Behavioural Sciences",
    ),
}
INTEREST_ASSEMBLIES = {
    "economy": ("Land & Title", "Capital", "Labour", "Management", "Consumers"),
    "professions": PROFESSIONS,
    "knowledge": (
        "Science",
        "Social Sciences",
        "Applied Sciences",
        "Other Disciplines",
        "Universities",
        "Schools",
    ),
    "culture": ("Arts", "Media", "Sport"),
    "honours": ("Life Peers", "Other Crown Honours"),
    "service": ("Administration", "Advocacy & Dissent", "Charities"),
}


def cat(**changes: object) -> Category:
    base = Category(
        key="c",
        title="C",
        seats=10,
        sharers_per_seat=24,
        cycle="fortnightly",
        selection="by lot",
        rota_by="the clerk",
    )
    return replace(base, **changes)


def problems_of(*categories: Category, expected: int = 10) -> tuple[str, ...]:
    with pytest.raises(CompositionError) as info:
        Body("b", "B", categories, expected)
    return info.value.problems


# -- the national chamber --------------------------------------------------------------------------


def test_national_chamber_has_500_seats_in_the_spec_shares():
    assert NATIONAL.seats == 500
    shares = {c.key: NATIONAL.share(c) for c in NATIONAL}
    assert shares == {
        "party": Fraction(1, 5),
        "local": Fraction(1, 5),
        "faith": Fraction(1, 10),
        "jury": Fraction(1, 10),
        "experts": Fraction(1, 10),
        "youth": Fraction(1, 10),
        "organisations": Fraction(1, 10),
        "assemblies": Fraction(1, 10),
    }


def test_national_people_match_the_spec_for_the_six_categories_that_declare_them():
    declared = {c.key: c.people for c in NATIONAL if c.people is not None}
    assert declared == DECLARED_PEOPLE
    for key, people in DECLARED_PEOPLE.items():
        assert NATIONAL.category(key).rota_places == people


def test_youth_seats_have_48_sharers_attending_four_weekly():
    youth = NATIONAL.category("youth")
    assert (youth.sharers_per_seat, youth.cycle) == (48, "four-weekly")
    assert [(s.name, s.seats) for s in youth.subunits] == [
        ("UK Youth Parliament", 25),
        ("Student unions", 25),
    ]
    assert [s.rota_by for s in youth.subunits] == ["the Youth Parliament", "the student union body"]


def test_experts_hold_one_seat_for_each_of_25_named_fields_and_25_open_seats():
    experts = NATIONAL.category("experts")
    named = [s for s in experts.subunits if s.seats == 1]
    assert len(named) == 25
    assert len({s.name for s in named}) == 25
    assert [s.name for s in named] == [f for fields in EXPERT_FIELDS.values() for f in fields]
    assert {"Public Health", "Behavioural Sciences", "Architecture & Planning"} <= {
        s.name for s in named
    }
    open_seats = [s for s in experts.subunits if s.seats != 1]
    assert [(s.name, s.seats) for s in open_seats] == [("Open seats (any field)", 25)]


def test_interest_assemblies_are_25_assemblies_of_2_delegates():
    assemblies = NATIONAL.category("assemblies")
    assert len(assemblies.subunits) == 25
    assert {s.seats for s in assemblies.subunits} == {2}
    assert [s.name for s in assemblies.subunits] == [
        a for names in INTEREST_ASSEMBLIES.values() for a in names
    ]
    assert assemblies.subunits[0] == SubUnit("Land & Title", 2, "economy")
    assert assemblies.unit == "25 assemblies"
    assert NATIONAL.category("organisations").unit == "50 groups"


def test_rota_places_are_13200_while_the_seed_headline_is_12000():
    totals = NATIONAL.totals()
    assert totals.seats == 500
    assert totals.rota_places == NATIONAL.rota_places == 13_200
    assert totals.headline_people == 500 * 24 == 12_000
    assert totals.declared_people == 10_800
    assert totals.rota_places_by_cycle == {"fortnightly": 10_800, "four-weekly": 2_400}
    assert totals.categories == 8
    assert totals.subunits == 26 + 2 + 25


def test_national_as_dict_is_json_ready():
    data = json.loads(json.dumps(NATIONAL.as_dict()))
    assert data["totals"]["rota_places"] == 13_200
    assert data["categories"][0]["share"] == "1/5"
    assert data["categories"][4]["subunits"][0] == {
        "name": "Health",
        "seats": 1,
        "group": "professions",
        "rota_by": "",
    }


def test_local_health_panel_is_40_citizens_by_lot_meeting_fortnightly():
    (panel,) = LOCAL_HEALTH_PANEL.categories
    assert (panel.seats, panel.sharers_per_seat, panel.cycle) == (40, 1, "fortnightly")
    assert LOCAL_HEALTH_PANEL.rota_places == 40
    assert BODIES == {"national": NATIONAL, "local-health-panel": LOCAL_HEALTH_PANEL}


# -- validation -----------------------------------------------------------------------------------


def test_seats_not_adding_up_to_the_expected_total():
    assert problems_of(cat(seats=10), expected=12) == (
        "the categories hold 10 seats, 2 fewer than the 12 expected",
    )
    assert problems_of(cat(seats=10), cat(key="d", seats=5), expected=12) == (
        "the categories hold 15 seats, 3 more than the 12 expected",
    )


def test_declared_people_must_equal_seats_times_sharers():
    assert problems_of(cat(people=200)) == (
        "category 'c': people is 200 but 10 seats x 24 sharers per seat = 240",
    )


def test_duplicate_category_keys():
    assert problems_of(cat(seats=5), cat(seats=5)) == ("category key 'c' is used more than once",)


@pytest.mark.parametrize("field", ["seats", "sharers_per_seat"])
@pytest.mark.parametrize("value", [0, -3])
def test_zero_or_negative_numbers(field, value):
    problems = problems_of(cat(**{field: value}))
    assert f"category 'c': {field} is {value}; it must be at least 1" in problems


def test_a_number_that_is_not_whole():
    assert "category 'c': sharers_per_seat must be a whole number, not 2.5" in problems_of(
        cat(sharers_per_seat=2.5)
    )


def test_subunit_seats_must_add_up_to_the_category():
    problems = problems_of(cat(subunits=(SubUnit("a", 4), SubUnit("b", 5))))
    assert problems == (
        "category 'c': the 2 sub-units hold 9 seats, 1 fewer than the category's 10",
    )


def test_duplicate_and_non_positive_subunits():
    problems = problems_of(cat(subunits=(SubUnit("a", 5), SubUnit("a", 5), SubUnit("z", 0))))
    assert problems == (
        "category 'c': sub-unit 'a' is listed more than once",
        "category 'c': sub-unit 3 ('z') seats is 0; it must be at least 1",
    )


def test_unknown_cycle():
    assert problems_of(cat(cycle="weekly")) == (
        "category 'c': cycle 'weekly' is not known (use 'fortnightly' or 'four-weekly')",
    )


def test_keys_and_texts():
    problems = problems_of(cat(key="Party X", selection=" "), expected=10)
    assert problems == (
        "category 'Party X': key 'Party X' must be lower-case letters and digits, joined by "
        "'-' or '_' (it is used on the command line and in JSON)",
        "category 'Party X': selection must be a non-empty text, not ' '",
    )


def test_every_problem_is_listed_in_one_error():
    with pytest.raises(CompositionError) as info:
        Body("b", "B", (cat(seats=0, cycle="daily", people=5), cat(people=7)), 0)
    message = str(info.value)
    assert message.startswith("body 'b': 5 problems:")
    assert info.value.problems == (
        "expected_seats is 0; it must be at least 1",
        "category 'c': seats is 0; it must be at least 1",
        "category 'c': cycle 'daily' is not known (use 'fortnightly' or 'four-weekly')",
        "category key 'c' is used more than once",
        "category 'c': people is 7 but 10 seats x 24 sharers per seat = 240",
    )
    for problem in info.value.problems:
        assert f"\n  - {problem}" in message


def test_a_body_without_categories():
    with pytest.raises(CompositionError, match="body 'b': it has no categories"):
        Body("b", "B", (), 10)


def test_a_list_of_categories_is_kept_as_a_tuple():
    body = Body("b", "B", [cat(subunits=[SubUnit("a", 10)])], 10)  # type: ignore[arg-type]
    assert isinstance(body.categories, tuple)
    assert body.categories[0].subunits == (SubUnit("a", 10),)
    assert hash(body)


def test_a_category_can_be_checked_on_its_own():
    assert cat().check() == cat()
    with pytest.raises(CompositionError, match="category 'c': seats is 0"):
        cat(seats=0).check()
