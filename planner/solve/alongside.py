"""Swaps alongside the MIP: the machine's second core goes on improving RENS's plan while HiGHS's MIP runs.

HiGHS 1.16's parallel MIP gains little on two cores (benchmarks/RESULTS.md, "Two threads"), so a run of one
thread left the second core idle while the swaps after RENS (planner.solve.swaps) held the MIP back. When RENS's
plan is not yet close to the relaxation's bound and a core is free, the MIP now starts at once, apart
(planner.solve.apart), and the swaps run beside it in a thread of this process:

- each better plan of the swaps goes to HiGHS through memory shared with its process (`SharedPlan`); HiGHS
  takes it at its next call for a user solution (`kCallbackMipUserSolution`: after its set-up, in its root
  node's rounds, before its dives), so its pruning and its own heuristics start from it;
- each better plan of HiGHS's goes to the swaps, which go on from its neighbourhoods;
- when HiGHS ends, the swaps stop (their small MIP running is stopped), and the run keeps the better plan of the
  two, with HiGHS's bound;
- when the best plan known (RENS's, the swaps' or HiGHS's) is within the run's gap of the last bound HiGHS
  reported, planner stops HiGHS: the gap is proved. HiGHS would not see it soon: it hears no plan while it
  computes its analytic centre, which at 100 x 100 takes it from about 36 s to 111 s of a 120 s limit
  (benchmarks/RESULTS.md, "HiGHS's analytic centre").

Any plan either finds is a plan of the whole model, so the optimum and the bound are unchanged.
"""

from __future__ import annotations

import contextvars
import mmap
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from planner.scenario.schema import SolverOptions
from planner.solve import swaps
from planner.solve.apart import APART_NONZEROS, Ended, fork_available, solve_apart
from planner.solve.rens import Rens, SwapsLater, swap_window, within_gap
from planner.solve.watch import SolveWatch

WAIT = 0.5
"""Seconds between two looks for a new plan of HiGHS's, once the swaps have tried every neighbourhood of theirs."""
JOIN_SECONDS = 10.0
"""Seconds the swaps get to stop once HiGHS has ended (their small MIP is stopped at once; this is a bound)."""


