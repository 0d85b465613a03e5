"""Helpers of the rota tests: the sample files, a Monday to start on, and writing a file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

DATA = Path(__file__).parents[1] / "data" / "rota"
START = date(2027, 1, 4)  # a Monday


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def slot(cal, day: str, session: str) -> int:
    found = cal.find(date.fromisoformat(day), session)
    assert found is not None
    return found.index
