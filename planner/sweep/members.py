"""Member scenarios on disk: the generated YAML that extends the base, the input hash, completeness."""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from planner.scenario import InputErrors, Scenario, load_scenario
from planner.scenario.errors import Problem, display_path
from planner.sweep.spec import Member, Sweep, Value, format_value

MARKER = "sweep-member.json"
"""Written into a member's run folder after the run: its input hash and parameters. Its presence marks the folder
complete."""
SCENARIOS = "scenarios"
"""Subfolder of the sweep output holding the generated member scenario files."""


@dataclass(frozen=True)
class MemberTask:
    """Everything a worker needs to run one member (plain data, sent to the worker)."""

    name: str
    parameters: dict[str, Value]
    scenario: str
    """The member's scenario file, absolute."""
    folder: str
    """The member's run folder, absolute."""
    input_hash: str
    reuse: bool = False
    """Offer the plan this worker solved last for the same base as a MIP start."""
    base: str = ""
    """The base scenario, absolute: the key of what a worker keeps for reuse."""


def scenario_name(base: str, member: str) -> str:
    """A valid scenario name (letters, digits, '-', '_') for a member of a sweep of `base`."""
    safe = member.replace("=", "-").replace(".", "p")
    return f"{base}--{''.join(c if c.isalnum() or c in '-_' else '_' for c in safe)}"


def member_document(sweep: Sweep, member: Member, scenario_file: Path) -> dict[str, Any]:
    """The member's scenario file: `extends` the base, with the member's settings, overrides and solver.

    The base is the one the sweep read (`sweep.base_yaml`); the document shares no mutable part with it,
    nor with the sweep's spec or the member.
    """
    merged = sweep.base_yaml
    base_name = str(merged.get("name", "scenario"))
    title = merged.get("title") or base_name
    labels = ", ".join(f"{k}={label(v)}" for k, v in member.parameters.items())
    doc: dict[str, Any] = {
        "name": scenario_name(base_name, member.name),
        "title": f"{title} [{labels}]" if labels else str(title),
        "extends": _reference(sweep.base, scenario_file.parent),
    }
    if sweep.spec.description:
        doc["description"] = member_description(sweep.spec.description, labels)
    changes = json.loads(json.dumps(member.settings))
    solver = dict(changes.pop("solver", {}))
    doc.update(changes)
    solver = {**sweep.spec.solver, **solver}
    # one solver thread per worker, and no swaps on a core of their own: members run side by side on every core
    for key, value in (("threads", 1), ("alongside", False)):
        if key not in solver and key not in (merged.get("solver") or {}):
            solver[key] = value
    if solver:
        doc["solver"] = solver
    if member.overrides:
        doc["overrides"] = list(merged.get("overrides") or []) + member.overrides
    return copy.deepcopy(doc)


def member_description(description: str, labels: str) -> str:
    """The sweep's description, then the member's values (`labels`, as in its title)."""
    text = " ".join(description.split())
    return f"{text} This member: {labels}." if labels else text


def label(value: Value) -> str:
    """A parameter value in a member's title: as written, but null and booleans as in the member's name (`none`,
    `true`)."""
    return format_value(value) if value is None or isinstance(value, bool) else str(value)


def _reference(target: Path, folder: Path) -> str:
    """`target` relative to `folder` when they share more than the root folder, else absolute."""
    folder = folder.resolve()
    if os.path.commonpath([target, folder]) in (os.path.sep, target.anchor):
        return str(target)
    return os.path.relpath(target, folder)


