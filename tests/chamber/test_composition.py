"""Bodies and their composition: the national chamber, a local panel, TOML files, the CLI."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction

import pytest
from typer.testing import CliRunner

import cli.composition  # noqa: F401  (registers `composition` and `delegation`)
from chamber.bodies import example
from chamber.composition import (
    BODIES,
    EXPERT_FIELDS,
    INTEREST_ASSEMBLIES,
    LOCAL_HEALTH_PANEL,
    NATIONAL,
    Body,
    Category,
    CompositionError,
    SubUnit,
    get_body,
    load_body,
)
from cli.common import app

runner = CliRunner()

SPEC_PEOPLE = {
    "party": 2_400,
    "local": 2_400,
    "faith": 1_200,
    "jury": 1_200,
    "experts": 1_200,
    "youth": 2_400,
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
    assert declared == SPEC_PEOPLE
    for key, people in SPEC_PEOPLE.items():
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


# -- TOML -----------------------------------------------------------------------------------------

GOOD = """
key = "my-panel"
title = "My panel"
expected_seats = 12

[[categories]]
key = "lot"
title = "By lot"
seats = 10
sharers_per_seat = 2
people = 20
cycle = "four-weekly"
selection = "by lot"
rota_by = "the officer"

[[categories]]
key = "experts"
title = "Experts"
seats = 2
sharers_per_seat = 1
cycle = "fortnightly"
selection = "appointed by the panel"
rota_by = "the officer"

[[categories.subunits]]
name = "Health"
seats = 1

[[categories.subunits]]
name = "Care"
seats = 1
group = "care"
"""


def test_load_a_good_body_file(tmp_path):
    path = tmp_path / "panel.toml"
    path.write_text(GOOD, encoding="utf-8")
    body = load_body(path)
    assert body.key == "my-panel"
    assert body.seats == 12
    assert body.rota_places == 22
    assert body.category("experts").subunits == (SubUnit("Health", 1), SubUnit("Care", 1, "care"))
    assert get_body(str(path)) == body


def test_the_example_file_describes_the_local_health_panel():
    assert load_body(example("local-health-panel")) == LOCAL_HEALTH_PANEL


def test_bad_fields_are_named_with_the_file(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        GOOD.replace("seats = 10", 'seats = "ten"')
        .replace('cycle = "fortnightly"', 'cycle = "fortnightly"\nseat = 3')
        .replace('name = "Care"', "")
        .replace('title = "My panel"', ""),
        encoding="utf-8",
    )
    with pytest.raises(CompositionError) as info:
        load_body(path)
    assert str(info.value).startswith(f"{path}: 4 problems:")
    assert info.value.problems == (
        "body.title: missing",
        "categories[1] ('lot').seats: expected a whole number, not 'ten'",
        "categories[2] ('experts'): unknown field 'seat' (fields: key, title, seats, "
        "sharers_per_seat, cycle, selection, rota_by, people, unit, detail, note, subunits)",
        "categories[2] ('experts').subunits[2].name: missing",
    )


def test_validation_problems_in_a_file_name_the_file(tmp_path):
    path = tmp_path / "wrong.toml"
    path.write_text(GOOD.replace("people = 20", "people = 24"), encoding="utf-8")
    with pytest.raises(CompositionError) as info:
        load_body(path)
    assert str(info.value) == (
        f"{path}: category 'lot': people is 24 but 10 seats x 2 sharers per seat = 20"
    )


def test_invalid_toml_names_the_file_and_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('key = "x"\ntitle = \n', encoding="utf-8")
    with pytest.raises(CompositionError, match=r"broken\.toml: not valid TOML: .*line 2"):
        load_body(path)


def test_a_missing_file(tmp_path):
    with pytest.raises(CompositionError, match=r"nope\.toml: cannot read the file"):
        get_body(str(tmp_path / "nope.toml"))


def test_an_unknown_body_key():
    with pytest.raises(CompositionError, match="unknown body 'senate': use one of national"):
        get_body("senate")


def test_built_in_bodies_by_key():
    assert get_body("national") is NATIONAL
    assert get_body("local-health-panel") is LOCAL_HEALTH_PANEL


# -- command line ---------------------------------------------------------------------------------


def test_composition_table_shows_categories_totals_and_subunits():
    r = runner.invoke(app, ["composition"])
    assert r.exit_code == 0, r.output
    for text in (
        "Jury's experts",
        "each party group",
        "four-weekly",
        "50 groups",
        "25 assemblies",
        "13,200",
        "12,000 people",
        "Behavioural Sciences",
        "Advocacy & Dissent",
        "UK Youth Parliament (25 seats)",
    ):
        assert text in r.output


def test_composition_json_for_the_local_panel():
    r = runner.invoke(app, ["composition", "--body", "local-health-panel", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["key"] == "local-health-panel"
    assert data["totals"]["seats"] == 40


def test_composition_of_a_toml_file_and_of_a_bad_one(tmp_path):
    good = tmp_path / "panel.toml"
    good.write_text(GOOD, encoding="utf-8")
    r = runner.invoke(app, ["composition", "--body", str(good), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["totals"]["rota_places"] == 22
    bad = runner.invoke(app, ["composition", "--body", "senate"])
    assert bad.exit_code == 2
    assert "unknown body 'senate'" in bad.output


def test_delegation_without_counts_prints_the_default_split_and_limits():
    r = runner.invoke(app, ["delegation", "--seats", "2"])
    assert r.exit_code == 0, r.output
    assert "48 places: default split" in r.output
    assert "at most 12" in r.output
    assert "floor(P/4)" in r.output


def test_delegation_json_default():
    r = runner.invoke(app, ["delegation", "--seats", "1", "--sharers", "13", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["counts"] == {"nominated": 3, "indirect": 2, "members": 4, "constituency": 4}
    assert data["default"] is True
    assert data["limits"]["party_max"] == 5


def test_delegation_checks_a_valid_split():
    args = ["delegation", "--seats", "1", "--nominated", "6", "--indirect", "6"]
    r = runner.invoke(app, [*args, "--members", "6", "--constituency", "6"])
    assert r.exit_code == 0, r.output
    assert "valid" in r.output


def test_delegation_lists_every_problem_and_exits_1():
    r = runner.invoke(
        app,
        ["delegation", "--seats", "1", "--nominated", "7", "--members", "5", "--indirect", "-1"],
    )
    assert r.exit_code == 1
    assert "nominated: 7 places, more than the 6 allowed (a quarter of 24): 1 too many" in r.output
    assert "members: 5 places, fewer than the 6 required" in r.output
    assert "indirect: -1 places" in r.output
    assert "constituency: 0 places" in r.output


def test_delegation_that_cannot_be_split_exits_2():
    r = runner.invoke(app, ["delegation", "--seats", "1", "--sharers", "1"])
    assert r.exit_code == 2
    assert "cannot be split" in r.output
