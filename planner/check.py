"""Checking a returned plan against every constraint of the model, independently of the solver's status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyomo.environ as pyo

from planner.solve.standard_form import Unsupported, linear_values

if TYPE_CHECKING:
    from planner.models.transition import TransitionSets
    from planner.scenario.scenario import Scenario
    from planner.transition import TransitionPlan

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


def transition_violations(scenario: Scenario, ts: TransitionSets, plan: TransitionPlan,
                          tolerance: float = TOLERANCE) -> list[str]:
    """The version 2 constraints (docs/model.md 11-14, demand per period, land, grandfathered caps) recomputed on
    the written tables of `plan` (transition.csv, assignments per period), independently of the model's rows."""
    found: list[str] = []
    rows = plan.transition

    def beyond(value: float, bound: float) -> bool:
        return value > bound + tolerance * max(1.0, abs(bound))

    for row in rows.itertuples(index=False):
        expected = row.previous + row.built - row.retired + row.converted_in - row.converted_out
        if abs(row.capacity - expected) > tolerance * max(1.0, abs(expected)):
            found.append(f"balance: {row.industry} {row.function} at {row.site} in {row.period}: capacity "
                         f"{row.capacity:.6g} is not {expected:.6g} (previous + built - retired + converted in - out)")
        if row.built > tolerance and (row.industry, row.function, row.site) not in ts.eligible:
            found.append(f"new capacity: {row.industry} {row.function} at {row.site} in {row.period} builds "
                         f"{row.built:.6g} where new capacity is not eligible")
        if ts.phased_out((row.industry, row.function, row.site), row.period) and row.capacity > tolerance:
            found.append(f"phase-out: {row.industry} {row.function} at {row.site} holds {row.capacity:.6g} in "
                         f"{row.period}, after its phase-out by {ts.phased[row.industry, row.function, row.site]}")
    found += _carried_over(ts, rows, tolerance)
    found += _build_first(scenario, ts, rows, tolerance)
    for t, p in plan.plans.items():
        sc = ts.scenarios[t]
        production = p.assignments[p.assignments["function"] == "production"].groupby("industry")["capacity"].sum()
        for i, ind in sc.industries.items():
            total = float(production.get(i, 0.0))
            if beyond(ind.demand, total) or beyond(total, (1 + ind.overcapacity) * ind.demand):
                found.append(f"demand: {i} in {t}: production {total:.6g} is outside [{ind.demand:.6g}, "
                             f"{(1 + ind.overcapacity) * ind.demand:.6g}]")
            hosts = p.assignments[p.assignments["industry"] == i]["region"].nunique()
            if sc.settings.duplication == "hard" and ind.max_hosts is not None and hosts > ind.max_hosts:
                found.append(f"anti-duplication: {i} in {t} has {hosts} host regions, more than {ind.max_hosts} "
                             "(max_hosts raised to the regions with stock)")
        for site in p.sites.itertuples(index=False):
            if beyond(site.land_used_ha, site.land_ha):
                found.append(f"land: {site.site} in {t} uses {site.land_used_ha:.6g} ha of {site.land_ha:.6g}")
    return found


def _carried_over(ts: TransitionSets, rows: Any, tolerance: float) -> list[str]:
    """Each period starts from the capacity the one before ended with (the stock before the first)."""
    found = []
    ended: dict[tuple[str, str, str], float] = dict(ts.stock)
    order = {t: n for n, t in enumerate(ts.periods)}
    for row in sorted(rows.itertuples(index=False), key=lambda r: order[r.period]):
        triple = (row.industry, row.function, row.site)
        start = ended.get(triple, 0.0)
        if abs(row.previous - start) > tolerance * max(1.0, abs(start)):
            found.append(f"balance: {row.industry} {row.function} at {row.site} starts {row.period} with "
                         f"{row.previous:.6g}, but the period before ended with {start:.6g}")
        ended[triple] = row.capacity
    return found


def _build_first(scenario: Scenario, ts: TransitionSets, rows: Any, tolerance: float) -> list[str]:
    """先立后破: production retired in a region up to t never exceeds what it built up to Λ periods earlier."""
    st = scenario.settings
    if st.transition != "build_first":
        return []
    production = rows[rows["function"] == "production"]
    found = []
    for r in scenario.regions:
        here = production[production["region"] == r]
        for n, t in enumerate(ts.periods):
            retired = float(here[here["period"].isin(ts.periods[:n + 1])]["retired"].sum())
            built = float(here[here["period"].isin(ts.periods[:max(n + 1 - st.transition_lag, 0)])]["built"].sum())
            if retired > built + tolerance * max(1.0, built):
                found.append(f"先立后破: {r} has retired {retired:.6g} of production by {t}, more than the {built:.6g} "
                             "it built by "
                             f"{ts.periods[n - st.transition_lag] if n >= st.transition_lag else 'then (none)'}")
    return found
