"""The sweep file (docs/sweep.md): a base scenario and a grid of changes, expanded into members."""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from planner.scenario.errors import InputErrors, Problem, display_path
from planner.scenario.messages import describe, key_path
from planner.scenario.reading import absolute
from planner.scenario.yamlfile import read_scenario_yaml, read_yaml_file
from planner.sweep.columns import RESERVED

Value = str | int | float | bool | None
"""A parameter value as written in YAML."""
KEY_ROOTS = ("settings", "solver")
"""Key paths a `key` parameter may change start with one of these."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Parameter(_Model):
    """One swept parameter: a scenario key path, or an override of one table column."""

    name: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    """Short name: a results column and part of each member's folder name."""
    key: str | None = None
    """Dotted key path into the scenario file, under `settings` or `solver` (e.g. `settings.chain_radius_km`)."""
    values: list[Value] | None = None
    """The values the key takes (`null` = not set); with `key` only."""
    table: Literal["regions", "sites", "industries", "functions", "stock"] | None = None
    """The table an override parameter changes (`stock`: the existing capacity of a scenario with a stock table)."""
    where: dict[str, str | int | float | list[str | int | float]] | None = None
    """Rows the override changes (as in a scenario's overrides); not set = every row."""
    column: str | None = None
    """The column the override changes."""
    set: list[str | int | float | None] | None = None
    """Values the column is set to (`null` = empty cell)."""
    scale: list[float] | None = None
    """Factors the column is multiplied by."""

    @model_validator(mode="after")
    def _one_kind(self) -> Parameter:
        if self.key is not None:
            if self.table or self.where or self.column or self.set is not None or self.scale is not None:
                raise ValueError("a `key` parameter takes `values` only (no table, where, column, set or scale)")
            if not self.values:
                raise ValueError("a `key` parameter needs a non-empty list of `values`")
            parts = self.key.split(".")
            if len(parts) < 2 or parts[0] not in KEY_ROOTS or not all(parts):
                raise ValueError(f"key {self.key!r} must be a dotted path under {' or '.join(KEY_ROOTS)}, e.g. "
                                 f"settings.chain_radius_km")
        elif self.table is not None:
            if self.values is not None:
                raise ValueError("an override parameter takes `set` or `scale`, not `values`")
            if not self.column:
                raise ValueError("an override parameter needs the `column` it changes")
            if (self.set is None) == (self.scale is None) or not (self.set or self.scale):
                raise ValueError("an override parameter needs exactly one non-empty list: `set` or `scale`")
        else:
            raise ValueError("a parameter needs `key` (a settings or solver key path) or `table` (an override)")
        if self.name in RESERVED:
            raise ValueError(f"name {self.name!r} is a column of the results table; choose another")
        return self

    def options(self) -> list[Value]:
        """The values this parameter takes, in order."""
        return list(self.values if self.values is not None else self.set if self.set is not None else self.scale or [])

    def change(self, value: Value) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """(mapping to deep-merge into the scenario, override to append) for one value."""
        if self.key is not None:
            nested: Any = value
            for part in reversed(self.key.split(".")):
                nested = {part: nested}
            return nested, None
        override: dict[str, Any] = {"table": self.table}
        if self.where:
            override["where"] = dict(self.where)
        override["set" if self.set is not None else "scale"] = {self.column: value}
        return None, override


class Grid(_Model):
    """The grid: every combination of the `product` parameters and of each `zip` group."""

    product: list[Parameter] = []
    """Each parameter is one axis of the grid."""
    zip: list[Parameter] | list[list[Parameter]] = []
    """Parameters that move together (lists of equal length): one group, or a list of groups; each group is one axis."""

    def zip_groups(self) -> list[list[Parameter]]:
        """The zip groups as a list of groups."""
        if not self.zip:
            return []
        return [list(g) for g in self.zip] if isinstance(self.zip[0], list) else [list(self.zip)]  # type: ignore[arg-type]

    @model_validator(mode="after")
    def _consistent(self) -> Grid:
        for group in self.zip_groups():
            lengths = {p.name: len(p.options()) for p in group}
            if len(set(lengths.values())) > 1:
                raise ValueError(f"zip parameters need lists of the same length, got {lengths}")
        names = [p.name for p in self.product] + [p.name for g in self.zip_groups() for p in g]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"parameter names must differ: {', '.join(twice)} given more than once")
        return self


class SweepFile(_Model):
    """A sweep file: the base scenario, the grid and the solver options of every member."""

    name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]+$")
    """Short name; the default output folder is `sweeps/NAME`. Default: the file name without `.yaml`."""
    title: str | None = None
    """Free-text title."""
    description: str | None = None
    """Longer free-text description of what the sweep asks; each member's scenario gets it, followed by the
    member's values, so a member's report describes the sweep rather than only its base."""
    base: str
    """The base scenario file, relative to the sweep file."""
    grid: Grid = Grid()
    """The changes; an empty grid is one member, the base itself."""
    solver: dict[str, Any] = {}
    """Solver options of every member (merged over the base's `solver`), e.g. {time_limit: 60, threads: 1}."""
    reuse: bool = False
    """Offer each member the plan its worker solved last for the same base as a MIP start (HiGHS only).

    Faster when neighbouring members have similar plans; a member's result is then the same only within
    the solver's gap, not to the last digit, across worker counts and reruns (docs/sweep.md)."""


