"""A body's volunteer pool: volunteering on the site, withdrawing, an officer's CSV import, and
the pseudonymised pool (ids and features, no names or contacts) that is published with every
draw.  A volunteer's features never change once stored, so the pool any draw was made from is
re-made exactly from the rows it names (`pool_at`)."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from chamber.bodies.services import body
from chamber.errors import Conflict, Invalid, Refused
from chamber.jury.lottery import Lottery
from chamber.jury.models import JuryInvitation, JuryPlace, Volunteer
from electoral.ballots.textfile import content

CONTACT = ("name", "email", "phone", "address")
IMPORT_COLUMNS = ("id", *CONTACT, "consent")
YES, NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0")
MAX_TEXT = 200


@dataclass(frozen=True, slots=True)
class Entry:
    """What a volunteer gives: contact details, consent to be contacted, and a value for each
    feature of the body's quotas."""

    name: str
    features: Mapping[str, str]
    consent: bool
    email: str = ""
    phone: str = ""
    address: str = ""


def feature_problems(lottery: Lottery, values: Mapping[str, str]) -> list[tuple[str, str]]:
    """(field, problem) for each feature missing or not one of its values."""
    out = []
    for f in lottery.features:
        value = values.get(f.key, "").strip()
        if value not in f.values:
            out.append((f.key, f"{value!r} is not one of {', '.join(f.values)}" if value
                        else f"choose one of {', '.join(f.values)}"))
    return out


def _entry_problems(lottery: Lottery, entry: Entry) -> list[tuple[str, str]]:
    problems = []
    if not entry.name.strip():
        problems.append(("name", "give your name"))
    for name in CONTACT:
        value = getattr(entry, name)
        if len(value) > MAX_TEXT or not value.isprintable():
            problems.append((name, f"at most {MAX_TEXT} printable characters"))
    if not (entry.email.strip() or entry.address.strip()):
        problems.append(("email", "give an e-mail or a postal address to be contacted at"))
    if not entry.consent:
        problems.append(("consent", "only people who agree to be contacted can be drawn"))
    return problems + feature_problems(lottery, entry.features)


def _new(
    lottery: Lottery, entry: Entry, source: str, now: datetime, *, account_id: int | None = None,
    external_id: str | None = None,
) -> Volunteer:
    return Volunteer(
        body_key=lottery.body, ref="v" + secrets.token_hex(5), source=source,
        name=entry.name.strip(), email=entry.email.strip(), phone=entry.phone.strip(),
        address=entry.address.strip(),
        features={f.key: entry.features[f.key].strip() for f in lottery.features},
        consent=True, volunteered_at=now, account_id=account_id, external_id=external_id,
    )


def holding(session: Session, body_key: str, volunteer_ids: Iterable[int]) -> dict[int, str]:
    """Volunteer -> the status of the place they hold on the body (invited or serving)."""
    ids = list(volunteer_ids)
    rows = session.exec(
        select(JuryPlace.volunteer_id, JuryPlace.status).where(
            JuryPlace.body_key == body_key, col(JuryPlace.volunteer_id).in_(ids),
            col(JuryPlace.status).in_(("invited", "serving")),
        )
    ).all()
    return {v: s for v, s in rows if v is not None}


