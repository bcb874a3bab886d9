"""Polishing a MIP solution: round the opening decisions, fix them, re-solve the rest exactly."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyomo.environ as pyo

from planner.models.layout import OPEN
from planner.scenario.schema import SolverOptions
from planner.solve.deadline import deadline
from planner.solve.highs import KeptHandOver
from planner.solve.solvers import solve
from planner.solve.status import SolveResult, relative_gap

POLISH_SHARE = 0.1
"""Share of a time limit kept for the polish (`solve_polished`): the MIP gets the rest, so both keep to the limit."""


Opening = tuple
"""The key of one opening decision: a triple (i, f, s) in version 1's model, (i, f, s, period) in the period model."""


def x_vars(model: pyo.ConcreteModel) -> dict[Opening, Any]:
    """Every opening variable x of `model` by its key: `model.x[i, f, s]` by (i, f, s) in version 1's model,
    `model.period[t].x[i, f, s]` by (i, f, s, t) in the period model of docs/model.md version 2."""
    if hasattr(model, "period"):
        return {(*key, t): var for t in model.period for key, var in model.period[t].x.items()}
    return dict(model.x.items())


def x_pattern(model: pyo.ConcreteModel) -> frozenset[Opening]:
    """The keys (`x_vars`) whose x is open in the solution loaded into `model`."""
    return frozenset(t for t, var in x_vars(model).items() if (var.value or 0.0) > OPEN)


@contextmanager
def fixed_x(model: pyo.ConcreteModel, values: dict[Opening, int]) -> Iterator[None]:
    """Fix x (by `x_vars` key) to `values` for the duration; variables already fixed (lock_in, phase-out) stay as
    they were."""
    x = x_vars(model)
    changed = [t for t in values if not x[t].fixed]
    for t in changed:
        x[t].fix(values[t])
    try:
        yield
    finally:
        for t in changed:
            x[t].unfix()


def first_share(options: SolverOptions) -> SolverOptions:
    """`options` for the first of two solves that share its time limit: all but POLISH_SHARE of it."""
    if options.time_limit is None:
        return options
    return options.model_copy(update={"time_limit": (1 - POLISH_SHARE) * options.time_limit})


def time_left(options: SolverOptions, first: SolveResult) -> float | None:
    """Seconds of the time limit of `options` that the first of two solves sharing it (`first`, given
    `first_share`) left to the second: None without a limit, at most 0 when nothing is left."""
    return None if options.time_limit is None else options.time_limit - first.solve_seconds


def solve_polished(model: pyo.ConcreteModel, options: SolverOptions, objective: Any = None,
                   kept: KeptHandOver | None = None, **solve_args: Any) -> SolveResult:
    """`solve` then `polish`, the two within the one time limit of `options`.

    The MIP gets all but POLISH_SHARE of the limit and the polish what it leaves (with a fresh limit
    of its own, a run at its limit could take twice it); both keep to one deadline (planner.solve.deadline),
    counted from this call, so hand-over and read-back count too. With HiGHS the polish re-uses the MIP's
    hand-over (`kept`, or one made for this call). `solve_args` go to `solve` (mip_start, progress);
    the result records `options` as given.
    """
    kept = kept if kept is not None else KeptHandOver()
    with deadline(options.time_limit):
        result = solve(model, first_share(options), objective=objective, kept=kept, **solve_args)
        return polish(model, options, dataclasses.replace(result, options=options.model_dump()), objective, kept)


def polish(model: pyo.ConcreteModel, options: SolverOptions, result: SolveResult, objective: Any = None,
           kept: KeptHandOver | None = None) -> SolveResult:
    """Round the x of the loaded solution to 0/1, fix them and re-solve the rest (a linear programme).

    A MIP solver may return x = 1e-7 with a little capacity or flow behind it (within its integrality
    tolerance); the plan tables would then list a flow from a closed site. The polished solution is exact
    for the rounded pattern. It gets what `result`'s solve left of the time limit. With `kept`, the
    hand-over of `result`'s HiGHS solve, the re-solve takes it with the x columns fixed instead of handing
    the model over again. Returns `result` with the polished objective (its bound and gap kept from the
    MIP); when the linear programme fails or runs out of time, the rounded x with the MIP's q and g stay
    loaded and `result` is returned with a note (with no time left at all, the MIP's plan stays as it is).
    """
    if result.objective is None:
        return result
    left = time_left(options, result)
    if left is not None and left <= 0:
        return dataclasses.replace(result,
                                   notes=(*result.notes, "the plan is not polished: the MIP used all the time limit"))
    pattern, x = x_pattern(model), x_vars(model)
    values = {t: int(t in pattern) for t in x}
    handover = None
    if kept is not None and kept.form is not None:
        handover = kept.fixing([x[t] for t in values], list(values.values()))
    with fixed_x(model, values):
        lp = solve(model, options.model_copy(update={"heuristic": False, "time_limit": left}), objective=objective,
                   kept=handover)
    return polished(result, lp, left)


def polished(result: SolveResult, lp: SolveResult, left: float | None) -> SolveResult:
    """`result` after its polish `lp` (the re-solve with the openings fixed, within `left` seconds): the polished
    objective and gap, or, when the re-solve found nothing, `result` with a note saying so."""
    if lp.objective is None:
        within = f" in the {left:.1f} s left of the time limit" if left is not None else ""
        note = f"the plan is not polished: re-solving with the openings fixed ended {lp.status} ({lp.message}){within}"
        return dataclasses.replace(result, notes=(*result.notes, note),
                                   solve_seconds=result.solve_seconds + lp.solve_seconds)
    bound = result.best_bound if result.best_bound is None else min(result.best_bound, lp.objective)
    return dataclasses.replace(result, objective=lp.objective, best_bound=bound,
                               mip_gap=relative_gap(lp.objective, bound),
                               solve_seconds=result.solve_seconds + lp.solve_seconds)
