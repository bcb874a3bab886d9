"""Solver adapters: a built Pyomo model in, a `SolveResult` out, the solution loaded into the model."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition

from planner.scenario.schema import SolverOptions

STATUSES = ("optimal", "feasible", "infeasible", "no_solution", "error")
"""Run statuses of MODEL.md "Results every run reports"."""


class SolverUnavailable(Exception):
    """The requested solver is unknown or not installed here."""


@dataclass(frozen=True)
class SolveResult:
    """What a solve returned."""

    status: str
    """One of STATUSES."""
    objective: float | None
    """Objective of the plan found, if any (10k yuan)."""
    best_bound: float | None
    """Best proven lower bound."""
    mip_gap: float | None
    """Relative gap |objective - bound| / |objective| (0 when both are 0)."""
    solve_seconds: float
    solver: str
    solver_version: str
    options: dict[str, Any] = field(default_factory=dict)
    """The options passed, in planner's names."""
    message: str = ""
    """The solver's termination condition, for the record."""


def _highs() -> Any:
    from pyomo.contrib.solver.solvers.highs import Highs

    return Highs()


SOLVERS = {"highs": _highs}
"""Solver name -> factory of a Pyomo solver object."""


def solver_versions() -> dict[str, str | None]:
    """Each known solver with its version, or None when it is not available here."""
    out: dict[str, str | None] = {}
    for name, factory in SOLVERS.items():
        try:
            opt = factory()
            out[name] = ".".join(map(str, opt.version())) if opt.available() else None
        except Exception:  # noqa: BLE001 - a broken install counts as unavailable
            out[name] = None
    return out


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """HiGHS' definition: |objective - bound| / |objective|; 0 when both are 0."""
    if objective is None or bound is None or not math.isfinite(bound):
        return None
    if objective == bound:
        return 0.0
    return abs(objective - bound) / max(abs(objective), 1e-10)


def solve(model: pyo.ConcreteModel, options: SolverOptions) -> SolveResult:
    """Solve `model` with the solver and limits in `options`; load the solution when there is one."""
    versions = solver_versions() if options.name not in SOLVERS else None
    if options.name not in SOLVERS:
        raise SolverUnavailable(f"unknown solver {options.name!r}; known: {', '.join(versions or SOLVERS)}")
    opt = SOLVERS[options.name]()
    if not opt.available():
        raise SolverUnavailable(f"solver {options.name!r} is not available on this machine")
    version = ".".join(map(str, opt.version()))
    passed = options.model_dump()
    start = time.perf_counter()
    result = opt.solve(
        model,
        time_limit=options.time_limit,
        rel_gap=options.mip_gap,
        threads=options.threads,
        load_solutions=False,
        raise_exception_on_nonoptimal_result=False,
        solver_options={"random_seed": options.seed},
    )
    seconds = time.perf_counter() - start
    tc, ss = result.termination_condition, result.solution_status
    has_solution = ss in (SolutionStatus.optimal, SolutionStatus.feasible)
    if has_solution:
        result.solution_loader.load_vars()
    if tc == TerminationCondition.convergenceCriteriaSatisfied and has_solution:
        status = "optimal"
    elif tc in (TerminationCondition.provenInfeasible, TerminationCondition.locallyInfeasible,
                TerminationCondition.infeasibleOrUnbounded):
        status = "infeasible"
    elif has_solution:
        status = "feasible"
    elif tc in (TerminationCondition.maxTimeLimit, TerminationCondition.iterationLimit,
                TerminationCondition.interrupted, TerminationCondition.minStepLength):
        status = "no_solution"
    else:
        status = "error"
    objective = float(pyo.value(model.objective)) if has_solution else None
    bound = result.objective_bound if has_solution or status == "no_solution" else None
    bound = float(bound) if bound is not None and math.isfinite(bound) else None
    if status == "optimal" and bound is None:
        bound = objective
    return SolveResult(status, objective, bound, relative_gap(objective, bound), seconds,
                       options.name, version, passed, str(tc.name))