@dataclass(frozen=True)
class Member:
    """One point of the grid: its folder name, its parameter values and its changes to the base."""

    name: str
    """Folder name, built from the parameters: `p1=v1__p2=v2` (filesystem safe)."""
    parameters: dict[str, Value]
    """Parameter name -> value, in grid order."""
    settings: dict[str, Any]
    """Mapping deep-merged over the base (settings and solver keys)."""
    overrides: list[dict[str, Any]]
    """Overrides appended after the base's own."""


@dataclass(frozen=True)
class Sweep:
    """A read sweep file."""

    path: Path
    spec: SweepFile
    base: Path
    """The base scenario, absolute."""
    members: tuple[Member, ...]
    base_yaml: dict[str, Any] = field(repr=False, compare=False)
    """The base scenario file as read once for the whole sweep, its `extends` chain merged (`read_scenario_yaml`);
    every member's scenario file is written from it (`planner.sweep.members.member_document`), never changed."""

    @property
    def name(self) -> str:
        """The sweep's name."""
        return self.spec.name or re.sub(r"[^A-Za-z0-9_-]", "_", self.path.stem)

    @property
    def parameters(self) -> list[str]:
        """Parameter names in grid order."""
        return [p.name for _, p in self.located_parameters()]

    def located_parameters(self) -> list[tuple[str, Parameter]]:
        """(key path in the sweep file, parameter) of every parameter, in grid order."""
        grid = self.spec.grid
        located = [(f"grid.product[{n}]", p) for n, p in enumerate(grid.product)]
        if grid.zip and isinstance(grid.zip[0], list):
            located += [(f"grid.zip[{g}][{n}]",
                         p) for g, group in enumerate(grid.zip_groups()) for n, p in enumerate(group)]
        else:
            located += [(f"grid.zip[{n}]", p) for n, p in enumerate(grid.zip)]  # type: ignore[misc]
        return located


MAX_VALUE_NAME = 40
"""Longest a parameter value is in a member's folder name (a longer one is cut and given a hash of the whole)."""


def format_value(value: Value) -> str:
    """A parameter value as it appears in a folder name: short, filesystem safe."""
    if value is None:
        text = "none"
    elif isinstance(value, bool):
        text = str(value).lower()
    elif isinstance(value, float):
        text = "nan" if math.isnan(value) else f"{value:g}".replace("+", "")
    else:
        text = str(value)
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", text)
    if len(safe) > MAX_VALUE_NAME:  # a long text: its start and a hash of all of it, so the folder name can be made
        safe = f"{safe[:MAX_VALUE_NAME - 9]}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    return safe


def expand(grid: Grid) -> list[Member]:
    """Every member of the grid, in order: the product of the axes, the last axis varying fastest."""
    axes: list[list[list[tuple[Parameter, Value]]]] = [[[(p, v)] for v in p.options()] for p in grid.product]
    for group in grid.zip_groups():
        axes.append([[(p, p.options()[k]) for p in group] for k in range(len(group[0].options()))])
    members = []
    for combination in itertools.product(*axes):
        pairs = [pair for step in combination for pair in step]
        settings: dict[str, Any] = {}
        overrides: list[dict[str, Any]] = []
        for p, v in pairs:
            mapping, override = p.change(v)
            if mapping is not None:
                _merge(settings, mapping)
            if override is not None:
                overrides.append(override)
        name = "__".join(f"{p.name}={format_value(v)}" for p, v in pairs) or "base"
        members.append(Member(name, {p.name: v for p, v in pairs}, settings, overrides))
    return members


def _merge(base: dict[str, Any], over: dict[str, Any]) -> None:
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def read_sweep(path: Path | str) -> tuple[Sweep | None, list[Problem]]:
    """Read a sweep file as far as it can be read: the sweep (None without a usable `base`) and every problem of the
    file.

    A key the file gives wrong (say `name`, `solver` or `grid`) is reported and read as not given, so
    that the sweep can still be checked against its base (`planner.sweep.members.check_sweep`) and every
    problem be listed at once.
    """
    path = Path(path)
    shown = display_path(path)
    data, problem = read_yaml_file(path)
    if problem:
        return None, [problem]
    if not isinstance(data, dict):
        return None, [Problem(shown, message="must be a mapping with keys base, grid, solver")]
    problems = []
    try:
        spec = SweepFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        problems = [Problem(shown, f"key {key_path(e['loc'], data)}" if e["loc"] else "", None, describe(e, SweepFile))
                    for e in errors]
        wrong = {e["loc"][0] if e["loc"] else "" for e in errors}
        if wrong & {"", "base"}:
            return None, problems
        spec = SweepFile.model_validate({key: value for key, value in data.items() if key not in wrong})
    base = absolute(absolute(path).parent / spec.base)  # a link loop is reported below, not raised
    if not base.is_file():
        return None, [*problems, Problem(shown, "key base", None, f"{display_path(base)} is not a file")]
    members = expand(spec.grid)
    names = [m.name for m in members]
    problems += [Problem(shown, "key grid", None, f"two members get the folder name {n!r}; give values that differ "
                         "when written short") for n in sorted({n for n in names if names.count(n) > 1})]
    return Sweep(absolute(path), spec, base, tuple(members), read_scenario_yaml(base).data), problems


def load_sweep(path: Path | str) -> Sweep:
    """Read and check a sweep file; raises `InputErrors` naming every problem of the file itself (file and key)."""
    sweep, problems = read_sweep(path)
    if problems or sweep is None:
        raise InputErrors(problems)
    return sweep
