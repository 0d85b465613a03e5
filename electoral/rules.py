"""The count rules by name, and counting a ballot file end to end."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path

from electoral import irv, meek, scottish
from electoral.ballots import Profile, read_ballots
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
        seats = 1
    return fn(profile, seats, seed)


def count_file(
    path: str | Path, rule: str, seats: int | None = None, seed: str | None = None
) -> CountResult:
    """Read a ballot file, count it, and record the file's SHA-256 in the result."""
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as exc:
        raise BallotFileError(str(path), None, f"cannot read file: {exc.strerror}") from exc
    result = count_profile(read_ballots(path), rule, seats, seed)
    return dataclasses.replace(result, source_sha256=digest)


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
