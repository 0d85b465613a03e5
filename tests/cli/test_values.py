"""Values read without pydantic: for every value, what typer's own reader gives, or its error."""

from __future__ import annotations

import subprocess
import sys

import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer._click import Context
from typer._coercion import build_runtime_param

from cli.common import app, register_all
from cli.values import PlainParam

register_all()
COUNT = typer.main.get_group(app).commands["count"]
PARAMS = {p.name: p for p in COUNT.params}


def read(reader, param, value):
    try:
        return "value", reader.coerce(value, param=param, ctx=Context(COUNT))
    except Exception as error:  # the same error, whatever it is
        return "error", type(error).__name__, str(error)


text = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=8)
words = st.sampled_from(["scottish", "meek", "irv", "Meek", "table", "json", "csv", "a.blt"])
numbers = st.from_regex(r"[-+]?0*[0-9]{1,6}", fullmatch=True) | st.integers().map(str)


@settings(max_examples=300)
@given(st.sampled_from(sorted(PARAMS)), text | words | numbers, st.booleans())
def test_a_value_reads_as_typer_reads_it(name, value, several):
    param = PARAMS[name]
    if param.nargs == -1:
        value = (value, value) if several else (value,)
    desc = param.type_descriptor
    plain = read(PlainParam(desc.parameter_info, desc.annotation, desc), param, value)
    assert plain == read(build_runtime_param(desc), param, value)


def test_a_count_imports_no_pydantic(stv_data):
    probe = (
        "import sys\nfrom cli import app\n"
        "try:\n    app(['count', sys.argv[1], '--seats', '3', '--rule', 'meek', '--seed', 's'])\n"
        "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "print('pydantic' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(stv_data / "glasgow_2007_calton.blt")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.splitlines()[-1] == "False"
