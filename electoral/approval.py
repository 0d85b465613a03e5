"""The organisations ballot: which organisations may stand, and the 50 chosen by approval vote.

Source: the seed proposal (``shared/seeds/003_aeef07f0709bf9e4.txt``, "One tenth (50 seats, each
shared by a number of people) to be filled by representatives of organisations chosen by the
people"):

- any organisation may stand other than a political party, an organisation with a political test
  of membership, an organisation formed primarily to influence a particular party, or a public body
  under the control of Ministers (trade unions may stand whether or not they have a political fund,
  and charities may stand);
- to stand, an organisation needs 100,000 members or nominators, in any mix (e.g. 60,000 members
  and 40,000 nominators who are not members);
- each voter votes for up to 20 organisations; the 50 with the most votes each appoint a group of
  people to rotate one seat.

A ballot naming more organisations than allowed, or one organisation twice, or none at all, is
invalid: it is not counted, and the number of such ballots (with the first few line numbers) is
reported by reason.  A tie for the last winning places is decided by lot from an announced seed,
and the draw is recorded.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from numpy.typing import NDArray

from electoral.ballots.textfile import csv_header, numbered_columns, read_text, weighted_rows
from electoral.errors import BallotFileError, CountError
from electoral.lots import Lots, new_seed

#: Members plus nominators (people who are not members) an organisation needs to stand.
THRESHOLD = 100_000
SEATS = 50
MAX_CHOICES = 20

#: Kinds of organisation that may not stand, with the reason a clerk gives.
EXCLUDED_KINDS: Mapping[str, str] = {
    "party": "a political party may not stand",
    "political-test": "an organisation with a political test of membership may not stand",
    "party-influence": (
        "an organisation formed mainly to influence a particular party may not stand"
    ),
    "ministerial-public-body": "a public body under the control of ministers may not stand",
}
#: Kinds that may stand (given enough members and nominators).
ALLOWED_KINDS: tuple[str, ...] = (
    "charity",
    "trade-union",
    "association",
    "professional-body",
    "co-operative",
    "company",
    "faith",
    "other",
)
KINDS: tuple[str, ...] = (*ALLOWED_KINDS, *EXCLUDED_KINDS)

#: How many line numbers each kind of invalid ballot keeps as examples.
EXAMPLES = 5
#: Ballot rows counted at a time (bounds the memory of the sort that finds repeated names).
_CHUNK = 1 << 20

Choices = NDArray[np.signedinteger[Any]]
Int64s = NDArray[np.int64]


def _key(name: str) -> str:
    """How names are compared: case and runs of spaces do not matter."""
    return " ".join(name.split()).casefold()


def _kind_key(kind: str) -> str:
    return re.sub(r"[\s_]+", "-", kind.strip().lower())


# -- organisations and who may stand -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Organisation:
    """An organisation asking to stand: members, nominators (who are not members) and kind."""

    name: str
    members: int
    nominators: int
    kind: str

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

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "members": self.members,
            "nominators": self.nominators,
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Whether an organisation may stand and, if not, every reason it is refused."""

    name: str
    eligible: bool
    reasons: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "eligible": self.eligible, "reasons": list(self.reasons)}


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
    """Read the organisations asking to stand (CSV: ``name,members,nominators,kind``, any order).

    Extra columns are ignored; numbers may be written ``60000`` or ``60,000``; a kind is matched
    without regard to case, and ``trade union`` or ``trade_union`` reads as ``trade-union``.
    Returns the organisations in file order and the eligibility of each.
    """
    if isinstance(source, (str, Path)):
        text, path = read_text(source), str(source)
    else:
        text, path = source.read(), name or str(getattr(source, "name", "<organisations>"))
    reader = csv.reader(io.StringIO(text, newline=""))
    header = csv_header(reader, path)
    cols: dict[str, int] = {}
    for i, col in enumerate(header):
        key = col.strip().lower()
        if key in _ORG_COLUMNS:
            if key in cols:
                raise BallotFileError(
                    path, 1, f"two {key!r} columns (fields {cols[key] + 1}, {i + 1})"
                )
            cols[key] = i
    for key in _ORG_COLUMNS:
        if key not in cols:
            raise BallotFileError(
                path, 1, f"missing column {key!r} (the header needs {', '.join(_ORG_COLUMNS)})"
            )

    def number(row: list[str], key: str, lineno: int) -> int:
        cell = row[cols[key]].strip()
        if cell.startswith("-") and _NUMBER.fullmatch(cell[1:]):
            raise BallotFileError(
                path, lineno, f"column {key!r}: must not be negative, got {cell!r}"
            )
        if not _NUMBER.fullmatch(cell):
            raise BallotFileError(
                path,
                lineno,
                f"column {key!r}: expected a whole number (0 if none), got {cell!r}",
            )
        return int(cell.replace(",", ""))

    orgs: list[Organisation] = []
    seen: dict[str, int] = {}
    for lineno, row, _ in weighted_rows(reader, header, None, path):
        org_name = " ".join(row[cols["name"]].split())
        if not org_name:
            raise BallotFileError(path, lineno, "column 'name': the name is empty")
        if _key(org_name) in seen:
            raise BallotFileError(
                path,
                lineno,
                f"column 'name': {org_name!r} is listed twice (first at line "
                f"{seen[_key(org_name)]})",
            )
        seen[_key(org_name)] = lineno
        members = number(row, "members", lineno)
        nominators = number(row, "nominators", lineno)
        kind = _kind_key(row[cols["kind"]])
        if kind not in KINDS:
            raise BallotFileError(
                path,
                lineno,
                f"column 'kind': unknown kind {row[cols['kind']].strip()!r}; "
                f"known kinds: {', '.join(KINDS)}",
            )
        orgs.append(Organisation(org_name, members, nominators, kind))
    if not orgs:
        raise BallotFileError(path, None, "no organisations listed below the header")
    return tuple(orgs), tuple(check_eligibility(o) for o in orgs)


