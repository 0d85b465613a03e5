"""Example body descriptions in TOML, for `chamber composition --body PATH` (see load_body).

Source: SPEC.md "Citizens' panels".  ``local-health-panel.toml`` describes the same body as
`chamber.composition.LOCAL_HEALTH_PANEL` and is the model for a user's own body file.
"""

from pathlib import Path

HERE = Path(__file__).parent


def example(name: str) -> Path:
    """The path of an example body file, e.g. ``example("local-health-panel")``."""
    return HERE / f"{name}.toml"
