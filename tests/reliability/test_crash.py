"""The server is killed with SIGKILL under load and restarted, three times, on SQLite and on
PostgreSQL: every acknowledged vote is stored exactly once, nothing is invented, the audit
chain holds (see `tests.reliability.crashload`, which also runs longer on demand)."""

from __future__ import annotations

import pytest

from tests.chamber.conftest import database_name
from tests.reliability.crashload import run


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_acknowledged_votes_survive_sigkill(kind, request, tmp_path):
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'crash.db'}"
    else:
        url = request.getfixturevalue("pg_server").create_database(database_name("crash"))
    out = run(url, voters=6, kills=3, seconds=8.0)
    assert out.kills == 3
    assert len(out.acknowledged) > 20
    assert out.problems == []
