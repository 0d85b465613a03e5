"""The `chamber` command line: one module per area, all registered on one typer app."""

from chamber.cli import (  # noqa: F401  (each module registers its commands)
    allocation,
    composition,
    counting,
    database,
    draw,
    jury,
    organisations,
    rota,
)
from chamber.cli.common import app

__all__ = ["app"]
