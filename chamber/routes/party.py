"""The party seats (a fifth: 100 seats, 2,400 places): the national vote allocated to parties by
the party-list engine, only parties with more than 1% of the vote qualifying; each party's seats
a block of the share's seats.  In the transition the political life peers have a claim on their
party's places; those whose party has ceased to exist or is no longer entitled to seats share
two seats, set aside from the hundred before the parties' allocation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from chamber.errors import Conflict, NotFound, Refused
from chamber.routes import csvrows
from chamber.routes.places import Chosen, seat_people, share, start_of
from chamber.routes.records import latest, store_result
from electoral.party_list import Allocation, allocate, parse_party_votes

THRESHOLD = "0.01"
PEER_SEATS = 2
PEERS_UNIT = "life peers whose party is not entitled to seats"


@dataclass(frozen=True, slots=True)
class Peer:
    """A political life peer and their party (the transition's claim)."""

    name: str
    party: str


def read_peers(text: str, name: str) -> list[Peer]:
    """Peers from CSV (``name,party``); errors name the file, line and column."""
    csvrows.names(text, name)  # each peer once
    return [Peer(c["name"], c["party"]) for _, c in csvrows.rows(text, name, ("name", "party"))]


def _orphans(peers: list[Peer], allocation: Allocation) -> list[Peer]:
    seats = allocation.seats_by_party
    return [p for p in peers if seats.get(p.party, 0) == 0]


def allocate_party_seats(
    session: Session, body_key: str, source_name: str, votes: str, *, held_on: date,
    method: str = "dhondt", seed: str, peers: list[Peer] | None = None,
    serves_from: date | None = None, now: datetime,
) -> int:
    """Allocate the party seats from the national vote (CSV ``party,votes``) of the general
    election held on ``held_on``; store it; seat the peers whose party is not entitled in the
    two peers' seats.  Returns the stored result's id.  A bad file names file, line and column;
    nothing is stored."""
    if latest(session, body_key, "party", "allocation") is not None:
        raise Conflict(f"the party seats of {body_key} are already allocated")
    cat, seats = share(session, body_key, "party")
    parsed = parse_party_votes(votes, source_name)
    peers = peers or []
    allocation = allocate(parsed.names, parsed.votes, cat.seats, method, threshold=THRESHOLD,
                          seed=seed)
    orphans = _orphans(peers, allocation)
    kept = cat.seats
    if orphans:
        kept = cat.seats - PEER_SEATS
        allocation = allocate(parsed.names, parsed.votes, kept, method, threshold=THRESHOLD,
                              seed=seed)
        orphans = _orphans(peers, allocation)
    if len(orphans) > PEER_SEATS * cat.sharers_per_seat:
        raise Refused(
            f"{len(orphans)} life peers have no entitled party; the two seats they share hold "
            f"{PEER_SEATS * cat.sharers_per_seat}"
        )
    blocks: dict[str, list[str]] = {}
    order = sorted(allocation.parties, key=lambda p: (-p.seats, -p.votes, p.name))
    codes = iter(s.code for s in seats)
    for line in order:
        if line.seats:
            blocks[line.name] = [next(codes) for _ in range(line.seats)]
    peer_seats = [s.code for s in seats[kept:]]
    result = {
        "held_on": held_on.isoformat(),
        "allocation": allocation.as_dict(),
        "seats": blocks,
        "peer_seats": peer_seats,
        "peers": [
            {"name": p.name, "party": p.party,
             "claim": "shares the peers' two seats" if p in orphans else "its party's places"}
            for p in peers
        ],
    }
    stored = store_result(
        session, body_key=body_key, route="party", step="allocation",
        title=f"General election of {held_on:%d %B %Y}: {kept} party seats ({method})",
        source_name=source_name, inputs=votes, seed=allocation.seed, result=result, now=now,
    )
    if orphans:
        seat_people(
            session, body_key, cat, seats[kept:],
            [Chosen(p.name, "life peers", "peer", PEERS_UNIT, f"life peer ({p.party})",
                    result_id=stored.id) for p in orphans],
            "party", start_of(session, body_key, serves_from), "the peers' two seats",
        )
    assert stored.id is not None
    return stored.id


@dataclass(frozen=True, slots=True)
class PartySeats:
    """What the stored allocation gives a party: its seats, its peers, the election's day."""

    result_id: int
    codes: tuple[str, ...]
    peers: tuple[str, ...]
    held_on: date


def party_seats(session: Session, body_key: str, party: str) -> PartySeats:
    """A party's seats from the stored allocation, refused with its figures when it has none."""
    stored = latest(session, body_key, "party", "allocation")
    if stored is None:
        raise NotFound(f"the party seats of {body_key} are not allocated yet (import the vote)")
    blocks = stored.result["seats"]
    assert isinstance(blocks, dict)
    if party not in blocks:
        allocation = stored.result["allocation"]
        assert isinstance(allocation, dict)
        line = next((p for p in allocation["parties"] if p["name"] == party), None)
        if line is None:
            raise NotFound(f"{party!r} is not among the parties of the vote")
        why = line["reason"] or f"{line['votes']:,} votes won no seat"
        raise Refused(f"{party} holds no party seats: {why}")
    peers = stored.result["peers"]
    assert isinstance(peers, list)
    assert stored.id is not None
    return PartySeats(
        stored.id, tuple(blocks[party]),
        tuple(p["name"] for p in peers if p["party"] == party and
              p["claim"] == "its party's places"),
        date.fromisoformat(str(stored.result["held_on"])),
    )
