"""The one exception family of the counting core: every failure a clerk can act on."""

from __future__ import annotations


class CountError(ValueError):
    """A count, an allocation or a ballot file cannot be processed as asked.

    The message says what is wrong in the words of the domain, so that it can be shown to an
    election administrator unchanged.
    """


class BallotFileError(CountError):
    """A ballot file is malformed; the message names the file, the line and what is wrong."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}: {problem}")