# -- ballots -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class ApprovalBallots:
    """Approval ballots as numpy arrays, one row per ballot (or per group of identical ballots).

    ``choices[b]`` holds the indices (into ``organisations``) that ballot row ``b`` marks, padded
    with -1 on the right; ``weights[b]`` is how many identical ballots the row stands for and
    ``lines[b]`` the line of the file it was read from (0 when not read from a file).
    """

    organisations: tuple[str, ...]
    choices: Choices
    weights: Int64s
    lines: Int64s
    source: str = ""

    def __post_init__(self) -> None:
        if self.choices.ndim != 2 or not np.issubdtype(self.choices.dtype, np.signedinteger):
            raise CountError("ballot choices must be a matrix of signed integers")
        rows = self.choices.shape[0]
        if self.weights.shape != (rows,) or self.lines.shape != (rows,):
            raise CountError("there must be one weight and one line number per ballot row")
        if rows and np.any(self.weights < 0):
            raise CountError("ballot weights must not be negative")
        if self.choices.size and (
            int(self.choices.min()) < -1 or int(self.choices.max()) >= len(self.organisations)
        ):
            raise CountError("a ballot names an organisation index beyond the organisation list")

    @classmethod
    def from_rows(
        cls,
        organisations: Sequence[str],
        rows: Sequence[Sequence[int]],
        weights: Sequence[int] | None = None,
        lines: Sequence[int] | None = None,
        *,
        source: str = "",
    ) -> ApprovalBallots:
        """Ballots from lists of organisation indices (rows numbered from line 1 unless given)."""
        width = max((len(r) for r in rows), default=0)
        dtype = np.int16 if len(organisations) < np.iinfo(np.int16).max else np.int32
        choices = np.full((len(rows), width), -1, dtype=dtype)
        for i, r in enumerate(rows):
            choices[i, : len(r)] = r
        w = np.ones(len(rows), np.int64) if weights is None else np.asarray(weights, np.int64)
        where = (
            np.arange(1, len(rows) + 1, dtype=np.int64)
            if lines is None
            else np.asarray(lines, np.int64)
        )
        return cls(tuple(organisations), choices, w, where, source)

    @property
    def total(self) -> int:
        """The number of ballots (the sum of weights)."""
        return int(self.weights.sum())


_CHOICE = re.compile(r"^\s*(?:choice|org(?:ani[sz]ation)?|vote)?[\s_#-]*(\d+)\s*$", re.IGNORECASE)
_WEIGHT = {"weight", "count"}
_DIGITS = re.compile(r"[0-9]+")


