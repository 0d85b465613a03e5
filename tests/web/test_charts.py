"""The server's SVG charts: every candidate's full name in the legend (never cut), the legend as
tall as the candidates, names escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from web.charts import stages_chart

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
