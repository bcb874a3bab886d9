"""Checking a returned plan against every constraint of the model, independently of the solver's status."""

from __future__ import annotations

import pyomo.environ as pyo

TOLERANCE = 1e-6
"""Allowed violation, relative to max(1, |bound|)."""


def violations(model: pyo.ConcreteModel, tolerance: float = TOLERANCE) -> list[str]:
    """Every constraint, variable bound or integrality the loaded solution breaks, in words."""
    found = []
    for con in model.component_data_objects(pyo.Constraint, active=True):
        body = pyo.value(con.body, exception=False)
        if body is None:
            found.append(f"{con.name}: has no value (variables without a solution)")
            continue
        for bound, side in ((con.lb, "lower"), (con.ub, "upper")):
            if bound is None:
                continue
            excess = (bound - body) if side == "lower" else (body - bound)
            if excess > tolerance * max(1.0, abs(bound)):
                found.append(f"{con.name} ({con.parent_component().doc}): {body:.6g} is beyond its {side} bound {bound:.6g}")
    for var in model.component_data_objects(pyo.Var):
        value = var.value
        if value is None:
            continue
        if var.lb is not None and value < var.lb - tolerance * max(1.0, abs(var.lb)):
            found.append(f"{var.name}: {value:.6g} is below its bound {var.lb:.6g}")
        if var.ub is not None and value > var.ub + tolerance * max(1.0, abs(var.ub)):
            found.append(f"{var.name}: {value:.6g} is above its bound {var.ub:.6g}")
        if var.is_binary() and min(abs(value), abs(value - 1)) > tolerance:
            found.append(f"{var.name}: {value:.6g} is not 0 or 1")
    return found
