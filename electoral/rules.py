"""The count rules by name, and counting a ballot file's text (or the file) end to end."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path

from electoral import irv, meek, scottish
from electoral.ballots import Profile, ballot_parser, parse_ballots
from electoral.ballots.textfile import read_text
from electoral.errors import BallotFileError, CountError
from electoral.result import CountResult

CountRule = Callable[[Profile, int | None, str | None], CountResult]

RULES: dict[str, CountRule] = {
    "scottish": scottish.count,
    "meek": meek.count,
    "irv": irv.count,
}


def count_profile(
    profile: Profile, rule: str, seats: int | None = None, seed: str | None = None
) -> CountResult:
    """Count a profile under the named rule."""
    try:
        fn = RULES[rule]
    except KeyError:
        raise CountError(f"unknown rule {rule!r}: choose one of {', '.join(RULES)}") from None
    if rule == "irv" and seats is None:
        if profile.seats not in (None, 1):
            raise CountError(
                f"IRV fills one seat and this file is for {profile.seats}: count it by scottish"
                " or meek, or ask for 1 seat"
            )
        seats = 1
    wanted = profile.seats if seats is None else seats
    standing = len(profile.candidates) - len(profile.withdrawn)
    if wanted is not None and wanted > standing:
        raise CountError(
            f"{wanted} seats but only {standing} candidates stand: every candidate would be"
            f" elected and {wanted - standing} seat(s) left empty; check the number of seats"
        )
    return fn(profile, seats, seed)


def count_text(
    text: str, name: str, rule: str, seats: int | None = None, seed: str | None = None
) -> CountResult:
    """Count a ballot file's text (its format chosen by the extension of ``name``) and record the
    SHA-256 of the text's UTF-8 encoding: for a file read as UTF-8 (a byte-order mark included)
    that is the SHA-256 of the file itself."""
    try:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    except UnicodeEncodeError as exc:  # a lone surrogate: the text was not decoded from UTF-8
        raise BallotFileError(name, None, "not a UTF-8 text file") from exc
    result = count_profile(parse_ballots(text, name), rule, seats, seed)
    return dataclasses.replace(result, source_sha256=digest)


def count_file(
    path: str | Path, rule: str, seats: int | None = None, seed: str | None = None
) -> CountResult:
    """Read a ballot file, count it, and record the file's SHA-256 in the result (a file of an
    unknown format is refused before it is read, as by :func:`read_ballots`)."""
    ballot_parser(str(path))
    return count_text(read_text(path), str(path), rule, seats, seed)


def differences(published: CountResult, recount: CountResult) -> list[str]:
    """Where a re-run differs from a published count (empty when they agree)."""
    out: list[str] = []
    for field in ("rule", "seats", "valid_ballots", "quota", "elected", "seed"):
        a, b = getattr(published, field), getattr(recount, field)
        if a != b:
            out.append(f"{field}: published {a!r}, re-run {b!r}")
    if len(published.stages) != len(recount.stages):
        out.append(f"stages: published {len(published.stages)}, re-run {len(recount.stages)}")
    for p, r in zip(published.stages, recount.stages, strict=False):
        for field in ("action", "subject", "non_transferable"):
            if getattr(p, field) != getattr(r, field):
                out.append(
                    f"stage {p.stage} {field}: published {getattr(p, field)!r}, "
                    f"re-run {getattr(r, field)!r}"
                )
        for name, v in p.votes.items():
            if r.votes.get(name) != v:
                out.append(f"stage {p.stage} {name}: published {v}, re-run {r.votes.get(name)}")
    if published.source_sha256 and published.source_sha256 != recount.source_sha256:
        out.append("ballot file: its SHA-256 differs from the published one")
    return out
