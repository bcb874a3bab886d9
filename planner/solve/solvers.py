"""Solver adapters: a built Pyomo model in, a `SolveResult` out, the solution loaded into the model."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC
from pyomo.common.log import LoggingIntercept

from planner.solve.rens import Rens, feasibility_jump_fits, rens
from planner.solve.mipstart import offer
from planner.runreader import STATUSES  # noqa: F401 - the run statuses of docs/model.md, named in SolveResult
from planner.scenario.schema import SOLVER_NAMES, SolverOptions
from planner.solve.standard_form import StandardForm, column_positions, standard_form, with_objective



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
    mip_start: dict[str, Any] | None = None
    """What became of a MIP start ({values, accepted}, planner.solve.mipstart); None when none was given."""
    readback_seconds: float = 0.0
    """Time to read the solution back into the model and evaluate the objective."""
    heuristic: dict[str, Any] | None = None
    """What the RENS start did (planner.solve.rens.Rens.report), its time included in solve_seconds; None when not run."""
    notes: tuple[str, ...] = ()
    """Changes planner made to the solver's own settings for this solve, in words, for the record."""


def _highs_version() -> str:
    import highspy

    return str(highspy.Highs().version())


def _pyomo_version(name: str) -> Callable[[], str]:
    """The version of a solver Pyomo drives through an executable (legacy interface)."""

    def version() -> str:
        opt = pyo.SolverFactory(name)
        if not opt.available(exception_flag=False):
            raise SolverUnavailable(name)
        return ".".join(map(str, opt.version()[:3]))

    return version


def _scip_version() -> str:
    from pyomo.contrib.solver.common.factory import SolverFactory

    opt = SolverFactory("scip_direct")
    if not opt.available():
        raise SolverUnavailable("scip")
    return ".".join(map(str, opt.version()))


@dataclass(frozen=True)
class SolverSpec:
    """A solver planner can use: how to find its version and how its options are named."""

    version: Callable[[], str]
    options: dict[str, str | None]
    """planner option (time_limit, mip_gap, threads, seed) -> the solver's name (None: not supported)."""
    install: str
    """How to make it available, for the error message."""


_SPECS: dict[str, SolverSpec] = {
    "highs": SolverSpec(_highs_version, {"time_limit": "time_limit", "mip_gap": "mip_rel_gap", "threads": "threads",
                                         "seed": "random_seed"}, "pip install highspy"),
    "cbc": SolverSpec(_pyomo_version("cbc"), {"time_limit": "seconds", "mip_gap": "ratioGap", "threads": "threads",
                                              "seed": "randomCbcSeed"}, "apt-get install coinor-cbc"),
    "glpk": SolverSpec(_pyomo_version("glpk"), {"time_limit": "tmlim", "mip_gap": "mipgap", "threads": None,
                                                "seed": "seed"}, "apt-get install glpk-utils"),
    "scip": SolverSpec(_scip_version, {"time_limit": "limits/time", "mip_gap": "limits/gap",
                                       "threads": "parallel/maxnthreads", "seed": "randomization/randomseedshift"},
                       "pip install pyscipopt"),
}
"""The adapter of each solver name."""

SOLVERS: dict[str, SolverSpec] = {name: _SPECS[name] for name in SOLVER_NAMES}
"""The solvers planner knows, each with its option names (docs: README, "Solvers")."""


def solver_versions() -> dict[str, str | None]:
    """Each known solver with its version, or None when it is not available here."""
    out: dict[str, str | None] = {}
    for name, spec in SOLVERS.items():
        try:
            out[name] = spec.version()
        except Exception:  # noqa: BLE001 - a missing or broken install counts as unavailable
            out[name] = None
    return out


def unknown_solver(name: str) -> str | None:
    """Why `name` is not a solver of SOLVERS, in the words `planner run` reports; None when it is one."""
    return None if name in SOLVERS else f"unknown solver {name!r}; known: {', '.join(SOLVERS)}"


