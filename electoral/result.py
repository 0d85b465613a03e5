"""The result of a count: frozen values for every stage, tie and transfer; JSON and CSV views."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Tie:
    """A tie met during the count and how it was broken."""

    stage: int
    purpose: str  # "exclusion", "surplus order", "order of election", "defeat"
    candidates: tuple[str, ...]
    chosen: str
    method: str  # "earlier stage N" or "lot"
    lot: int | None = None  # index of the draw in the seeded sequence, when by lot

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "purpose": self.purpose,
            "candidates": list(self.candidates),
            "chosen": self.chosen,
            "method": self.method,
            "lot": self.lot,
        }


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of a count: what was done, to whom, and everyone's votes afterwards.

    ``votes`` maps every candidate to a decimal string; ``transfers`` maps each receiving
    candidate to the value received from ``subject`` at this stage.
    """

    stage: int
    action: str  # "first preferences", "surplus", "exclusion", "iteration"
    subject: str | None
    votes: Mapping[str, str]
    non_transferable: str
    loss_to_truncation: str
    quota: str
    transfers: Mapping[str, str] = field(default_factory=dict)
    transferred: str = "0"
    elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "action": self.action,
            "subject": self.subject,
            "votes": dict(self.votes),
            "non_transferable": self.non_transferable,
            "loss_to_truncation": self.loss_to_truncation,
            "quota": self.quota,
            "transferred": self.transferred,
            "transfers": dict(self.transfers),
            "elected": list(self.elected),
            "excluded": list(self.excluded),
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class CountResult:
    """A complete, re-runnable count: inputs that matter, every stage, every tie, the outcome."""

    rule: str
    rule_version: str
    seats: int
    candidates: tuple[str, ...]
    valid_ballots: int
    invalid_ballots: int
    quota: str
    elected: tuple[str, ...]
    stages: tuple[Stage, ...]
    ties: tuple[Tie, ...]
    seed: str
    lots: tuple[int, ...]
    validation: Mapping[str, Any]
    withdrawn: tuple[str, ...] = ()
    title: str = ""
    precision: str = ""
    source_sha256: str = ""

    @property
    def excluded(self) -> tuple[str, ...]:
        return tuple(c for s in self.stages for c in s.excluded)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "rule_version": self.rule_version,
            "title": self.title,
            "seats": self.seats,
            "candidates": list(self.candidates),
            "withdrawn": list(self.withdrawn),
            "valid_ballots": self.valid_ballots,
            "invalid_ballots": self.invalid_ballots,
            "quota": self.quota,
            "precision": self.precision,
            "elected": list(self.elected),
            "stages": [s.as_dict() for s in self.stages],
            "ties": [t.as_dict() for t in self.ties],
            "seed": self.seed,
            "lots": list(self.lots),
            "validation": dict(self.validation),
            "source_sha256": self.source_sha256,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)

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
    """Rebuild a result from its JSON form (to compare a published count with a re-run)."""
    stages = tuple(
        Stage(
            stage=s["stage"],
            action=s["action"],
            subject=s["subject"],
            votes=dict(s["votes"]),
            non_transferable=s["non_transferable"],
            loss_to_truncation=s.get("loss_to_truncation", "0"),
            quota=s.get("quota", data["quota"]),
            transfers=dict(s.get("transfers", {})),
            transferred=s.get("transferred", "0"),
            elected=tuple(s.get("elected", ())),
            excluded=tuple(s.get("excluded", ())),
            note=s.get("note", ""),
        )
        for s in data["stages"]
    )
    ties = tuple(
        Tie(
            t["stage"], t["purpose"], tuple(t["candidates"]), t["chosen"], t["method"], t.get("lot")
        )
        for t in data.get("ties", ())
    )
    return CountResult(
        rule=data["rule"],
        rule_version=data.get("rule_version", ""),
        seats=data["seats"],
        candidates=tuple(data.get("candidates", ())),
        valid_ballots=data["valid_ballots"],
        invalid_ballots=data.get("invalid_ballots", 0),
        quota=data["quota"],
        elected=tuple(data["elected"]),
        stages=stages,
        ties=ties,
        seed=data["seed"],
        lots=tuple(data.get("lots", ())),
        validation=data.get("validation", {}),
        withdrawn=tuple(data.get("withdrawn", ())),
        title=data.get("title", ""),
        precision=data.get("precision", ""),
        source_sha256=data.get("source_sha256", ""),
    )