def write_member_scenario(sweep: Sweep, member: Member, out: Path) -> Path:
    """Write (only when its content changes) the member's scenario file under `out/scenarios/`."""
    path = out / SCENARIOS / f"{member.name}.yaml"
    doc = member_document(sweep, member, path)
    text = (f"# Written by `planner sweep {sweep.path.name}`: member {member.name}.\n"
            f"# `planner run` on this file reproduces the member's run folder.\n"
            + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return path


def check_sweep(sweep: Sweep) -> list[Problem]:
    """Every problem of the sweep's inputs, found by loading check scenarios; nothing is written but a temporary folder.

    First the base with the sweep's own `solver` section and no parameter: its problems are reported
    once, at the sweep file's key (`key solver.time_limit`) or in the base's own files, except at a
    key that a parameter sets in every member. Then the base with each value of each parameter
    alone: a key path, table, column, row selection or value the base does not accept is reported at
    the parameter (`key grid.product[0] (radius=200): ...`), and only what the value adds to the
    problems of the first check.
    """
    sweep_file = display_path(sweep.path)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_member_scenario(sweep, Member("check", {}, {}, []), Path(tmp))
        known = _problems_of(path)
        keys = [f"key {parameter.key}" for _, parameter in sweep.located_parameters() if parameter.key]
        problems = [_in_sweep(problem, path, sweep) for problem in known  # not a key every member sets
                    if not any(problem.place == key or problem.place.startswith(f"{key}.") for key in keys)]
        for place, parameter in sweep.located_parameters():
            for value in parameter.options():
                mapping, override = parameter.change(value)
                check = Member("check", {parameter.name: value}, mapping or {}, [override] if override else [])
                path = write_member_scenario(sweep, check, Path(tmp))
                problems += [Problem(sweep_file, f"key {place} ({parameter.name}={format_value(value)})", None,
                                     _in_parameter(problem, path))
                             for problem in _problems_of(path) if problem not in known]
    return problems


def _problems_of(scenario_file: Path) -> list[Problem]:
    """The problems `load_scenario` finds in a scenario file (none when it loads)."""
    try:
        load_scenario(scenario_file)
    except InputErrors as exc:
        return exc.problems
    return []


def _in_sweep(problem: Problem, scenario_file: Path, sweep: Sweep) -> Problem:
    """A problem of the base checked with the sweep's own sections, at the key of the file that gave the value.

    The check scenario holds the sweep's `solver` section and `extends` the base; whatever else it
    holds comes from the base, and the base's own files name themselves.
    """
    if problem.file != display_path(scenario_file):
        return problem
    if problem.place == "key extends":  # the base file cannot be read
        return dataclasses.replace(problem, file=display_path(sweep.path), place="key base")
    key = problem.place.removeprefix("key ").split(".")
    mine = len(key) > 1 and key[0] == "solver" and key[1] in sweep.spec.solver
    return dataclasses.replace(problem, file=display_path(sweep.path if mine else sweep.base))


def _in_parameter(problem: Problem, scenario_file: Path) -> str:
    """A problem of a check scenario in the words of the parameter that made it."""
    # in a table of the base, after the change (which the parameter names)
    if problem.file != display_path(scenario_file):
        return str(dataclasses.replace(problem, origin=None))
    place = re.sub(r"^key (overrides\[\d+\]\.?)?", "", problem.place)
    return f"{place}: {problem.message}" if place else problem.message


def input_hash(scenario: Scenario) -> str:
    """SHA-256 of what the run sees: the merged scenario (without file paths) and the tables after overrides."""
    return scenario.digest()


def read_marker(folder: Path) -> dict[str, Any] | None:
    """The member marker of a run folder, or None when the folder is not a complete member run."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (folder / "manifest.json").is_file() or summary.get("status") == "error":
        return None
    return marker if isinstance(marker, dict) else None


def is_complete(folder: Path, digest: str) -> bool:
    """Whether `folder` holds a complete run of inputs with this hash (so the member can be skipped)."""
    marker = read_marker(folder)
    return marker is not None and marker.get("input_hash") == digest


def write_marker(task: MemberTask, status: str) -> None:
    """Record the member's inputs in its finished run folder (last, atomically)."""
    folder = Path(task.folder)
    data = {"member": task.name, "parameters": task.parameters, "input_hash": task.input_hash,
            "scenario": task.scenario, "status": status}
    tmp = folder / f".{MARKER}.tmp-{os.getpid()}"
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, folder / MARKER)
