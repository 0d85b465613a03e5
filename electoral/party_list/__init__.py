"""Party-list allocation: divisor methods and largest remainder, in exact rational arithmetic.

Sources: M. Balinski and H. P. Young, *Fair Representation* (2nd ed., 2001); F. Pukelsheim,
*Proportional Representation: Apportionment Methods and Their Applications* (2nd ed., 2017),
chapters 3-7 (divisor methods, quota methods, the jump-and-step algorithm, minimum and maximum
restrictions).  The chamber's party seats: seats to parties in proportion to national votes, only
parties with *more than* 1% of the vote qualify (the seed proposal, "The case for a second
chamber").

The methods are in ``divisor`` and ``remainder``, the threshold and the allocation's record in
``allocation``, reading vote totals in ``votes_file``; every name is importable from here.
"""

from electoral.party_list.allocation import (
    Allocation,
    PartyLine,
    allocate,
    qualifies,
    quotient_table,
)
from electoral.party_list.divisor import divisor_apportion, quotient_key, quotient_value
from electoral.party_list.methods import (
    DIVISOR_METHODS,
    METHODS,
    REMAINDER_METHODS,
    DivisorMethod,
    Method,
    RemainderMethod,
)
from electoral.party_list.remainder import remainder_apportion
from electoral.party_list.ties import LotDraw
from electoral.party_list.votes_file import PartyVotes, parse_party_votes, read_party_votes

__all__ = [
    "DIVISOR_METHODS",
    "METHODS",
    "REMAINDER_METHODS",
    "Allocation",
    "DivisorMethod",
    "LotDraw",
    "Method",
    "PartyLine",
    "PartyVotes",
    "RemainderMethod",
    "allocate",
    "divisor_apportion",
    "parse_party_votes",
    "qualifies",
    "quotient_key",
    "quotient_table",
    "quotient_value",
    "read_party_votes",
    "remainder_apportion",
]
