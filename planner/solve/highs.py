"""HiGHS through highspy: the model handed over as sparse arrays (its standard form), RENS and a MIP start
offered before branch and bound, the solution mapped back into the model."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from planner.models.layout import hosting_variables, industry_of_variables, reformulation_variables
from planner.scenario.schema import SolverOptions
from planner.solve.alongside import runs_alongside, solve_beside
from planner.solve.apart import KILL_GRACE, Ended, runs_apart, solve_apart
from planner.solve.deadline import READBACK_SECONDS_PER_COLUMN, capped, deadline
from planner.solve.memory import mip_memory
from planner.solve.mipstart import StartProbe, offer, start_columns
from planner.solve.registry import _highs_version, native_options
from planner.solve.rens import Rens, feasibility_jump_fits, rens, swap_window, within_gap
from planner.solve.standard_form import StandardForm, column_positions, standard_form, with_objective
from planner.solve.status import Ending, SolveResult, normalise
from planner.solve.watch import SolveWatch, current_watch, follow_mip, new_highs, stoppable


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


def solve_highs(model: pyo.ConcreteModel, options: SolverOptions, objective: pyo.Objective,
                mip_start: Mapping[Any, float] | None = None,
                progress: Callable[[str], None] = lambda message: None, kept: KeptHandOver | None = None
                ) -> SolveResult:
    """HiGHS through highspy: the model handed over as sparse arrays, the solution mapped back.

    `mip_start` (variable -> value), when given, is offered as a partial MIP start (planner.solve.mipstart.offer)
    and the result's `mip_start` says whether HiGHS took it; where HiGHS's MIP of the whole model is left out for
    `solver.memory_limit`, RENS takes the start instead, as its first neighbourhood. Python's cyclic garbage
    collector is paused meanwhile: hand-over and read-back make many short-lived objects, none in cycles, and
    would otherwise trigger full scans of the model. The whole call (hand-over, cuts and RENS, HiGHS,
    read-back) keeps to the time limit of `options`, or to an earlier deadline already current
    (planner.solve.deadline); large MIPs run where planner can stop them (planner.solve.apart).
    """
    with PauseGC(), deadline(options.time_limit):
        return _solve_highs(model, options, objective, mip_start, progress, kept)


def _solve_highs(model: pyo.ConcreteModel, options: SolverOptions, objective: pyo.Objective,
                 mip_start: Mapping[Any, float] | None, progress: Callable[[str], None], kept: KeptHandOver | None
                 ) -> SolveResult:
    """`solve_highs` itself."""
    start = time.perf_counter()
    h, form, mip = _to_highs(model, kept)
    handover = time.perf_counter() - start
    for key, value in native_options("highs", options).items():
        h.setOptionValue(key, value)
    watch = current_watch()
    if watch is not None:
        watch.begin(options.time_limit)
    start = time.perf_counter()
    reserve = READBACK_SECONDS_PER_COLUMN * len(form.columns)
    budget = capped(options.time_limit, reserve)
    skip = mip and options.heuristic and not _rens_fits(budget, handover)
    runs_rens = mip and options.heuristic and not skip
    memory = mip_memory(options.memory_limit if mip else 0, h.getNumNz())
    lean = runs_rens and not memory.fits  # no MIP of the whole model
    seeded = bool(mip_start) and not lean  # the start goes to HiGHS's MIP; RENS makes the cuts only
    given = start_columns(form.columns, mip_start) if mip_start and lean else None
    heuristic = (_rens_start(h, options, not seeded, budget, () if seeded else _neighbourhoods(model, form),
                             None if seeded else _owners(model, form),
                             lean or runs_alongside(options, h.getNumNz()), lean,
                             presolve=not lean or model.component("period") is not None, start=given)
                 if runs_rens else None)
    if given is not None and heuristic is not None:  # lean: the start was RENS's first neighbourhood
        probe = StartProbe(len(given[0]), heuristic.from_start)
    else:  # after the cuts: adding rows drops a start
        probe = offer(h, form.columns, mip_start) if mip_start is not None else None
    if heuristic is not None:
        progress(heuristic.summary())
    follow = watch is not None and mip and objective is form.objective and objective.sense == pyo.minimize
    if follow:
        if heuristic is not None:  # the relaxation's bound, with its cover cuts, bounds the whole model
            watch.report(heuristic.objective, heuristic.bound)
        follow_mip(h, watch)
    left = capped(_time_left(options, heuristic), reserve)
    if left is not None:
        h.setOptionValue("time_limit", left)
    notes = _keep_to_time_limit(h, left) if mip and not lean and left is not None and not _stopped(heuristic) else ()
    if lean:
        notes = (memory.note(), *notes)
        progress(memory.note())
    elif not memory.fits:
        notes = (memory.unheeded(), *notes)
    if skip:
        notes = (f"the cover cuts and RENS were left out: the {budget:.1f} s left of the time limit were less than "
                 f"{RENS_HANDOVERS:.0f} times the hand-over ({handover:.1f} s)", *notes)
    with stoppable(h):
        if not mip:
            end = _run_here(h)
        elif _stopped(heuristic):
            end = _rens_plan(heuristic)
        elif lean:
            end, heuristic = _swaps_only(heuristic, left, options.mip_gap, watch if follow else None)
        elif heuristic is not None and heuristic.later is not None:  # no start offered then: RENS's is the start
            end, heuristic = _run_beside(h, heuristic, left, watch if follow else None, options.mip_gap)
        else:
            end = _run(h, left, watch if follow else None, probe)
    seconds = time.perf_counter() - start
    notes = (*notes, *_ending_notes(end, seconds, left, heuristic, options.memory_limit))
    start = time.perf_counter()
    has_solution = end.values is not None
    if has_solution:
        for var, value in zip(form.columns, end.values, strict=False):
            var.set_value(value, skip_validation=True)
    ending = _ending(end.status)
    value = _objective_value(objective, form, end.values) if has_solution else None
    bound = end.bound if mip else (value if ending == "optimal" else None)
    out = normalise(ending, has_solution, value, bound)
    readback = time.perf_counter() - start
    return SolveResult(status=out.status, objective=out.objective, best_bound=out.best_bound, mip_gap=out.mip_gap,
                       solve_seconds=seconds, solver="highs", solver_version=_highs_version(),
                       options=options.model_dump(), message=end.message,
                       handover_seconds=handover, interrupted=end.interrupted or _stopped(heuristic),
                       mip_start=probe.report() if probe is not None else None, readback_seconds=readback,
                       heuristic=heuristic.report() if heuristic is not None else None, notes=notes)


def _ending_notes(end: Ended, seconds: float, left: float | None, heuristic: Rens | None,
                  memory_limit: float) -> tuple[str, ...]:
    """The solver notes on how the MIP (`end`, after `seconds` of the `left` it was given) and the swaps ended."""
    notes: tuple[str, ...] = ()
    if end.proven:
        notes = (f"planner stopped HiGHS after {seconds:.1f} s: the best plan known was within the gap of HiGHS's "
                 "last bound (HiGHS hears no plan while it computes its analytic centre)",)
    elif end.stopped:
        notes = (f"HiGHS had not stopped {KILL_GRACE:.0f} s after its time limit of {left:.1f} s (parts of its "
                 "presolve and root node, its analytic centre above all, do not check it): planner stopped it and "
                 "kept the best plan it had reported, if any",)
    if heuristic is not None and heuristic.skipped:
        notes = (*notes, f"small MIPs of the swaps left out, or stopped with their best plan, at the memory limit of "
                         f"{memory_limit:g} GB (they would have taken planner's processes above it): "
                         f"{heuristic.skipped}")
    return notes


RENS_HANDOVERS = 3.0
"""The cover cuts and RENS run only when the time left is at least this many times the hand-over's: their own
steps (copies of the matrix, the knapsack rows, the relaxation's presolve) took about 0.7 to 0.8 hand-overs on
the benchmark models, on top of their budget (planner.solve.rens.BUDGET_SHARE of the time left)."""


def _rens_fits(seconds: float | None, handover: float) -> bool:
    """Whether the cover cuts and RENS fit in the `seconds` left (None: no limit) after a hand-over of `handover` s."""
    return seconds is None or seconds >= RENS_HANDOVERS * handover


def _stopped(heuristic: Rens | None) -> bool:
    """Whether Ctrl-C stopped RENS."""
    return bool(heuristic and heuristic.interrupted)


def _run(h: Any, left: float | None, watch: SolveWatch | None, probe: StartProbe | None) -> Ended:
    """Solve the MIP in `h`: apart (planner.solve.apart) when it is large and has a time limit (`left` seconds,
    none left too: HiGHS's presolve of a large model does not stop at once), else here.

    `watch` (None: none to follow) hears the progress of a solve apart.
    """
    if not runs_apart(h.getNumNz(), left):
        return _run_here(h)
    end = solve_apart(h, left, watch, watch is not None, probe)
    if probe is not None and end.start_accepted is not None:
        probe.accepted = end.start_accepted
    return end


def _run_beside(h: Any, heuristic: Rens, left: float | None, watch: SolveWatch | None, gap: float
                ) -> tuple[Ended, Rens]:
    """Solve the MIP in `h` apart with the swaps beside it (planner.solve.alongside): how it ended, and RENS's
    record with the swaps' work. `watch` (None: none to follow) hears its progress."""
    end, best = solve_beside(h, heuristic.later, heuristic, left, watch, gap)
    return end, replace(heuristic.with_swaps(best), alongside=True)


def _swaps_only(heuristic: Rens, left: float | None, gap: float, watch: SolveWatch | None) -> tuple[Ended, Rens]:
    """In place of HiGHS's MIP of the whole model (`solver.memory_limit`): the swaps from RENS's plan for the
    `left` seconds (None: until they have tried every neighbourhood), each better plan reported to `watch` (None:
    none). How it ended, with the relaxation's bound (`optimal` when the plan is within the relative `gap` of it),
    and RENS's record with the swaps' work."""
    import highspy

    best = heuristic
    if heuristic.later is not None:
        ends, each = swap_window(left)
        heard = (lambda plan: watch.report(plan.objective, None)) if watch is not None else None
        best = heuristic.later.run(heuristic, ends, apart=True, each=each, on_better=heard)
    found = best.objective is not None
    proved = within_gap(best.objective, heuristic.bound, gap)
    status = highspy.HighsModelStatus.kOptimal if proved else highspy.HighsModelStatus.kTimeLimit
    message = ("Optimal (RENS and the swaps, within the gap of the relaxation's bound)" if proved
               else "No MIP of the whole model (memory limit): the best plan of RENS and the swaps")
    end = Ended(status=status, message=message, values=best.solution if found else None, bound=heuristic.bound,
                interrupted=best.interrupted)
    return end, replace(heuristic.with_swaps(best), mip_left_out=True)


def _rens_plan(heuristic: Rens) -> Ended:
    """After Ctrl-C during RENS: its plan, if it had one, with the relaxation's bound; HiGHS's MIP of the whole model
    is not started (its presolve alone takes time and, on large models, gigabytes)."""
    import highspy

    found = heuristic.objective is not None
    return Ended(status=highspy.HighsModelStatus.kInterrupt, message="Interrupted (Ctrl-C) during RENS",
                 values=heuristic.solution if found else None, bound=heuristic.bound, interrupted=True)


def _run_here(h: Any) -> Ended:
    """Solve in this process: how `h` ended."""
    import highspy

    h.solve()
    status = h.getModelStatus()
    info = h.getInfo()
    values = np.asarray(h.getSolution().col_value) if info.primal_solution_status == 2 else None  # feasible
    return Ended(status=status, message=h.modelStatusToString(status), values=values, bound=info.mip_dual_bound,
                 interrupted=status == highspy.HighsModelStatus.kInterrupt)


def _ending(status_code: Any) -> Ending:
    """HiGHS's model status in planner's words (planner.solve.status.normalise makes it a status)."""
    import highspy

    if status_code == highspy.HighsModelStatus.kOptimal:
        return "optimal"
    if status_code in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return "infeasible"
    return "limit" if status_code in _LIMITS else "other"


def _neighbourhoods(model: pyo.ConcreteModel, form: StandardForm) -> tuple[np.ndarray, np.ndarray]:
    """The columns of `form` RENS may fix, in the order it tries them (the most fixed first): every decision (all
    but the reformulation's counts and splits, `reformulation_variables`, whose values follow from x); then the
    hosting y alone."""
    auxiliary, hosting = reformulation_variables(model), hosting_variables(model)
    decisions = np.fromiter((id(v) not in auxiliary for v in form.columns), dtype=bool, count=len(form.columns))
    return decisions, np.fromiter((id(v) in hosting for v in form.columns), dtype=bool, count=len(form.columns))


def _owners(model: pyo.ConcreteModel, form: StandardForm) -> np.ndarray:
    """The industry of each column of `form`, as a code (-1: none), for the swaps after RENS."""
    owner = industry_of_variables(model)
    codes = {name: k for k, name in enumerate(sorted(set(owner.values())))}
    return np.fromiter((codes.get(owner.get(id(v)), -1) for v in form.columns), dtype=np.int32,
                       count=len(form.columns))


def _rens_start(h: Any, options: SolverOptions, plan: bool, time_limit: float | None,
                fixable: Sequence[np.ndarray], owners: np.ndarray | None, alongside: bool, lean: bool,
                presolve: bool = True, start: tuple[np.ndarray, np.ndarray] | None = None) -> Rens:
    """Run RENS (planner.solve.rens) on the MIP in `h` and offer its plan as a start (only the cuts without `plan`).

    Its budget is a share of `time_limit` (the time limit of `options`, at most what the deadline leaves); it
    tries the `fixable` neighbourhoods in turn, each from the best plan before it, then swaps industries from its
    plan (`owners`: each column's industry), before the main solve or, with `alongside`, beside it.

    `lean` (the MIP of the whole model left out for memory): the swaps that take the MIP's place keep their small
    MIPs to the memory limit of `options`. Beside the whole MIP they do not: that MIP alone takes planner's processes
    near the limit it was judged by, or past it (brownfield 100 x 40 x 3: 4.2 GB), and the swaps would find no room
    (0.422 % instead of 0.292 % there in 300 s). Without `presolve`, the relaxation is solved without HiGHS's
    presolve, which holds less: the caller asks that of a lean model with one period (a model with periods solves
    its relaxation 4.4 to 4.8 times slower without presolve, benchmarks/RESULTS.md session 20). A `start` (columns
    and values of a MIP start, given only when `lean`) is RENS's first neighbourhood.
    """
    native = native_options("highs", options)
    native.pop("time_limit", None)
    found = rens(h, native, time_limit, plan, fixable, owners, alongside, options.memory_limit if lean else 0.0,
                 presolve, start)
    if len(found.columns):
        h.setSolution(len(found.columns), found.columns, found.values)
    return found


def _time_left(options: SolverOptions, heuristic: Rens | None) -> float | None:
    """Seconds the main solve may take (None: no limit)."""
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


def _objective_value(objective: pyo.Objective, form: StandardForm, values: np.ndarray) -> float:
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
    kept = kept or KeptHandOver()
    if kept.form is None:
        kept.form = standard_form(model)
        kept.lp, kept.mip = _highs_lp(kept.form)
    h = new_highs()
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
