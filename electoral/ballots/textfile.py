"""Reading a ballot file's text, with the errors every reader shares."""

from __future__ import annotations

from pathlib import Path

from electoral.errors import BallotFileError


def read_text(path: str | Path) -> str:
    """The file's text (UTF-8, a byte-order mark ignored); unreadable files name themselves."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return fh.read()
    except OSError as exc:
        raise BallotFileError(str(path), None, f"cannot read file: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise BallotFileError(str(path), None, "not a UTF-8 text file") from exc
