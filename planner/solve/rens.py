"""A start for HiGHS from a quick heuristic: RENS (relaxation enforced neighbourhood search, Berthold 2014).

Solve the linear relaxation, strengthened by rounds of knapsack cover cuts (planner.solve.covers), fix
every integer column of a decision (x, y) whose relaxed value is already integral, and solve the
small MIP that is left (the reformulation's counts and splits stay free: they follow from x). Its
plan is feasible for the whole model, and after the reformulation of models/ it is usually within
the gap of the relaxation's bound, so the main solve can stop as soon as its root confirms it.
HiGHS runs RENS itself too, but only after its root cut loop, which is where the time of the
benchmark models went.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from planner.solve import swaps
from planner.solve.apart import runs_apart, solve_apart, trim_heap
from planner.solve.covers import Cut, by_rows, knapsacks, separate
from planner.solve.memory import SMALL_MIP_BYTES_PER_NONZERO, mip_memory, over_limit
from planner.solve.submodel import submodel
from planner.solve.watch import current_watch, new_highs, stoppable

BUDGET_SHARE = 0.2
"""Share of the time limit RENS may take for each of its two steps (the relaxation with its cuts, the small MIP)."""
BUDGET_SECONDS = 60.0
"""RENS's budget when the solve has no time limit."""
FIRST_SOLVE_BUDGETS = 2.5
"""Budgets (BUDGET_SHARE of the time limit each) the relaxation's first solve may take; later rounds of cuts only
run within one. Without that solve RENS has nothing to fix, and HiGHS's root would solve the same LP again: on
the 300x100 benchmark the relaxation takes about 100 s of its 117 s share of a 600 s limit; with another solve
on the machine it took longer, and the run ended at a 79 % gap instead of 0.62 % (0.67 % with this)."""
FOLLOW_ON_GAP = 0.01
"""RENS tries its next neighbourhood (fewer columns fixed, from the plan it has) only while its plan is more than this
share above the relaxation's bound: a larger neighbourhood pays where the first plan is poor, and costs up to the
rest of the budget where it is already good. Measured (first plan against the bound with the cover cuts): the
brownfield benchmark 100 x 40 x 3, 2.07 % (802,332.9; the next neighbourhood found 797,239.8 and the run at 300 s
ended at 0.76 % instead of 1.35 %); the national transition, 0.0036 % (the optimum already: the next neighbourhood
added about 30 s to its 90 s solve); 100 x 100 seed 1, 0.31 % (the next neighbourhood found nothing better within
the budget of a 120 s run)."""
START_SHARE = 0.5
"""Share of the small MIPs' budget a MIP start's neighbourhood may take (`rens`'s `start`): a start that gives every
integer column is an LP, solved in a moment; a partial one leaves RENS's own neighbourhoods the rest."""
SWAP_SHARE = 0.25
"""Share of the time limit the swaps after RENS (planner.solve.swaps) may take at most (without a limit, at most
BUDGET_SECONDS). On the 100 x 100 benchmark (seed 1, 120 s) its neighbourhoods took 3 to 10 s each, one or two
found better plans (RENS's 2,392,369.8 became 2,390,614.4 or 2,390,209.3), and HiGHS still had the time of its
root."""
MAIN_SHARE = 0.3
"""Share of the time limit the swaps leave to the main solve, whatever RENS took (RENS itself takes at most
(FIRST_SOLVE_BUDGETS + 1) BUDGET_SHARE, 70 %)."""
SWAP_FROM = 1e-3
"""The swaps run only while RENS's plan is more than this share (or the run's gap, if larger) above the relaxation's
bound: they look for the trades of whole functions that make gaps of tenths of a percent (100 x 100 seed 1: RENS's
plan 0.31 % above). Closer, there is little for them to find: the national transition (gap 0.001 %) spent 48 s on
four neighbourhoods from an optimal plan."""
SWAP_RATIO = 2.0
"""The swaps take at most this many times what the relaxation and RENS's small MIPs took: on a model that RENS
solves in a second, a neighbourhood that does not end soon is not worth a long wait (20 x 30 seed 9: one took 16 s
and found nothing)."""
DEFAULT_GAP = 1e-4
"""HiGHS's own `mip_rel_gap`, for a solve that sets none."""
MAX_ROUNDS = 20
"""Rounds of cover cuts on the relaxation at most (they stop earlier when a round finds none)."""
JUMP_SECONDS_PER_NONZERO = 1e-5
"""Time HiGHS's feasibility jump may take per nonzero of the matrix, measured (rounded up) on the
300x100 benchmark (3.2 M nonzeros after presolve: 28 s on one core of the benchmark machine). It
stops on an effort limit of 1024 steps per nonzero, not on the time limit. Applied to the
nonzeros planner hands over (before presolve, cuts included), which errs on the safe side."""


