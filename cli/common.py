"""What every `chamber` command shares: the typer app, the consoles and the one error exit."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

app = typer.Typer(
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
