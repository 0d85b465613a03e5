"""What every `chamber` command shares: the typer app, the consoles and the one error exit."""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from cli.values import read_plainly

if TYPE_CHECKING:
    from rich.progress import Progress

#: Every command and group, in the order help lists them, and the module that registers it.
COMMANDS = {
    "allocate": "allocation",
    "students": "allocation",
    "districts": "allocation",
    "composition": "composition",
    "delegation": "composition",
    "count": "counting",
    "verify": "counting",
    "seed": "database",
    "serve": "database",
    "jury-simulate": "jury",
    "jury": "jury_officer",
    "experts": "experts",
    "panel": "experts",
    "organisations": "organisations",
    "simulate": "simulate",
    "db": "database",
    "audit": "database",
    "account": "database",
    "draw": "draw",
    "offices": "officers",
    "register": "register",
    "outbox": "register",
    "rota": "rota",
    "route": "routes",
}


class Commands(TyperGroup):
    """The `chamber` group: a command's module is imported only when that command is run (or
    help lists it), so that `chamber count` does not load SciPy for the draw or SQLAlchemy for
    the database (issue 22: start-up was 1.0 s of CPU, most of it imports a count never uses)."""

    # Any: typer's group takes its own (vendored) click types, which change between versions
    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        read_plainly(self, ctx)  # the group's own options (typer's --install-completion ...) too
        rest: list[str] = super().parse_args(ctx, args)
        return rest

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(f"cli.{COMMANDS[cmd_name]}")  # registers on `app`
            self.commands.update(typer.main.get_group(app).commands)
        command = super().get_command(ctx, cmd_name)
        read_plainly(command, ctx)  # its values read without importing pydantic
        return command


def register_all() -> None:
    """Import every command's module, registering all of them on `app` (for what enumerates the
    commands, such as the tests of their options; running one command never needs this)."""
    for module in dict.fromkeys(COMMANDS.values()):
        importlib.import_module(f"cli.{module}")


app = typer.Typer(
    cls=Commands,
    callback=lambda: None,  # a group from the start, as no command is registered until used
    help="A deliberative democracy engine: counts, allocations, sortition, rotas, the chamber.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
# Piped output is not wrapped at 80 columns: a count table is as wide as its stages.  Markup
# and emoji codes are off: candidate, party, quota and file names are printed literally (a name
# like "[/]" or ":smile:" is just text); what the commands colour they build as `Text`.
console = Console(width=None if sys.stdout.isatty() else 240, markup=False, emoji=False)
err = Console(stderr=True, markup=False, emoji=False)


def styled(*parts: str | tuple[str, str]) -> Text:
    """A line from plain strings and (text, style) pairs: no part is read as markup."""
    return Text.assemble(*parts)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a clerk-readable error; return the exit to raise (2: bad input, 1: check failed)."""
    err.print(styled(("error:", "bold red"), f" {message}"), highlight=False, soft_wrap=True)
    return typer.Exit(code)


def progress_bar() -> Progress:
    """The progress bar of long commands, on standard error (silent when it is not a terminal)."""
    # deferred: rich.progress is needed only by commands that count or draw many things
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


DATABASE = typer.Option(None, "--database", help="Database URL (default: DATABASE_URL).")