def read_approval_ballots(
    source: str | Path | TextIO,
    organisations: Sequence[Organisation],
    *,
    name: str | None = None,
) -> ApprovalBallots:
    """Read approval ballots from CSV; names not on the ballot paper are file errors.

    Organisation columns are those headed ``choice1``, ``choice 2``, ``org3``, ``vote_4`` or just
    ``1``, ``2`` ... (case-insensitive, in any order); an optional ``weight`` (or ``count``) column
    says how many identical ballots a row stands for; other columns (``id`` ...) are ignored.  Each
    non-empty cell names one organisation (case and spacing aside).  A row with no organisation,
    too many, or one organisation twice is kept: :func:`count_approval` reports it as invalid.
    """
    if isinstance(source, (str, Path)):
        text, path = read_text(source), str(source)
    else:
        text, path = source.read(), name or str(getattr(source, "name", "<ballots>"))
    index = {_key(o.name): i for i, o in enumerate(organisations)}
    eligibility = [check_eligibility(o) for o in organisations]
    names = [o.name for o in organisations]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = csv_header(reader, path)
    choice_cols, weight_col = numbered_columns(
        header, _CHOICE, path, "organisation", "choice1, choice2, ... or 1, 2, ..."
    )

    def organisation(cell: str, lineno: int, column: str) -> int:
        i = index.get(_key(cell))
        if i is None:
            near = difflib.get_close_matches(cell, names, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise BallotFileError(
                path,
                lineno,
                f"column {column!r}: unknown organisation {cell!r}, not in the list of "
                f"organisations{hint}",
            )
        if not eligibility[i].eligible:
            raise BallotFileError(
                path,
                lineno,
                f"column {column!r}: {names[i]!r} is not on the ballot paper: "
                f"{'; '.join(eligibility[i].reasons)}",
            )
        return i

    rows: list[list[int]] = []
    weights: list[int] = []
    lines: list[int] = []
    for lineno, row, weight in weighted_rows(reader, header, weight_col, path):
        marks = [
            organisation(row[ci].strip(), lineno, header[ci])
            for _, ci in choice_cols
            if row[ci].strip()
        ]
        rows.append(marks)
        weights.append(weight)
        lines.append(lineno)

    return ApprovalBallots.from_rows(names, rows, weights, lines, source=path)


# -- the count -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Invalid:
    """Ballots not counted for one reason: how many, and the first few lines to look at."""

    reason: str  # "empty", "too many", "repeated"
    description: str
    ballots: int
    examples: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "description": self.description,
            "ballots": self.ballots,
            "examples": list(self.examples),
        }


@dataclass(frozen=True, slots=True)
class BoundaryTie:
    """Organisations level on votes across the last winning place, and the lot that decided."""

    organisations: tuple[str, ...]
    votes: int
    places: int  # how many of them win
    won: tuple[str, ...]  # in the order drawn
    lots: tuple[int, ...]  # indices of the draws in the result's ``lots``
    method: str = "lot"

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisations": list(self.organisations),
            "votes": self.votes,
            "places": self.places,
            "won": list(self.won),
            "method": self.method,
            "lots": list(self.lots),
        }


@dataclass(frozen=True, slots=True)
class ApprovalResult:
    """A complete, re-runnable organisations ballot: every vote total, invalid ballot and lot."""

    seats: int
    max_choices: int
    standing: tuple[str, ...]
    valid_ballots: int
    invalid_ballots: int
    invalid: tuple[Invalid, ...]
    votes: Mapping[str, int]  # every organisation standing, most votes first
    winners: tuple[str, ...]  # most votes first; those won by lot last, in the order drawn
    unfilled: int
    ties: tuple[BoundaryTie, ...]
    seed: str
    lots: tuple[int, ...]
    source: str = ""
    method: str = "approval"

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "seats": self.seats,
            "max_choices": self.max_choices,
            "standing": list(self.standing),
            "valid_ballots": self.valid_ballots,
            "invalid_ballots": self.invalid_ballots,
            "invalid": [i.as_dict() for i in self.invalid],
            "votes": dict(self.votes),
            "winners": list(self.winners),
            "unfilled": self.unfilled,
            "ties": [t.as_dict() for t in self.ties],
            "seed": self.seed,
            "lots": list(self.lots),
            "source": self.source,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)


class _Invalids:
    """Weighted counts and example lines of invalid ballots, reason by reason (internal)."""

    def __init__(self, max_choices: int) -> None:
        self.described = {
            "empty": "marks no organisation",
            "too many": f"marks more than {max_choices} organisations",
            "repeated": "marks the same organisation more than once",
        }
        self.ballots = dict.fromkeys(self.described, 0)
        self.examples: dict[str, list[int]] = {k: [] for k in self.described}

    def add(self, reason: str, rows: NDArray[np.bool_], weights: Int64s, lines: Int64s) -> None:
        self.ballots[reason] += int(weights[rows].sum())
        room = EXAMPLES - len(self.examples[reason])
        if room > 0:
            counted = rows & (weights > 0)
            self.examples[reason].extend(int(x) for x in lines[counted][:room])

    def result(self) -> tuple[Invalid, ...]:
        return tuple(
            Invalid(k, d, self.ballots[k], tuple(self.examples[k]))
            for k, d in self.described.items()
            if self.ballots[k]
        )


