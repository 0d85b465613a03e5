"""Published records: counts and draws published by earlier versions still load, print the same
JSON and verify; malformed ones are refused naming the field."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from electoral import count_file, differences, result_from_dict
from electoral.errors import CountError
from electoral.party_list import allocate
from electoral.sortition.draw import record_from_dict, verify
from electoral.sortition.instance import build_instance, parse_pool, parse_quotas
from electoral.sortition.synthetic import pool_csv, quotas_csv

PUBLISHED = Path(__file__).parent / "published"


@pytest.mark.parametrize(
    ("name", "ballots"), [("42-scottish.json", "42.blt"), ("eq1-meek.json", "eq1.blt")]
)
def test_a_published_count_loads_prints_the_same_and_agrees_with_a_recount(stv_data, name, ballots):
    text = (PUBLISHED / name).read_text(encoding="utf-8")
    published = result_from_dict(json.loads(text))
    assert published.to_json() + "\n" == text
    recount = count_file(stv_data / ballots, published.rule, published.seats, published.seed)
    assert differences(published, recount) == []
    assert recount == published


def test_a_count_published_before_stages_had_quotas_takes_the_counts():
    data = json.loads((PUBLISHED / "42-scottish.json").read_text(encoding="utf-8"))
    for stage in data["stages"]:
        del stage["quota"], stage["transferred"], stage["loss_to_truncation"]
    for key in ("rule_version", "title", "withdrawn", "precision", "lots", "validation"):
        del data[key]
    result = result_from_dict(data)
    assert {s.quota for s in result.stages} == {data["quota"]}
    assert result.rule_version == ""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rule": "borda"}, "not a count result: Invalid enum value 'borda' - at `$.rule`"),
        ({"seats": "three"}, "not a count result: Expected `int`, got `str` - at `$.seats`"),
        ({"stages": [{"stage": 1}]}, "not a count result: Object missing required field"),
    ],
)
def test_a_malformed_count_is_refused_naming_the_field(change, message):
    data = json.loads((PUBLISHED / "42-scottish.json").read_text(encoding="utf-8"))
    with pytest.raises(CountError, match=re.escape(message)):
        result_from_dict({**data, **change})


@pytest.mark.parametrize("method", ["leximin", "legacy"])
def test_a_published_draw_loads_prints_the_same_and_verifies(method):
    text = (PUBLISHED / f"draw-{method}.json").read_text(encoding="utf-8")
    record = record_from_dict(json.loads(text))
    assert record.to_json() + "\n" == text
    quotas, sha = parse_quotas(quotas_csv(6))
    instance = build_instance(parse_pool(pool_csv(40, 5)), quotas, 6, quotas_sha256=sha)
    assert verify(record, instance) == []


def test_a_malformed_draw_record_is_refused_naming_the_field():
    data = json.loads((PUBLISHED / "draw-leximin.json").read_text(encoding="utf-8"))
    with pytest.raises(CountError, match=r"not a draw record: .* at `\$\.method`"):
        record_from_dict({**data, "method": "sortition"})
    del data["seed"]
    with pytest.raises(CountError, match="not a draw record: Object missing required field `seed`"):
        record_from_dict(data)


def test_plain_data_has_lists_where_the_json_has_arrays():
    allocation = allocate(["A", "B", "C"], [60, 30, 10], 4, seed="s")
    data = allocation.as_dict()
    assert isinstance(data["parties"], list)
    assert isinstance(data["lots"], list)
    assert data["seats_by_party"] == {"A": 3, "B": 1, "C": 0}
    assert list(data)[5:8] == ["cutoff", "seats_by_party", "parties"]
