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

from dataclasses import replace

import numpy as np

from electoral.ballots.profile import Profile
from electoral.errors import CountError
from electoral.lots import Lots, look_back, new_seed
from electoral.papers import Piles
from electoral.result import CountResult, Stage, Tie

RULE = "irv"
VERSION = "irv/1"


def majority(continuing_votes: int) -> int:
    """The least number of votes that is more than half of the continuing votes."""
    return continuing_votes // 2 + 1


def count(profile: Profile, seats: int | None = 1, seed: str | None = None) -> CountResult:
    """Count a single-seat election by instant runoff."""
    if seats not in (None, 1):
        raise CountError(f"IRV fills one seat; {seats} were asked for (use scottish or meek)")
    seed = new_seed() if seed is None else str(seed)
    names = profile.candidates
    ncand = len(names)
    strict = profile.strict()
    valid = int(strict.weights.sum())
    if valid == 0:
        raise CountError("no valid ballots to count")
    standing = [c for c in range(ncand) if c not in profile.withdrawn]
    continuing = np.zeros(ncand, dtype=bool)
    continuing[standing] = True
    piles = Piles(strict, ncand, 1)
    votes = piles.tally()
    lots = Lots(seed)
    ties: list[Tie] = []
    stages: list[Stage] = []
    history: list[np.ndarray] = []
    non_transferable = 0
    winner: int | None = None

    def record(action: str, subject: int | None, received: np.ndarray | None, note: str) -> None:
        history.append(votes.copy())
        threshold = majority(int(votes[continuing].sum()))
        stages.append(
            Stage(
                stage=len(stages) + 1,
                action=action,
                subject=None if subject is None else names[subject],
                votes={names[c]: str(int(votes[c])) for c in standing},
                non_transferable=str(non_transferable),
                loss_to_truncation="0",
                quota=str(threshold),
                transfers={}
                if received is None
                else {names[c]: str(int(received[c])) for c in standing if received[c]},
                transferred="0" if received is None else str(int(received.sum())),
                excluded=() if subject is None else (names[subject],),
                note=note,
            )
        )

    record("first preferences", None, None, "")
    while True:
        live = np.flatnonzero(continuing)
        threshold = majority(int(votes[live].sum()))
        top = int(live[np.argmax(votes[live])])
        if votes[top] >= threshold or live.size == 1:
            winner = top
            break
        low = int(votes[live].min())
        tied = [int(c) for c in live if votes[c] == low]
        loser = tied[0]
        if len(tied) > 1:
            remaining, decided = look_back(tied, history, highest=False)
            if len(remaining) == 1:
                loser, method, lot = remaining[0], f"earlier stage {decided}", None
            else:
                loser = lots.choose(remaining)
                method, lot = "lot", len(lots.drawn) - 1
            ties.append(
                Tie(
                    len(stages) + 1,
                    "exclusion",
                    tuple(names[c] for c in tied),
                    names[loser],
                    method,
                    lot,
                )
            )
        continuing[loser] = False
        move = piles.transfer(loser, continuing)
        votes += move.received
        votes[loser] = 0
        non_transferable += move.non_transferable
        record("exclusion", loser, move.received, f"{move.moved_papers} papers")

    stages[-1] = replace(stages[-1], elected=(names[winner],))
    return CountResult(
        rule=RULE,
        rule_version=VERSION,
        seats=1,
        candidates=names,
        valid_ballots=valid,
        invalid_ballots=strict.invalid + profile.problems.empty,
        quota=stages[-1].quota,
        elected=(names[winner],),
        stages=tuple(stages),
        ties=tuple(ties),
        seed=seed,
        lots=tuple(lots.drawn),
        validation={
            **profile.problems.as_dict(),
            "read_to_first_ambiguity": strict.truncated,
            "no_valid_first_preference": strict.invalid,
            "policy": "a ballot is read up to its first equal ranking or skipped rank",
        },
        withdrawn=tuple(names[c] for c in sorted(profile.withdrawn)),
        title=profile.title,
        precision="whole votes",
    )
