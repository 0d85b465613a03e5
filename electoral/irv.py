"""Instant-runoff voting (the alternative vote) for one seat: single-member constituencies and
internal elections.

Rule as implemented (the alternative vote as in the UK Parliamentary Voting System and
Constituencies Act 2011, Schedule 10, without its batch exclusion):
1. Each valid ballot counts one vote for its first preference.
2. A candidate with more than half of the votes of the continuing candidates is elected.
3. Otherwise the candidate with the fewest votes is excluded and each of their papers passes at
   full value to its next continuing preference; papers with none left are non-transferable.
   Equal lowest: the candidate lowest at the most recent earlier stage at which they differed,
   then lot.
4. When one continuing candidate remains, that candidate is elected.
Ballots are read up to their first ambiguity, as under the Scottish rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, Literal

import numpy as np

from electoral.ballots.profile import Profile
from electoral.driver import HOPEFUL, Count, Step, Tally
from electoral.errors import CountError
from electoral.lots import new_seed
from electoral.papers import Piles
from electoral.result import CountResult

RULE: Final[Literal["irv"]] = "irv"
VERSION = "irv/1"


def majority(continuing_votes: int) -> int:
    """Rule 2: the least number of votes that is more than half of the continuing votes."""
    return continuing_votes // 2 + 1


def _whole(value: Any) -> str:
    return str(int(value))


class _Irv:
    """The rules' arithmetic over piles of whole papers (internal): the driver records stages."""

    def __init__(self, profile: Profile, count: Count) -> None:
        self.count = count
        self.strict = profile.strict()
        self.valid = int(self.strict.weights.sum())
        if self.valid == 0:
            raise CountError("no valid ballots to count")
        self.piles = Piles(self.strict, len(profile.candidates), 1)
        self.votes = self.piles.tally()
        self.non_transferable = 0

    def continuing(self) -> list[int]:
        return self.count.hopeful()

    def tally(self) -> Tally:
        threshold = majority(int(self.votes[self.continuing()].sum()))
        return Tally(self.votes, threshold, self.non_transferable)

    def first_stage(self) -> Step:
        """Rule 1: one vote for each valid ballot's first preference."""
        return Step("first preferences")

    def winner(self) -> int | None:
        """Rules 2 and 4: the candidate with a majority of the continuing votes, or the last one
        left (None while neither)."""
        live = self.continuing()
        votes = self.votes[live]
        top = live[int(np.argmax(votes))]
        if votes.max() >= majority(int(votes.sum())) or len(live) == 1:
            return top
        return None

    def finished(self) -> bool:
        return self.winner() is not None

    def next_stage(self) -> Step:
        """Rule 3: exclude the candidate with the fewest votes; their papers pass at full value."""
        live = self.continuing()
        low = int(self.votes[live].min())
        tied = [c for c in live if self.votes[c] == low]
        loser = self.count.break_tie(tied, highest=False, purpose="exclusion")
        self.count.exclude(loser)
        move = self.piles.transfer(loser, self.count.status == HOPEFUL)
        self.votes += move.received
        self.votes[loser] = 0
        self.non_transferable += move.non_transferable
        return Step(
            "exclusion", loser, move.received, excluded=[loser], note=f"{move.moved_papers} papers"
        )

    def closing(self) -> tuple[Sequence[int], str]:
        winner = self.winner()
        assert winner is not None  # the driver stops only once there is one
        return [winner], ""


def count(profile: Profile, seats: int | None = 1, seed: str | None = None) -> CountResult:
    """Count a single-seat election by instant runoff."""
    if seats not in (None, 1):
        raise CountError(f"IRV fills one seat; {seats} were asked for (use scottish or meek)")
    seed = new_seed() if seed is None else str(seed)
    state = Count(profile, 1, seed, _whole)
    rules = _Irv(profile, state)
    state.run(rules)
    strict = rules.strict
    return state.result(
        rule=RULE,
        version=VERSION,
        quota=state.stages[-1].quota,
        valid_ballots=rules.valid,
        invalid_ballots=strict.invalid + profile.problems.empty,
        validation={
            **profile.problems.as_dict(),
            "read_to_first_ambiguity": strict.truncated,
            "no_valid_first_preference": strict.invalid,
            "policy": "a ballot is read up to its first equal ranking or skipped rank",
        },
        precision="whole votes",
    )
