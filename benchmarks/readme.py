"""Regenerate the table of ``benchmarks/README.md`` from ``benchmarks/results/*.json`` (written by
each benchmark's last run), between the README's two table markers; ``make bench`` runs it last."""

from __future__ import annotations

import json
import sys

from common import RESULTS, ROOT, Row, fmt

README = ROOT / "benchmarks" / "README.md"
BEGIN, END = "<!-- table: begin -->", "<!-- table: end -->"
ORDER = ("stv", "startup", "allocate", "sortition", "leximin", "jury", "rota", "web", "tally")


def table() -> str:
    lines = [
        "| benchmark | figure | ours | peer or bound | peer | ratio | goal | met |",
        "|---|---|---:|---|---:|---:|---|---|",
    ]
    machines: list[str] = []
    files = sorted(RESULTS.glob("*.json"), key=lambda p: (*ORDER, p.stem).index(p.stem))
    for path in files:
        record = json.loads(path.read_text(encoding="utf-8"))
        machines.append(f"- `{record['command']}`: {record['machine']}")
        for raw in record["rows"]:
            r = Row(**raw)
            met = "-" if r.met is None else "yes" if r.met else "**no**"
            lines.append(
                f"| {record['benchmark']} | {r.figure} | {fmt(r.ours, r.unit)} | {r.peer} | "
                f"{fmt(r.theirs, r.unit)} | {r.ratio()} | {r.goal} | {met} |"
            )
    return "\n".join([*lines, "", "Measured by:", "", *machines])


def main() -> int:
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{table()}\n{END}{tail}", encoding="utf-8")
    print(f"wrote the table of {README.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
