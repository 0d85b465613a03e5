"""Installing a body, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from chamber.bodies.services import bodies, install_body
from chamber.db import perform, read
from chamber.errors import Conflict
from tests.chamber.conftest import SMALL


def test_a_body_cannot_be_installed_twice(engine):
    assert perform(engine, install_body, SMALL) == 3
    with pytest.raises(Conflict, match="already installed"):
        perform(engine, install_body, SMALL)
    assert read(engine, bodies) == [SMALL.key]
