"""Scottish STV: the Scottish Local Government Elections Order 2007 (SSI 2007/42), rules 45-52.

Weighted inclusive Gregory method: a surplus is transferred by passing on every paper of the
elected candidate at a reduced value, each value calculated to five decimal places with the
remainder ignored (rule 48(3)); the remainders lost are reported as "loss to truncation".  All
arithmetic is integer fixed point in units of 0.00001 of a vote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from electoral.ballots.profile import Profile
from electoral.errors import CountError
from electoral.lots import Lots, look_back, new_seed
from electoral.papers import Int64s, Piles, fixed
from electoral.result import CountResult, Stage, Tie

RULE = "scottish"
VERSION = "scottish-2007/1"
PLACES = 5
ONE = 10**PLACES

HOPEFUL, ELECTED, EXCLUDED, WITHDRAWN = 0, 1, 2, 3


def quota(valid_ballots: int, seats: int) -> int:
    """Rule 46: valid ballots divided by seats + 1, decimals ignored, plus one (whole votes)."""
    return valid_ballots // (seats + 1) + 1


def transfer_value(paper_value: Int64s, surplus: int, total: int) -> Int64s:
    """Rule 48(3): surplus x value of the paper / candidate's total, to 5 places, remainder ignored.

    All three arguments and the result are in units of 0.00001.
    """
    return paper_value * surplus // total


class _Count:
    """The state of one count (internal): piles, statuses, history and the record being written."""

    def __init__(self, profile: Profile, seats: int, seed: str) -> None:
        self.names = profile.candidates
        self.ncand = len(self.names)
        self.seats = seats
        self.lots = Lots(seed)
        self.ties: list[Tie] = []
        self.stages: list[Stage] = []
        self.history: list[NDArray[np.int64]] = []
        self.status = np.zeros(self.ncand, dtype=np.int8)
        for c in profile.withdrawn:
            self.status[c] = WITHDRAWN
        strict = profile.strict()
        self.strict = strict
        self.valid = int(strict.weights.sum())
        if self.valid * ONE * ONE >= 2**63:
            # paper value x surplus must fit in 64 bits (rule 48(3) is computed exactly)
            raise CountError("too many ballots for exact fixed-point counting (limit 900 million)")
        self.piles = Piles(strict, self.ncand, ONE)
        self.quota = quota(self.valid, seats) * ONE
        self.votes = self.piles.tally()
        self.non_transferable = 0
        self.loss = 0
        self.elected: list[int] = []
        self.pending: list[int] = []  # elected with a surplus not yet transferred
        self.stage_no = 1

    # -- helpers ---------------------------------------------------------------------------------
    def hopeful(self) -> list[int]:
        return [int(c) for c in np.flatnonzero(self.status == HOPEFUL)]

    def seats_left(self) -> int:
        return self.seats - len(self.elected)

    def break_tie(self, tied: Sequence[int], *, highest: bool, purpose: str) -> int:
        """Rules 49(2)-(3) and 51(2): the latest earlier stage at which they differed, then lot."""
        if len(tied) == 1:
            return tied[0]
        remaining, decided = look_back(tied, self.history, highest=highest)
        stage = self.stage_no
        if len(remaining) == 1:
            chosen, method, lot = remaining[0], f"earlier stage {decided}", None
        else:
            chosen = self.lots.choose(remaining)
            method, lot = "lot", len(self.lots.drawn) - 1
        self.ties.append(
            Tie(stage, purpose, tuple(self.names[c] for c in tied), self.names[chosen], method, lot)
        )
        return chosen

    def record(
        self,
        action: str,
        subject: int | None,
        received: NDArray[np.int64] | None = None,
        elected: Sequence[int] = (),
        excluded: Sequence[int] = (),
        note: str = "",
    ) -> None:
        self.history.append(self.votes.copy())
        standing = [c for c in range(self.ncand) if self.status[c] != WITHDRAWN]
        transfers = (
            {self.names[c]: fixed(int(received[c]), PLACES) for c in standing if received[c]}
            if received is not None
            else {}
        )
        self.stages.append(
            Stage(
                stage=len(self.stages) + 1,
                action=action,
                subject=None if subject is None else self.names[subject],
                votes={self.names[c]: fixed(int(self.votes[c]), PLACES) for c in standing},
                non_transferable=fixed(self.non_transferable, PLACES),
                loss_to_truncation=fixed(self.loss, PLACES),
                quota=fixed(self.quota, PLACES),
                transfers=transfers,
                transferred=fixed(int(received.sum()) if received is not None else 0, PLACES),
                elected=tuple(self.names[c] for c in elected),
                excluded=tuple(self.names[c] for c in excluded),
                note=note,
            )
        )

    # -- the rules -------------------------------------------------------------------------------
    def elect_with_quota(self) -> list[int]:
        """Rule 47(1): every continuing candidate with votes equal to or above the quota is elected,
        in order of their votes (equal votes ordered by rule 49(2)-(3))."""
        reached = [c for c in self.hopeful() if self.votes[c] >= self.quota]
        order: list[int] = []
        while reached:
            top = max(int(self.votes[c]) for c in reached)
            tied = [c for c in reached if self.votes[c] == top]
            c = self.break_tie(tied, highest=True, purpose="order of election")
            order.append(c)
            reached.remove(c)
        order = order[: max(self.seats_left(), 0)]
        for c in order:
            self.status[c] = ELECTED
            self.elected.append(c)
            if self.votes[c] > self.quota:
                self.pending.append(c)
        return order

    def complete(self) -> bool:
        return self.seats_left() <= 0 or len(self.hopeful()) <= self.seats_left()

    def transfer_surplus(self) -> None:
        """Rules 48 and 49: transfer the largest surplus, every paper at its transfer value."""
        top = max(int(self.votes[c]) for c in self.pending)
        tied = [c for c in self.pending if self.votes[c] == top]
        c = self.break_tie(tied, highest=True, purpose="surplus order")
        self.pending.remove(c)
        total = int(self.votes[c])
        surplus = total - self.quota
        idx = self.piles.pile(c)
        new_value = transfer_value(self.piles.value[idx], surplus, total)
        move = self.piles.transfer(c, self.status == HOPEFUL, new_value)
        self.votes += move.received
        self.votes[c] = self.quota
        self.non_transferable += move.non_transferable
        lost = surplus - int(move.received.sum()) - move.non_transferable
        self.loss += lost
        elected = self.elect_with_quota()
        self.record(
            "surplus",
            c,
            move.received,
            elected=elected,
            note=f"surplus {fixed(surplus, PLACES)}; {move.moved_papers} papers; "
            f"non-transferable {fixed(move.non_transferable, PLACES)}; "
            f"loss to truncation {fixed(lost, PLACES)}",
        )

    def exclude_lowest(self) -> None:
        """Rules 50 and 51: exclude the candidate with the fewest votes and transfer all their
        papers at their current values in one stage."""
        hopeful = self.hopeful()
        low = min(int(self.votes[c]) for c in hopeful)
        tied = [c for c in hopeful if self.votes[c] == low]
        c = self.break_tie(tied, highest=False, purpose="exclusion")
        self.status[c] = EXCLUDED
        move = self.piles.transfer(c, self.status == HOPEFUL)
        self.votes += move.received
        self.non_transferable += move.non_transferable
        self.votes[c] = 0
        elected = self.elect_with_quota()
        self.record(
            "exclusion",
            c,
            move.received,
            elected=elected,
            excluded=[c],
            note=f"{move.moved_papers} papers; non-transferable "
            f"{fixed(move.non_transferable, PLACES)}",
        )

    def run(self) -> None:
        self.record("first preferences", None)
        elected = self.elect_with_quota()
        if elected:
            self.stages[-1] = replace(
                self.stages[-1], elected=tuple(self.names[c] for c in elected)
            )
        while not self.complete():
            self.stage_no = len(self.stages) + 1
            if self.pending:
                self.transfer_surplus()
            else:
                self.exclude_lowest()
        if self.seats_left() > 0 and self.hopeful():
            # Rule 52: as many continuing candidates as vacancies: all elected, no further transfer.
            rest = sorted(self.hopeful(), key=lambda c: -int(self.votes[c]))
            for c in rest:
                self.status[c] = ELECTED
                self.elected.append(c)
            last = self.stages[-1]
            self.stages[-1] = replace(
                last,
                elected=(*last.elected, *(self.names[c] for c in rest)),
                note=(last.note + "; " if last.note else "")
                + "rule 52: the continuing candidates fill the remaining vacancies",
            )


def count(profile: Profile, seats: int | None = None, seed: str | None = None) -> CountResult:
    """Count a profile under the Scottish rules and return every stage."""
    seats = profile.seats_to_fill(seats)
    seed = new_seed() if seed is None else str(seed)
    state = _Count(profile, seats, seed)
    if state.valid == 0:
        raise CountError("no valid ballots to count")
    state.run()
    strict = state.strict
    return CountResult(
        rule=RULE,
        rule_version=VERSION,
        seats=seats,
        candidates=profile.candidates,
        valid_ballots=state.valid,
        invalid_ballots=strict.invalid + profile.problems.empty,
        quota=fixed(state.quota, PLACES),
        elected=tuple(profile.candidates[c] for c in state.elected),
        stages=tuple(state.stages),
        ties=tuple(state.ties),
        seed=seed,
        lots=tuple(state.lots.drawn),
        validation={
            **profile.problems.as_dict(),
            "read_to_first_ambiguity": strict.truncated,
            "no_valid_first_preference": strict.invalid,
            "policy": "Scottish rule: a ballot is read up to its first equal ranking or skipped "
            "rank; a ballot with no unambiguous first preference is invalid; a candidate "
            "marked twice counts at the first mark",
        },
        withdrawn=tuple(profile.candidates[c] for c in sorted(profile.withdrawn)),
        title=profile.title,
        precision="fixed point, 5 decimal places, remainders ignored (rule 48(3))",
    )
