"""The organisations' seats (50): the eligibility check and the approval ballot (each voter
marks up to 20; the 50 with most votes win, a tie for the last places by lot), stored with both
files; then each winning organisation names the group of 24 who rotate its seat.  An
organisation that may not stand, or did not win, is refused with the rule and its figures."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlmodel import Session

from chamber.errors import Conflict, NotFound, Refused
from chamber.routes import csvrows
from chamber.routes.places import Chosen, seat_people, serving, share, start_of
from chamber.routes.records import latest, store_result
from electoral.approval import (
    MAX_CHOICES,
    count_approval,
    parse_approval_ballots,
    parse_organisations,
)
from electoral.approval.organisations import name_key


def run_ballot(
    session: Session, body_key: str, orgs_name: str, orgs: str, ballots_name: str, ballots: str,
    *, seed: str, now: datetime,
) -> int:
    """Check who may stand and count the organisations ballot for the share's seats; store both
    files, the eligibility of each organisation and the count; returns the stored id."""
    if latest(session, body_key, "organisations", "ballot") is not None:
        raise Conflict(f"the organisations ballot of {body_key} is already counted")
    _cat, seats = share(session, body_key, "organisations")
    standing, checks = parse_organisations(orgs, orgs_name)
    parsed = parse_approval_ballots(ballots, standing, ballots_name)
    result = count_approval(parsed, standing, len(seats), MAX_CHOICES, seed)
    inputs = json.dumps({orgs_name: orgs, ballots_name: ballots}, ensure_ascii=False)
    record = store_result(
        session, body_key=body_key, route="organisations", step="ballot",
        title=f"Organisations ballot: {result.valid_ballots:,} valid ballots, "
              f"{len(result.winners)} winners",
        source_name=f"{orgs_name} + {ballots_name}", inputs=inputs, seed=result.seed,
        result={
            "eligibility": [
                {**o.as_dict(), **c.as_dict()} for o, c in zip(standing, checks, strict=True)
            ],
            "count": result.as_dict(),
            "seats": {w: s.code for w, s in zip(result.winners, seats, strict=False)},
        }, now=now,
    )
    assert record.id is not None
    return record.id


def name_group(
    session: Session, body_key: str, organisation: str, source_name: str, names: str, *,
    serves_from: date | None = None, now: datetime,
) -> int:
    """A winning organisation names the group who rotate its seat (CSV with a ``name``
    column; exactly one person a place).  Returns the stored list's id."""
    ballot = latest(session, body_key, "organisations", "ballot")
    if ballot is None:
        raise NotFound("the organisations ballot has not been counted yet")
    seats_won = ballot.result["seats"]
    eligibility = ballot.result["eligibility"]
    count = ballot.result["count"]
    assert isinstance(seats_won, dict)
    assert isinstance(eligibility, list)
    assert isinstance(count, dict)
    key = name_key(organisation)
    winner = next((w for w in seats_won if name_key(w) == key), None)
    if winner is None:
        entry = next((e for e in eligibility if name_key(e["name"]) == key), None)
        if entry is None:
            raise NotFound(f"{organisation!r} did not stand in the organisations ballot")
        if not entry["eligible"]:
            raise Refused(
                f"{entry['name']} may not stand for the organisations' seats (any organisation "
                "but a party, a body with a political test of membership, one formed mainly to "
                "influence a party, or a public body controlled by ministers, with 100,000 "
                f"members or nominators): {'; '.join(entry['reasons'])}"
            )
        votes = count["votes"].get(entry["name"], 0)
        last = min((count["votes"][w] for w in seats_won), default=0)
        raise Refused(f"{entry['name']} won no seat: {votes:,} votes; the last of the "
                      f"{len(seats_won)} winners had {last:,}")
    cat, seats = share(session, body_key, "organisations")
    seat = [s for s in seats if s.code == seats_won[winner]]
    begins = start_of(session, body_key, serves_from)
    if any(serving(session, [seat[0].id or 0], begins).values()):
        raise Conflict(f"{winner} has already named the group for seat {seat[0].code}")
    people = csvrows.names(names, source_name)
    if len(people) != cat.sharers_per_seat:
        raise Refused(f"{winner} names {len(people)} people; its seat {seat[0].code} is "
                      f"shared by {cat.sharers_per_seat}, one a place")
    record = store_result(
        session, body_key=body_key, route="organisations", step="names", unit=winner,
        title=f"{winner}: the group of {len(people)} for seat {seat[0].code}",
        source_name=source_name, inputs=names, result={"seat": seat[0].code,
                                                       "ballot": ballot.id}, now=now,
    )
    seat_people(session, body_key, cat, seat, [
        Chosen(c["name"], winner, "named", winner,
               f"named by {winner}, which won seat {seat[0].code} in the ballot",
               result_id=record.id) for _, c in people
    ], "organisations", begins, winner)
    assert record.id is not None
    return record.id