def feasibility_jump_fits(nonzeros: int, seconds: float) -> bool:
    """Whether HiGHS's feasibility jump on a matrix of `nonzeros` can end within three quarters of `seconds`.

    When it cannot, planner turns it off, so that the solve ends near its time limit.
    """
    return nonzeros * JUMP_SECONDS_PER_NONZERO <= 0.75 * seconds


@dataclass(frozen=True)
class Rens:
    """What RENS did before the main solve."""

    seconds: float
    """Time of the relaxation, the small MIPs and the swaps."""
    fixed: int
    """Integer columns fixed at their integral relaxed value."""
    free: int
    """Integer columns left to the small MIP."""
    objective: float | None = None
    """Objective of the plan found (None: none found in the budget, or the small MIP was infeasible)."""
    columns: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    """Indices of the integer columns of the plan (empty when none was found)."""
    values: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """Their values in the plan."""
    cuts: int = 0
    """Knapsack cover cuts added to the relaxation (and to the main solve)."""
    interrupted: bool = False
    """Ctrl-C stopped it; the main solve then only takes its plan, if any."""
    solution: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """Every column's value in the plan (empty when none was found)."""
    bound: float = -np.inf
    """The relaxation's bound, with the cover cuts (-inf: no optimum of it in time)."""
    swapped: int = 0
    """Neighbourhoods of industries re-solved together after RENS (planner.solve.swaps)."""
    improved: int = 0
    """Those that found a better plan."""
    skipped: int = 0
    """Of those, how many were left out, or stopped, because their small MIPs would have passed the memory limit."""
    alongside: bool = False
    """The swaps ran beside the main solve (planner.solve.alongside), not before it."""
    mip_left_out: bool = False
    """HiGHS's MIP of the whole model was left out for the memory limit; the swaps ran in its place."""
    from_start: bool | None = None
    """A MIP start given to RENS (`rens`'s `start`) gave a plan with its values fixed (None: none given)."""
    later: SwapsLater | None = field(default=None, compare=False, repr=False)
    """The swaps, when they are to run alongside the main solve (planner.solve.alongside) rather than before it."""

    def summary(self) -> str:
        """One line for the user: what the cuts and RENS gave, before branch and bound starts."""
        found = f"a plan of {self.objective:,.1f}" if self.objective is not None else "no RENS plan"
        if self.interrupted:
            return f"Stopped (Ctrl-C) during RENS with {found}"
        swapped = f", {self.improved} of {self.swapped} swaps better" if self.swapped else ""
        beside = "; swaps alongside it" if self.later is not None else ""
        return (f"Branch and bound from {found} ({self.cuts} cover cuts{swapped}, RENS in {self.seconds:.1f} s)"
                f"{beside}")

    def with_swaps(self, swapped: Rens) -> Rens:
        """This record with the swaps' work, counted in `swapped` (the record of their best plan)."""
        return replace(self, swapped=swapped.swapped, improved=swapped.improved, skipped=swapped.skipped, later=None)

    def report(self) -> dict[str, Any]:
        """The record kept in the run's summary."""
        return {"name": "rens", "seconds": self.seconds, "cuts": self.cuts, "fixed": self.fixed, "free": self.free,
                "objective": self.objective, "swaps": self.swapped, "swaps_improved": self.improved,
                "swaps_skipped": self.skipped, "swaps_alongside": self.alongside, "mip_left_out": self.mip_left_out}


def _interrupted(h: Any) -> bool:
    import highspy

    return h.getModelStatus() == highspy.HighsModelStatus.kInterrupt


def _sub_solver(lp: Any, options: dict[str, Any], budget: float) -> Any:
    h = new_highs()
    for key, value in options.items():
        h.setOptionValue(key, value)
    h.setOptionValue("time_limit", budget)
    h.passModel(lp)
    return h


