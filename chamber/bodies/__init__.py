"""Bodies: what a chamber or panel is made of (`composition`), read from TOML (`files`); the
national chamber and a local health panel come with the engine as TOML files (`builtin`)."""

from chamber.bodies.builtin import BODIES, LOCAL_HEALTH_PANEL, NATIONAL, builtin_file, get_body
from chamber.bodies.composition import CYCLES, Body, Category, CompositionError, SubUnit, Totals
from chamber.bodies.files import body_from_dict, load_body

__all__ = [
    "BODIES",
    "CYCLES",
    "LOCAL_HEALTH_PANEL",
    "NATIONAL",
    "Body",
    "Category",
    "CompositionError",
    "SubUnit",
    "Totals",
    "body_from_dict",
    "builtin_file",
    "get_body",
    "load_body",
]
