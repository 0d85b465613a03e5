"""Synthetic but plausible inputs for the routes (the demonstration, tests): vote totals, lists
of people, ranked ballots in BLT, approval ballots in CSV.  Seeded by the generator passed in:
the same generator state gives the same text."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import numpy as np

FIRST = ("Alex", "Sam", "Jo", "Priya", "Tom", "Aisha", "Ewan", "Mei", "Owen", "Fatima", "Iain",
         "Rosa", "Dev", "Niamh", "Kwame", "Lucy", "Hamish", "Zara", "Gareth", "Ines", "Ruth",
         "Yusuf", "Carys", "Bilal", "Morag", "Tariq", "Ffion", "Chloe", "Arjun", "Sian")
LAST = ("Smith", "Jones", "Patel", "Campbell", "Williams", "Khan", "Evans", "Murray", "Brown",
        "Okafor", "Taylor", "Wilson", "Davies", "Chen", "Roberts", "Stewart", "Ali", "Hughes",
        "Begum", "Morgan", "Reid", "Thomas", "Walker", "Singh", "Clarke", "Fraser", "Lewis")
INITIALS = "ABCDEFGHJKLMNPRSTW"


def people(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` different plausible names (first name, initial, surname)."""
    space = len(FIRST) * len(INITIALS) * len(LAST)
    if n > space:
        raise ValueError(f"at most {space} different names")
    picks = rng.choice(space, size=n, replace=False)
    out = []
    for p in picks.tolist():
        f, rest = divmod(p, len(INITIALS) * len(LAST))
        i, last = divmod(rest, len(LAST))
        out.append(f"{FIRST[f]} {INITIALS[i]}. {LAST[last]}")
    return out


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """CSV text with a header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def blt(
    rng: np.random.Generator, candidates: Sequence[str], seats: int, ballots: int,
    title: str, rankings: int = 40,
) -> str:
    """A BLT file of ``ballots`` ranked ballots over ``candidates`` for ``seats`` seats: up to
    ``rankings`` different rankings, each a candidate order drawn by popularity (Plackett-Luce
    on weights drawn once), ranking 1 to 6 candidates."""
    n = len(candidates)
    support = rng.gamma(2.0, 1.0, size=n)
    counts = rng.multinomial(ballots, rng.dirichlet(np.ones(rankings)))
    lines = [f"{n} {seats}"]
    for weight in counts.tolist():
        if not weight:
            continue
        keys = np.log(support) - np.log(-np.log(rng.random(n)))  # Gumbel: Plackett-Luce
        order = np.argsort(-keys)[: int(rng.integers(1, min(n, 6) + 1))]
        lines.append(f"{weight} " + " ".join(str(i + 1) for i in order.tolist()) + " 0")
    lines.append("0")
    lines += [f'"{c}"' for c in candidates]
    lines.append(f'"{title}"')
    return "\n".join(lines) + "\n"


def approval(
    rng: np.random.Generator, organisations: Sequence[str], rows: int, most: int = 20,
    voters: int = 200_000,
) -> str:
    """Approval ballots as CSV (``weight,choice1..choiceK``): ``rows`` kinds of ballot, each
    marking 1 to ``most`` organisations drawn by popularity, ``voters`` ballots in all."""
    n = len(organisations)
    support = rng.gamma(1.5, 1.0, size=n)
    weights = rng.multinomial(voters, rng.dirichlet(np.ones(rows)))
    out = []
    for weight in weights.tolist():
        keys = np.log(support) - np.log(-np.log(rng.random(n)))
        marks = np.argsort(-keys)[: int(rng.integers(1, most + 1))]
        cells = [organisations[i] for i in marks.tolist()]
        out.append([weight, *cells, *[""] * (most - len(cells))])
    return table(["weight", *(f"choice{k}" for k in range(1, most + 1))], out)
