"""Command-line values read without pydantic, for a quick start (issue 22).

Typer 0.29 reads every parameter through a pydantic ``TypeAdapter``, and importing pydantic (with
what it loads) costs a process more CPU than a ward's count.  :func:`read_plainly` gives each
parameter of a command a reader that takes the common values itself, exactly as typer would: a
string, a path (typer's own checks, the same messages), an option from a choice, a whole number
within its bounds, a list of these.  Anything else, and any value that is not plainly valid,
goes to typer's own reader, which gives typer's own message: pydantic is imported only then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from typer._click import Context
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_choice, coerce_cli_path
from typer.core import _TyperParameter
from typer.models import ParameterInfo

_WHOLE = re.compile(r"0|-?[1-9][0-9]{0,17}")  # a whole number written plainly, within 64 bits
_UNREAD = object()  # not a value read here: typer's own reader reads it


@dataclass(frozen=True)
class PlainParam(RuntimeParam):
    """A parameter's reader: the values :func:`plain` reads, else typer's (pydantic's)."""

    descriptor: TypeDescriptor

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        read = plain(self.annotation, self.parameter_info, value, param, ctx)
        if read is _UNREAD:
            typer_own = build_runtime_param(self.descriptor)
            return typer_own._coerce_value(value, param=param, ctx=ctx)
        return read


def read_plainly(command: Any, ctx: Context) -> None:
    """Give each typer parameter of a click ``command`` (its --help too) the plain reader."""
    if command is None:
        return
    for param in command.get_params(ctx):
        if isinstance(param, _TyperParameter) and param._runtime_param is None:
            desc = param.type_descriptor
            param._runtime_param = PlainParam(desc.parameter_info, desc.annotation, desc)


def plain(
    annotation: Any, info: ParameterInfo, value: Any, param: _TyperParameter, ctx: Context
) -> Any:
    """``value`` read as typer reads it, or ``_UNREAD``."""
    if info.parser is not None:
        return _UNREAD
    if get_origin(annotation) is list and isinstance(value, list | tuple):
        (item,) = get_args(annotation)
        read = [plain(item, info, v, param, ctx) for v in value]
        return _UNREAD if any(r is _UNREAD for r in read) else read
    if annotation is str:
        return value if isinstance(value, str) else _UNREAD
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        try:
            return coerce_cli_choice(
                value, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx
            )
        except ValueError:
            return _UNREAD
    if annotation is int and isinstance(value, str) and _WHOLE.fullmatch(value):
        number = int(value)
        low, high = info.min, info.max
        if (low is None or number >= low) and (high is None or number <= high):
            return number
        return _UNREAD
    if annotation is Path and info.path_type is None and isinstance(value, str):
        return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
    return _UNREAD