def check_solver_name(name: str | None) -> None:
    """Raise SolverUnavailable for a solver `name` (from the command line) planner does not know; None passes."""
    problem = None if name is None else unknown_solver(name)
    if problem:
        raise SolverUnavailable(problem)


def native_options(name: str, options: SolverOptions) -> dict[str, Any]:
    """The options of `options` that are set, under the solver's own names."""
    out = {}
    for key, native in SOLVERS[name].options.items():
        value = getattr(options, key)
        if value is not None and native is not None:
            out[native] = int(value) if name == "glpk" and key == "time_limit" else value
    return out


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """HiGHS' definition: |objective - bound| / |objective|; 0 when both are 0."""
    if objective is None or bound is None or not math.isfinite(bound):
        return None
    if objective == bound:
        return 0.0
    return abs(objective - bound) / max(abs(objective), 1e-10)


@dataclass
class KeptHandOver:
    """A model's hand-over to HiGHS (its standard form and arrays), kept to hand the same model over again.

    Valid while the model's variables, bounds and rows stay as they were when it was made; a new
    objective over them is taken in by `new_objective`. planner.run.KeptModel holds one per kept model.
    """

    form: StandardForm | None = None
    lp: Any = None
    """The highspy.HighsLp passed to HiGHS (passModel copies it, so it stays as made)."""
    mip: bool = False
    """Whether it has integer columns."""
    fixed: tuple[np.ndarray, np.ndarray] | None = None
    """Columns (positions) and the values they are fixed at, on top of the arrays, for one solve (`fixing`)."""

    def fixing(self, variables: list[Any], values: list[float]) -> KeptHandOver:
        """This hand-over with `variables` fixed at `values` (their columns' bounds), for one solve.

        Variables that are not columns (fixed already when it was made) are left out. The model should
        have them fixed too (planner.solve.polish.fixed_x), so that it states what was solved.
        """
        if self.form is None:
            raise ValueError("no hand-over to fix yet: a solve with HiGHS makes it")
        found = column_positions(self.form, variables)
        chosen = found >= 0
        return replace(self, fixed=(found[chosen].astype(np.int32), np.asarray(values, dtype=float)[chosen]))

    def new_objective(self, objective: pyo.Objective) -> None:
        """Take the costs of `objective` (the model's new objective) into the kept hand-over, if there is one."""
        if self.form is not None:
            self.form = with_objective(self.form, objective)
            self.lp.col_cost_, self.lp.offset_ = self.form.c, self.form.offset


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
    except Exception:  # noqa: BLE001
        raise SolverUnavailable(f"solver {options.name!r} is not available on this machine; "
                                f"install it with: {SOLVERS[options.name].install}") from None
    objective = objective if objective is not None else model.objective
    if options.name == "highs":
        return solve_highs(model, options, objective, mip_start, progress, kept)
    if options.name == "scip":
        return _solve_scip(model, options, objective, version)
    return _solve_legacy(model, options, objective, version)


def _solve_legacy(model: pyo.ConcreteModel, options: SolverOptions, objective: pyo.Objective, version: str) -> SolveResult:
    """CBC or GLPK through Pyomo's executable interface."""
    from pyomo.opt import TerminationCondition as TC

    opt = pyo.SolverFactory(options.name)
    start = time.perf_counter()
    interrupted = False
    try:
        result = opt.solve(model, options=native_options(options.name, options), load_solutions=False)
    except KeyboardInterrupt:
        result, interrupted = None, True
    seconds = time.perf_counter() - start
    if result is None:
        return SolveResult("no_solution", None, None, None, seconds, options.name, version, options.model_dump(),
                           "interrupted", 0.0, interrupted)
    tc = result.solver.termination_condition
    has_solution = len(result.solution) > 0 and tc not in (TC.infeasible, TC.infeasibleOrUnbounded)
    if has_solution:
        with LoggingIntercept(module="pyomo.core"):  # Pyomo's warning on a plan found before a limit: the status says so
            model.solutions.load_from(result)
    if tc == TC.optimal and has_solution:
        status = "optimal"
    elif tc in (TC.infeasible, TC.infeasibleOrUnbounded):
        status = "infeasible"
    elif has_solution:
        status = "feasible"
    elif tc in (TC.maxTimeLimit, TC.maxIterations, TC.userInterrupt, TC.maxEvaluations):
        status = "no_solution"
    else:
        status = "error"
    value = float(pyo.value(objective)) if has_solution else None
    bound = result.problem.lower_bound
    bound = float(bound) if bound is not None and math.isfinite(bound) else None
    if status == "optimal" and bound is None:
        bound = value
    return SolveResult(status, value, bound, relative_gap(value, bound), seconds, options.name, version,
                       options.model_dump(), str(tc), 0.0, interrupted)