def rens(h: Any, options: dict[str, Any], time_limit: float | None, plan: bool = True,
         fixable: Sequence[np.ndarray] = (), owners: np.ndarray | None = None, alongside: bool = False,
         memory_limit: float = 0.0, presolve: bool = True, start: tuple[np.ndarray, np.ndarray] | None = None
         ) -> Rens:
    """Run RENS on the MIP held by `h` (a highspy.Highs), with `options` (HiGHS names) on its solves.

    `fixable` are the neighbourhoods to try, each a mask of the columns RENS may fix, in turn, each from the best
    plan of those before it, while the budget lasts and that plan is not close to the relaxation's bound
    (FOLLOW_ON_GAP); the best plan is kept (none given: one neighbourhood, every integer column).

    With `plan` False (the solve already has a start), only the cover cuts are made: no small MIP. A `start`
    (integer columns and their values: a MIP start where HiGHS's MIP of the whole model is left out) is the first
    neighbourhood instead: its columns fixed at its values (`from_start` says whether that gave a plan), within
    START_SHARE of the small MIPs' budget and, with `memory_limit`, only when its small MIP fits; values outside
    their columns' bounds are not taken, and a start that would fix nothing is left out (its small MIP would be the
    whole model).

    The relaxation is first strengthened by rounds of knapsack cover cuts (planner.solve.covers); the
    cuts are added to `h` as well. The relaxation with its cuts, and then the small MIPs together, may each
    take BUDGET_SHARE of `time_limit` (BUDGET_SECONDS without one), the relaxation's first solve up to
    FIRST_SOLVE_BUDGETS of them. A round of cuts that does not reach the optimum in time leaves the last
    optimum the small MIP's; when the first does not reach it, RENS stops there. Ctrl-C stops it too
    (`interrupted`): HiGHS's solves stop by themselves, and planner's own steps between them stop with no plan.

    With `owners` (the industry of each column, a code; -1 for none), swaps (planner.solve.swaps) follow from
    RENS's plan, unless it is already within SWAP_FROM (or the solve's gap, if larger) of the relaxation's bound,
    within their own budget (`_swap_budget`); `seconds` counts them too. With a time limit, the swaps' small MIPs
    of large models run apart (planner.solve.apart), so that they end within their budgets. RENS's own small MIPs
    run here, as they did before the swaps: where one overruns its budget it still ends with its plan, and the
    main solve's share makes up for it. With `alongside`, the swaps do not run here: the plan's `later` holds
    them, for planner.solve.alongside to run beside the main solve. A small MIP of the swaps that would take
    planner's processes above `memory_limit` GB (planner.solve.memory; 0: no limit) is left out, or stopped once
    they hold more (`_small_mip`). Without `presolve`,
    the relaxation is solved without HiGHS's presolve, which holds less (at 300 x 100, about 500 MB less at the
    relaxation's peak) but is slower on some models (brownfield 31 x 40 x 3: 4.4 times).
    """
    began = time.perf_counter()
    relaxation = options if presolve else {**options, "presolve": "off"}
    try:
        return _rens(h, options, relaxation, time_limit, began, plan, fixable, owners, alongside, memory_limit,
                     start)
    except KeyboardInterrupt:
        return Rens(time.perf_counter() - began, 0, 0, interrupted=True)