def cores() -> int:
    """Processor cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def runs_alongside(options: SolverOptions, nonzeros: int) -> bool:
    """Whether the swaps may run alongside HiGHS's MIP of `nonzeros` in a solve with `options` (`alongside`; not
    set: when HiGHS has one thread, the machine a second core and the matrix at least APART_NONZEROS, on Linux).

    Below that size HiGHS solves in the process itself, and the swaps before it have a budget of twice RENS's
    time, a second or two: a forked MIP and a busy second core cost more than the swaps gain there (the national
    baseline, 18 s to its gap with the swaps before the MIP, took 21 to 24 s with them beside it)."""
    if options.alongside is not None:
        return options.alongside and fork_available()
    return options.threads == 1 and nonzeros >= APART_NONZEROS and cores() >= 2 and fork_available()


class SharedPlan:
    """A plan in memory shared with a forked copy of this process: written here, read by HiGHS's callback there.

    The layout is a version count (odd while a plan is being written), the plan's objective and its column
    values; a reader that sees the count change while it reads drops what it read and tries at its next call.
    """

    def __init__(self, columns: int) -> None:
        self._memory = mmap.mmap(-1, 16 + 8 * columns)  # anonymous and shared: a forked copy sees every write
        self._version = np.frombuffer(self._memory, dtype=np.int64, count=1)
        self._objective = np.frombuffer(self._memory, dtype=np.float64, count=1, offset=8)
        self._values = np.frombuffer(self._memory, dtype=np.float64, count=columns, offset=16)
        self._seen = 0

    def write(self, objective: float, values: np.ndarray) -> None:
        """Offer a plan (one writer: the swaps' thread)."""
        self._version[0] += 1
        self._values[:] = values
        self._objective[0] = objective
        self._version[0] += 1

    def read(self) -> tuple[float, np.ndarray] | None:
        """The plan written since the last read here (None: none, or one being written)."""
        version = int(self._version[0])
        if version == self._seen or version % 2:
            return None
        objective, values = float(self._objective[0]), self._values.copy()
        if int(self._version[0]) != version:
            return None
        self._seen = version
        return objective, values

    def give(self, event: Any) -> None:
        """HiGHS's user-solution callback: hand it the plan written since its last call, if better than its own."""
        got = self.read()
        if got is not None and _better(got[0], event.data_out.mip_primal_bound):
            event.data_in.setSolution(got[1])


class Beside:
    """The swaps from RENS's plan in a thread of this process, beside HiGHS's MIP running apart."""

    def __init__(self, later: SwapsLater, plan: Rens, shared: SharedPlan, seconds: float | None,
                 watch: SolveWatch | None, gap: float = 0.0) -> None:
        self.best = plan
        """The best plan of the swaps (RENS's until they find a better one)."""
        self.incumbent = plan
        """The best plan known: RENS's, the swaps' or HiGHS's."""
        self.proven = threading.Event()
        """Set once `incumbent` is within the relative `gap` of the last bound HiGHS reported."""
        self._later, self._shared, self._watch = later, shared, watch
        self._seconds, self._gap = seconds, gap
        self._bound = -np.inf
        self._heard: Rens | None = None
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    def heard(self, objective: float, values: np.ndarray) -> None:
        """Take a better plan of HiGHS's (called from the thread that listens to its process)."""
        plan = self._later.plan(values)
        with self._lock:
            if self._heard is None or objective < self._heard.objective:
                self._heard = plan
        self._take(plan)

    def start(self) -> Callable[[], None]:
        """Start the swaps (with this context: its deadline and solve watch); return the function that stops them."""
        context = contextvars.copy_context()
        self._thread = threading.Thread(target=context.run, args=(self._run,), daemon=True, name="planner-swaps")
        self._thread.start()
        return self.stop

    def stop(self) -> None:
        """Stop the swaps and their small MIP, and wait for them."""
        self._cancel.set()
        if self._thread is not None:
            self._thread.join(JOIN_SECONDS)

    def _run(self) -> None:
        """The swaps until cancelled or out of time; once every neighbourhood is tried, wait for HiGHS's next plan."""
        ends, each = swap_window(self._seconds)
        while not self._cancel.is_set() and ends - time.perf_counter() >= swaps.MIN_SECONDS:
            try:
                self.best = self._later.run(self.best, ends, apart=True, cancel=self._cancel, newer=self._newer,
                                            each=each, on_better=self._found)
            except Exception:  # noqa: BLE001 - a heuristic: HiGHS's solve goes on without it
                return
            if self.best.interrupted:  # Ctrl-C reached the small MIP's process too
                return
            while not self._cancel.wait(WAIT) and self._newer(self.best) is self.best:
                pass

    def bound(self, bound: float) -> None:
        """Take a higher bound of HiGHS's (called from the thread that listens to its process)."""
        self._bound = bound
        self._prove()

    def _take(self, plan: Rens) -> None:
        """`plan` as the incumbent if it is better; then `_prove`."""
        with self._lock:
            if plan.objective < self.incumbent.objective:
                self.incumbent = plan
        self._prove()

    def _prove(self) -> None:
        """Set `proven` when the incumbent is within the gap of HiGHS's last bound."""
        if within_gap(self.incumbent.objective, self._bound, self._gap):
            self.proven.set()

    def _newer(self, best: Rens) -> Rens:
        """HiGHS's plan when it is better than `best`, else `best`."""
        with self._lock:
            heard = self._heard
        return heard if heard is not None and _better(heard.objective, best.objective) else best

    def _found(self, plan: Rens) -> None:
        """A better plan of the swaps: to HiGHS, and to the user's progress display."""
        self._shared.write(plan.objective, plan.solution)
        if self._watch is not None:
            self._watch.report(plan.objective, None)
        self._take(plan)


def _better(objective: float, than: float) -> bool:
    """Whether a plan of `objective` costs less than one of `than` by more than rounding (swaps.BETTER)."""
    return objective < than - swaps.BETTER * abs(objective)


def solve_beside(h: Any, later: SwapsLater, plan: Rens, seconds: float | None, watch: SolveWatch | None,
                 gap: float) -> tuple[Ended, Rens]:
    """Solve the MIP in `h` apart within `seconds` (None: no limit), the swaps from `plan` beside it: how it ended,
    with the best plan known (RENS's or the swaps' only when it beats HiGHS's by more than rounding), and the swaps'
    best plan (`swapped` and `improved` count their work).

    `watch` (None: none) hears the log, the progress and the swaps' better plans. A HiGHS that ended at its limit
    is `optimal` when the swaps' plan is within the relative `gap` of its bound; HiGHS is stopped as soon as the
    best plan known is (`Ended.proven`).
    """
    import highspy

    shared = SharedPlan(h.getNumCol())
    h.cbMipUserSolution += shared.give
    beside = Beside(later, plan, shared, seconds, watch, gap)
    end = solve_apart(h, seconds, watch, watch is not None, on_plan=beside.heard, beside=beside.start,
                      cancel=beside.proven, on_bound=beside.bound)
    ours = beside.incumbent
    kept = later.plan(end.values).objective if end.values is not None else None  # HiGHS's plan
    if kept is None or _better(ours.objective, kept):
        end.values, kept = ours.solution, ours.objective
    end.proven = end.stopped and beside.proven.is_set()
    if end.status != highspy.HighsModelStatus.kOptimal and not end.interrupted and within_gap(kept, end.bound, gap):
        end.status, end.message = highspy.HighsModelStatus.kOptimal, "Optimal (with the swaps' plan)"
    return end, beside.best