def _solve_scip(model: pyo.ConcreteModel, options: SolverOptions, objective: pyo.Objective, version: str) -> SolveResult:
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
        status = "optimal"
    elif tc in (TC.provenInfeasible, TC.locallyInfeasible, TC.infeasibleOrUnbounded):
        status = "infeasible"
    elif has_solution:
        status = "feasible"
    elif tc in (TC.maxTimeLimit, TC.iterationLimit, TC.interrupted):
        status = "no_solution"
    else:
        status = "error"
    value = float(pyo.value(objective)) if has_solution else None
    bound = result.objective_bound
    bound = float(bound) if bound is not None and math.isfinite(bound) else None
    if status == "optimal" and bound is None:
        bound = value
    return SolveResult(status, value, bound, relative_gap(value, bound), seconds, "scip", version,
                       options.model_dump(), tc.name, 0.0, tc == TC.interrupted)


def solve_highs(model: pyo.ConcreteModel, options: SolverOptions, objective: pyo.Objective,
                mip_start: Mapping[Any, float] | None = None,
                progress: Callable[[str], None] = lambda message: None, kept: KeptHandOver | None = None
                ) -> SolveResult:
    """HiGHS through highspy: the model handed over as sparse arrays, the solution mapped back.

    `mip_start` (variable -> value), when given, is offered as a partial MIP start (planner.solve.mipstart.offer)
    and the result's `mip_start` says whether HiGHS took it. Python's cyclic garbage collector is
    paused meanwhile: hand-over and read-back make many short-lived objects, none in cycles, and
    would otherwise trigger full scans of the model.
    """
    with PauseGC():
        return _solve_highs(model, options, objective, mip_start, progress, kept)


def _solve_highs(model: pyo.ConcreteModel, options: SolverOptions, objective: pyo.Objective,
                 mip_start: Mapping[Any, float] | None, progress: Callable[[str], None], kept: KeptHandOver | None
                 ) -> SolveResult:
    """`solve_highs` itself."""
    import highspy

    start = time.perf_counter()
    h, form, mip = _to_highs(model, kept)
    handover = time.perf_counter() - start
    for key, value in native_options("highs", options).items():
        h.setOptionValue(key, value)
    h.HandleKeyboardInterrupt = True
    start = time.perf_counter()
    heuristic = _rens_start(h, options, plan=not mip_start) if mip and options.heuristic else None
    probe = offer(h, form.columns, mip_start) if mip_start is not None else None  # after the cuts: adding rows drops a start
    if heuristic is not None:
        progress(heuristic.summary())
    left = _time_left(options, heuristic)
    if left is not None:
        h.setOptionValue("time_limit", left)
    notes = _keep_to_time_limit(h, left) if mip and left else ()
    h.solve()
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    status_code = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    interrupted = status_code == highspy.HighsModelStatus.kInterrupt or bool(heuristic and heuristic.interrupted)
    if has_solution:
        values = h.getSolution().col_value
        for var, value in zip(form.columns, values):
            var.set_value(value, skip_validation=True)
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
    value = _objective_value(objective, form, values) if has_solution else None
    bound = info.mip_dual_bound if mip else (value if status == "optimal" else None)
    bound = float(bound) if bound is not None and math.isfinite(bound) else None
    if status == "optimal" and bound is None:
        bound = value
    readback = time.perf_counter() - start
    return SolveResult(status, value, bound, relative_gap(value, bound), seconds, "highs", _highs_version(),
                       options.model_dump(), h.modelStatusToString(status_code), handover, interrupted,
                       probe.report() if probe is not None else None, readback,
                       heuristic.report() if heuristic is not None else None, notes)


