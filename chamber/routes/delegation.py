"""Filling a party's delegation (24 places a seat) through its four routes, enforced: up to a
quarter nominated by the party, up to a quarter indirectly elected by its representatives and
governing bodies, at least a quarter elected by its members (an STV count), at least a quarter
elected in single-member constituencies by an open primary held after the general election
(an IRV count each).  In the transition the party's life peers claim places first; the quarter
rule then holds for the places that remain (`electoral.delegation`).  Everything is checked
before anything is counted, and a refusal stores nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from chamber.elections.services import count_election, stored
from chamber.errors import Conflict, Invalid, Refused
from chamber.routes.party import party_seats
from chamber.routes.places import Chosen, seat_people, serving, share, start_of
from chamber.routes.records import store_result
from electoral.ballots import parse_ballots
from electoral.delegation import ROUTE_TITLES, DelegationError, validate_delegation
from electoral.errors import CountError

PEER = "life peer's claim"
WAYS: dict[str, str] = {"peer": PEER, **{str(k): v for k, v in ROUTE_TITLES.items()}}


@dataclass(frozen=True, slots=True)
class Named:
    """Someone nominated, or elected by representatives (``detail``: the body that did)."""

    name: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Ballots:
    """A ballot file's text and the name it came under (its extension gives its format)."""

    source_name: str
    text: str


@dataclass(frozen=True, slots=True)
class Primary:
    """One constituency's open primary: its ballots and the day it was held."""

    constituency: str
    ballots: Ballots
    held_on: date


@dataclass(frozen=True, slots=True)
class Delegation:
    """What a party submits for its delegation."""

    party: str
    peers: tuple[str, ...] = ()
    nominated: tuple[Named, ...] = ()
    indirect: tuple[Named, ...] = ()
    members: Ballots | None = None
    primaries: tuple[Primary, ...] = ()


def _members_places(members: Ballots | None) -> int:
    if members is None:
        return 0
    profile = parse_ballots(members.text, members.source_name)
    return profile.seats_to_fill(None)


def check_delegation(
    places: int, d: Delegation, peers: tuple[str, ...], held_on: date
) -> dict[str, int]:
    """The places each route holds; `Refused` with the rule and the figures when the submission
    breaks the quarter rule, a claim is not a peer's, or a primary came before the election."""
    problems: list[str] = []
    for name in d.peers:
        if name not in peers:
            problems.append(f"{name} is not a life peer of {d.party} with a claim on its places")
    if len(set(d.peers)) != len(d.peers):
        problems.append("a peer is listed twice")
    seen: set[str] = set()
    for p in d.primaries:
        if p.constituency in seen:
            problems.append(f"two primaries for {p.constituency}")
        seen.add(p.constituency)
        if p.held_on <= held_on:
            problems.append(
                f"the open primary in {p.constituency} was held on {p.held_on}, not after the "
                f"general election of {held_on}"
            )
    counts = {
        "nominated": len(d.nominated), "indirect": len(d.indirect),
        "members": _members_places(d.members), "constituency": len(d.primaries),
    }
    rest = places - len(d.peers)
    if rest < 0:
        problems.append(f"{len(d.peers)} peers claim more than the delegation's {places} places")
    elif rest > 0:
        try:
            validate_delegation(rest, counts, sharers=1)
        except DelegationError as exc:
            problems.extend(exc.problems)
        except CountError as exc:  # one place left after the peers' claims: it cannot split
            problems.append(str(exc))
    elif any(counts.values()):
        problems.append(f"the peers' claims take all {places} places; nothing is left to elect")
    if problems:
        peers_part = f", {len(d.peers)} claimed by life peers" if d.peers else ""
        raise Refused(
            f"{d.party}'s delegation of {places} places{peers_part} breaks the rule "
            f"(up to a quarter nominated, up to a quarter indirect, at least a quarter by members, "
            f"at least a quarter by constituencies; submitted: "
            + ", ".join(f"{k} {v}" for k, v in counts.items()) + "): " + "; ".join(problems)
        )
    return counts


def _one_place_each(party: str, places: list[tuple[str, str]]) -> None:
    """`Refused`, naming each person and both ways, when anyone would hold two of a
    delegation's places (names compared without case or extra spaces)."""
    first: dict[str, str] = {}
    twice = []
    for name, way in places:
        key = " ".join(name.casefold().split())
        if key in first:
            twice.append(f"{name} ({first[key]}; {way})")
        else:
            first[key] = way
    if twice:
        raise Refused(f"{party}'s delegation seats {len(twice)} person(s) twice, each holds one "
                      "place: " + "; ".join(twice))


