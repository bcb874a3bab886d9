"""A MIP start built stage by stage: relax-and-fix (Dillenberger et al. 1994; Pochet and Wolsey 2006, ch. 3.6).

The integer variables are split into stages (a run with periods: the integer variables of each period, in
order). Every stage after the first is relaxed; the first stage's MIP is solved and its integer values fixed;
then the second stage's, and so on. The last MIP's plan is feasible for the whole model, and is offered to the
main solve as its start. Each stage's MIP is a third of the whole one's integer variables (three periods), and
the later periods' relaxation steers it; where the solver does not find a first plan of the whole model in its
time limit (the 河北 scenario), the stages often find one within seconds each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pyomo.environ as pyo
from pyomo.common.collections import ComponentMap

from planner.scenario.schema import SolverOptions
from planner.solve.deadline import capped
from planner.solve.solvers import solve
from planner.solve.watch import SolveWatch, current_watch, watching

BUDGET_SHARE = 0.2
"""Share of the time limit the stages may take together (the main solve keeps the rest)."""


@contextmanager
def stages_heard(time_limit: float | None) -> Iterator[None]:
    """Inside the block, the stages' solver log goes to the run's watch (solver.log, --verbose), but not their
    progress: a stage's best and bound, with later periods relaxed or earlier ones fixed, are neither a plan nor a
    bound of the whole model. The run's clock starts here, with the run's `time_limit`."""
    watch = current_watch()
    if watch is None:
        yield
        return
    watch.begin(time_limit)
    with watching(SolveWatch(echo=watch.log)):
        yield


@contextmanager
def relaxed(stages: Sequence[Sequence[Any]]) -> Iterator[None]:
    """Relax every integer variable of `stages` (continuous within its bounds) for the duration; restore their
    domains, bounds and fixing after."""
    kept = [(v, v.domain, v.lower, v.upper, v.fixed) for stage in stages for v in stage]
    for v, *_ in kept:
        lb, ub = v.bounds
        v.domain = pyo.Reals
        v.setlb(lb)
        v.setub(ub)
    try:
        yield
    finally:
        for v, domain, lower, upper, fixed in kept:
            v.domain = domain
            v.lower, v.upper = lower, upper
            if not fixed:
                v.unfix()


def stage_seconds(options: SolverOptions, n_stages: int) -> float | None:
    """The time limit of one stage: BUDGET_SHARE of the time limit shared by the stages (None: no limit)."""
    if options.time_limit is None:
        return None
    return BUDGET_SHARE * options.time_limit / n_stages


def relax_and_fix(model: pyo.ConcreteModel, stages: Sequence[Sequence[Any]], options: SolverOptions,
                  progress: Callable[[str], None] = lambda message: None) -> ComponentMap | None:
    """A start for `model` (integer variable -> value) built stage by stage; None when a stage finds no plan.

    `stages` lists the free integer variables of each stage, in order. The model is left as it was (domains,
    bounds, fixing); the values of the last stage's plan stay loaded. The stages' solver log goes to the run's
    watch, their progress does not (`stages_heard`).
    """
    seconds = stage_seconds(options, len(stages))
    start = ComponentMap()
    with stages_heard(options.time_limit), relaxed(stages):
        for n, stage in enumerate(stages, start=1):
            for v in stage:
                v.domain = pyo.Integers
            limit = capped(seconds)
            result = solve(model, options.model_copy(update={"heuristic": False, "time_limit": limit}))
            if result.objective is None:
                progress(f"start period by period: stage {n} of {len(stages)} found no plan ({result.status})")
                return None
            for v in stage:
                if v.value is not None:  # a variable in no row has none: the main solve completes it
                    v.fix(round(v.value))
                    start[v] = float(v.value)
        progress(f"start period by period: a plan of {result.objective:,.2f} in {len(stages)} stages")
    return start
