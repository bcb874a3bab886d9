"""Watching a solve: the solver's log (kept for the run folder's solver.log, shown with --verbose) and its
progress (elapsed and remaining time, the best plan so far, the bound and the gap) as the solver reports it.

A `SolveWatch` is made by whoever runs the solves (planner.run.solve_scenario) and made current with
`watching`; the solver adapters send it what they hear. Every highspy.Highs planner makes comes from
`new_highs`, which keeps HiGHS off stdout: HiGHS >= 1.16 prints its banner when the object is made, before
any option can be set, so the banner is caught there and goes to the log with the rest.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from planner.solve.status import relative_gap


@dataclass(frozen=True)
class Progress:
    """What a solve has reached at one moment."""

    elapsed: float
    """Seconds since the first solve of the run started."""
    time_limit: float | None
    """The run's time limit in seconds (None: none)."""
    objective: float | None
    """The best plan so far (10k yuan), None before the first."""
    bound: float | None
    """The best proven lower bound, None while unknown."""
    improved: bool = False
    """This report is a new best plan."""
    final: bool = False
    """The figures of the finished solve (as summary.json records them)."""

    @property
    def remaining(self) -> float | None:
        """Seconds left of the time limit (None: no limit)."""
        return None if self.time_limit is None else max(self.time_limit - self.elapsed, 0.0)

    @property
    def gap(self) -> float | None:
        """The relative gap between the best plan and the bound (HiGHS's definition), None while unknown."""
        return relative_gap(self.objective, self.bound)

    def figures(self) -> str:
        """The figures in words: '12.3 s, 47.7 s left; best 836,593.40, bound 830,112.00, gap 0.775 %'."""
        left = "no time limit" if self.remaining is None else f"{self.remaining:.1f} s left"
        best = "no plan yet" if self.objective is None else f"best {self.objective:,.2f}"
        bound = "bound unknown" if self.bound is None else f"bound {self.bound:,.2f}"
        gap = "gap unknown" if self.gap is None else f"gap {100 * self.gap:.3f} %"
        return f"{self.elapsed:.1f} s, {left}; {best}, {bound}, {gap}"

    def line(self) -> str:
        """One line for a log: 'improved: ' (a better plan), 'done: ' (the end) or 'solving: ', then `figures`."""
        word = "done" if self.final else ("improved" if self.improved else "solving")
        return f"{word}: {self.figures()}"


class SolveWatch:
    """Hears a run's solves: keeps the solver log, passes each log line to `echo` and each progress report to
    `on_progress` (both optional; called from the solver's thread)."""

    def __init__(self, on_progress: Callable[[Progress], None] | None = None,
                 echo: Callable[[str], None] | None = None) -> None:
        self.on_progress = on_progress
        self.echo = echo
        self.lines: list[str] = []
        self.started: float | None = None
        self.time_limit: float | None = None
        self.objective: float | None = None
        self.bound: float | None = None
        self._lock = threading.Lock()

    def begin(self, time_limit: float | None) -> None:
        """Start the clock at the first solve of the run (later solves, a polish for one, keep it)."""
        if self.started is None:
            self.started, self.time_limit = time.perf_counter(), time_limit

    def elapsed(self) -> float:
        """Seconds since `begin`."""
        return 0.0 if self.started is None else time.perf_counter() - self.started

    def log(self, text: str) -> None:
        """Keep `text` (one or more lines of the solver's log) and echo it."""
        with self._lock:
            self.lines.append(text if text.endswith("\n") else text + "\n")
        if self.echo is not None:
            self.echo(text.rstrip("\n"))

    def text(self) -> str:
        """The solver log heard so far."""
        with self._lock:
            return "".join(self.lines)

    def report(self, objective: float | None, bound: float | None, final: bool = False) -> None:
        """Take the solver's best plan and bound now (None or infinite: not known) and report progress."""
        objective = objective if objective is not None and math.isfinite(objective) else None
        bound = bound if bound is not None and math.isfinite(bound) else None
        with self._lock:
            best = self.objective
            improved = objective is not None and (best is None or objective < best - 1e-9 * max(1.0, abs(best)))
            if final:
                self.objective, self.bound = objective, bound
            else:
                if improved:
                    self.objective = objective
                if bound is not None:
                    self.bound = bound if self.bound is None else max(self.bound, bound)
            figures = Progress(self.elapsed(), self.time_limit, self.objective, self.bound, improved and not final,
                               final)
        if self.on_progress is not None:
            self.on_progress(figures)


