"""A seeded synthetic chamber for tests and benchmarks: 500 seats, 12,000+ members."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np

from rota.calendar import Calendar, make_calendar
from rota.model import Member, RotaProblem, Weights

PARTIES = ("Labour", "Conservative", "LibDem", "Green", "SNP", "Reform", "Plaid")
PARTY_SEATS = (34, 28, 14, 10, 6, 6, 2)  # 100 party seats
CATEGORIES = (("faith", 50), ("jury", 50), ("experts", 50), ("organisation", 50), ("assembly", 50))


def chamber_members(seed: int = 0, *, youth: bool = True) -> tuple[Member, ...]:
    """Party seats held by one party each; local (STV) seats shared by members of several party
    groups and independents; the other categories one group each; youth seats 48 sharers."""
    rng = np.random.default_rng(seed)
    members: list[Member] = []

    def seat(name: str, groups: list[str], cycle: int = 1, sharers: int = 24) -> None:
        for k, g in enumerate(groups if len(groups) == sharers else [groups[0]] * sharers):
            members.append(Member(f"{name}-{k:02d}", name, g, cycle))

    n = 0
    for party, seats in zip(PARTIES, PARTY_SEATS, strict=True):
        for _ in range(seats):
            seat(f"S{n:03d}", [party])
            n += 1
    local_groups = [*PARTIES, "independent"]
    local_p = np.array([0.3, 0.25, 0.15, 0.08, 0.06, 0.06, 0.02, 0.08])
    for _ in range(100):
        seat(f"S{n:03d}", [str(g) for g in rng.choice(local_groups, 24, p=local_p)])
        n += 1
    for group, seats in CATEGORIES:
        for _ in range(seats):
            seat(f"S{n:03d}", [group])
            n += 1
    for _ in range(50):
        seat(f"S{n:03d}", ["youth"], cycle=2 if youth else 1, sharers=48 if youth else 24)
        n += 1
    return tuple(members)


def chamber_problem(
    seed: int = 0,
    cycles: int = 2,
    unavailability: float = 0.3,
    start: date = date(2027, 1, 4),
    youth: bool = True,
    calendar: Calendar | None = None,
) -> RotaProblem:
    """The synthetic chamber with random unavailability and a few preferences and history, on
    ``calendar`` or else ``cycles`` fortnights of the national pattern from ``start``."""
    rng = np.random.default_rng(seed + 1)
    members = chamber_members(seed, youth=youth)
    cal = calendar or make_calendar(start, cycles)
    M, S = len(members), len(cal.slots)
    unavailable = rng.random((M, S)) < unavailability
    preference = np.zeros((M, S))
    evening = np.array([s.evening for s in cal.slots])
    saturday = np.array([s.saturday for s in cal.slots])
    likes_mornings = rng.random(M) < 0.3
    preference[likes_mornings] += 2.0 * evening[None, :]
    avoids_saturday = rng.random(M) < 0.2
    preference[avoids_saturday] += 1.0 * saturday[None, :]
    return RotaProblem(
        calendar=cal,
        members=members,
        unavailable=unavailable,
        preference_cost=preference,
        unpopular_history=rng.integers(0, 3, (M, 3)).astype(np.int64),
        previous=np.full((M, cal.cycles), -1, dtype=np.int64),
        pinned=np.full((M, cal.cycles), -1, dtype=np.int64),
        weights=Weights(),
    )


def write_csvs(
    folder: Path,
    seed: int = 0,
    *,
    seats: int | None = None,
    unavailability: float = 0.3,
    cycles: int = 2,
) -> tuple[Path, Path]:
    """Write the synthetic chamber (or its first ``seats`` seats) as members.csv and
    availability.csv (one row per unavailable slot), as `chamber rota solve` reads them."""
    problem = chamber_problem(seed, cycles=cycles, unavailability=unavailability)
    keep = [
        m
        for m, member in enumerate(problem.members)
        if seats is None or int(member.seat[1:]) < seats
    ]
    folder.mkdir(parents=True, exist_ok=True)
    members_csv, availability_csv = folder / "members.csv", folder / "availability.csv"
    with open(members_csv, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "seat", "group", "cycle"])
        for m in keep:
            member = problem.members[m]
            w.writerow(
                [
                    member.id,
                    member.seat,
                    member.group,
                    "four-weekly" if member.cycle == 2 else "fortnightly",
                ]
            )
    slots = problem.calendar.slots
    with open(availability_csv, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["member", "date", "session", "kind", "weight"])
        for m in keep:
            for t in np.flatnonzero(problem.unavailable[m]):
                w.writerow(
                    [
                        problem.members[m].id,
                        slots[t].day.isoformat(),
                        slots[t].session,
                        "unavailable",
                        "",
                    ]
                )
    return members_csv, availability_csv
