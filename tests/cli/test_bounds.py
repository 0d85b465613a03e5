"""Every size the command line takes is bounded: each integer or decimal option of every
command (found from the app itself, so a new one cannot slip past) has a least and a greatest
value, and a value outside them is a clear error with exit code 2 before anything runs."""

from __future__ import annotations

import inspect
import typing

import pytest
import typer
from typer.models import ArgumentInfo, OptionInfo
from typer.testing import CliRunner

from cli import app
from cli.common import COMMANDS, register_all

register_all()  # commands are registered lazily, when run: enumerate every one of them
runner = CliRunner()
UNBOUNDED_BY_DESIGN = {
    ("seed", "seed_value"),  # the demonstration's random seed: any integer names a world
    ("jury-simulate", "pool_seed"),  # the synthetic pool's seed, likewise
}


def _commands(group: typer.Typer, prefix: tuple[str, ...] = ()):
    for info in group.registered_commands:
        assert info.callback is not None
        name = info.name or info.callback.__name__.replace("_", "-")
        yield " ".join((*prefix, name)), info.callback
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        assert sub.name is not None
        own = sub.typer_instance.registered_callback
        if own is not None and own.callback is not None:
            yield " ".join((*prefix, sub.name)), own.callback
        yield from _commands(sub.typer_instance, (*prefix, sub.name))


def _numeric_options():
    for name, callback in _commands(app):
        hints = typing.get_type_hints(callback)
        for param in inspect.signature(callback).parameters.values():
            kinds = set(typing.get_args(hints[param.name])) or {hints[param.name]}
            if kinds & {int, float} and isinstance(param.default, OptionInfo | ArgumentInfo):
                yield name, param.name, param.default


NUMERIC = [
    (c, p, o) for c, p, o in _numeric_options() if (c.split()[-1], p) not in UNBOUNDED_BY_DESIGN
]


def test_the_enumeration_reaches_every_lazily_registered_command():
    assert {name.split()[0] for name, _ in _commands(app)} == set(COMMANDS)


def test_the_enumeration_finds_the_commands_sizes():
    found = {(c, p) for c, p, _ in NUMERIC}
    assert ("rota solve", "fortnights") in found
    assert ("draw run", "size") in found
    assert ("simulate", "months") in found


@pytest.mark.parametrize(
    ("command", "name", "option"), NUMERIC, ids=[f"{c}:{p}" for c, p, _ in NUMERIC]
)
def test_every_numeric_option_is_bounded(command, name, option):
    assert option.min is not None, f"{command}: {name} has no least value"
    assert option.max is not None, f"{command}: {name} has no greatest value"


def test_a_size_beyond_its_bound_is_a_clear_error_before_anything_runs():
    r = runner.invoke(app, ["rota", "solve", "--from", "2027-01-04", "--fortnights", "100000"])
    assert r.exit_code == 2
    assert "--fortnights" in r.output
    assert "26" in r.output
