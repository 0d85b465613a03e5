"""The result of a count: frozen values for every stage, tie and transfer; JSON and CSV views."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from electoral.plain import Published, load

#: What a stage does (Meek's "iteration" elects after its keep factors settle; "remaining" fills
#: the last seats without a transfer).
Action = Literal["first preferences", "surplus", "exclusion", "iteration", "remaining"]
#: What a tie was broken for.
Purpose = Literal["exclusion", "surplus order", "order of election"]
RuleName = Literal["scottish", "meek", "irv"]


@dataclass(frozen=True, slots=True)
class Tie(Published):
    """A tie met during the count and how it was broken."""

    stage: int
    purpose: Purpose
    candidates: tuple[str, ...]
    chosen: str
    method: str  # "earlier stage N" or "lot"
    lot: int | None = None  # index of the draw in the seeded sequence, when by lot


@dataclass(frozen=True, slots=True, kw_only=True)
class Stage(Published):
    """One stage of a count: what was done, to whom, and everyone's votes afterwards.

    ``votes`` maps every candidate to a decimal string; ``transfers`` maps each receiving
    candidate to the value received from ``subject`` at this stage.  Fields are in the order of
    the published JSON.
    """

    stage: int
    action: Action
    subject: str | None
    votes: Mapping[str, str]
    non_transferable: str
    loss_to_truncation: str = "0"
    quota: str
    transferred: str = "0"
    transfers: Mapping[str, str] = field(default_factory=dict)
    elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CountResult(Published):
    """A complete, re-runnable count: inputs that matter, every stage, every tie, the outcome.

    Fields are in the order of the published JSON; those with defaults may be missing from
    results published by earlier versions.
    """

    rule: RuleName
    rule_version: str = ""
    title: str = ""
    seats: int
    candidates: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()
    valid_ballots: int
    invalid_ballots: int = 0
    quota: str
    precision: str = ""
    elected: tuple[str, ...]
    stages: tuple[Stage, ...]
    ties: tuple[Tie, ...] = ()
    seed: str
    lots: tuple[int, ...] = ()
    validation: Mapping[str, Any] = field(default_factory=dict)
    source_sha256: str = ""

    @property
    def excluded(self) -> tuple[str, ...]:
        return tuple(c for s in self.stages for c in s.excluded)

    def stages_csv(self) -> str:
        """Round-by-round table: one row per candidate, one column per stage."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["candidate", *(f"stage {s.stage}: {s.action}" for s in self.stages)])
        for c in self.candidates:
            if c in self.withdrawn:
                continue
            w.writerow([c, *(s.votes.get(c, "") for s in self.stages)])
        w.writerow(["non-transferable", *(s.non_transferable for s in self.stages)])
        w.writerow(["loss to truncation", *(s.loss_to_truncation for s in self.stages)])
        return out.getvalue()

    def transfers_csv(self) -> str:
        """Transfer table: one row per (stage, from, to, value)."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["stage", "action", "from", "to", "value"])
        for s in self.stages:
            for to, value in s.transfers.items():
                w.writerow([s.stage, s.action, s.subject or "", to, value])
        return out.getvalue()


def result_from_dict(data: Mapping[str, Any]) -> CountResult:
    """Rebuild a result from its JSON form (to compare a published count with a re-run).

    Results published before each stage recorded its quota show only the count's; each stage
    takes that one.
    """
    if isinstance(data, Mapping) and isinstance(data.get("stages"), list):
        quota = data.get("quota")
        data = {
            **data,
            "stages": [
                {"quota": quota, **s} if isinstance(s, Mapping) else s for s in data["stages"]
            ],
        }
    return load(CountResult, data, "a count result")
