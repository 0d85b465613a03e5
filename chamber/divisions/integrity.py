"""The divisions' tables replayed from the audit log and compared with it: every division's
definition (question, options, sitting, times), status and published result, and every member
vote; public votes and proxies are in `integrity_votes`.  Each row that differs from the log,
is missing, or has no entry is named."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, select

from chamber.audit.services import Entry, Findings, instant
from chamber.clock import aware
from chamber.divisions.integrity_votes import proxy_problems, public_problems
from chamber.divisions.lifecycle import chained_result
from chamber.divisions.models import Division, MemberVote


def division_problems(
    session: Session, entries: Sequence[Entry], audit_key: bytes | None
) -> Findings:
    """Every division, vote, submission and proxy that differs from what the chain records
    (submissions' MACs are checked when ``audit_key`` is given)."""
    found = Findings()
    closed = _divisions(session, entries, found)
    found.problems += _member_votes(session, entries)
    found.add(public_problems(session, entries, audit_key, closed))
    found.problems += proxy_problems(session, entries)
    return found


def _divisions(session: Session, entries: Sequence[Entry], found: Findings) -> set[int]:
    """Check each division against its entries; the divisions the log has closed."""
    created: dict[int, Entry] = {}
    opened: dict[int, Entry] = {}
    closes: dict[int, Entry] = {}
    for e in entries:
        number = e.payload.get("division")
        if not isinstance(number, int):
            continue
        if e.kind == "division created":
            created.setdefault(number, e)
        elif e.kind == "division opened":
            opened.setdefault(number, e)
        elif e.kind == "division closed":
            if number in closes:
                found.problems.append(
                    f"division {number} was closed twice on the audit log (entries "
                    f"{closes[number].id} and {e.id})"
                )
            closes.setdefault(number, e)
    untimed = unpublished = 0
    rows = session.exec(select(Division)).all()
    for d in rows:
        assert d.id is not None
        entry = created.get(d.id)
        if entry is None:
            found.problems.append(
                f"division {d.id} has no audit entry: it was not created through the chamber"
            )
            continue
        found.problems += _definition(d, entry)
        untimed += "opens_at" not in entry.payload
        expected = "closed" if d.id in closes else "open" if d.id in opened else "scheduled"
        if d.status != expected:
            if expected == "closed":
                found.problems.append(
                    f"division {d.id} was closed (audit entry {closes[d.id].id}) but is stored "
                    f"as {d.status!r}: a closed division never reopens"
                )
            else:
                found.problems.append(
                    f"division {d.id} is stored as {d.status!r} but the audit log has it "
                    f"{expected}"
                )
        if d.id in closes:
            problem, old = _result(d, closes[d.id])
            found.problems += problem
            unpublished += old
        elif d.result is not None:
            found.problems.append(
                f"the stored result of division {d.id} has no audit entry: the log never "
                "closed it"
            )
    for number in sorted(set(created) - {d.id for d in rows}):
        found.problems.append(
            f"division {number} (audit entry {created[number].id}) is missing from the "
            "division table"
        )
    if untimed:
        found.notes.append(
            f"the sittings and times of {untimed:,} divisions were recorded before the audit "
            "log held them (their questions and options are checked)"
        )
    if unpublished:
        found.notes.append(
            f"the proxy figures of {unpublished:,} results were recorded before the audit log "
            "held the whole published result (the votes and outcome are checked)"
        )
    return set(closes)


def _definition(d: Division, entry: Entry) -> list[str]:
    p = entry.payload
    recorded: dict[str, Any] = {"question": p.get("question"), "options": p.get("options")}
    stored: dict[str, Any] = {"question": d.question, "options": list(d.options)}
    if "opens_at" in p:
        recorded |= {"sitting": p.get("sitting"), "opening time": instant(p.get("opens_at")),
                     "closing time": instant(p.get("closes_at"))}
        stored |= {"sitting": d.sitting_id, "opening time": aware(d.opens_at),
                   "closing time": aware(d.closes_at)}
    return [
        f"the {name} of division {d.id} differs from its audit entry {entry.id}"
        for name in recorded
        if recorded[name] != stored[name]
    ]


def _result(d: Division, close: Entry) -> tuple[list[str], int]:
    """Problems with a closed division's stored result, and 1 if its entry (made before the
    whole result was chained) holds only the outcome."""
    published: dict[str, Any] = dict(d.result or {})
    chained: dict[str, Any] = close.payload.get("result") or {}
    whole = "closed_at" in chained
    if whole:
        same = chained_result(published) == chained
    else:
        same = all(published.get(k) == v for k, v in chained.items())
    if not same or d.audit_head != close.hash or published.get("audit_head") != close.hash:
        return [
            f"the stored result of division {d.id} differs from its audit entry {close.id}"
        ], 0
    return [], 0 if whole else 1


def _member_votes(session: Session, entries: Sequence[Entry]) -> list[str]:
    """Every member vote present and as the latest entry for its seat; none without one."""
    options = {d.id: list(d.options) for d in session.exec(select(Division))}
    latest: dict[tuple[int, str], Entry] = {}
    for e in entries:
        if e.kind == "member vote":
            latest[(e.payload.get("division"), e.payload.get("seat"))] = e  # type: ignore[index]
    problems = []
    seen = set()
    for vote in session.exec(select(MemberVote)):
        key = (vote.division_id, vote.seat)
        seen.add(key)
        entry = latest.get(key)
        where = f"the member vote of seat {vote.seat} in division {vote.division_id}"
        if entry is None:
            problems.append(f"{where} has no audit entry")
            continue
        p = entry.payload
        opts = options.get(vote.division_id, [])
        index = opts.index(p["option"]) if p.get("option") in opts else -1
        if (p.get("member"), index, instant(p.get("at"))) != (
            vote.member, vote.option, aware(vote.at)
        ):
            problems.append(f"{where} differs from the audit log (entry {entry.id})")
    for key in sorted(set(latest) - seen, key=str):
        problems.append(
            f"the member vote of seat {key[1]} in division {key[0]} (audit entry "
            f"{latest[key].id}) is missing"
        )
    return problems
