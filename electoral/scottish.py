"""Scottish STV: the Scottish Local Government Elections Order 2007 (SSI 2007/42), rules 45-52.

Weighted inclusive Gregory method: a surplus is transferred by passing on every paper of the
elected candidate at a reduced value, each value calculated to five decimal places with the
remainder ignored (rule 48(3)); the remainders lost are reported as "loss to truncation".  All
arithmetic is integer fixed point in units of 0.00001 of a vote.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Final, Literal

from electoral.ballots.profile import Profile
from electoral.driver import HOPEFUL, Count, Step, Tally
from electoral.errors import CountError
from electoral.lots import new_seed
from electoral.papers import Int64s, Piles, fixed
from electoral.result import CountResult

RULE: Final[Literal["scottish"]] = "scottish"
VERSION = "scottish-2007/1"
PLACES = 5
ONE = 10**PLACES


def quota(valid_ballots: int, seats: int) -> int:
    """Rule 46: valid ballots divided by seats + 1, decimals ignored, plus one (whole votes)."""
    return valid_ballots // (seats + 1) + 1


def transfer_value(paper_value: Int64s, surplus: int, total: int) -> Int64s:
    """Rule 48(3): surplus x value of the paper / candidate's total, to 5 places, remainder ignored.

    All three arguments and the result are in units of 0.00001.
    """
    return paper_value * surplus // total


@lru_cache(maxsize=4096)  # a count shows the quota, 0 and unchanged votes again and again
def _fixed(value: Any) -> str:
    number = int(value)
    if number >= 0:  # as `fixed` shows it, without its general case (a count shows thousands)
        return f"{number // ONE}.{number % ONE:0{PLACES}d}"
    return fixed(number, PLACES)


class _Scottish:
    """The rules' arithmetic over piles of papers (internal): the driver records each stage."""

    def __init__(self, profile: Profile, count: Count) -> None:
        self.count = count
        strict = profile.strict()
        self.strict = strict
        self.valid = int(strict.weights.sum())
        if self.valid * ONE * ONE >= 2**63:
            # paper value x surplus must fit in 64 bits (rule 48(3) is computed exactly)
            raise CountError("too many ballots for exact fixed-point counting (limit 900 million)")
        if self.valid == 0:
            raise CountError("no valid ballots to count")
        self.piles = Piles(strict, len(profile.candidates), ONE)
        self.quota = quota(self.valid, count.seats) * ONE
        self.votes = self.piles.tally()
        self.non_transferable = 0
        self.loss = 0
        self.pending: list[int] = []  # elected with a surplus not yet transferred

    def tally(self) -> Tally:
        return Tally(self.votes, self.quota, self.non_transferable, self.loss)

    def elect_with_quota(self) -> list[int]:
        """Rule 47(1): every continuing candidate with votes equal to or above the quota is elected,
        in order of their votes (equal votes ordered by rule 49(2)-(3))."""
        count = self.count
        votes = self.votes.tolist()
        reached = [c for c in count.hopeful() if votes[c] >= self.quota]
        order: list[int] = []
        while reached:
            top = max(votes[c] for c in reached)
            tied = [c for c in reached if votes[c] == top]
            c = count.break_tie(tied, highest=True, purpose="order of election")
            order.append(c)
            reached.remove(c)
        order = order[: max(count.seats_left(), 0)]
        for c in order:
            count.elect(c)
            if votes[c] > self.quota:
                self.pending.append(c)
        return order

    def first_stage(self) -> Step:
        """Rule 45: the first preferences; rule 47(1) then elects whoever reaches the quota."""
        return Step("first preferences", elected=self.elect_with_quota())

    def finished(self) -> bool:
        """Every vacancy filled or, rule 52(1), no more continuing candidates than vacancies."""
        left = self.count.seats_left()
        return left <= 0 or len(self.count.hopeful()) <= left

    def next_stage(self) -> Step:
        """Rules 48-51: transfer the largest surplus while one is pending, else exclude."""
        return self.transfer_surplus() if self.pending else self.exclude_lowest()

    def transfer_surplus(self) -> Step:
        """Rules 48 and 49: transfer the largest surplus, every paper at its transfer value."""
        votes = self.votes.tolist()
        top = max(votes[c] for c in self.pending)
        tied = [c for c in self.pending if votes[c] == top]
        c = self.count.break_tie(tied, highest=True, purpose="surplus order")
        self.pending.remove(c)
        total = votes[c]
        surplus = total - self.quota
        idx = self.piles.pile(c)
        new_value = transfer_value(self.piles.value[idx], surplus, total)
        move = self.piles.transfer(c, self.count.status == HOPEFUL, new_value)
        self.votes += move.received
        self.votes[c] = self.quota
        self.non_transferable += move.non_transferable
        lost = surplus - int(move.received.sum()) - move.non_transferable
        self.loss += lost
        return Step(
            "surplus",
            c,
            move.received,
            elected=self.elect_with_quota(),
            note=f"surplus {_fixed(surplus)}; {move.moved_papers} papers; "
            f"non-transferable {_fixed(move.non_transferable)}; loss to truncation {_fixed(lost)}",
        )

    def exclude_lowest(self) -> Step:
        """Rules 50 and 51: exclude the candidate with the fewest votes and transfer all their
        papers at their current values in one stage."""
        hopeful = self.count.hopeful()
        votes = self.votes.tolist()
        low = min(votes[c] for c in hopeful)
        tied = [c for c in hopeful if votes[c] == low]
        c = self.count.break_tie(tied, highest=False, purpose="exclusion")
        self.count.exclude(c)
        move = self.piles.transfer(c, self.count.status == HOPEFUL)
        self.votes += move.received
        self.non_transferable += move.non_transferable
        self.votes[c] = 0
        return Step(
            "exclusion",
            c,
            move.received,
            elected=self.elect_with_quota(),
            excluded=[c],
            note=f"{move.moved_papers} papers; non-transferable {_fixed(move.non_transferable)}",
        )

    def closing(self) -> tuple[Sequence[int], str]:
        """Rule 52: as many continuing candidates as vacancies: all elected, no further transfer."""
        if self.count.seats_left() <= 0 or not self.count.hopeful():
            return (), ""
        rest = sorted(self.count.hopeful(), key=lambda c: -int(self.votes[c]))
        return rest, "rule 52: the continuing candidates fill the remaining vacancies"


def count(profile: Profile, seats: int | None = None, seed: str | None = None) -> CountResult:
    """Count a profile under the Scottish rules and return every stage."""
    seats = profile.seats_to_fill(seats)
    seed = new_seed() if seed is None else str(seed)
    state = Count(profile, seats, seed, _fixed)
    rules = _Scottish(profile, state)
    state.run(rules)
    strict = rules.strict
    return state.result(
        rule=RULE,
        version=VERSION,
        quota=_fixed(rules.quota),
        valid_ballots=rules.valid,
        invalid_ballots=strict.invalid + profile.problems.empty,
        validation={
            **profile.problems.as_dict(),
            "read_to_first_ambiguity": strict.truncated,
            "no_valid_first_preference": strict.invalid,
            "policy": "Scottish rule: a ballot is read up to its first equal ranking or skipped "
            "rank; a ballot with no unambiguous first preference is invalid; a candidate "
            "marked twice counts at the first mark",
        },
        precision="fixed point, 5 decimal places, remainders ignored (rule 48(3))",
    )
