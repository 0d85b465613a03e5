"""Read and write BLT ballot files (the format of OpenSTV, Droop and the ERS).

Syntax accepted (one item per line; ``#`` starts a comment outside quotes)::

    10 3                      # candidates, seats
    -2 -7                     # optional: withdrawn candidates as negative ids
    [nick a b c]              # optional Droop options: [nick ...] [withdrawn ...] [tie ...]
    683 8 9 0                 # weight, preferences, terminating 0
    (b17) 1 3=4 - 2 0         # optional ballot id; '=' equal ranking; '-' skipped rank
    0                         # end of ballots
    "Gary Barton (Ind)"       # one quoted name per candidate
    "Calton ward"             # the title
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from electoral.ballots.blt_block import plain_block
from electoral.ballots.profile import Profile, ProfileBuilder, strict_profile
from electoral.ballots.textfile import content, source_text
from electoral.bounds import MAX_BALLOTS, whole_number
from electoral.errors import BallotFileError

_OPTION = re.compile(r"^\[\s*(\w+)\s*(.*?)\s*\]$")


def _strip_comment(line: str) -> str:
    if "#" not in line:
        return line.strip()
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == "#" and not quoted:
            return line[:i].strip()
    return line.strip()


def _unquote(text: str, path: str, lineno: int, what: str) -> str:
    text = text.strip()
    quote = text[:1]
    if quote in ('"', "'") and len(text) > 1 and text[-1] == quote:
        inside = text[1:-1]
        if quote not in inside and "\\" not in inside:
            return inside  # what shlex reads, without its tokenizer (most names are so)
    if quote in ('"', "'"):  # a name in double or single quotes
        try:
            parts = shlex.split(text, posix=True)
        except ValueError as exc:
            raise BallotFileError(path, lineno, f"{what}: unbalanced quotes") from exc
        if len(parts) != 1:
            raise BallotFileError(path, lineno, f"{what}: expected one quoted string, got {text!r}")
        return parts[0]
    return text


def read_blt(source: str | Path | TextIO, *, name: str | None = None) -> Profile:
    """Read a BLT file (a path or an open stream) into a profile; see :func:`parse_blt`."""
    text, path = source_text(source, name, "<ballots>")
    return parse_blt(text, path)


def parse_blt(text: str, name: str = "<ballots>") -> Profile:
    """Parse the text of a BLT file; a malformed file raises :class:`BallotFileError` naming
    ``name`` and the line.

    A plain ballot block (weights, ids and terminators only) is read whole in numpy; any other
    file, and any file with an error, line by line (the two give the same profile)."""
    text = content(text)
    block = plain_block(text)
    if block is None:
        return _parse_lines(text.splitlines(), name)
    lines = enumerate(text[block.names_at :].splitlines(), start=block.names_line)
    names, title = _names(lines, name, block.candidates)
    return strict_profile(
        tuple(names),
        block.rankings,
        block.weights,
        title=title,
        seats=block.seats,
        source=name,
    )


def _parse_lines(lines: Sequence[str], path: str) -> Profile:
    it = iter(enumerate(lines, start=1))

    def next_content() -> tuple[int, str]:
        for lineno, raw in it:
            text = _strip_comment(raw)
            if text:
                return lineno, text
        raise StopIteration

    try:
        lineno, header = next_content()
    except StopIteration:
        raise BallotFileError(
            path, None, "empty file: expected a header 'candidates seats'"
        ) from None
    fields = header.split()
    if len(fields) != 2 or not all(_digits(f) for f in fields):
        raise BallotFileError(path, lineno, f"header must be 'candidates seats', got {header!r}")
    ncand, seats = int(fields[0]), int(fields[1])
    if ncand < 1:
        raise BallotFileError(path, lineno, "header: the number of candidates must be at least 1")
    if seats < 1:
        raise BallotFileError(path, lineno, "header: the number of seats must be at least 1")

    withdrawn: set[int] = set()
    nicknames: dict[str, int] = {}
    # Accumulate ballots; names are only known at the end, so the builder gets placeholders.
    builder = ProfileBuilder([f"#{i + 1}" for i in range(ncand)], source=path)
    ended = False
    ballots_started = False

    def candidate(token: str, ln: int) -> int:
        if _digits(token):
            cid = int(token)
            if not 1 <= cid <= ncand:
                raise BallotFileError(
                    path, ln, f"unknown candidate id {cid} (candidates are numbered 1 to {ncand})"
                )
            return cid - 1
        if token in nicknames:
            return nicknames[token]
        raise BallotFileError(path, ln, f"unknown candidate {token!r}")

    for lineno, raw in it:
        text = _strip_comment(raw)
        if not text:
            continue
        if text.startswith("["):
            m = _OPTION.match(text)
            if not m:
                raise BallotFileError(path, lineno, f"malformed option {text!r}")
            key, rest = m.group(1).lower(), m.group(2).split()
            if key == "nick":
                if len(rest) != ncand:
                    raise BallotFileError(
                        path, lineno, f"[nick] lists {len(rest)} nicknames for {ncand} candidates"
                    )
                nicknames = {nick: i for i, nick in enumerate(rest)}
            elif key == "withdrawn":
                withdrawn.update(candidate(t, lineno) for t in rest)
            elif key in ("tie", "droop"):
                for t in rest if key == "tie" else ():
                    candidate(t, lineno)
            else:
                raise BallotFileError(path, lineno, f"unknown option [{key}]")
            continue
        if text.startswith('"'):
            raise BallotFileError(
                path, lineno, "a quoted name before the end-of-ballots line '0' (missing '0'?)"
            )
        tokens = text.split()
        if not ballots_started and tokens[0].startswith("-") and _digits(tokens[0][1:]):
            for t in tokens:
                if not (t.startswith("-") and _digits(t[1:])):
                    raise BallotFileError(
                        path, lineno, f"withdrawn candidates must be negative ids, got {t!r}"
                    )
                withdrawn.add(candidate(t[1:], lineno))
            continue
        if tokens == ["0"]:
            ended = True
            break
        ballots_started = True
        where = f"line {lineno}"
        if tokens[0].startswith("("):
            if not tokens[0].endswith(")"):
                raise BallotFileError(path, lineno, f"malformed ballot id {tokens[0]!r}")
            where = f"line {lineno} (ballot {tokens[0][1:-1]})"
            tokens = tokens[1:]
            if not tokens:
                raise BallotFileError(path, lineno, "ballot id without a ballot")
        if tokens[-1] != "0":
            raise BallotFileError(path, lineno, "ballot line does not end with the terminator 0")
        wtok = tokens[0]
        try:
            weight = whole_number(wtok, MAX_BALLOTS)
        except ValueError as why:
            raise BallotFileError(path, lineno, f"ballot weight: {why}") from None
        prefs = tokens[1:-1]
        # ids only when plain ASCII digits: int() would also read fullwidth digits, "+2", "1_0"
        ids = tuple(map(int, prefs)) if _digits("".join(prefs)) else None
        if ids is not None:
            if ids and (min(ids) < 1 or max(ids) > ncand):
                bad = next(i for i in ids if not 1 <= i <= ncand)
                raise BallotFileError(
                    path,
                    lineno,
                    f"unknown candidate id {bad} (candidates are numbered 1 to {ncand})",
                )
            if ids and len(set(ids)) == len(ids):
                if weight:
                    builder.add_strict(weight, ids, one_based=True)
                continue
            levels: list[tuple[int, ...]] = [(c - 1,) for c in ids]
        else:
            levels = []
            for p in prefs:
                if p == "-":
                    levels.append(())
                elif "=" in p:
                    parts = p.split("=")
                    if any(not x for x in parts):
                        raise BallotFileError(path, lineno, f"malformed equal ranking {p!r}")
                    levels.append(tuple(candidate(x, lineno) for x in parts))
                else:
                    levels.append((candidate(p, lineno),))
        if weight:
            builder.add(weight, levels, where)
    if not ended:
        raise BallotFileError(path, None, "no end-of-ballots line '0' before the end of the file")

    cand_names, title = _names(it, path, ncand)
    builder.candidates = tuple(cand_names)
    return builder.build(title=title, seats=seats, withdrawn=withdrawn)


def _names(lines: Iterator[tuple[int, str]], path: str, ncand: int) -> tuple[list[str], str]:
    """The candidates' names and the title that follow the end-of-ballots line."""
    names: list[str] = []
    last: int | None = None
    for lineno, raw in lines:
        text = _strip_comment(raw)
        if not text:
            continue
        names.append(_unquote(text, path, lineno, "name"))
        last = lineno
    if len(names) < ncand:
        raise BallotFileError(
            path, None, f"the header declares {ncand} candidates but {len(names)} names follow"
        )
    if len(names) > ncand + 1:
        raise BallotFileError(
            path,
            last,
            f"the header declares {ncand} candidates but {len(names) - 1} names and a title follow",
        )
    title = names[ncand] if len(names) > ncand else ""
    cand_names = names[:ncand]
    if len(set(cand_names)) != ncand:
        dup = sorted({n for n in cand_names if cand_names.count(n) > 1})
        raise BallotFileError(path, None, f"candidate names repeat: {', '.join(dup)}")
    return cand_names, title


def _digits(token: str) -> bool:
    """Plain ASCII digits (``str.isdigit`` also takes ``²``, which ``int`` refuses)."""
    return token.isascii() and token.isdigit()


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_blt(profile: Profile, out: TextIO, *, seats: int | None = None) -> None:
    """Write a profile as BLT; equal rankings use '=' and skipped ranks '-'."""
    n = len(profile.candidates)
    out.write(f"{n} {seats or profile.seats or 1}\n")
    if profile.withdrawn:
        out.write(" ".join(f"-{c + 1}" for c in sorted(profile.withdrawn)) + "\n")
    for weight, levels in profile.iter_levels():
        toks = ["=".join(str(c + 1) for c in lv) if lv else "-" for lv in levels]
        out.write(" ".join([str(weight), *toks, "0"]) + "\n")
    out.write("0\n")
    for name in profile.candidates:
        out.write(_quote(name) + "\n")
    out.write(_quote(profile.title) + "\n")
