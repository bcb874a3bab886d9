"""Checking a returned plan against every constraint of the model, independently of the solver's status."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from planner.solve.standard_form import Unsupported, linear_values

TOLERANCE = 1e-6
"""Allowed violation, relative to max(1, |bound|)."""


def violations(model: pyo.ConcreteModel, tolerance: float = TOLERANCE) -> list[str]:
    """Every constraint, variable bound or integrality the loaded solution breaks, in words."""
    found = []
    constraints = list(model.component_data_objects(pyo.Constraint, active=True))
    try:
        body = linear_values([con.body for con in constraints])
    except Unsupported:
        body = np.array([pyo.value(con.body, exception=False) for con in constraints], dtype=float)
    lower, upper = _bounds([(con.lb, con.ub) for con in constraints])
    for n in np.flatnonzero(np.isnan(body)):
        found.append(f"{constraints[n].name}: has no value (variables without a solution)")
    for n, side, bound in _beyond(body, lower, upper, tolerance):
        con, doc = constraints[n], constraints[n].parent_component().doc
        found.append(f"{con.name}{f' ({doc})' if doc else ''}: {body[n]:.6g} is beyond its {side} bound {bound:.6g}")
    variables = [v for v in model.component_data_objects(pyo.Var) if v.value is not None]
    value = np.array([v.value for v in variables], dtype=float)
    lower, upper = _bounds([v.bounds for v in variables])
    for n, side, bound in _beyond(value, lower, upper, tolerance):
        found.append(f"{variables[n].name}: {value[n]:.6g} is {'below' if side == 'lower' else 'above'} its bound "
                     f"{bound:.6g}")
    binary = np.array([v.is_binary() for v in variables], dtype=bool)
    for n in np.flatnonzero(binary & (np.minimum(np.abs(value), np.abs(value - 1)) > tolerance)):
        found.append(f"{variables[n].name}: {value[n]:.6g} is not 0 or 1")
    return found


def _bounds(pairs: list[tuple[float | None, float | None]]) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds as arrays, -inf and +inf where there is none."""
    lower = np.array([-np.inf if lb is None else lb for lb, _ in pairs], dtype=float)
    upper = np.array([np.inf if ub is None else ub for _, ub in pairs], dtype=float)
    return lower, upper


def _beyond(value: np.ndarray, lower: np.ndarray, upper: np.ndarray, tolerance: float) -> list[tuple[int, str, float]]:
    """(position, side, bound) of each value beyond a bound by more than `tolerance` relative to max(1, |bound|), in
    order."""
    out = []
    with np.errstate(invalid="ignore"):
        for side, bound, excess in (("lower", lower, lower - value), ("upper", upper, value - upper)):
            far = np.isfinite(bound) & (excess > tolerance * np.maximum(1.0, np.abs(bound)))
            out += [(int(n), side, float(bound[n])) for n in np.flatnonzero(far)]
    return sorted(out, key=lambda hit: hit[0])