def count_approval(
    ballots: ApprovalBallots,
    organisations: Sequence[Organisation],
    seats: int = SEATS,
    max_choices: int = MAX_CHOICES,
    seed: str | None = None,
) -> ApprovalResult:
    """Count an organisations ballot: one vote to each organisation on every valid ballot.

    The ``seats`` organisations standing with the most votes win one seat each; organisations level
    across the last winning place are decided by lot from ``seed`` (a fresh seed, recorded, when
    none is given).  If fewer organisations stand than there are seats, all of them win and the
    rest of the seats are reported as unfilled.
    """
    if seats < 1:
        raise CountError(f"the number of seats must be at least 1, not {seats}")
    if max_choices < 1:
        raise CountError(f"the number of choices allowed must be at least 1, not {max_choices}")
    names = tuple(o.name for o in organisations)
    if names != ballots.organisations:
        raise CountError("the ballots were read against a different list of organisations")
    seed = new_seed() if seed is None else seed
    n = len(names)
    standing = np.array([check_eligibility(o).eligible for o in organisations], dtype=bool)
    width = ballots.choices.shape[1]
    if ballots.total * max(width, 1) >= 2**53:
        raise CountError("too many ballots to count exactly (more than 2^53 marks)")

    votes = np.zeros(n, dtype=np.int64)
    valid_ballots = 0
    invalid = _Invalids(max_choices)
    for start in range(0, ballots.choices.shape[0], _CHUNK):
        choices = ballots.choices[start : start + _CHUNK]
        weights = ballots.weights[start : start + _CHUNK]
        lines = ballots.lines[start : start + _CHUNK]
        marked = choices >= 0
        if not np.all(standing[choices[marked]]):
            bad = np.flatnonzero((marked & ~standing[np.where(marked, choices, 0)]).any(axis=1))
            row = int(bad[0])
            who = names[int(choices[row][marked[row] & ~standing[choices[row]]][0])]
            raise CountError(
                f"{ballots.source or 'ballots'}, line {int(lines[row])}: {who!r} is not on the "
                "ballot paper (it may not stand)"
            )
        length = marked.sum(axis=1)
        empty = length == 0
        too_many = length > max_choices
        ordered = np.sort(choices, axis=1)
        repeated = ((ordered[:, 1:] == ordered[:, :-1]) & (ordered[:, 1:] >= 0)).any(axis=1)
        repeated &= ~too_many
        invalid.add("empty", empty, weights, lines)
        invalid.add("too many", too_many, weights, lines)
        invalid.add("repeated", repeated, weights, lines)
        valid = ~(empty | too_many | repeated)
        valid_ballots += int(weights[valid].sum())
        counted = marked & valid[:, None]
        flat = choices[counted]
        if np.all(weights == 1):
            votes += np.bincount(flat, minlength=n)
        else:
            per_mark = np.broadcast_to(weights[:, None], choices.shape)[counted]
            votes += np.rint(np.bincount(flat, weights=per_mark, minlength=n)).astype(np.int64)

    # Most votes first; among equal votes, the order of the list of organisations.
    order = [int(i) for i in np.lexsort((np.arange(n), -votes)) if standing[i]]
    lots = Lots(seed)
    ties: list[BoundaryTie] = []
    if len(order) <= seats:
        winners = order
    else:
        line = int(votes[order[seats - 1]])
        above = [i for i in order if votes[i] > line]
        level = [i for i in order if votes[i] == line]
        places = seats - len(above)
        if places == len(level):
            winners = above + level
        else:
            remaining = list(level)
            drawn: list[int] = []
            for _ in range(places):
                pick = lots.choose(remaining)
                remaining.remove(pick)
                drawn.append(pick)
            winners = above + drawn
            ties.append(
                BoundaryTie(
                    organisations=tuple(names[i] for i in level),
                    votes=line,
                    places=places,
                    won=tuple(names[i] for i in drawn),
                    lots=tuple(range(len(lots.drawn) - places, len(lots.drawn))),
                )
            )
    won = set(winners)
    ranked = winners + [i for i in order if i not in won]
    return ApprovalResult(
        seats=seats,
        max_choices=max_choices,
        standing=tuple(names[i] for i in range(n) if standing[i]),
        valid_ballots=valid_ballots,
        invalid_ballots=sum(invalid.ballots.values()),
        invalid=invalid.result(),
        votes={names[i]: int(votes[i]) for i in ranked},
        winners=tuple(names[i] for i in winners),
        unfilled=max(0, seats - len(order)),
        ties=tuple(ties),
        seed=seed,
        lots=tuple(lots.drawn),
        source=ballots.source,
    )
