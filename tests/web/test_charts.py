"""The server's SVG charts: every candidate's full name in the legend (never cut), the legend as
tall as the candidates, names escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from web.charts import stages_chart, transfer_flows, transfers_chart

SVG = "{http://www.w3.org/2000/svg}"


def _result(names: list[str]) -> dict[str, object]:
    stages = [{"votes": {n: float(10 + i + k) for i, n in enumerate(names)}} for k in range(3)]
    return {"candidates": names, "stages": stages, "quota": 20}


NAME = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=80)


@given(st.lists(NAME, min_size=1, max_size=30, unique=True))
def test_every_name_appears_whole_in_the_legend(names):
    svg = ET.fromstring(stages_chart(_result(names)))
    legend = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "legend"]
    assert sorted(legend) == sorted(names)
    width, height = (float(v) for v in svg.attrib["viewBox"].split()[2:])
    longest = max(len(n) for n in names)
    assert width >= 60 + 470 + 6.6 * longest
    assert height >= 14 * len(names) + 60


def test_the_transfers_chart_draws_every_flow_of_a_real_count(world, client_for):
    page = client_for("anonymous").get(f"/elections/{world.election}").text
    assert 'aria-labelledby="transfers-title"' in page
    assert "Every transfer, stage by stage" in page
    assert "George Redmond (Lab) to Ruth Simpson (Lab)" in page  # the first surplus


@given(st.lists(st.tuples(st.sampled_from("ABCDE"), st.sampled_from("ABCDE"),
                          st.integers(1, 10_000)), min_size=1, max_size=12))
def test_the_transfers_chart_has_a_band_per_flow_and_parses(moves):
    stages = [
        {"stage": i + 2, "action": "surplus", "subject": a, "transferred": str(v + 1),
         "transfers": {b: str(v)}}
        for i, (a, b, v) in enumerate(moves)
    ]
    result = {"candidates": list("ABCDE"), "stages": stages}
    flows = transfer_flows(result)
    svg = ET.fromstring(transfers_chart(result))
    bands = svg.findall("{http://www.w3.org/2000/svg}path")
    assert len(bands) == len(flows)
    assert abs(sum(v for _, _, v in flows) - sum(v + 1 for _, _, v in moves)) < 1e-6
