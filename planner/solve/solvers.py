"""Solver adapters: a built Pyomo model in, a `SolveResult` out, the solution loaded into the model.

`solve` picks the adapter of the solver named in the options: HiGHS (planner.solve.highs), SCIP
through Pyomo's direct interface, CBC or GLPK through their executables. Every adapter turns its
solver's ending into planner's status with planner.solve.status.normalise.
"""

from __future__ import annotations

import math
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pyomo.environ as pyo
from pyomo.common.log import LoggingIntercept

from planner.scenario.schema import SolverOptions
from planner.solve.highs import KeptHandOver, solve_highs
from planner.solve.logs import bound_from_log
from planner.solve.registry import SOLVERS, SolverUnavailable, check_solver_name, native_options
from planner.solve.status import SolveResult, normalise
from planner.solve.watch import current_watch


def solve(model: pyo.ConcreteModel, options: SolverOptions, objective: pyo.Objective | None = None,
          mip_start: Mapping[Any, float] | None = None,
          progress: Callable[[str], None] = lambda message: None, kept: KeptHandOver | None = None) -> SolveResult:
    """Solve `model` with the solver and limits in `options`; load the solution when there is one.

    `objective` is the active objective to report (default `model.objective`). With HiGHS, Ctrl-C
    during the solve stops the solver and keeps the best plan found so far (`interrupted`),
    `mip_start` (variable -> value, planner.solve.mipstart) is offered as a MIP start (other solvers
    ignore it), `progress` hears what the RENS start found before branch and bound begins, and
    `kept` supplies the hand-over of an earlier solve of the unchanged model (or keeps this one's).
    Raises SolverUnavailable for an unknown solver or one not installed here.
    """
    check_solver_name(options.name)
    try:
        version = SOLVERS[options.name].version()
    except Exception:
        raise SolverUnavailable(f"solver {options.name!r} is not available on this machine; "
                                f"install it with: {SOLVERS[options.name].install}") from None
    objective = objective if objective is not None else model.objective
    if options.name == "highs":
        return solve_highs(model, options, objective, mip_start, progress, kept)
    if options.name == "scip":
        return _solve_scip(model, options, objective, version)
    return _solve_legacy(model, options, objective, version)


def _solve_legacy(model: pyo.ConcreteModel, options: SolverOptions, objective: pyo.Objective,
                  version: str) -> SolveResult:
    """CBC or GLPK through Pyomo's executable interface; the solver's log goes to the current watch (solver.log),
    and the bound is read from it when Pyomo returns none (planner.solve.logs)."""
    from pyomo.opt import TerminationCondition as TC

    opt = pyo.SolverFactory(options.name)
    watch = current_watch()
    if watch is not None:
        watch.begin(options.time_limit)
    start = time.perf_counter()
    interrupted = False
    with tempfile.TemporaryDirectory(prefix="planner-log-") as folder:
        logfile = Path(folder) / f"{options.name}.log"
        try:
            result = opt.solve(model, options=native_options(options.name, options), load_solutions=False,
                               logfile=str(logfile))
        except KeyboardInterrupt:
            result, interrupted = None, True
        log = logfile.read_text(encoding="utf-8", errors="replace") if logfile.exists() else ""
    if watch is not None and log:
        watch.log(log)
    seconds = time.perf_counter() - start
    if result is None:
        return SolveResult(status="no_solution", objective=None, best_bound=None, mip_gap=None, solve_seconds=seconds,
                           solver=options.name, solver_version=version, options=options.model_dump(),
                           message="interrupted", interrupted=interrupted)
    tc = result.solver.termination_condition
    has_solution = len(result.solution) > 0 and tc not in (TC.infeasible, TC.infeasibleOrUnbounded)
    if has_solution:
        # Pyomo's warning on a plan found before a limit: the status says so
        with LoggingIntercept(module="pyomo.core"):
            model.solutions.load_from(result)
    if tc == TC.optimal and has_solution:
        ending = "optimal"
    elif tc in (TC.infeasible, TC.infeasibleOrUnbounded):
        ending = "infeasible"
    elif tc in (TC.maxTimeLimit, TC.maxIterations, TC.userInterrupt, TC.maxEvaluations):
        ending = "limit"
    else:
        ending = "other"
    value = float(pyo.value(objective)) if has_solution else None
    bound = result.problem.lower_bound
    if bound is None or not math.isfinite(bound):
        bound = bound_from_log(options.name, log)
    out = normalise(ending, has_solution, value, bound)
    return SolveResult(status=out.status, objective=out.objective, best_bound=out.best_bound, mip_gap=out.mip_gap,
                       solve_seconds=seconds, solver=options.name, solver_version=version,
                       options=options.model_dump(), message=str(tc), interrupted=interrupted)


def _solve_scip(model: pyo.ConcreteModel, options: SolverOptions, objective: pyo.Objective,
                version: str) -> SolveResult:
    """SCIP through Pyomo's direct interface to pyscipopt."""
    from pyomo.contrib.solver.common.factory import SolverFactory
    from pyomo.contrib.solver.common.results import SolutionStatus
    from pyomo.contrib.solver.common.results import TerminationCondition as TC

    opt = SolverFactory("scip_direct")
    extra = {k: v for k, v in native_options("scip", options).items() if k.startswith("randomization")}
    start = time.perf_counter()
    result = opt.solve(model, time_limit=options.time_limit, rel_gap=options.mip_gap, threads=options.threads,
                       load_solutions=False, raise_exception_on_nonoptimal_result=False, solver_options=extra)
    seconds = time.perf_counter() - start
    tc = result.termination_condition
    has_solution = result.solution_status in (SolutionStatus.optimal, SolutionStatus.feasible)
    if has_solution:
        result.solution_loader.load_vars()
    if tc == TC.convergenceCriteriaSatisfied and has_solution:
        ending = "optimal"
    elif tc in (TC.provenInfeasible, TC.locallyInfeasible, TC.infeasibleOrUnbounded):
        ending = "infeasible"
    elif tc in (TC.maxTimeLimit, TC.iterationLimit, TC.interrupted):
        ending = "limit"
    else:
        ending = "other"
    value = float(pyo.value(objective)) if has_solution else None
    out = normalise(ending, has_solution, value, result.objective_bound)
    return SolveResult(status=out.status, objective=out.objective, best_bound=out.best_bound, mip_gap=out.mip_gap,
                       solve_seconds=seconds, solver="scip", solver_version=version, options=options.model_dump(),
                       message=tc.name, interrupted=tc == TC.interrupted)
