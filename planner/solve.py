"""Solver adapters: a built Pyomo model in, a `SolveResult` out, the solution loaded into the model."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any

import numpy as np
import pyomo.environ as pyo
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

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
    """The solver's own word for how it ended, for the record."""
    handover_seconds: float = 0.0
    """Time to hand the model to the solver (standard form and arrays)."""
    interrupted: bool = False
    """The solve was stopped by Ctrl-C; the plan, if any, is the best found until then."""


def _highs_version() -> str:
    import highspy

    return ".".join(map(str, highspy.Highs().version()))


SOLVERS: dict[str, Callable[[], str]] = {"highs": _highs_version}
"""Solver name -> function returning its version (raises when it is not installed)."""


def solver_versions() -> dict[str, str | None]:
    """Each known solver with its version, or None when it is not available here."""
    out: dict[str, str | None] = {}
    for name, version in SOLVERS.items():
        try:
            out[name] = version()
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


def solve(model: pyo.ConcreteModel, options: SolverOptions, objective: pyo.Objective | None = None) -> SolveResult:
    """Solve `model` with the solver and limits in `options`; load the solution when there is one.

    `objective` is the active objective to report (default `model.objective`). Ctrl-C during the
    solve stops the solver; the best plan found so far is kept and the result is `interrupted`.
    """
    if options.name not in SOLVERS:
        raise SolverUnavailable(f"unknown solver {options.name!r}; known: {', '.join(SOLVERS)}")
    return solve_highs(model, options, objective if objective is not None else model.objective)


def solve_highs(model: pyo.ConcreteModel, options: SolverOptions, objective: pyo.Objective) -> SolveResult:
    """HiGHS through highspy: the model handed over as sparse arrays, the solution mapped back."""
    import highspy

    start = time.perf_counter()
    h, columns, eliminated = _to_highs(model)
    handover = time.perf_counter() - start
    h.setOptionValue("output_flag", False)
    if options.time_limit is not None:
        h.setOptionValue("time_limit", float(options.time_limit))
    h.setOptionValue("mip_rel_gap", float(options.mip_gap))
    if options.threads is not None:
        h.setOptionValue("threads", int(options.threads))
    h.setOptionValue("random_seed", int(options.seed))
    h.HandleKeyboardInterrupt = True
    start = time.perf_counter()
    h.solve()
    seconds = time.perf_counter() - start
    status_code = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    interrupted = status_code == highspy.HighsModelStatus.kInterrupt
    if has_solution:
        values = h.getSolution().col_value
        for var, value in zip(columns, values):
            var.set_value(value, skip_validation=True)
        for var, expr in eliminated:
            var.set_value(pyo.value(expr), skip_validation=True)
    if status_code == highspy.HighsModelStatus.kOptimal:
        status = "optimal"
    elif status_code in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible):
        status = "infeasible"
    elif has_solution:
        status = "feasible"
    elif status_code in _LIMITS:
        status = "no_solution"
    else:
        status = "error"
    value = float(pyo.value(objective)) if has_solution else None
    bound = info.mip_dual_bound if h.getLp().integrality_ else (value if status == "optimal" else None)
    bound = float(bound) if bound is not None and math.isfinite(bound) else None
    if status == "optimal" and bound is None:
        bound = value
    return SolveResult(status, value, bound, relative_gap(value, bound), seconds, "highs", _highs_version(),
                       options.model_dump(), h.modelStatusToString(status_code), handover, interrupted)


def _to_highs(model: pyo.ConcreteModel) -> tuple[Any, list[Any], list[Any]]:
    """The active part of `model` as a highspy.Highs instance, with its columns and eliminated variables."""
    import highspy

    repn = LinearStandardFormCompiler().write(model, mixed_form=True, set_sense=pyo.minimize)
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(repn.columns), len(repn.rows)
    lp.col_cost_ = repn.c.toarray()[0] if repn.c.shape[0] else np.zeros(len(repn.columns))
    lp.offset_ = float(repn.c_offset[0]) if len(repn.c_offset) else 0.0
    bounds = [v.bounds for v in repn.columns]
    lp.col_lower_ = np.array([-inf if lb is None else lb for lb, _ in bounds], dtype=float)
    lp.col_upper_ = np.array([inf if ub is None else ub for _, ub in bounds], dtype=float)
    sense = np.array([s for _, s in repn.rows], dtype=int)
    rhs = np.asarray(repn.rhs, dtype=float)
    lp.row_lower_ = np.where(sense <= 0, rhs, -inf)
    lp.row_upper_ = np.where(sense >= 0, rhs, inf)
    matrix = repn.A.tocsc()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    if any(v.is_integer() for v in repn.columns):
        lp.integrality_ = [highspy.HighsVarType.kInteger if v.is_integer() else highspy.HighsVarType.kContinuous
                           for v in repn.columns]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    return h, list(repn.columns), list(repn.eliminated_vars)


def _limit_statuses() -> tuple[Any, ...]:
    import highspy

    s = highspy.HighsModelStatus
    return (s.kTimeLimit, s.kIterationLimit, s.kInterrupt, s.kSolutionLimit, s.kObjectiveBound, s.kObjectiveTarget)


_LIMITS = _limit_statuses()
