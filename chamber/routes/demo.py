"""The demonstration's routes: the national chamber's party, local, faith, youth and
organisations seats filled through the real routes from synthetic but plausible inputs (a
general election, each party's delegation with its members' ballot and open primaries, local
STV constituencies from the 2022 Scottish ward ballots where ``../shared/data`` is beside the
repository, faith partnerships, student unions, the UK Youth Parliament, an organisations
ballot).  Returns how many places each seat has filled, for the invented sharers to top up."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from chamber.bodies.models import Seat
from chamber.db import perform, read, transaction
from chamber.errors import Refused
from chamber.membership.models import Member
from chamber.routes import synthetic as syn
from chamber.routes.delegation import Ballots, Delegation, Named, Primary, fill_delegation
from chamber.routes.organisations import name_group, run_ballot
from chamber.routes.party import Peer, allocate_party_seats, party_seats
from chamber.routes.records import stored_result
from chamber.routes.units import divide, elect, units_of
from chamber.routes.youth import seat_youth_parliament
from electoral.delegation import default_split

WARDS = Path(__file__).resolve().parents[3] / "shared" / "data" / "stv" / "scotland" / "2022"
VOTES = (("Labour", 9_704_655), ("Conservative", 6_827_311), ("Reform UK", 4_117_221),
         ("Liberal Democrat", 3_519_199), ("Green", 1_943_265), ("SNP", 724_758),
         ("Sinn Féin", 210_891), ("Workers Party", 210_194), ("Plaid Cymru", 194_811),
         ("DUP", 172_058), ("Alliance", 117_191), ("UUP", 94_779), ("SDLP", 86_861))
TOWNS = ("Ashford", "Barnsley", "Bolton", "Bury", "Carlisle", "Chester", "Derby", "Dover",
         "Ealing", "Exeter", "Falkirk", "Gloucester", "Halifax", "Hull", "Ipswich", "Kendal",
         "Leeds", "Luton", "Margate", "Newport", "Norwich", "Oldham", "Oxford", "Paisley",
         "Perth", "Preston", "Reading", "Salford", "Stafford", "Swansea", "Telford", "Truro",
         "Wakefield", "Walsall", "Warwick", "Wigan", "Worthing", "York", "Bangor", "Lincoln")
QUARTERS = ("North", "South", "East", "West", "Central", "Rural")
PARTNERSHIPS = ("North East", "North West", "Yorkshire", "East Midlands", "West Midlands",
                "East of England", "London", "South East", "South West", "Wales", "Scotland",
                "Northern Ireland")
UNIONS = ("Manchester", "Leeds", "UCL", "Edinburgh", "Birmingham", "Nottingham", "Sheffield",
          "Glasgow", "Bristol", "Cardiff", "Newcastle", "Liverpool", "Exeter", "Warwick",
          "Open University", "Belfast", "Aberdeen", "Kent", "Leicester", "Southampton")
ORGANISATIONS = 66


def fill(engine: Engine, body_key: str, first: date, now: datetime, seed: str,
         local_seats: int = 8) -> dict[str, int]:
    """Fill the shares through their routes; seat code -> places filled."""
    rng = np.random.default_rng(list(f"routes {seed}".encode()))
    _party(engine, body_key, first, now, seed, rng)
    _local(engine, body_key, now, seed, rng, local_seats)
    _units(engine, body_key, "faith", [f"{p} Multi-Faith Partnership" for p in PARTNERSHIPS],
           (40_000, 400_000), now, seed, rng)
    _units(engine, body_key, "students", [f"{u} Students' Union" for u in UNIONS],
           (15_000, 60_000), now, seed, rng)
    _youth(engine, body_key, first, now, rng)
    _organisations(engine, body_key, now, seed, rng)
    with transaction(engine, write=False) as session:
        return dict(Counter(session.exec(
            select(Seat.code).join(Member, col(Member.seat_id) == col(Seat.id))
            .where(Seat.body_key == body_key)
        ).all()))


def _party(engine: Engine, body_key: str, first: date, now: datetime, seed: str,
           rng: np.random.Generator) -> None:
    held = first - timedelta(days=70)
    votes = syn.table(["party", "votes"], VOTES)
    names = iter(syn.people(rng, 200))
    peers = [Peer(next(names), party) for party, _ in VOTES[:6] for _ in range(4)]
    peers += [Peer(next(names), party) for party in ("Plaid Cymru", "DUP", "UUP") for _ in
              range(3)]
    peers += [Peer(next(names), "Liberal Party (ceased)") for _ in range(2)]
    perform(engine, allocate_party_seats, body_key, "general-election.csv", votes,
            held_on=held, seed=seed, peers=peers, now=now)
    for party, _ in VOTES:
        try:
            seats = read(engine, party_seats, body_key, party)
        except Refused:  # below the threshold: no seats
            continue
        places = 24 * len(seats.codes) - len(seats.peers)
        split = default_split(places, 1)
        standing = split.members + max(3, split.members // 10)
        claimed = {p.name for p in peers}
        distinct = iter([n for n in syn.people(rng, split.nominated + split.indirect + standing
                                               + 3 * split.constituency + len(claimed))
                         if n not in claimed])  # nobody stands for two of a party's places
        people = iter([next(distinct) for _ in range(split.nominated + split.indirect)])
        cands = [next(distinct) for _ in range(standing)]
        spots = [f"{q} {t}" for t in TOWNS for q in QUARTERS]
        primaries = tuple(
            Primary(place, Ballots(f"primary-{k:03d}.blt", syn.blt(
                rng, [next(distinct) for _ in range(3)], 1, int(rng.integers(3_000, 9_000)),
                f"{party}: {place}", rankings=6)), held + timedelta(days=21))
            for k, place in enumerate(spots[: split.constituency])
        )
        delegation = Delegation(
            party, seats.peers,
            tuple(Named(next(people), "nominated by the party") for _ in range(split.nominated)),
            tuple(Named(next(people), ("elected by its MPs and councillors", "elected by its "
                                       "national executive")[k % 2])
                  for k in range(split.indirect)),
            Ballots("members.blt", syn.blt(rng, cands, split.members, 40_000,
                                           f"{party}: members' ballot", rankings=80)),
            primaries,
        )
        perform(engine, fill_delegation, body_key, delegation, seed=seed, now=now)


_WARD = re.compile(r"^([a-z_]+)_2022_(.+)$")


def _wards(places: int, rng: np.random.Generator) -> list[tuple[str, str, int]]:
    """(district, ballots, seats): 2022 Scottish wards whose declared seats add up to
    ``places`` (synthetic wards of the same shape when the files are not beside us)."""
    out: list[tuple[str, str, int]] = []
    total = 0
    files = sorted(WARDS.glob("*.blt")) if WARDS.is_dir() else []
    for path in files:
        text = path.read_text(encoding="utf-8")
        seats = int(text.split(maxsplit=2)[1])
        if total + seats > places or (places - total - seats) in (1, 2):
            continue
        found = _WARD.match(path.stem)
        council = (found.group(1) if found else path.stem).replace("_", " ").title()
        title = text.rstrip().rsplit("\n", 1)[-1].strip('"')
        out.append((f"{council}: {title}", text, seats))
        total += seats
        if total == places:
            return out
    out, total = [], 0
    while total < places:
        seats = 4 if places - total not in (3, 6) else 3
        cands = [f"{n} ({p})" for n, p in zip(syn.people(rng, 8), ("Lab", "Con", "LD", "Grn",
                                               "SNP", "Ind", "Lab", "Con"), strict=True)]
        name = f"Ward {len(out) + 1}"
        out.append((name, syn.blt(rng, cands, seats, 6_000, name), seats))
        total += seats
    return out


def _local(engine: Engine, body_key: str, now: datetime, seed: str, rng: np.random.Generator,
           seats: int) -> None:
    wards = _wards(24 * seats, rng)
    table = syn.table(["district", "population"], [(w, s * 27_000) for w, _, s in wards])
    perform(engine, divide, body_key, "local", "districts.csv", table, seed=seed,
            places=24 * seats, now=now)
    for name, text, _ in wards:
        perform(engine, elect, body_key, "local", name, f"{name}.blt", text, seed=seed, now=now)


def _units(engine: Engine, body_key: str, route: str, names: list[str], sizes: tuple[int, int],
           now: datetime, seed: str, rng: np.random.Generator) -> None:
    members = rng.integers(*sizes, size=len(names)).tolist()
    perform(engine, divide, body_key, route, f"{route}.csv",
            syn.table(["partnership" if route == "faith" else "union", "members"],
                      list(zip(names, members, strict=True))), seed=seed, now=now)
    for unit, spec in read(engine, units_of, body_key, route).items():
        places = int(spec["places"])  # type: ignore[call-overload]
        if places:
            ballots = syn.blt(rng, syn.people(rng, places + 6), places, 5_000, unit, 80)
            perform(engine, elect, body_key, route, unit, f"{route}.blt", ballots, seed=seed,
                    now=now)


def _youth(engine: Engine, body_key: str, first: date, now: datetime,
           rng: np.random.Generator) -> None:
    names = syn.people(rng, 1_200)
    rows = [(n, "2026-02-20", "") for n in names[:1_000]]
    rows += [(n, "2024-02-23", f"2026-0{1 + k % 2}-{10 + k % 15}") for k, n in
             enumerate(names[1_000:])]
    perform(engine, seat_youth_parliament, body_key, "ukyp.csv",
            syn.table(["name", "elected", "left"], rows), serves_from=first, now=now)


def _organisations(engine: Engine, body_key: str, now: datetime, seed: str,
                   rng: np.random.Generator) -> None:
    kinds = ("charity", "trade-union", "association", "professional-body", "co-operative",
             "faith", "other")
    rows = [(f"{w} {kinds[k % len(kinds)].replace('-', ' ').title()} {k + 1}",
             int(rng.integers(70_000, 900_000)), int(rng.integers(30_000, 80_000)),
             kinds[k % len(kinds)]) for k, w in enumerate(
                 [n.split()[-1] for n in syn.people(rng, ORGANISATIONS)])]
    rows += [("A Political Party", 500_000, 0, "party"),
             ("A Small Society", 40_000, 20_000, "association")]
    orgs = syn.table(["name", "members", "nominators", "kind"], rows)
    ballots = syn.approval(rng, [r[0] for r in rows[:ORGANISATIONS]], 300)
    ballot = perform(engine, run_ballot, body_key, "organisations.csv", orgs, "ballots.csv",
                     ballots, seed=seed, now=now)
    won = read(engine, stored_result, ballot).result["seats"]
    assert isinstance(won, dict)
    for organisation in won:
        group = syn.table(["name"], [(n,) for n in syn.people(rng, 24)])
        perform(engine, name_group, body_key, organisation, "group.csv", group, now=now)
