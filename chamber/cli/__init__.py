"""The `chamber` command line: one module per area, all registered on one typer app."""

from chamber.cli import counting  # noqa: F401  (registers `count` and `verify`)
from chamber.cli.common import app

__all__ = ["app"]