def volunteer(
    session: Session, lottery: Lottery, account_id: int, entry: Entry, now: datetime
) -> str:
    """A signed-in person volunteers for a body; returns their entry's pseudonym.  Refused
    while they hold a place on it; one entry in the pool per person and body."""
    body(session, lottery.body)
    problems = _entry_problems(lottery, entry)
    if problems:
        raise Invalid("; ".join(f"{field}: {why}" for field, why in problems))
    mine = session.exec(
        select(Volunteer).where(Volunteer.body_key == lottery.body,
                                Volunteer.account_id == account_id)
    ).all()
    if holding(session, lottery.body, (v.id for v in mine if v.id is not None)):
        raise Refused(f"you hold a place on {lottery.body} already: you cannot volunteer again "
                      "while you serve")
    if any(v.withdrawn_at is None for v in mine):
        raise Conflict(f"you are already in the pool of {lottery.body}; withdraw that entry "
                       "first to change it")
    row = _new(lottery, entry, "site", now, account_id=account_id)
    session.add(row)
    session.flush()
    return row.ref


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: entries added, left as they were, contacts updated, entries stored
    anew because their features changed, and entries withdrawn (consent no)."""

    added: int
    unchanged: int
    updated: int
    replaced: int
    withdrawn: int


def _consent(cell: str) -> bool | None:
    value = cell.strip().lower()
    return True if value in YES else False if value in NO else None


def _parse_import(
    lottery: Lottery, name: str, text: str
) -> tuple[list[tuple[int, str, Entry]], list[str]]:
    """The rows of an import file as (line, id, entry), and every problem found."""
    try:
        rows = list(csv.reader(io.StringIO(content(text), newline="")))
    except csv.Error as exc:
        return [], [f"{name}: not CSV ({exc})"]
    if not rows:
        return [], [f"{name}: empty file: expected a header row"]
    header = [h.strip().lower() for h in rows[0]]
    wanted = [*IMPORT_COLUMNS, *(f.key for f in lottery.features)]
    missing = [c for c in wanted if c not in header and c not in ("email", "phone", "address")]
    if missing:
        return [], [f"{name}, line 1: no column {', '.join(repr(c) for c in missing)} "
                    f"(columns: {', '.join(wanted)})"]
    at = {c: header.index(c) for c in wanted if c in header}
    out: list[tuple[int, str, Entry]] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            problems.append(f"{name}, line {line}: {len(row)} fields, not {len(header)} as in "
                            "the header")
            continue
        cell = {c: row[i] for c, i in at.items()}
        ident = cell["id"].strip()
        if not ident:
            problems.append(f"{name}, line {line}, column 'id': empty")
        elif ident in seen:
            problems.append(f"{name}, line {line}, column 'id': {ident!r} repeats line "
                            f"{seen[ident]}")
        seen[ident] = line
        consent = _consent(cell["consent"])
        if consent is None:
            problems.append(f"{name}, line {line}, column 'consent': {cell['consent']!r} is not "
                            "yes or no")
        entry = Entry(
            name=cell["name"], features={f.key: cell[f.key] for f in lottery.features},
            consent=bool(consent), **{c: cell.get(c, "") for c in ("email", "phone", "address")},
        )
        for field, why in _entry_problems(lottery, entry):
            if field != "consent" and (consent or field not in ("email",)):
                problems.append(f"{name}, line {line}, column {field!r}: {why}")
        out.append((line, ident, entry))
    if not out and not problems:
        problems.append(f"{name}: no volunteers in the file")
    return out, problems


def import_pool(
    session: Session, lottery: Lottery, name: str, text: str, now: datetime
) -> ImportReport:
    """An officer's import of volunteers (columns id, name, email, phone, address, consent and
    one per feature).  Every bad row is named (file, line, column) and nothing is stored if any
    row is bad.  Importing again: a new id is added; an id whose row is unchanged is left; a
    changed contact is updated in place; changed features withdraw the old entry and store a
    new one (published pools never change); consent "no" withdraws the entry; ids absent from
    the file are left as they are.  An entry held by someone invited or serving cannot change."""
    body(session, lottery.body)
    rows, problems = _parse_import(lottery, name, text)
    stored = {
        v.external_id: v
        for v in session.exec(
            select(Volunteer).where(Volunteer.body_key == lottery.body,
                                    Volunteer.source == "import",
                                    col(Volunteer.withdrawn_at).is_(None))
        ).all()
    }
    held = holding(session, lottery.body, (v.id for v in stored.values() if v.id is not None))
    counts = dict.fromkeys(("added", "unchanged", "updated", "replaced", "withdrawn"), 0)
    plan: list[tuple[str, int, str, Entry, Volunteer | None]] = []
    for line, ident, entry in rows:
        old = stored.get(ident)
        if old is None:
            plan.append(("added" if entry.consent else "unchanged", line, ident, entry, None))
            continue
        same = dict(old.features) == {k: v.strip() for k, v in entry.features.items()}
        contact = tuple(getattr(entry, c).strip() for c in CONTACT)
        what = ("withdrawn" if not entry.consent else "unchanged" if same and contact == tuple(
            getattr(old, c) for c in CONTACT) else "updated" if same else "replaced")
        if what in ("withdrawn", "replaced") and old.id in held:
            problems.append(f"{name}, line {line}, column 'id': {ident!r} is {held[old.id]} on "
                            f"{lottery.body}; their entry cannot change now")
        plan.append((what, line, ident, entry, old))
    if problems:
        shown = problems[:50] + ([f"... and {len(problems) - 50} more"] if len(problems) > 50
                                 else [])
        raise Invalid(f"nothing was imported; {len(problems)} problems:\n  " + "\n  ".join(shown))
    for what, _line, ident, entry, old in plan:
        counts[what] += 1
        if old is not None and what in ("withdrawn", "replaced"):
            old.withdrawn_at = now
        if old is not None and what == "updated":
            for c in CONTACT:
                setattr(old, c, getattr(entry, c).strip())
        if what in ("added", "replaced"):
            session.add(_new(lottery, entry, "import", now, external_id=ident))
    session.flush()
    return ImportReport(**counts)


# -- the pool as drawn from, and as published --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Listed:
    """A volunteer as a draw sees them: the entry's id, its pseudonym and its features (the
    pool of 60,000 is read as these three columns, not as whole rows)."""

    id: int
    ref: str
    features: Mapping[str, str]


def _available_where(body_key: str) -> tuple[Any, ...]:
    drawn = select(JuryInvitation.volunteer_id).join(
        JuryPlace, col(JuryPlace.id) == col(JuryInvitation.place_id)
    ).where(JuryPlace.body_key == body_key)
    return (Volunteer.body_key == body_key, col(Volunteer.consent).is_(True),
            col(Volunteer.withdrawn_at).is_(None), col(Volunteer.id).not_in(drawn))


def available(session: Session, body_key: str) -> list[Listed]:
    """The volunteers a draw may select now: consenting, not withdrawn, never drawn for this
    body; in the order of their entries."""
    rows = session.exec(
        select(Volunteer.id, Volunteer.ref, Volunteer.features)
        .where(*_available_where(body_key)).order_by(col(Volunteer.id))
    ).all()
    return [Listed(i or 0, ref, features) for i, ref, features in rows]


def count_available(session: Session, body_key: str) -> int:
    """How many volunteers a draw may select now (as `available`)."""
    return int(session.exec(
        select(func.count()).select_from(Volunteer).where(*_available_where(body_key))
    ).one())


def ranges(ids: Sequence[int]) -> list[list[int]]:
    """Ascending ids as [first, last] runs (how a draw stores the pool it was made from)."""
    out: list[list[int]] = []
    for i in ids:
        if out and i == out[-1][1] + 1:
            out[-1][1] = i
        else:
            out.append([i, i])
    return out


def pool_at(session: Session, runs: Sequence[Sequence[int]]) -> list[Volunteer]:
    """The volunteers of the stored runs, in order (the pool a draw was made from)."""
    found: list[Volunteer] = []
    for n in range(0, len(runs), 500):
        clause = [col(Volunteer.id).between(a, b) for a, b in runs[n: n + 500]]
        found.extend(session.exec(select(Volunteer).where(or_(*clause))).all())
    return sorted(found, key=lambda v: v.id or 0)


def pool_csv(lottery: Lottery, volunteers: Iterable[Volunteer | Listed]) -> str:
    """The pseudonymised pool as published: the entry's pseudonym as id and one column per
    feature; no names, no contacts."""
    keys = [f.key for f in lottery.features]
    lines = [",".join(["id", *keys])]
    lines.extend(",".join([v.ref, *(v.features[k] for k in keys)]) for v in volunteers)
    return "\n".join(lines) + "\n"
