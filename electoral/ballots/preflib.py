"""Read PrefLib order files: ``.soc``/``.soi`` (strict orders) and ``.toc``/``.toi`` (with ties).

Format (PrefLib 2022): ``# KEY: value`` header lines, among them ``# NUMBER ALTERNATIVES: n`` and
``# ALTERNATIVE NAME i: name``; then data lines ``count: 3,1,{2,4}`` where braces group
alternatives ranked equally.  Mattei & Walsh, "PrefLib: A Library of Preference Data", ADT 2013.
"""

from __future__ import annotations

import re
from pathlib import Path

from electoral.ballots.profile import Profile, ProfileBuilder
from electoral.ballots.textfile import content, read_text
from electoral.bounds import MAX_BALLOTS, whole_number
from electoral.errors import BallotFileError

_NAME = re.compile(r"^#\s*ALTERNATIVE NAME\s+(\d+)\s*:\s*(.*)$")
_COUNT = re.compile(r"^#\s*NUMBER ALTERNATIVES\s*:\s*(\d+)\s*$")
_TITLE = re.compile(r"^#\s*TITLE\s*:\s*(.*)$")
_VOTERS = re.compile(r"^#\s*NUMBER VOTERS\s*:\s*(\d+)\s*$")
_TOKEN = re.compile(r"\{[^{}]*\}|[^,{}]+")


def read_preflib(path: str | Path) -> Profile:
    """Read a PrefLib ``.soc``, ``.soi``, ``.toc`` or ``.toi`` file; see :func:`parse_preflib`."""
    return parse_preflib(read_text(path), str(path))


def parse_preflib(text: str, name: str = "<preflib>") -> Profile:
    """Parse the text of a PrefLib file; equal rankings are allowed when ``name`` ends in
    ``.toc`` or ``.toi``.  A malformed file raises :class:`BallotFileError` naming ``name``."""
    lines = content(text).splitlines()
    ties_allowed = name.lower().endswith((".toc", ".toi"))

    ncand: int | None = None
    names: dict[int, str] = {}
    title = ""
    voters: int | None = None
    data: list[tuple[int, str]] = []
    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if m := _COUNT.match(line):
                ncand = int(m.group(1))
            elif m := _NAME.match(line):
                names[int(m.group(1))] = m.group(2).strip()
            elif m := _TITLE.match(line):
                title = m.group(1).strip()
            elif m := _VOTERS.match(line):
                voters = int(m.group(1))
            continue
        data.append((lineno, line))
    if ncand is None:
        raise BallotFileError(name, None, "missing header '# NUMBER ALTERNATIVES: n'")
    missing = [i for i in range(1, ncand + 1) if i not in names]
    if missing:
        raise BallotFileError(
            name, None, f"missing '# ALTERNATIVE NAME i:' for alternatives {missing[:10]}"
        )
    extra = sorted(set(names) - set(range(1, ncand + 1)))
    if extra:
        raise BallotFileError(name, None, f"alternative names beyond {ncand}: {extra[:10]}")

    builder = ProfileBuilder([names[i] for i in range(1, ncand + 1)], source=name)
    total = 0
    for lineno, line in data:
        count_text, sep, order = line.partition(":")
        if not sep:
            raise BallotFileError(name, lineno, "data line must be 'count: order'")
        count_text = count_text.strip()
        try:
            count = whole_number(count_text, MAX_BALLOTS)
        except ValueError as why:
            raise BallotFileError(name, lineno, f"the count of ballots: {why}") from None
        total += count
        if order.count("{") != order.count("}"):
            raise BallotFileError(name, lineno, "unbalanced braces in the order")
        levels: list[tuple[int, ...]] = []
        for tok in _TOKEN.findall(order.replace(" ", "")):
            if tok.startswith("{"):
                if not ties_allowed:
                    raise BallotFileError(
                        name,
                        lineno,
                        "tied alternatives '{...}' are not allowed in a strict-order file",
                    )
                items = [t for t in tok[1:-1].split(",") if t]
            else:
                items = [tok]
            ids: list[int] = []
            for item in items:
                number = int(item) if item.isascii() and item.isdigit() else 0
                if not 1 <= number <= ncand:
                    raise BallotFileError(
                        name,
                        lineno,
                        f"unknown alternative {item!r} (alternatives are 1 to {ncand})",
                    )
                ids.append(number - 1)
            levels.append(tuple(ids))
        if count:
            builder.add(count, levels, f"line {lineno}")
    if voters is not None and voters != total:
        raise BallotFileError(
            name, None, f"the header says {voters} voters but the counts add up to {total}"
        )
    return builder.build(title=title)
