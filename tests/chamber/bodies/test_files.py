"""Body files: a body read from TOML, every problem named with the file and the field."""

from __future__ import annotations

import re

import pytest

from chamber.bodies import (
    LOCAL_HEALTH_PANEL,
    NATIONAL,
    CompositionError,
    SubUnit,
    builtin_file,
    get_body,
    load_body,
)

GOOD = """
key = "my-panel"
title = "My panel"
expected_seats = 12
cycle_weeks = 2
sessions = [{ name = "evening", start = "18:30", end = "21:00" }]
sittings = [{ week = 1, day = "Tuesday", session = "evening" }]

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
    assert load_body(builtin_file("local-health-panel")) == LOCAL_HEALTH_PANEL


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


@pytest.mark.parametrize(
    ("lines", "says"),
    [
        ('sittings = [{ week = 3, day = "Tuesday", session = "evening" }]',
         "sittings[1].week: 3 is not a week of a 2-week cycle"),
        ('sittings = [{ week = 1, day = "Tuesdays", session = "evening" }]',
         "sittings[1].day: 'Tuesdays' is not one of Monday"),
        ('sittings = [{ week = 1, day = "Tuesday", session = "night" }]', "night"),
        ('sittings = [{ week = 1, day = "Tuesday", session = "evening", urgent_only = "yes" }]',
         "urgent_only: expected true or false"),
        ('sittings = [{ week = 1, day = "Tuesday", session = "evening" },'
         ' { week = 1, day = "Wednesday", session = "evening" }]',
         "its seats sit 4 times a four-weekly cycle, so they need 4 sharers each"),
    ],
)
def test_a_bad_sitting_pattern_is_refused_naming_the_field(tmp_path, lines, says):
    text = GOOD.replace('sittings = [{ week = 1, day = "Tuesday", session = "evening" }]', lines)
    path = tmp_path / "panel.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CompositionError, match=re.escape(says)):
        load_body(path)


def test_the_pattern_of_a_body_file_and_the_national_default():
    local = get_body("local-health-panel")
    assert [(s.day, s.session) for s in local.pattern.slots] == [(1, "evening")]
    assert local.pattern.sessions[0].start.isoformat() == "18:30:00"
    national = get_body("national")
    assert len(national.pattern.slots) == 24
    assert national.cycles_of(national.category("youth")) == 2