def _rens(h: Any, options: dict[str, Any], relaxation: dict[str, Any], time_limit: float | None, start: float,
          plan: bool, fixable: Sequence[np.ndarray], owners: np.ndarray | None, alongside: bool,
          memory_limit: float, given: tuple[np.ndarray, np.ndarray] | None) -> Rens:
    """`rens` itself, started at `start` (time.perf_counter), the relaxation solved with the `relaxation` options,
    from the MIP start `given` (`rens`'s `start`)."""
    budget = BUDGET_SHARE * time_limit if time_limit else BUDGET_SECONDS
    model = h.getLp()  # one copy: each sub-solver takes its own copy of it in passModel
    kinds = model.integrality_
    integer = np.array([int(kind) == 1 for kind in kinds], dtype=bool)
    sacks = knapsacks(model)
    model.integrality_ = []
    lp = _sub_solver(model, relaxation, budget)
    model.integrality_ = kinds
    with stoppable(lp):
        x, bound, cuts = _relaxation(lp, sacks, budget, start)
        interrupted = _interrupted(lp)
    del lp  # its factors (1.4 GB at 300 x 100) would stay beside every small MIP, and in the copies forked after
    trim_heap()
    _add(h, cuts)
    tries: list[tuple[np.ndarray, np.ndarray, bool]] = []  # columns to fix, their values, whether the start's
    if given is not None:
        fix, values = _start_fixing(given, integer, model)
        if fix.any():  # a start that fixes nothing would be the whole MIP
            tries.append((fix, values, True))
    if x is not None:
        integral = integer & (np.abs(x - np.round(x)) < 1e-6)
        tries += [(integral & mask, np.round(x), False) for mask in fixable or (integer,)]
    if not plan or not tries or interrupted:  # e.g. out of time before the first optimum, and no start
        return Rens(time.perf_counter() - start, 0, int(integer.sum()), cuts=len(cuts), interrupted=interrupted,
                    bound=bound)
    ends = time.perf_counter() + budget
    best = Rens(0.0, 0, int(integer.sum()))  # no plan yet
    accepted = None
    rows = by_rows(model)
    for fix, values, started in tries:
        left = ends - time.perf_counter()
        small = _small_mip(model, options, START_SHARE * left if started else left, cuts, integer, fix, values, best,
                           False, rows=rows, memory_limit=memory_limit if started else 0.0)
        small = replace(small, free=int((integer & ~fix).sum()))
        if best.objective is None or (small.objective is not None and small.objective < best.objective):
            best = small
        if started:
            accepted = small.objective is not None
        if small.interrupted or time.perf_counter() >= ends or _close_enough(best.objective, bound, options):
            break
    gap = options.get("mip_rel_gap", DEFAULT_GAP)
    if owners is not None and x is not None and best.objective is not None and not small.interrupted \
            and not within_gap(best.objective, bound, max(gap, SWAP_FROM)):
        later = SwapsLater(model, {**options, "mip_rel_gap": swaps.GAP_SHARE * gap}, cuts, integer, owners, x,
                           memory_limit)
        if alongside:
            best = replace(best, later=later)
        else:
            best = later.run(best, time.perf_counter() + _swap_budget(time_limit, time.perf_counter() - start),
                             apart=time_limit is not None)
    return replace(best, seconds=time.perf_counter() - start, interrupted=best.interrupted or small.interrupted,
                   bound=bound, from_start=accepted)


