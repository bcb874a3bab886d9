"""The layout of the code (issue #16): small functions, imports that only point down the flow, solving in one package.

The modules of planner/ and models/ (installed as planner.models) are read as source, not imported:
an import inside a function counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"planner": ROOT / "planner", "planner.models": ROOT / "models", "planner.geodata": ROOT / "geodata"}
"""Installed package -> its folder (pyproject.toml [tool.setuptools.package-dir])."""
LONGEST = 80
"""Every function in planner/ and models/ is shorter than this many lines (decorators and docstring included)."""

LAYERS: tuple[tuple[str, ...], ...] = (
    ("planner", "planner.formatting", "planner.geodata"),
    ("planner.scenario",),
    ("planner.models",),
    ("planner.solve",),
    ("planner.runfolder",),
    ("planner.results", "planner.check", "planner.numerics", "planner.references", "planner.diagnose",
     "planner.transition"),
    ("planner.maps",),
    ("planner.run",),
    ("planner.research", "planner.sweep", "planner.starter"),
    ("planner.cli", "planner.__main__"),
)
"""The stages of the flow, upstream first: a module may import from its own layer and the layers above it
(upstream), never from a layer below it."""


def _modules() -> dict[str, Path]:
    """Every module of planner by its dotted name (a package by its own name), with its file."""
    found = {}
    for package, folder in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([package, *parts])] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The planner modules `name` imports anywhere in its source (`from pkg import submodule` as the submodule)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                found.add(sub if sub in MODULES else module)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(module: str) -> int:
    """The position in LAYERS of the stage `module` belongs to (its longest matching prefix)."""
    best, where = "", None
    for n, layer in enumerate(LAYERS):
        for stage in layer:
            if (module == stage or module.startswith(stage + ".")) and len(stage) > len(best):
                best, where = stage, n
    assert where is not None, f"{module} belongs to no stage of LAYERS: add it there"
    return where


def _functions() -> list[tuple[str, int]]:
    """(file:function, its length in lines) of every function and method in planner/ and models/."""
    out = []
    for path in MODULES.values():
        if path.is_relative_to(PACKAGES["planner.geodata"]):  # the rebuild script of the boundaries, not planner's code
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                out.append((f"{path.relative_to(ROOT)}:{node.name}", node.end_lineno - first + 1))
    return out


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph` (its modules in order, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)) is not None:
            return found
    return None


def test_every_function_is_shorter_than_80_lines() -> None:
    long = sorted((f"{where} ({n} lines)" for where, n in _functions() if n >= LONGEST))
    assert long == []


def test_no_import_cycle_between_planner_modules() -> None:
    assert _cycle(GRAPH) is None


def test_no_stage_imports_from_a_stage_downstream() -> None:
    upstream_reaching_down = sorted(f"{a} -> {b}" for a, targets in GRAPH.items() for b in targets
                                    if _layer(b) > _layer(a))
    assert upstream_reaching_down == []


@pytest.mark.parametrize("downstream", ["planner.runfolder", "planner.cli", "planner.maps", "planner.run",
                                        "planner.results"])
def test_solving_imports_nothing_downstream(downstream: str) -> None:
    solving = [m for m in GRAPH if m == "planner.solve" or m.startswith("planner.solve.")]
    assert len(solving) >= 7  # registry, status, highs, solvers, standard form, covers, RENS, MIP starts, polish
    reaching = sorted(f"{a} -> {b}" for a in solving for b in GRAPH[a]
                      if b == downstream or b.startswith(downstream + "."))
    assert reaching == []


def test_the_checks_fail_when_the_layout_is_broken() -> None:
    """The checks above catch what they are for: a loop, an import that reaches downstream, a long function."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
    assert _layer("planner.solve.status") < _layer("planner.runfolder.format") < _layer("planner.cli.common")
    source = "def f():\n" + "    x = 1\n" * 80
    tree = ast.parse(source)
    node = tree.body[0]
    assert node.end_lineno - node.lineno + 1 >= LONGEST


def test_the_command_line_helpers_are_defined_once() -> None:
    """ScenarioArg, RunDirArg, the consoles, the error and problem printers and the number format: one home each."""
    shared = {"ScenarioArg", "RunDirArg", "ForceOption", "SolverOption", "TimeOption", "GapOption", "ThreadsOption",
              "SeedOption", "console", "out_console", "fail", "_fail", "input_errors", "_input_errors", "num", "_num",
              "within", "solver_option"}
    homes: dict[str, list[str]] = {}
    for name, path in MODULES.items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = ([node.name] if isinstance(node, ast.FunctionDef | ast.ClassDef)
                       else [t.id for t in node.targets if isinstance(t, ast.Name)] if isinstance(node, ast.Assign)
                       else [node.target.id] if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                       else [])
            for target in set(targets) & shared:
                homes.setdefault(target, []).append(name)
    assert {k: v for k, v in homes.items() if v != ["planner.cli.common"]} == {}
    consoles = [name for name, path in MODULES.items() if "Console(" in path.read_text(encoding="utf-8")]
    assert consoles == ["planner.cli.common"]
