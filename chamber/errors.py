"""The chamber's refusals as typed values: one family, each kind saying what went wrong.

Every message is written for the person who must act on it (a clerk, a member, a voter).  The
web layer maps each kind to an HTTP status in one place (`web.errors`); the command line prints
the message and exits 2.
"""

from __future__ import annotations

from dataclasses import dataclass


class ChamberError(ValueError):
    """Something asked of the chamber was not done; the message says why."""


class NotFound(ChamberError):
    """Something named (a division, a member, a receipt) does not exist."""


class Invalid(ChamberError):
    """The request itself is malformed: a missing title, too few options, an unknown role."""


class Refused(ChamberError):
    """A rule of the chamber forbids it now: the division is closed, the member is not
    rostered, business is planned too late."""


class Conflict(ChamberError):
    """It clashes with what is already stored: a name taken, a body installed twice, a month
    already run, a retry with the same key but another choice."""


class Forbidden(ChamberError):
    """The signed-in person may not do this (it belongs to someone else, or needs a role)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """A rule's answer: allowed, or refused with the reason (a note when allowed)."""

    allowed: bool
    reason: str = ""

    def enforce(self) -> None:
        """Raise `Refused` with the reason unless allowed."""
        if not self.allowed:
            raise Refused(self.reason)
