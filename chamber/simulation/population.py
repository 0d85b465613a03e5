"""The synthetic people of a simulated chamber: sharers of every seat with plausible groups and
names (one Speaker, deputies, whips, an Executive Committee), their declared unavailability,
and members of the public on a synthetic electoral register, with proxies (chains and a cycle
among them).  Seeded: the same seed gives the same people."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta

import numpy as np

from chamber.bodies.composition import Body
from chamber.membership.services import NewMember

PARTIES = ("Labour", "Conservative", "Liberal Democrat", "Green", "SNP", "Plaid Cymru", "Reform")
PARTY_SHARE = np.array([0.30, 0.27, 0.13, 0.10, 0.08, 0.06, 0.06])
FIRST = ("Alex", "Sam", "Jo", "Priya", "Tom", "Aisha", "Ewan", "Mei", "Owen", "Fatima", "Iain",
         "Rosa", "Dev", "Niamh", "Kwame", "Lucy", "Hamish", "Zara", "Gareth", "Ines")
LAST = ("Smith", "Jones", "Patel", "Campbell", "Williams", "Khan", "Evans", "Murray", "Brown",
        "Okafor", "Taylor", "Wilson", "Davies", "Chen", "Roberts", "Stewart", "Ali", "Hughes")


def name(rng: np.random.Generator) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def group_of(category: str, party: str, rng: np.random.Generator) -> str:
    """A sharer's group: the seat's party for party seats, any party or none for local seats,
    the category itself otherwise."""
    if category == "party":
        return party
    if category == "local":
        return str(rng.choice([*PARTIES, "independent"], p=[*PARTY_SHARE * 0.9, 0.1]))
    return category


def sharers(
    body: Body, rng: np.random.Generator, filled: Mapping[str, int] | None = None
) -> list[NewMember]:
    """Sharers for every seat of a body (``S000-00`` ...), with roles (`with_roles`); a seat
    with places ``filled`` already (by a route) gets sharers only for the rest."""
    out: list[NewMember] = []
    number = 0
    for cat in body.categories:
        for _ in range(cat.seats):
            code = f"S{number:03d}"
            party = str(rng.choice(PARTIES, p=PARTY_SHARE))
            out.extend(
                NewMember(f"{code}-{k:02d}", name(rng), code, group_of(cat.key, party, rng))
                for k in range((filled or {}).get(code, 0), cat.sharers_per_seat)
            )
            number += 1
    return with_roles(out)


def with_roles(members: list[NewMember]) -> list[NewMember]:
    """One Speaker, three deputy speakers, a whip per party group, an Executive Committee."""
    roles: dict[int, str] = {0: "Speaker", 1: "deputy speaker", 2: "deputy speaker",
                             3: "deputy speaker"}
    seen: set[str] = set()
    for i, m in enumerate(members):
        if m.group in PARTIES and m.group not in seen and i not in roles:
            roles[i] = "whip"
            seen.add(m.group)
    for i in range(10):
        if 500 + i * 997 < len(members):
            roles.setdefault(500 + i * 997, "Executive Committee")
    return [
        NewMember(m.id, m.name, m.seat, m.group, roles.get(i, "member"), m.serves_from)
        for i, m in enumerate(members)
    ]


def unavailability(
    members: list[NewMember], sessions: tuple[str, ...], start: date, days: int,
    rng: np.random.Generator, share: float = 0.05,
) -> Iterator[dict[str, object]]:
    """Rows of declared unavailability: each member misses each session of each day with
    probability ``share``."""
    draws = rng.random((len(members), days, len(sessions))) < share
    for m, d, s in zip(*np.nonzero(draws), strict=True):
        day = start + timedelta(days=int(d))
        if day.weekday() != 6:
            yield {"member_id": members[m].id, "day": day, "session": sessions[s]}


OUTWARD = ("SW1A", "EH1", "CF10", "M1", "B2", "LS1", "G2", "BT1", "NE1", "BS1", "L1", "CB2")
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def voters(n: int) -> list[str]:
    return [f"citizen{i:04d}" for i in range(n)]


def elector_of(i: int) -> str:
    """The elector number of the ``i``-th member of the public (``citizen0003`` is ``E0003``)."""
    return f"E{i:04d}"


def register_csv(n: int, rng: np.random.Generator, today: date) -> str:
    """A synthetic electoral register of ``n`` electors (``E0000`` ...) as CSV: a name, a
    plausible postcode, a date of birth (aged 18 to 90), and an e-mail address for one in four
    (``E0002``, ``E0006``, ...; the rest get their codes by letter)."""
    lines = ["elector_number,name,postcode,date_of_birth,email"]
    for i in range(n):
        inward = f"{rng.integers(1, 10)}{rng.choice(list(INWARD_LETTERS))}" \
                 f"{rng.choice(list(INWARD_LETTERS))}"
        born = today - timedelta(days=int(rng.integers(18 * 366, 90 * 365)))
        email = f"citizen{i:04d}@example.org" if i % 4 == 2 else ""
        lines.append(f"{elector_of(i)},{name(rng)},{rng.choice(OUTWARD)} {inward},"
                     f"{born.isoformat()},{email}")
    return "\n".join(lines) + "\n"


def proxies(handles: list[str]) -> list[tuple[str, str]]:
    """General proxies among the first voters: chains of three (each third voter delegates to
    the next, who may delegate on), and one cycle of two."""
    pairs = [(handles[i], handles[i + 1]) for i in range(0, min(120, len(handles) - 1), 3)]
    if len(handles) > 123:
        pairs += [(handles[121], handles[122]), (handles[122], handles[121])]
    return pairs
