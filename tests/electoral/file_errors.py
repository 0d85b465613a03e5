"""Expecting a file error that names the file first and then says what is wrong."""

from __future__ import annotations

import re

import pytest

from electoral.errors import BallotFileError


def names_file(name: str, message: str):
    """``pytest.raises`` for a :class:`BallotFileError` whose message starts with ``name`` and
    contains ``message``."""
    return pytest.raises(BallotFileError, match=f"^{re.escape(name)}.*{re.escape(message)}")
