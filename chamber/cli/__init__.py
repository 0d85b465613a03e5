"""The `chamber` command line: one module per area, all registered on one typer app."""

from chamber.cli import allocation, counting  # noqa: F401  (each module registers its commands)
from chamber.cli.common import app

__all__ = ["app"]
