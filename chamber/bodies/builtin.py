"""The bodies that come with the engine, read from their TOML files by `load_body`.

`NATIONAL` is the 500-seat part-time second chamber of "The case for a second chamber which would
add something to Parliament and promote empowerment" (``national.toml`` explains its numbers:
13,200 rota places against the proposal's headline 12,000 people); `LOCAL_HEALTH_PANEL` a
citizens' panel acting as a local second chamber (``local-health-panel.toml``, also the model for
a body file of one's own).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from chamber.bodies.composition import Body, CompositionError
from chamber.bodies.files import load_body

HERE = Path(__file__).parent


def builtin_file(key: str) -> Path:
    """The TOML file of a built-in body, e.g. ``builtin_file("local-health-panel")``."""
    return HERE / f"{key}.toml"


NATIONAL = load_body(builtin_file("national"))
"""The national chamber: 500 seats in eight categories, 13,200 rota places."""

LOCAL_HEALTH_PANEL = load_body(builtin_file("local-health-panel"))
"""A local body: 40 citizens drawn by lot, one per seat, meeting fortnightly."""

BODIES: Mapping[str, Body] = {NATIONAL.key: NATIONAL, LOCAL_HEALTH_PANEL.key: LOCAL_HEALTH_PANEL}


def get_body(key_or_path: str | Path) -> Body:
    """A built-in body by key (`BODIES`), or a body read from a TOML file by path."""
    if isinstance(key_or_path, str) and key_or_path in BODIES:
        return BODIES[key_or_path]
    path = Path(key_or_path)
    if path.suffix.lower() == ".toml" or path.exists():
        return load_body(path)
    raise CompositionError(
        f"unknown body {str(key_or_path)!r}: use one of {', '.join(BODIES)} "
        "or the path of a .toml file"
    )
