"""Shared fixtures: where the test data and the shared public election records live."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def stv_data() -> Path:
    return DATA / "stv"


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, skipping the test when the shared folder is not beside us."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not present (../shared beside the repository)")
    return path
