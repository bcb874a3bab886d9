"""Reading scenario YAML files: the `extends` chain, deep merging, and where each key came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from planner.scenario.errors import Problem, display_path, not_utf8
from planner.scenario.reading import MAX_YAML_BYTES, UnreadableFile, absolute, read_input
from planner.scenario.workbook import split_sheet
from planner.scenario.yamlsafe import load_yaml

KeyPath = tuple[str, ...]


@dataclass
class MergedYaml:
    """The result of reading a scenario file and everything it extends."""

    data: dict[str, Any] = field(default_factory=dict)
    """The merged mapping, with `tables` and `extends` paths made absolute."""
    files: list[Path] = field(default_factory=list)
    """Every YAML file read, the named one first."""
    origins: dict[KeyPath, str] = field(default_factory=dict)
    """For each mapping key path, the file (as displayed) whose value won."""
    problems: list[Problem] = field(default_factory=list)

    def file_of(self, loc: tuple[Any, ...]) -> str:
        """The file that gave the value at `loc` (the longest known prefix), else the named file."""
        keys = tuple(str(p) for p in loc)
        for n in range(len(keys), 0, -1):
            if keys[:n] in self.origins:
                return self.origins[keys[:n]]
        return display_path(self.files[0]) if self.files else ""


def read_yaml_file(path: Path) -> tuple[Any, Problem | None]:
    """Parse one YAML file; a problem names the file and the line when it cannot be read."""
    shown = display_path(path)
    try:
        data = read_input(path, MAX_YAML_BYTES, "a scenario file")
    except UnreadableFile as exc:
        return None, Problem(shown, message="is a folder, not a scenario file" if exc.kind == "folder" else str(exc))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, Problem(shown, message=not_utf8(data, exc))
    try:
        return load_yaml(text), None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        return None, Problem(shown, f"line {line}", message=f"YAML cannot be read: the character #x{exc.character:04x} "
                                                            "is not allowed in YAML text")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc)
        return None, Problem(shown, place, message=f"YAML cannot be read: {reason}")


SECTIONS = ("tables", "settings", "solver")
"""The mapping sections of a scenario file; one left empty is read as an empty mapping."""


def read_scenario_yaml(path: Path) -> MergedYaml:
    """Read `path`, follow `extends` (relative to the file naming it) and deep-merge the chain."""
    merged = MergedYaml()
    chain: list[Path] = []
    current: Path | None = absolute(path)
    layers: list[tuple[dict[str, Any], str]] = []
    while current is not None:
        if current in chain:
            cycle = " -> ".join(display_path(p) for p in [*chain[chain.index(current):], current])
            merged.problems.append(Problem(display_path(chain[-1]), "key extends", message=f"extends cycle: {cycle}"))
            break
        chain.append(current)
        merged.files.append(current)
        data, problem = read_yaml_file(current)
        if problem:
            if len(chain) > 1:
                problem = Problem(display_path(chain[-2]), "key extends", message=f"{problem.file}: {problem.message}")
            merged.problems.append(problem)
            break
        if not isinstance(data, dict):
            merged.problems.append(Problem(display_path(current),
                                           message="must be a mapping of keys (name, tables, settings, ...)"))
            break
        for section in SECTIONS:  # `settings:` with nothing under it (only comments, say) changes nothing
            if section in data and data[section] is None:
                data[section] = {}
        _absolutise(data, current.parent)
        layers.append((data, display_path(current)))
        parent = data.get("extends")
        current = Path(parent) if isinstance(parent, str) else None
    for data, shown in reversed(layers):
        _merge_into(merged.data, data, merged.origins, shown, ())
    return merged


def _absolutise(data: dict[str, Any], folder: Path) -> None:
    """Make `extends` and `tables.*` paths absolute, relative to the folder of their file (a workbook's `#sheet`
    kept); `tables: book.xlsx` (one workbook for every table) likewise."""
    if isinstance(data.get("extends"), str):
        data["extends"] = str(absolute(folder / data["extends"]))
    tables = data.get("tables")
    if isinstance(tables, str):
        data["tables"] = _absolute_table(folder, tables)
    if isinstance(tables, dict):
        for key, value in tables.items():
            if isinstance(value, str):
                tables[key] = _absolute_table(folder, value)


def _absolute_table(folder: Path, location: str) -> str:
    """A table's location made absolute: a path, or a workbook path with `#sheet`."""
    file, sheet = split_sheet(location)
    return str(absolute(folder / file)) + ("" if sheet is None else f"#{sheet}")


def _merge_into(base: dict[str, Any], over: dict[str, Any], origins: dict[KeyPath, str], shown: str,
                prefix: KeyPath) -> None:
    """Deep merge: mappings key by key; anything else replaces. Records each key's file."""
    for key, value in over.items():
        path = (*prefix, str(key))
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            origins[path] = shown
            _merge_into(base[key], value, origins, shown, path)
            continue
        for stale in [p for p in origins if p[: len(path)] == path]:
            del origins[stale]
        base[key] = value
        _record(value, origins, shown, path)


def _record(value: Any, origins: dict[KeyPath, str], shown: str, path: KeyPath) -> None:
    origins[path] = shown
    if isinstance(value, dict):
        for key, inner in value.items():
            _record(inner, origins, shown, (*path, str(key)))
