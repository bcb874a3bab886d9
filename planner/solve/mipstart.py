"""MIP starts: the integer values of a solved model kept by variable name and index, offered to HiGHS for another
model."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyomo.environ as pyo
from pyomo.common.collections import ComponentMap

Key = tuple[str, Any]
"""A variable by (component name with its blocks, index), the same across models of one base scenario."""

_VERDICT = re.compile(r"MIP start solution is (feasible|infeasible)")
"""HiGHS' log line on a start, after completing it (HighsMipSolverData); absent when completion found no solution."""


def integer_values(model: pyo.ConcreteModel) -> dict[Key, float]:
    """The values of the free integer variables loaded in `model` (rounded), by (component name, index)."""
    return {(v.parent_component().getname(fully_qualified=True), v.index()): float(round(v.value))
            for v in model.component_data_objects(pyo.Var, descend_into=True)
            if v.is_integer() and not v.fixed and v.value is not None}


def start_for(model: pyo.ConcreteModel, values: Mapping[Key, float]) -> ComponentMap:
    """`values` as a start for `model`: each variable of `model` with a value under the same name and index.

    Variables of `model` that `values` does not name get no value: HiGHS completes them itself.
    """
    start = ComponentMap()
    components = {name: model.find_component(name) for name in {name for name, _ in values}}
    for (name, index), value in values.items():
        component = components[name]
        if isinstance(component, pyo.Var) and index in component:
            start[component[index]] = value
    return start


@dataclass
class StartProbe:
    """A start handed to a highspy.Highs instance, and what HiGHS said of it during the solve."""

    values: int
    """Columns given a value."""
    accepted: bool | None = None
    """HiGHS' verdict on the (completed) start: True when feasible and taken as incumbent; None before it spoke."""

    def report(self) -> dict[str, Any]:
        """{values, accepted}: accepted when HiGHS found the (completed) start feasible and took it as incumbent."""
        return {"values": self.values, "accepted": bool(self.accepted)}


def start_columns(columns: list[Any], start: Mapping[Any, float]) -> tuple[np.ndarray, np.ndarray]:
    """The positions in `columns` of the variables `start` gives a value (in order), and those values."""
    position = {id(var): n for n, var in enumerate(columns)}
    pairs = sorted((position[id(var)], value) for var, value in start.items() if id(var) in position)
    return (np.array([n for n, _ in pairs], dtype=np.int32), np.array([v for _, v in pairs], dtype=float))


def offer(h: Any, columns: list[Any], start: Mapping[Any, float]) -> StartProbe:
    """Give `h` (a highspy.Highs holding `columns`) the values of `start` as a partial MIP start.

    Only the columns in `start` get a value (`Highs.setSolution` with indices): HiGHS fixes the
    integer ones, solves for the rest (an LP, or a MIP capped by `mip_max_start_nodes` when integers
    are missing), checks feasibility and, if feasible, starts from it as the incumbent. To read its
    verdict, HiGHS' log goes to a callback (not the console) until the verdict is in.
    """
    index, values = start_columns(columns, start)
    probe = StartProbe(len(index))
    if not len(index):
        return probe

    def listen(event: Any) -> None:
        found = _VERDICT.search(event.message)
        if found and probe.accepted is None:
            probe.accepted = found.group(1) == "feasible"
            h.cbLogging.unsubscribe(listen)

    h.setSolution(len(index), index, values)
    h.setOptionValue("log_to_console", False)  # planner's Highs logs nowhere (planner.solve): keep the console quiet
    h.setOptionValue("output_flag", True)
    h.cbLogging.subscribe(listen)
    return probe
