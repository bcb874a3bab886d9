"""HiGHS's MIP run in a process of its own, which planner stops at the deadline, keeping the best plan heard.

HiGHS (1.15 and 1.16) computes an analytic centre at the root node: an interior point solve of up to 200
iterations that checks neither the time limit nor the interrupt callbacks (`startAnalyticCenterComputation`
in HighsMipSolverData.cpp makes a Highs object of its own, with no time limit). On the 300x100 benchmark it
took 290 s, so a solve with a 300 s limit ended after 488 s. No option turns it off.

So on large models (`runs_apart`) the prepared highspy.Highs (its model, options, cuts and start) is run in
a forked copy of this process. The copy sends its log lines, every improving plan and the bounds of its
MIP log through a pipe; planner waits until the deadline and, if HiGHS has not ended by then, stops the copy
and returns the last plan it sent, with the last bound. Linux only (fork); elsewhere the solve runs in this
process as before.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import pickle
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np

from planner.solve.watch import SolveWatch

APART_NONZEROS = 200_000
"""Matrices with at least this many nonzeros are solved apart when the solve has a time limit (every benchmark
size but 31x40, 150k nonzeros): below it the analytic centre takes a second or two."""
KILL_GRACE = 1.0
"""Seconds the copy gets after its time limit to end by itself before it is stopped."""
INTERRUPT_GRACE = 5.0
"""Seconds the copy gets after Ctrl-C to report its plan before it is stopped."""
POLL = 0.25
"""Seconds between two looks at whether a wait for the copy is cancelled (or Ctrl-C was pressed)."""


@dataclass
class Ended:
    """How a MIP run apart ended: HiGHS's model status and what it found, or the last it said when stopped."""

    status: Any = None
    """highspy.HighsModelStatus (None until the copy reported its end)."""
    message: str = ""
    values: np.ndarray | None = None
    """The best plan's column values (None: none)."""
    bound: float = -np.inf
    """The best lower bound heard."""
    start_accepted: bool | None = None
    """HiGHS's verdict on the MIP start, as the copy heard it."""
    stopped: bool = False
    """planner stopped the copy: at the deadline, or once `proven`."""
    proven: bool = False
    """planner stopped the copy before its deadline: the best plan known was within the gap of its bound."""
    over_memory: bool = False
    """planner stopped the copy before its deadline: planner's processes held more than the memory limit."""
    interrupted: bool = False
    """Ctrl-C stopped the solve."""
    error: str | None = None
    """What went wrong in the copy, if it failed."""


