"""The one count driver every STV and IRV rule runs on: statuses, stages, ties and lots, once.

As in VoteKit's ``while not finished: run_step()``, a rule only says what its quota is, how a
surplus is transferred and a candidate excluded (and, for Meek, how the keep factors iterate);
the driver keeps who is hopeful, elected, excluded or withdrawn, records each stage as an exact
frozen :class:`Stage`, breaks every tie the same way (the most recent earlier stage at which the
tied candidates differed, then lot) and records every lot drawn, so that a published count can be
re-run and checked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from electoral.ballots.profile import Profile
from electoral.lots import Lots, look_back
from electoral.result import Action, CountResult, Purpose, RuleName, Stage, Tie

HOPEFUL, ELECTED, EXCLUDED, WITHDRAWN = 0, 1, 2, 3

#: Everyone's votes: integers of fixed point (Scottish, IRV) or floats (Meek).
Votes = NDArray[np.int64] | NDArray[np.float64]
#: How a rule shows a vote value (a numpy integer or float) in a stage.
Format = Callable[[Any], str]


@dataclass(frozen=True, slots=True)
class Tally:
    """Where the count stands after a stage: everyone's votes and the totals the stage shows."""

    votes: Votes
    quota: Any
    non_transferable: Any = 0
    loss: Any = 0


@dataclass(frozen=True, slots=True)
class Step:
    """What one stage did, as the rule reports it to the driver.

    ``received`` is what each candidate received at this stage (None when nothing moved);
    ``transferred`` the total moved when it is not the sum of ``received`` (Meek shows what
    reached candidates, while an elected candidate's share may fall).
    """

    action: Action
    subject: int | None = None
    received: Votes | None = None
    transferred: Any = None
    elected: Sequence[int] = ()
    excluded: Sequence[int] = ()
    note: str = ""


class Rule(Protocol):
    """What a counting rule supplies to the driver."""

    def tally(self) -> Tally:
        """Everyone's votes, the quota and the totals, now."""
        ...

    def first_stage(self) -> Step:
        """Count the first preferences (electing whoever the rule elects on them)."""
        ...

    def finished(self) -> bool:
        """Whether no further stage is needed."""
        ...

    def next_stage(self) -> Step:
        """Transfer a surplus, exclude, or iterate: one stage."""
        ...

    def closing(self) -> tuple[Sequence[int], str]:
        """Candidates declared elected at the last stage without a further transfer, and why."""
        ...


class Count:
    """One count in progress: the candidates' statuses, the stages, ties and lots so far."""

    def __init__(
        self, profile: Profile, seats: int, seed: str, fmt: Format, *, looks_back: bool = True
    ) -> None:
        self.profile = profile
        self.names = profile.candidates
        self.seats = seats
        self.seed = seed
        self.fmt = fmt
        self.looks_back = looks_back
        self.status = np.full(len(self.names), HOPEFUL, dtype=np.int8)
        for c in profile.withdrawn:
            self.status[c] = WITHDRAWN
        self.standing = [c for c in range(len(self.names)) if c not in profile.withdrawn]
        self._hopeful = list(self.standing)  # kept with `status`, in order
        self.elected: list[int] = []
        self.lots = Lots(seed)
        self.ties: list[Tie] = []
        self.stages: list[Stage] = []
        self.history: list[Votes] = []  # everyone's votes after each stage

    # -- statuses --------------------------------------------------------------------------------
    def hopeful(self) -> list[int]:
        """Continuing candidates not yet elected."""
        return list(self._hopeful)

    def seats_left(self) -> int:
        return self.seats - len(self.elected)

    def elect(self, c: int) -> None:
        self.status[c] = ELECTED
        if c in self._hopeful:
            self._hopeful.remove(c)
        self.elected.append(c)

    def exclude(self, c: int) -> None:
        self.status[c] = EXCLUDED
        if c in self._hopeful:
            self._hopeful.remove(c)

    # -- ties ------------------------------------------------------------------------------------
    def break_tie(self, tied: Sequence[int], *, highest: bool, purpose: Purpose) -> int:
        """The candidate with the most (``highest``) or fewest votes at the most recent earlier
        stage at which the tied candidates differed, else one drawn by lot; the tie is recorded
        against the stage being built.  A rule that does not look back draws lots at once."""
        if len(tied) == 1:
            return tied[0]
        remaining, decided = (
            look_back(tied, self.history, highest=highest) if self.looks_back else (tied, None)
        )
        if len(remaining) == 1:
            chosen, method, lot = remaining[0], f"earlier stage {decided}", None
        else:
            chosen, method, lot = self.lots.choose(remaining), "lot", len(self.lots.drawn) - 1
        names = self.names
        candidates = tuple(names[c] for c in tied)
        self.ties.append(Tie(len(self.stages) + 1, purpose, candidates, names[chosen], method, lot))
        return chosen

    # -- stages ----------------------------------------------------------------------------------
    def run(self, rule: Rule) -> None:
        """Count to the end: first preferences, then stage after stage until the rule is done."""
        self.record(rule.first_stage(), rule.tally())
        while not rule.finished():
            self.record(rule.next_stage(), rule.tally())
        elected, note = rule.closing()
        if elected:
            last = self.stages[-1]
            for c in elected:
                self.elect(c)
            self.stages[-1] = replace(
                last,
                elected=(*last.elected, *(self.names[c] for c in elected)),
                note=(last.note + "; " if last.note and note else last.note) + note,
            )

    def record(self, step: Step, tally: Tally) -> None:
        fmt, names, standing = self.fmt, self.names, self.standing
        received = step.received
        moved = step.transferred
        if moved is None:
            moved = 0 if received is None else received.sum()
        self.history.append(tally.votes.copy())
        votes = tally.votes.tolist()  # Python numbers: quicker to format, each the same value
        got = None if received is None else received.tolist()
        self.stages.append(
            Stage(
                stage=len(self.stages) + 1,
                action=step.action,
                subject=None if step.subject is None else names[step.subject],
                votes={names[c]: fmt(votes[c]) for c in standing},
                non_transferable=fmt(tally.non_transferable),
                loss_to_truncation=fmt(tally.loss),
                quota=fmt(tally.quota),
                transferred=fmt(moved),
                transfers={}
                if got is None
                else {names[c]: fmt(got[c]) for c in standing if got[c]},
                elected=tuple(names[c] for c in step.elected),
                excluded=tuple(names[c] for c in step.excluded),
                note=step.note,
            )
        )

    def result(
        self,
        *,
        rule: RuleName,
        version: str,
        quota: str,
        valid_ballots: int,
        invalid_ballots: int,
        validation: dict[str, Any],
        precision: str,
    ) -> CountResult:
        """The finished count (the rule supplies what only it knows)."""
        names = self.names
        return CountResult(
            rule=rule,
            rule_version=version,
            title=self.profile.title,
            seats=self.seats,
            candidates=names,
            withdrawn=tuple(names[c] for c in sorted(self.profile.withdrawn)),
            valid_ballots=valid_ballots,
            invalid_ballots=invalid_ballots,
            quota=quota,
            precision=precision,
            elected=tuple(names[c] for c in self.elected),
            stages=tuple(self.stages),
            ties=tuple(self.ties),
            seed=self.seed,
            lots=tuple(self.lots.drawn),
            validation=validation,
        )
