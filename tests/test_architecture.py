"""The architecture, checked from the source: the pure libraries import no storage, web or
scheduler code and never read the clock; the chamber never imports the web site or the command
line; no module imports itself round a cycle, and no chamber package another in a cycle; an
import inside a function is a deferred heavy import saying so; no module passes 400 lines;
hypothesis tests skip examples with ``assume``, never an early ``return``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("electoral", "rota", "chamber", "web", "cli")
PURE = ("electoral", "rota")
LIMIT = 400
FORBIDDEN_IN_PURE = ("sqlmodel", "sqlalchemy", "litestar", "apscheduler", "chamber", "web", "cli")
CLOCK = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"), ("time", "time")}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # what it imports, dotted (``from a.b import c`` gives a.b.c: a name in the
    # module a.b, or the module a.b.c; the graph takes the longest prefix that is a module)
    line: int
    top_level: bool  # at module level (not inside a function, not under TYPE_CHECKING)


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources(*, tests: bool = False) -> Iterator[Path]:
    roots = [*PACKAGES, "tests", "benchmarks"] if tests else PACKAGES
    for root in roots:
        for path in sorted((ROOT / root).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def imports(path: Path) -> list[Import]:
    module = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[Import] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend(Import(module, a.name, child.lineno, top) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(module, path, child)
                found.extend(
                    Import(module, f"{base}.{a.name}", child.lineno, top) for a in child.names
                )
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) or (
                isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)
            ):
                visit(child, False)
            else:
                visit(child, top)

    visit(tree, True)
    return found


def _within(target: str, names: tuple[str, ...]) -> bool:
    return any(target == n or target.startswith(n + ".") for n in names)


@pytest.mark.parametrize("package", PURE)
def test_the_pure_libraries_import_no_storage_web_scheduler_or_chamber(package):
    bad = [
        f"{i.module}:{i.line} imports {i.target}"
        for path in (ROOT / package).rglob("*.py")
        for i in imports(path)
        if _within(i.target, FORBIDDEN_IN_PURE)
    ]
    assert bad == []


@pytest.mark.parametrize("package", PURE)
def test_the_pure_libraries_never_read_the_clock(package):
    bad = []
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and (node.func.value.id, node.func.attr) in CLOCK
            ):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node.func)}()")
    assert bad == []


def test_the_chamber_never_imports_the_web_site_or_the_command_line():
    bad = [
        f"{i.module}:{i.line} imports {i.target}"
        for path in (ROOT / "chamber").rglob("*.py")
        for i in imports(path)
        if _within(i.target, ("web", "cli"))
    ]
    bad += [
        f"{i.module}:{i.line} imports {i.target}"
        for path in (ROOT / "web").rglob("*.py")
        for i in imports(path)
        if _within(i.target, ("cli",))
    ]
    assert bad == []


def _graph(level: int | None) -> dict[str, set[str]]:
    """Who imports whom at module level among the project's modules; with ``level``, modules
    are folded to their first ``level`` dotted parts (chamber.divisions.views -> chamber.divisions
    at level 2)."""
    modules = {_module_name(p) for p in sources()}
    graph: dict[str, set[str]] = {}

    def fold(name: str) -> str:
        return ".".join(name.split(".")[:level]) if level else name

    for path in sources():
        me = _module_name(path)
        for i in imports(path):
            if not i.top_level:
                continue
            target = i.target
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and fold(target) != fold(me):
                graph.setdefault(fold(me), set()).add(fold(target))
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_no_module_imports_itself_round_a_cycle():
    assert _cycle(_graph(None)) is None


def test_no_chamber_package_imports_another_round_a_cycle():
    graph = {k: v for k, v in _graph(2).items() if k.startswith("chamber")}
    assert _cycle(graph) is None


def test_imports_inside_functions_are_deferred_heavy_imports_that_say_so():
    bad = []
    for path in sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        for i in imports(path):
            if i.top_level or "TYPE_CHECKING" in "\n".join(lines[max(0, i.line - 4): i.line]):
                continue
            context = "\n".join(lines[max(0, i.line - 6): i.line + 1])
            if "deferred" not in context:
                bad.append(f"{path.relative_to(ROOT)}:{i.line} {lines[i.line - 1].strip()}")
    assert sorted(set(bad)) == []


def test_no_module_passes_400_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in sources(tests=True)
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert long == {}


def _returns(function: ast.AST) -> list[int]:
    out = []
    for node in ast.iter_child_nodes(function):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Return):
            out.append(node.lineno)
        out.extend(_returns(node))
    return out


def test_hypothesis_tests_skip_examples_with_assume_not_return():
    bad = []
    for path in (ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                "given" in ast.unparse(d) for d in node.decorator_list
            ):
                bad += [f"{path.relative_to(ROOT)}:{line}" for line in _returns(node)]
    assert bad == []


def test_the_checks_find_what_they_look_for(tmp_path):
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
    assert _returns(ast.parse("def f():\n    if x:\n        return\n").body[0]) == [3]