def _rens_start(h: Any, options: SolverOptions, plan: bool) -> Rens:
    """Run RENS (planner.solve.rens) on the MIP in `h` and offer its plan as a start (only the cuts without `plan`)."""
    native = native_options("highs", options)
    native.pop("time_limit", None)
    found = rens(h, native, options.time_limit, plan)
    if len(found.columns):
        h.setSolution(len(found.columns), found.columns, found.values)
    return found


def _time_left(options: SolverOptions, heuristic: Rens | None) -> float | None:
    """Seconds the main solve may take (None: no limit); none after Ctrl-C during RENS (it only takes RENS's plan)."""
    if heuristic is not None and heuristic.interrupted:
        return 0.0
    if options.time_limit is None:
        return None
    return max(options.time_limit - (heuristic.seconds if heuristic else 0.0), 0.0)


def _keep_to_time_limit(h: Any, seconds: float) -> tuple[str, ...]:
    """Turn HiGHS's feasibility jump off when it could not end within the `seconds` left, and say so.

    (The jump stops on its own effort limit, not on the time limit.)
    """
    nonzeros = h.getNumNz()
    if feasibility_jump_fits(nonzeros, seconds):
        return ()
    h.setOptionValue("mip_heuristic_run_feasibility_jump", False)
    return (f"HiGHS's feasibility jump was turned off: on {nonzeros:,} nonzeros it could take longer than "
            f"the {max(seconds, 0.0):.1f} s left of the time limit, which it does not check",)


def _objective_value(objective: pyo.Objective, form: StandardForm, values: list[float]) -> float:
    """`objective` at the solution `values`: from the costs handed over when it is their objective.

    (Evaluating the Pyomo expression would walk all of it again.)
    """
    if objective is not form.objective:
        return float(pyo.value(objective))
    total = float(np.dot(form.c, values)) + form.offset
    return -total if objective.sense == pyo.maximize else total


def _to_highs(model: pyo.ConcreteModel, kept: KeptHandOver | None = None) -> tuple[Any, StandardForm, bool]:
    """The active part of `model` as a highspy.Highs instance, its standard form, and whether it has integers.

    With `kept`, its hand-over is used when it has one; otherwise this one is made and kept there.
    """
    import highspy

    kept = kept or KeptHandOver()
    if kept.form is None:
        kept.form = standard_form(model)
        kept.lp, kept.mip = _highs_lp(kept.form)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(kept.lp)
    if kept.fixed is not None:
        columns, values = kept.fixed
        h.changeColsBounds(len(columns), columns, values, values)
    return h, kept.form, kept.mip


def _highs_lp(form: StandardForm) -> tuple[Any, bool]:
    """`form` as a highspy.HighsLp (integer columns marked), and whether it has integer columns."""
    import highspy

    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(form.columns), len(form.row_lower)
    lp.col_cost_ = form.c
    lp.offset_ = form.offset
    bounds = [v.bounds for v in form.columns]
    lp.col_lower_ = np.array([-inf if lb is None else lb for lb, _ in bounds], dtype=float)
    lp.col_upper_ = np.array([inf if ub is None else ub for _, ub in bounds], dtype=float)
    lp.row_lower_, lp.row_upper_ = form.row_lower, form.row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = form.A.indptr
    lp.a_matrix_.index_ = form.A.indices
    lp.a_matrix_.value_ = form.A.data
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    integer = [v.is_integer() for v in form.columns]
    if any(integer):
        kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
        lp.integrality_ = [kinds[flag] for flag in integer]
    return lp, any(integer)


def _limit_statuses() -> tuple[Any, ...]:
    import highspy

    s = highspy.HighsModelStatus
    return (s.kTimeLimit, s.kIterationLimit, s.kInterrupt, s.kSolutionLimit, s.kObjectiveBound, s.kObjectiveTarget)


_LIMITS = _limit_statuses()
