"""Read the stage-by-stage reference reports of Droop (jklundell/droop, test/ref/report)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_CAND = re.compile(r"^\t(Hopeful|Elected|Pending|Defeated):\s+(.*) \(([-\d.]+)\)$")
_TOTAL = re.compile(r"^\t(Nontransferable votes|Residual|Quota): ([-\d.]+)$")


@dataclass
class Action:
    text: str
    votes: dict[str, str] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    totals: dict[str, str] = field(default_factory=dict)


def read_report(path: Path) -> tuple[dict[str, str], list[Action]]:
    header: dict[str, str] = {}
    actions: list[Action] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("Action: "):
            actions.append(Action(line[len("Action: ") :]))
        elif actions and (m := _CAND.match(line)):
            actions[-1].votes[m.group(2)] = m.group(3)
            actions[-1].status[m.group(2)] = m.group(1)
        elif actions and (m := _TOTAL.match(line)):
            actions[-1].totals[m.group(1)] = m.group(2)
        elif not actions and ":" in line:
            key, _, value = line.strip().partition(":")
            header[key.strip()] = value.strip()
    return header, actions


def plain(name: str) -> str:
    """A Scottish record's candidate name without its party in parentheses."""
    return re.sub(r"\s*\([^()]*\)$", "", name)
