"""The organisations ballot: which organisations may stand, and the 50 chosen by approval vote.

Source: the seed proposal, "The case for a second chamber" ("One tenth (50 seats, each shared by
a number of people) to be filled by representatives of organisations chosen by the people"):

- any organisation may stand other than a political party, an organisation with a political test
  of membership, an organisation formed primarily to influence a particular party, or a public body
  under the control of Ministers (trade unions may stand whether or not they have a political fund,
  and charities may stand);
- to stand, an organisation needs 100,000 members or nominators, in any mix (e.g. 60,000 members
  and 40,000 nominators who are not members);
- each voter votes for up to 20 organisations; the 50 with the most votes each appoint a group of
  people to rotate one seat.

A ballot naming more organisations than allowed, or one organisation twice, or none at all, is
invalid: it is not counted, and the number of such ballots (with the first few line numbers) is
reported by reason.  A tie for the last winning places is decided by lot from an announced seed,
and the draw is recorded.
"""

from electoral.approval.ballots import (
    ApprovalBallots,
    parse_approval_ballots,
    read_approval_ballots,
)
from electoral.approval.counting import (
    MAX_CHOICES,
    SEATS,
    ApprovalResult,
    BoundaryTie,
    Invalid,
    Reason,
    count_approval,
)
from electoral.approval.organisations import (
    ALLOWED_KINDS,
    EXCLUDED_KINDS,
    KINDS,
    THRESHOLD,
    Eligibility,
    Kind,
    Organisation,
    check_eligibility,
    parse_organisations,
    read_organisations,
)

__all__ = [
    "ALLOWED_KINDS",
    "EXCLUDED_KINDS",
    "KINDS",
    "MAX_CHOICES",
    "SEATS",
    "THRESHOLD",
    "ApprovalBallots",
    "ApprovalResult",
    "BoundaryTie",
    "Eligibility",
    "Invalid",
    "Kind",
    "Organisation",
    "Reason",
    "check_eligibility",
    "count_approval",
    "parse_approval_ballots",
    "parse_organisations",
    "read_approval_ballots",
    "read_organisations",
]
