"""Start-up: a command imports only its own module, and the lazy table names every command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

import cli
from cli.common import COMMANDS, app, register_all

PROBE = """
import sys
from cli import app
try:
    app(["count", sys.argv[1], "--seed", "s"])
except SystemExit as exit:
    assert not exit.code, exit.code
heavy = ("scipy", "sqlalchemy", "sqlmodel", "litestar", "chamber", "pydantic")
print("loaded:", sorted(m for m in heavy if m in sys.modules))
"""


def test_count_imports_neither_scipy_nor_the_database(stv_data):
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(stv_data / "glasgow_2007_calton.blt")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.splitlines()[-1] == "loaded: []"


def test_the_command_table_names_every_command_of_every_module():
    register_all()
    registered = typer.main.get_group(app).commands
    assert set(registered) == set(COMMANDS)  # in the order the modules happened to be imported


def test_help_lists_the_commands_in_the_tables_order():
    r = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0
    rows = [line for line in r.output.splitlines() if line.startswith("│ ") and line[2] != " "]
    listed = [row.split()[1] for row in rows]
    assert [name for name in listed if name in COMMANDS] == list(COMMANDS)


def test_every_command_module_is_in_the_table():
    """A new module under cli/ must name its commands in COMMANDS, or they are never loaded."""
    modules = {
        p.stem for p in Path(cli.__file__).parent.glob("*.py")
        if "@app.command" in (text := p.read_text(encoding="utf-8")) or "app.add_typer" in text
    }  # (helpers such as cli/filled.py register nothing)
    modules -= {"__init__", "__main__", "common"}
    assert modules == set(COMMANDS.values())
