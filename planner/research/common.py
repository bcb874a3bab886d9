"""Helpers shared by the research commands: reading run folders, x patterns, extra constraints."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyomo.environ as pyo

from planner.models.sets import Triple
from planner.runfolder.format import ASSIGNMENT_COLUMNS
from planner.runfolder.read import RunFolderError, read_manifest, read_summary, read_table
from planner.solve.polish import Opening, x_vars

RESEARCH_PREFIX = "research_"
"""Components the research commands add to a built model start with this (never part of docs/model.md)."""


class NoPlan(Exception):
    """A research command found no plan where it needs one; `exit_code` is `planner run`'s for that status."""

    def __init__(self, exit_code: int, message: str):
        super().__init__(message)
        self.exit_code = exit_code


RESTRICTIONS = {"alternative": "an alternative plan", "pareto": "a Pareto point"}
"""summary.json's records of a plan's restriction (``run --alternatives``, ``pareto``), and what each makes the run."""


@dataclass(frozen=True)
class RunRecord:
    """What the research commands read from a run folder."""

    path: Path
    summary: dict[str, Any]
    manifest: dict[str, Any]
    assignments: pd.DataFrame | None
    """assignments.csv, None without a plan."""

    @property
    def restricted(self) -> str | None:
        """What the run is when its plan is not the scenario's own (written by ``run --alternatives`` or ``pareto``):
        "an alternative plan" or "a Pareto point"; None for a run of the scenario itself."""
        return next((words for key, words in RESTRICTIONS.items() if self.summary.get(key)), None)

    @property
    def has_plan(self) -> bool:
        """Whether the run produced a plan (status optimal or feasible, assignments.csv present)."""
        return self.assignments is not None and self.summary.get("objective") is not None

    @property
    def periods(self) -> list[int]:
        """The periods of a run with periods or stock (docs/model.md version 2), in order; empty for version 1."""
        return [int(t) for t in self.summary.get("periods") or {}]

    def last_period(self) -> pd.DataFrame | None:
        """The assignments of the last period (the target of the transition) without the `period` column; a version 1
        run's assignments as they are."""
        if self.assignments is None or not self.periods:
            return self.assignments
        frame = self.assignments[self.assignments["period"] == self.periods[-1]]
        return frame.drop(columns=["period"]).reset_index(drop=True)

    @property
    def status(self) -> str:
        """The run's status."""
        return str(self.summary.get("status"))

    @property
    def objective(self) -> float | None:
        """Objective of the plan, if any."""
        return _number(self.summary.get("objective"))

    @property
    def best_bound(self) -> float | None:
        """The solver's proven bound, if any."""
        return _number(self.summary.get("best_bound"))

    @property
    def solver(self) -> dict[str, Any]:
        """manifest.json `solver`: name, version, options."""
        return self.manifest.get("solver") or {}

    @property
    def scenario_yaml(self) -> Path:
        """`inputs/scenario.yaml`: the merged scenario pointing at the tables the model saw."""
        return self.path / "inputs" / "scenario.yaml"

    def pattern(self) -> frozenset[Triple]:
        """The opened (industry, function, site) triples (in any period, for a run with periods)."""
        if self.assignments is None:
            return frozenset()
        return frozenset(zip(self.assignments["industry"], self.assignments["function"], self.assignments["site"],
                             strict=False))


def _number(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def read_run(path: Path | str) -> RunRecord:
    """Read summary.json, manifest.json and (if there is a plan) assignments.csv of a run folder."""
    path = Path(path)
    summary, manifest = read_summary(path), read_manifest(path, required=True)
    table = path / "assignments.csv"
    assignments = None
    if not table.is_file() and summary.get("objective") is not None:
        raise RunFolderError(f"{table} is missing, though summary.json reports a plan")
    if table.is_file():
        columns = [*(["period"] if summary.get("periods") else []), *ASSIGNMENT_COLUMNS]
        assignments = read_table(table, columns, dtype={"industry": str, "function": str, "site": str,
                                                        "region": str, "zone": str}, keep_default_na=False)
    return RunRecord(path, summary, manifest, assignments)


def hamming(a: frozenset[Triple], b: frozenset[Triple]) -> int:
    """Number of triples open in exactly one of the two patterns."""
    return len(a ^ b)


def jaccard(a: frozenset[Triple], b: frozenset[Triple]) -> float:
    """|a & b| / |a | b| (1 for two empty patterns)."""
    union = a | b
    return len(a & b) / len(union) if union else 1.0


def add_no_good(model: pyo.ConcreteModel, pattern: frozenset[Opening]) -> None:
    """Cut off exactly the x pattern `pattern` (keys of `x_vars`; in the period model, the openings of every period):
    at least one x must flip (model.research_no_good)."""
    if not hasattr(model, "research_no_good"):
        model.research_no_good = pyo.ConstraintList(doc="no-good cuts on x (research, not docs/model.md)")
    x = x_vars(model)
    free = [t for t, var in x.items() if not var.fixed]
    expr = sum(1 - x[t] for t in free if t in pattern) + sum(x[t] for t in free if t not in pattern)
    model.research_no_good.add(expr >= 1)


@contextmanager
def only_model_constraints(model: pyo.ConcreteModel) -> Iterator[None]:
    """Deactivate the research constraints for the duration (e.g. to check a plan against docs/model.md only)."""
    active = [c for c in model.component_objects(pyo.Constraint, active=True) if c.name.startswith(RESEARCH_PREFIX)]
    for c in active:
        c.deactivate()
    try:
        yield
    finally:
        for c in active:
            c.activate()


@contextmanager
def objective(model: pyo.ConcreteModel, name: str, expr: Any) -> Iterator[pyo.Objective]:
    """Replace the active objective by `minimise expr` (a component `name`) for the duration."""
    old = [o for o in model.component_objects(pyo.Objective, active=True)]
    for o in old:
        o.deactivate()
    if hasattr(model, name):
        model.del_component(name)
    setattr(model, name, pyo.Objective(expr=expr, sense=pyo.minimize))
    try:
        yield getattr(model, name)
    finally:
        model.del_component(name)
        for o in old:
            o.activate()


def set_constraint(model: pyo.ConcreteModel, name: str, expr: Any) -> None:
    """Add (or replace) the single constraint component `name` = `expr`."""
    if hasattr(model, name):
        model.del_component(name)
    setattr(model, name, pyo.Constraint(expr=expr))


def drop(model: pyo.ConcreteModel, *names: str) -> None:
    """Remove the components `names` from `model` where present."""
    for name in names:
        if hasattr(model, name):
            model.del_component(name)


def default_out(stem: str) -> Path:
    """`runs/STEM-YYYYMMDD-HHMMSS`."""
    return Path("runs") / f"{stem}-{datetime.now():%Y%m%d-%H%M%S}"