def _start_fixing(start: tuple[np.ndarray, np.ndarray], integer: np.ndarray, model: Any
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The neighbourhood of a MIP `start` (columns, values) in `model` (a highspy.HighsLp): its integer columns to
    fix, and every column's value (0 where it gives none). A value outside its column's bounds (a start from a
    model whose bounds differ) is not taken."""
    columns, values = start
    inside = ((values >= np.asarray(model.col_lower_)[columns] - 1e-9)
              & (values <= np.asarray(model.col_upper_)[columns] + 1e-9))
    fix = np.zeros(len(integer), dtype=bool)
    fix[columns[inside]] = True
    full = np.zeros(len(integer))
    full[columns[inside]] = values[inside]
    return fix & integer, full


def _swap_budget(time_limit: float | None, spent: float) -> float:
    """Seconds the swaps may take after RENS took `spent`: SWAP_SHARE of `time_limit` (BUDGET_SECONDS without one),
    at most SWAP_RATIO times `spent`, and no more than leaves the main solve MAIN_SHARE of the limit."""
    if not time_limit:
        return min(BUDGET_SECONDS, SWAP_RATIO * spent)
    return max(min(SWAP_SHARE * time_limit, SWAP_RATIO * spent, (1 - MAIN_SHARE) * time_limit - spent), 0.0)


def swap_window(seconds: float | None) -> tuple[float, float]:
    """For swaps given `seconds` (None: no limit): when they must end (time.perf_counter) and the most one
    neighbourhood may take (swaps.EACH_SHARE of them, of BUDGET_SECONDS without a limit)."""
    ends = time.perf_counter() + (seconds if seconds is not None else np.inf)
    return ends, swaps.EACH_SHARE * (seconds if seconds is not None else BUDGET_SECONDS)


@dataclass(frozen=True)
class SwapsLater:
    """What the swaps after RENS (planner.solve.swaps) need: the model (a highspy.HighsLp), the options of their
    small MIPs, RENS's cuts, the integer columns, each column's industry, the relaxation's values and the memory
    limit of their small MIPs (GB; 0: none)."""

    model: Any
    options: dict[str, Any]
    cuts: list[Cut]
    integer: np.ndarray
    owners: np.ndarray
    relaxed: np.ndarray
    memory_limit: float = 0.0

    def run(self, plan: Rens, ends: float, apart: bool, cancel: threading.Event | None = None,
            newer: Callable[[Rens], Rens] = lambda best: best, each: float | None = None,
            on_better: Callable[[Rens], None] | None = None) -> Rens:
        """The swaps from `plan` until `ends` (time.perf_counter): the best plan, with what they tried.

        Large small MIPs run `apart`; with `cancel`, every one does, and setting it stops the search and the small
        MIP running. `newer(best)` gives a better plan found elsewhere, to go on from; `each` caps the seconds of one
        neighbourhood (planner.solve.swaps.search); `on_better` hears each plan better than the one its small MIP
        started from. A neighbourhood whose small MIP would pass the memory limit is left out, or stopped (`skipped`).
        """
        rows = by_rows(self.model)
        if rows is None:
            return plan
        skipped = 0

        def solve_small(fix: np.ndarray, start: Rens, budget: float) -> Rens:
            nonlocal skipped
            found = _small_mip(self.model, self.options, budget, self.cuts, self.integer, fix,
                               np.round(start.solution), start, apart, cancel, rows=rows,
                               memory_limit=self.memory_limit)
            skipped += found.skipped
            if on_better is not None and found.objective is not None and found.objective < start.objective:
                on_better(found)
            return found

        done = swaps.search(solve_small, rows, np.asarray(self.model.row_lower_), np.asarray(self.model.row_upper_),
                            plan, self.relaxed, self.owners, self.integer, ends,
                            stop=cancel.is_set if cancel is not None else lambda: False,
                            newer=newer, each=each, cost=np.asarray(self.model.col_cost_))
        return replace(done.best, fixed=plan.fixed, free=plan.free, swapped=plan.swapped + done.tried,
                       improved=plan.improved + done.improved, skipped=plan.skipped + skipped,
                       interrupted=done.interrupted, later=None)

    def plan(self, values: np.ndarray) -> Rens:
        """A plan of the model from its column `values` (found elsewhere, say by the main solve)."""
        columns = np.flatnonzero(self.integer).astype(np.int32)
        objective = float(np.dot(np.asarray(self.model.col_cost_), values) + self.model.offset_)
        return Rens(0.0, 0, 0, objective=objective, columns=columns, values=values[columns], solution=values)


def within_gap(objective: float | None, bound: float, gap: float) -> bool:
    """Whether a plan of `objective` is within the relative `gap` of `bound`."""
    return objective is not None and objective - bound <= gap * abs(objective)


def _close_enough(objective: float | None, bound: float, options: dict[str, Any]) -> bool:
    """Whether a plan of `objective` is within FOLLOW_ON_GAP (or the solve's own gap, `mip_rel_gap`, if larger) of
    the relaxation's `bound`: then RENS tries no larger neighbourhood."""
    return within_gap(objective, bound, max(FOLLOW_ON_GAP, options.get("mip_rel_gap", 0.0)))


def _relaxation(lp: Any, sacks: Any, budget: float, start: float) -> tuple[np.ndarray | None, float, list[Cut]]:
    """Solve the relaxation held by `lp` in rounds of knapsack cover cuts (`sacks`) within `budget` seconds from
    `start` (its first solve within FIRST_SOLVE_BUDGETS of them): its last optimal solution (None: none in time),
    that solution's objective (a lower bound of the MIP; -inf without one) and the cuts added."""
    import highspy

    cuts: list[Cut] = []
    x, bound = None, -np.inf  # a later round that runs out of time leaves the last optimum as it was
    for round_ in range(MAX_ROUNDS + 1):
        allowed = budget * (FIRST_SOLVE_BUDGETS if round_ == 0 else 1.0)
        lp.setOptionValue("time_limit", lp.getRunTime() + max(allowed - (time.perf_counter() - start), 0.0))
        lp.solve()  # HiGHS's time limit counts all runs of a Highs object, hence getRunTime above
        if lp.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        x, bound = np.asarray(lp.getSolution().col_value), lp.getInfo().objective_function_value
        found = separate(sacks, x) if round_ < MAX_ROUNDS and time.perf_counter() - start < budget else []
        if not found:
            break
        _add(lp, found)
        cuts += found
    return x, bound, cuts


def _small_mip(model: Any, options: dict[str, Any], budget: float, cuts: list[Cut], integer: np.ndarray,
               fix: np.ndarray, values: np.ndarray, start: Rens, apart: bool,
               cancel: threading.Event | None = None, rows: sp.csr_matrix | None = None,
               memory_limit: float = 0.0) -> Rens:
    """Solve `model` (a highspy.HighsLp; `integer` marks its integer columns) with the `fix` columns fixed at
    `values`, and `cuts`, within `budget` seconds, from the plan of `start` if it has one (a plan of a smaller
    neighbourhood), `apart` when large (`_solve_small`; with `cancel`, always): its plan, if any (`seconds` and
    `free` are left to the caller). HiGHS gets only what is left free (planner.solve.submodel); `rows` is `model`'s
    matrix by rows, made once by callers that solve many (None: made here). A small MIP that would take planner's
    processes above `memory_limit` GB (0: no limit) is not solved (no plan), and one run apart is stopped, with the
    best plan it had found, once they hold more: `skipped` 1 for either."""
    sub = submodel(model, by_rows(model) if rows is None else rows, fix, values)
    if sub is None:  # the fixed values break a row by themselves
        return Rens(0.0, int(fix.sum()), 0, cuts=len(cuts))
    if memory_limit:
        trim_heap()  # what earlier solves freed here (RENS's small MIP: up to 1.4 GB at 300 x 100) is not held
        if not mip_memory(memory_limit, sub.nonzeros, SMALL_MIP_BYTES_PER_NONZERO).fits:
            return Rens(0.0, int(fix.sum()), 0, cuts=len(cuts), skipped=1)
    with stoppable(_sub_solver(sub.lp, options, max(budget, 0.0))) as small:
        _add(small, sub.cuts(cuts))
        if start.objective is not None:
            columns, kept = sub.start(start.columns, start.values)
            small.setSolution(len(columns), columns, kept)
        plan, interrupted, over = _solve_small(small, max(budget, 0.0), apart, cancel, memory_limit)
    if plan is None:
        return Rens(0.0, int(fix.sum()), 0, cuts=len(cuts), interrupted=interrupted, skipped=int(over))
    plan = sub.whole(plan)
    columns = np.flatnonzero(integer).astype(np.int32)
    return Rens(0.0, int(fix.sum()), 0, objective=float(np.dot(np.asarray(model.col_cost_), plan) + model.offset_),
                columns=columns, values=plan[columns], cuts=len(cuts), interrupted=interrupted, solution=plan,
                skipped=int(over))


def _solve_small(small: Any, budget: float, apart: bool, cancel: threading.Event | None = None,
                 memory_limit: float = 0.0) -> tuple[np.ndarray | None, bool, bool]:
    """Solve the small MIP held by `small` within `budget` seconds: its plan (None: none), whether Ctrl-C stopped
    it and whether the memory limit did. With `apart`, a large one runs apart (planner.solve.apart), stopped at its
    budget: HiGHS's root node of a neighbourhood can take twice its time limit and more (on 100 x 100, 28 s of a
    12 s limit in a neighbourhood of swaps), and stopped once planner's processes hold more than `memory_limit` GB
    (0: no limit). A copy that fails gives no plan: this is a heuristic. With `cancel` it always runs apart, and
    setting `cancel` stops it with the best plan it had found."""
    if cancel is not None or (apart and runs_apart(small.getNumNz(), budget)):
        try:
            end = solve_apart(small, budget, current_watch(), False, cancel=cancel,
                              over=over_limit(memory_limit) if memory_limit else None)
        except RuntimeError:
            return None, False, False
        return end.values, end.interrupted, end.over_memory
    small.solve()
    found = small.getInfo().primal_solution_status == 2
    return (np.asarray(small.getSolution().col_value) if found else None), _interrupted(small), False


def _add(h: Any, cuts: list[Cut]) -> None:
    """Add `cuts` to the model held by `h` as rows, in one call (each call rewrites HiGHS's matrix)."""
    import highspy

    if not cuts:
        return
    index = np.concatenate([cut.columns for cut in cuts])
    starts = np.cumsum([0] + [len(cut.columns) for cut in cuts[:-1]]).astype(np.int32)
    h.addRows(len(cuts), np.full(len(cuts), -highspy.kHighsInf), np.array([cut.rhs for cut in cuts]),
              len(index), starts, index, np.ones(len(index)))