_CURRENT: ContextVar[SolveWatch | None] = ContextVar("planner_solve_watch", default=None)


@contextmanager
def watching(watch: SolveWatch) -> Iterator[SolveWatch]:
    """Make `watch` the one the solves started inside this block report to."""
    token = _CURRENT.set(watch)
    try:
        yield watch
    finally:
        _CURRENT.reset(token)


def current_watch() -> SolveWatch | None:
    """The watch of the solves running here (`watching`), if any."""
    return _CURRENT.get()


_CONSTRUCTION = threading.Lock()


def new_highs() -> Any:
    """A highspy.Highs that prints nothing: its banner and log go to the current watch's log, or nowhere.

    HiGHS >= 1.16 prints its banner on stdout (file descriptor 1) when the object is made; stdout is
    pointed at a temporary file for that moment only. HiGHS's thread scheduler is reset first (see
    `_reset_scheduler`), so that the new object's `threads` option is the one its solve runs with.
    """
    import highspy

    with _CONSTRUCTION, _stdout_caught() as caught:
        _reset_scheduler(highspy)
        h = highspy.Highs()
    h.setOptionValue("log_to_console", False)
    watch = current_watch()
    if watch is None:
        h.setOptionValue("output_flag", False)
        return h
    if caught and caught[0]:
        watch.log(caught[0])
    h.cbLogging += lambda event: watch.log(event.message)
    return h


@contextmanager
def stoppable(h: Any) -> Iterator[Any]:
    """`h` (a highspy.Highs) stopping its solves at Ctrl-C within the block.

    highspy's Ctrl-C handler refers back to `h`: a cycle, which only Python's garbage collector frees, and
    planner pauses the collector during solves. So the handler goes at the end of the block, and `h` is freed
    with its last reference. RENS's relaxation and small MIP stayed until the solve ended before; freeing them
    and trimming the heap (planner.solve.apart.trim_heap) took the 300x100 benchmark's process from 3,414 to
    2,018 MiB when it forks its solve.
    """
    h.HandleKeyboardInterrupt = True
    try:
        yield h
    finally:
        h.HandleKeyboardInterrupt = False


def _reset_scheduler(highspy: Any) -> None:
    """Drop HiGHS's thread scheduler, to be made again by the next solve with that solve's `threads`.

    HiGHS keeps one scheduler per process, made by the first solve; a later solve whose `threads` option
    differs (say 1 after a solve with HiGHS's default on a machine of 4 cores) fails at once with the status
    "Not Set". planner never runs two HiGHS solves at once in one process (sweep workers are processes, or one
    thread), so nothing is running when a Highs object is made.
    """
    reset = getattr(highspy.Highs, "resetGlobalScheduler", None)  # not in every highspy planner accepts
    if reset is not None:
        reset(True)


@contextmanager
def _stdout_caught() -> Iterator[list[str]]:
    """Point file descriptor 1 at a temporary file inside the block; the list it yields then holds what was
    written there."""
    caught: list[str] = []
    sys.stdout.flush()
    saved = os.dup(1)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 1)
        try:
            yield caught
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            sink.seek(0)
            caught.append(sink.read().decode("utf-8", "replace"))


def follow_mip(h: Any, watch: SolveWatch) -> None:
    """Report the progress of the (minimising) MIP solve in `h` to `watch`: every new best plan, and the bound
    and gap at each line of HiGHS's MIP log."""

    def improving(event: Any) -> None:
        watch.report(event.data_out.objective_function_value, None)

    def logging(event: Any) -> None:
        out = event.data_out
        watch.report(out.mip_primal_bound, out.mip_dual_bound)

    h.cbMipImprovingSolution += improving
    h.cbMipLogging += logging
