"""The `chamber` command line: one module per area, all registered on one typer app."""

from cli import (  # noqa: F401  (each module registers its commands)
    allocation,
    composition,
    counting,
    database,
    draw,
    jury,
    officers,
    organisations,
    register,
    rota,
    routes,
    simulate,
)
from cli.common import app

__all__ = ["app"]
