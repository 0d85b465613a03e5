"""The `chamber` command line: one module per area, each imported when one of its commands runs
(``cli.common.COMMANDS`` says which module registers which command on the one typer app)."""

from cli.common import app

__all__ = ["app"]
