"""What every `chamber` command shares: the typer app, the consoles and the one error exit."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(
    help="A deliberative democracy engine: counts, allocations, sortition, rotas, the chamber.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
# Piped output is not wrapped at 80 columns: a count table is as wide as its stages.
console = Console(width=None if sys.stdout.isatty() else 240)
err = Console(stderr=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a clerk-readable error; return the exit to raise (2: bad input, 1: check failed)."""
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def progress_bar() -> Progress:
    """The progress bar of long commands, on standard error (silent when it is not a terminal)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )

DATABASE = typer.Option(None, "--database", help="Database URL (default: DATABASE_URL).")