def fork_available() -> bool:
    """Whether a solve can run apart here (Linux, with os.fork)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def runs_apart(nonzeros: int, time_limit: float | None) -> bool:
    """Whether a MIP of `nonzeros` with `time_limit` (None: none) runs apart (`solve_apart`)."""
    return time_limit is not None and nonzeros >= APART_NONZEROS and fork_available()


def trim_heap() -> bool:
    """Give the free pages of the C heap back to the system (glibc's `malloc_trim`); whether it could.

    HiGHS frees what RENS's relaxation and small MIP took, but glibc keeps much of it in the process, resident:
    at 300x100, 1.1 GB (3,019 to 1,915 MiB after RENS). A copy forked with those pages counts them as its own
    too. Elsewhere than glibc, nothing is done.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        return False
    return True


def solve_apart(h: Any, time_limit: float | None, watch: SolveWatch | None, follow: bool, probe: Any = None,
                on_plan: Callable[[float, np.ndarray], None] | None = None,
                beside: Callable[[], Callable[[], None]] | None = None, cancel: threading.Event | None = None,
                on_bound: Callable[[float], None] | None = None, over: Callable[[], bool] | None = None) -> Ended:
    """Run `h.solve()` in a forked copy of this process, stopped `time_limit` + KILL_GRACE seconds from now.

    `h`'s time limit option should be `time_limit` already (None: none; the copy then runs until HiGHS ends).
    Log lines go to `watch`; with `follow`, each improving plan and each line of the MIP log is reported to it
    too (planner.solve.watch.follow_mip). `probe` (a planner.solve.mipstart.StartProbe, if a start was offered)
    is sent back with its verdict. `on_plan(objective, values)` hears every improving plan of the copy, and
    `on_bound(bound)` every rise of its lower bound.
    `beside()`, called once the copy runs, starts work of this process's own alongside it and returns the
    function that stops that work; it is called when the copy has ended (planner.solve.alongside). Setting
    `cancel` stops the copy at once, as its time limit would, and so does `over()` turning true (asked at each look,
    every POLL seconds: planner's processes hold more than the memory limit, planner.solve.memory.over_limit).
    """
    sys.stdout.flush()
    sys.stderr.flush()
    trim_heap()
    read, write = os.pipe()
    with warnings.catch_warnings():  # Python >= 3.12 warns of fork in a threaded process: the copy runs only HiGHS
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the copy
        os.close(read)
        _run_copy(h, os.fdopen(write, "wb"), watch, probe)
    os.close(write)
    ending = Ended()
    reader = threading.Thread(target=_hear, args=(os.fdopen(read, "rb"), ending, watch, follow, on_plan, on_bound),
                              daemon=True)
    reader.start()
    stop = beside() if beside is not None else None
    try:
        _wait(pid, reader, None if time_limit is None else time_limit + KILL_GRACE, ending, cancel, over)
        os.waitpid(pid, 0)
    finally:
        if stop is not None:
            stop()
    return _settled(ending)


def _settled(ending: Ended) -> Ended:
    """`ending` with a status when the copy was stopped before it reported one; raises when the copy failed."""
    import highspy

    if ending.error is not None:
        raise RuntimeError(f"HiGHS failed in the process it was solving in: {ending.error}")
    if ending.status is None:
        stopped = highspy.HighsModelStatus.kInterrupt if ending.interrupted else highspy.HighsModelStatus.kTimeLimit
        ending.status, ending.message = stopped, "Interrupted by user" if ending.interrupted else "Time limit reached"
    ending.interrupted = ending.interrupted or ending.status == highspy.HighsModelStatus.kInterrupt
    return ending


def _wait(pid: int, reader: threading.Thread, seconds: float | None, ending: Ended,
          cancel: threading.Event | None = None, over: Callable[[], bool] | None = None) -> None:
    """Wait for the copy to end (its pipe closed) for `seconds` (None: as long as it runs), then stop it; Ctrl-C
    asks it to stop first. Setting `cancel`, or `over()` turning true, stops it at once."""
    end = None if seconds is None else time.perf_counter() + seconds
    full = False
    try:
        while reader.is_alive() and (end is None or time.perf_counter() < end):
            if cancel is not None and cancel.is_set():
                break
            if over is not None and over():
                full = True
                break
            reader.join(POLL if end is None else min(POLL, max(end - time.perf_counter(), 0.0)))
    except KeyboardInterrupt:
        ending.interrupted = True
        os.kill(pid, signal.SIGINT)
        reader.join(INTERRUPT_GRACE)
    if reader.is_alive():
        os.kill(pid, signal.SIGKILL)
        ending.stopped, ending.over_memory = True, full  # not when the copy ended by itself meanwhile
        reader.join()


def _hear(pipe: BinaryIO, ending: Ended, watch: SolveWatch | None, follow: bool,
          on_plan: Callable[[float, np.ndarray], None] | None = None,
          on_bound: Callable[[float], None] | None = None) -> None:
    """Take the copy's messages until its pipe closes: log lines, plans, bounds and its end."""
    with pipe:
        while True:
            try:
                kind, *body = pickle.load(pipe)
            except Exception:  # the pipe closed, or the copy was stopped mid-message
                return
            bound = ending.bound
            _take(kind, body, ending, watch, follow)
            if kind == "plan" and on_plan is not None:
                on_plan(body[0], body[1])
            if kind == "bound" and on_bound is not None and ending.bound > bound:
                on_bound(ending.bound)


def _take(kind: str, body: list[Any], ending: Ended, watch: SolveWatch | None, follow: bool) -> None:
    """One message of the copy into `ending` and `watch`."""
    if kind == "log":
        if watch is not None:
            watch.log(body[0])
    elif kind == "plan":
        ending.values = body[1]
        if watch is not None and follow:
            watch.report(body[0], None)
    elif kind == "bound":
        if np.isfinite(body[1]):
            ending.bound = max(ending.bound, body[1])
        if watch is not None and follow:
            watch.report(body[0], body[1])
    elif kind == "done":
        import highspy

        code, ending.message, values, bound, ending.start_accepted = body
        ending.status = highspy.HighsModelStatus(code)
        ending.values = values if values is not None else ending.values
        ending.bound = bound
    elif kind == "error":
        ending.error = body[0]


def _run_copy(h: Any, pipe: BinaryIO, watch: SolveWatch | None, probe: Any) -> None:
    """In the forked copy: solve, sending what HiGHS says through `pipe`; never returns."""

    def send(*message: Any) -> None:
        pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        pipe.flush()

    code = 0
    try:
        if watch is not None:  # the copy's watch: the parent's echoes and reports, not this copy's
            watch.echo = watch.on_progress = None
        h.setOptionValue("output_flag", True)  # HiGHS calls the MIP log callback, the bounds' source, only then
        h.setOptionValue("log_to_console", False)
        h.cbLogging += lambda event: send("log", event.message)
        h.cbMipImprovingSolution += lambda event: send(
            "plan", event.data_out.objective_function_value, np.array(event.data_out.mip_solution, dtype=float))
        h.cbMipLogging += lambda event: send("bound", event.data_out.mip_primal_bound,
                                             event.data_out.mip_dual_bound)
        h.solve()
        status = h.getModelStatus()
        info = h.getInfo()
        values = np.asarray(h.getSolution().col_value) if info.primal_solution_status == 2 else None
        send("done", int(status), h.modelStatusToString(status), values,
             info.mip_dual_bound, probe.accepted if probe is not None else None)
    except BaseException as error:  # noqa: BLE001 - reported to the parent, whatever it was
        code = 1
        try:
            send("error", repr(error))
        except Exception:  # noqa: BLE001
            pass
    finally:
        os._exit(code)
