"""The counting core: exact, re-runnable counts over numpy ballot profiles (no web, no database)."""

from electoral.ballots import Profile, parse_ballots, read_ballots
from electoral.errors import BallotFileError, CountError
from electoral.result import CountResult, Stage, Tie, result_from_dict
from electoral.rules import RULES, count_file, count_profile, count_text, differences

__all__ = [
    "RULES",
    "BallotFileError",
    "CountError",
    "CountResult",
    "Profile",
    "Stage",
    "Tie",
    "count_file",
    "count_profile",
    "count_text",
    "differences",
    "parse_ballots",
    "read_ballots",
    "result_from_dict",
]