def _elected(session: Session, election_id: int) -> list[str]:
    names = stored(session, election_id).result["elected"]
    assert isinstance(names, list)
    return [str(n) for n in names]


def fill_delegation(
    session: Session, body_key: str, d: Delegation, *, seed: str,
    serves_from: date | None = None, now: datetime,
) -> int:
    """Check a party's delegation, count its members' ballot (STV, Scottish rules) and each
    constituency's open primary (IRV), store the whole with its counts, and seat everyone in the
    party's seats.  Returns the stored result's id."""
    seats_of = party_seats(session, body_key, d.party)
    cat, all_seats = share(session, body_key, "party")
    seats = [s for s in all_seats if s.code in seats_of.codes]
    places = len(seats) * cat.sharers_per_seat
    begins = start_of(session, body_key, serves_from)
    if any(serving(session, [s.id or 0 for s in seats], begins).values()):
        raise Conflict(f"{d.party}'s delegation already has members serving on {begins}")
    counts = check_delegation(places, d, seats_of.peers, seats_of.held_on)
    if not d.nominated and not d.indirect and not d.members and not d.primaries and not d.peers:
        raise Invalid(f"{d.party}'s delegation names nobody")
    chosen: list[Chosen] = []
    members_count = None
    if d.members is not None:
        members_count = count_election(
            session, f"{d.party}: the members' ballot", d.members.source_name, d.members.text,
            rule="scottish", seed=seed, seats=counts["members"], body_key=body_key, now=now,
        )
        found = len(_elected(session, members_count))
        if found < counts["members"]:
            raise Refused(f"{d.party}'s members' ballot elects {counts['members']} places but "
                          f"only {found} candidates were elected: it needs more candidates")
    primaries: list[dict[str, object]] = []
    winners: list[Chosen] = []
    for p in d.primaries:
        count = count_election(
            session, f"{d.party}: open primary, {p.constituency}", p.ballots.source_name,
            p.ballots.text, rule="irv", seed=seed, seats=1, body_key=body_key, now=now,
        )
        primaries.append({"constituency": p.constituency, "held_on": p.held_on.isoformat(),
                          "election": count})
        winners.append(Chosen(_elected(session, count)[0], d.party, "constituency", d.party,
                              f"open primary, {p.constituency}", count))
    elected = _elected(session, members_count) if members_count is not None else []
    _one_place_each(d.party, [
        *((n, "a life peer's claim") for n in d.peers),
        *((n.name, "nominated") for n in d.nominated),
        *((n.name, "indirectly elected") for n in d.indirect),
        *((n, "elected by the members") for n in elected),
        *((w.name, f"elected in {w.detail.removeprefix('open primary, ')}") for w in winners),
    ])
    submission = {
        "peers": list(d.peers),
        "nominated": [[n.name, n.detail] for n in d.nominated],
        "indirect": [[n.name, n.detail] for n in d.indirect],
        "members": None if members_count is None else {
            "source": d.members.source_name if d.members else "", "election": members_count},
        "primaries": primaries,
    }
    result = store_result(
        session, body_key=body_key, route="party", step="delegation", unit=d.party,
        title=f"{d.party}: delegation of {places} places", source_name="delegation.json",
        inputs=json.dumps(submission, indent=1, ensure_ascii=False), seed=seed,
        result={"places": places, "seats": list(seats_of.codes), "peers": len(d.peers),
                "counts": counts, "allocation": seats_of.result_id},
        now=now,
    )
    rid = result.id
    chosen += [Chosen(n, d.party, "peer", d.party, "life peer", result_id=rid) for n in d.peers]
    chosen += [Chosen(n.name, d.party, "nominated", d.party, n.detail, result_id=rid)
               for n in d.nominated]
    chosen += [Chosen(n.name, d.party, "indirect", d.party, n.detail, result_id=rid)
               for n in d.indirect]
    if members_count is not None:
        chosen += [Chosen(name, d.party, "members", d.party, "elected by the party's members",
                          members_count, rid)
                   for name in elected]
    chosen += [Chosen(w.name, w.group, w.way, w.unit, w.detail, w.election_id, rid)
               for w in winners]
    seat_people(session, body_key, cat, seats, chosen, "party", begins,
                f"{d.party}'s delegation")
    assert rid is not None
    return rid
