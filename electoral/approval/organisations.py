"""Who may stand in the organisations ballot: the kinds refused, the 100,000 threshold, and
reading the organisations asking to stand (the seed proposal, "The case for a second chamber")."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO, get_args

from electoral.ballots.textfile import content, csv_header, source_text, weighted_rows
from electoral.errors import BallotFileError, CountError
from electoral.plain import Published, one_of

#: Members plus nominators (people who are not members) an organisation needs to stand.
THRESHOLD = 100_000

#: Kinds that may stand (given enough members and nominators).
AllowedKind = Literal[
    "charity",
    "trade-union",
    "association",
    "professional-body",
    "co-operative",
    "company",
    "faith",
    "other",
]
ExcludedKind = Literal["party", "political-test", "party-influence", "ministerial-public-body"]
Kind = AllowedKind | ExcludedKind

#: Kinds of organisation that may not stand (the ExcludedKind ones), with the reason a clerk gives.
EXCLUDED_KINDS: Mapping[Kind, str] = {
    "party": "a political party may not stand",
    "political-test": "an organisation with a political test of membership may not stand",
    "party-influence": (
        "an organisation formed mainly to influence a particular party may not stand"
    ),
    "ministerial-public-body": "a public body under the control of ministers may not stand",
}
ALLOWED_KINDS: tuple[AllowedKind, ...] = get_args(AllowedKind)
KINDS: tuple[Kind, ...] = (*ALLOWED_KINDS, *EXCLUDED_KINDS)


def name_key(name: str) -> str:
    """How names are compared: case and runs of spaces do not matter."""
    return " ".join(name.split()).casefold()


def _kind_key(kind: str) -> str:
    return re.sub(r"[\s_]+", "-", kind.strip().lower())


@dataclass(frozen=True, slots=True)
class Organisation(Published):
    """An organisation asking to stand: members, nominators (who are not members) and kind."""

    name: str
    members: int
    nominators: int
    kind: Kind

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise CountError("an organisation must have a name")
        for what, n in (("members", self.members), ("nominators", self.nominators)):
            if n < 0:
                raise CountError(f"{self.name}: {what} must not be negative, got {n}")
        if self.kind not in KINDS:
            raise CountError(
                f"{self.name}: unknown kind {self.kind!r}; known kinds: {', '.join(KINDS)}"
            )

    @property
    def support(self) -> int:
        """Members plus nominators: what the 100,000 threshold is measured against."""
        return self.members + self.nominators


@dataclass(frozen=True, slots=True)
class Eligibility(Published):
    """Whether an organisation may stand and, if not, every reason it is refused."""

    name: str
    eligible: bool
    reasons: tuple[str, ...] = ()


def check_eligibility(org: Organisation) -> Eligibility:
    """May ``org`` stand?  Every reason it may not, in words a clerk can act on."""
    reasons: list[str] = []
    if org.kind in EXCLUDED_KINDS:
        reasons.append(EXCLUDED_KINDS[org.kind])
    if org.support < THRESHOLD:
        reasons.append(
            f"has {org.members:,} members and {org.nominators:,} nominators: "
            f"{org.support:,}, below the {THRESHOLD:,} needed"
        )
    return Eligibility(org.name, not reasons, tuple(reasons))


_NUMBER = re.compile(r"[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+")
_ORG_COLUMNS = ("name", "members", "nominators", "kind")


def read_organisations(
    source: str | Path | TextIO, *, name: str | None = None
) -> tuple[tuple[Organisation, ...], tuple[Eligibility, ...]]:
    """Read the organisations asking to stand from a file or an open stream; see
    :func:`parse_organisations`."""
    text, path = source_text(source, name, "<organisations>")
    return parse_organisations(text, path)


def parse_organisations(
    text: str, name: str = "<organisations>"
) -> tuple[tuple[Organisation, ...], tuple[Eligibility, ...]]:
    """Parse the organisations asking to stand (CSV: ``name,members,nominators,kind``, any order).

    Extra columns are ignored; numbers may be written ``60000`` or ``60,000``; a kind is matched
    without regard to case, and ``trade union`` or ``trade_union`` reads as ``trade-union``.
    Returns the organisations in file order and the eligibility of each.  Errors name the file
    (``name``), the line and the column.
    """
    reader = csv.reader(io.StringIO(content(text), newline=""))
    header = csv_header(reader, name)
    cols: dict[str, int] = {}
    for i, col in enumerate(header):
        key = col.strip().lower()
        if key in _ORG_COLUMNS:
            if key in cols:
                raise BallotFileError(
                    name, 1, f"two {key!r} columns (fields {cols[key] + 1}, {i + 1})"
                )
            cols[key] = i
    for key in _ORG_COLUMNS:
        if key not in cols:
            raise BallotFileError(
                name, 1, f"missing column {key!r} (the header needs {', '.join(_ORG_COLUMNS)})"
            )

    def number(row: list[str], key: str, lineno: int) -> int:
        cell = row[cols[key]].strip()
        if cell.startswith("-") and _NUMBER.fullmatch(cell[1:]):
            raise BallotFileError(
                name, lineno, f"column {key!r}: must not be negative, got {cell!r}"
            )
        if not _NUMBER.fullmatch(cell):
            raise BallotFileError(
                name,
                lineno,
                f"column {key!r}: expected a whole number (0 if none), got {cell!r}",
            )
        return int(cell.replace(",", ""))

    orgs: list[Organisation] = []
    seen: dict[str, int] = {}
    for lineno, row, _ in weighted_rows(reader, header, None, name):
        org_name = " ".join(row[cols["name"]].split())
        if not org_name:
            raise BallotFileError(name, lineno, "column 'name': the name is empty")
        if name_key(org_name) in seen:
            raise BallotFileError(
                name,
                lineno,
                f"column 'name': {org_name!r} is listed twice (first at line "
                f"{seen[name_key(org_name)]})",
            )
        seen[name_key(org_name)] = lineno
        members = number(row, "members", lineno)
        nominators = number(row, "nominators", lineno)
        kind = _kind_key(row[cols["kind"]])
        if not one_of(kind, KINDS):
            raise BallotFileError(
                name,
                lineno,
                f"column 'kind': unknown kind {row[cols['kind']].strip()!r}; "
                f"known kinds: {', '.join(KINDS)}",
            )
        orgs.append(Organisation(org_name, members, nominators, kind))
    if not orgs:
        raise BallotFileError(name, None, "no organisations listed below the header")
    return tuple(orgs), tuple(check_eligibility(o) for o in orgs)
