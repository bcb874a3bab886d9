"""One deadline for a whole solve: the hand-over, the cover cuts and RENS, HiGHS, the read-back and the polish all
budget from it, so that the solve ends within its time limit (issue 22, "Time limits kept").

`deadline(seconds)` makes a deadline current for the solves inside the block; a deadline already current and
earlier stays (a polish inside `solve_polished` keeps the one of the whole solve). `seconds_left` says what
is left of it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_CURRENT: ContextVar[float | None] = ContextVar("planner_solve_deadline", default=None)
"""The current deadline as a time.perf_counter value (None: no limit)."""

READBACK_SECONDS_PER_COLUMN = 5e-6
"""Time kept back from HiGHS for reading its solution into the model, per column: the read-back took 2.8 s for
1.2 M columns on the benchmark machine (2.4e-6 s a column), doubled for a loaded machine."""


@contextmanager
def deadline(seconds: float | None) -> Iterator[float | None]:
    """Inside the block, solves end `seconds` from now (None: no limit of their own); an earlier deadline that is
    current already stays. Yields the deadline (a time.perf_counter value, None: none)."""
    outer = _CURRENT.get()
    mine = None if seconds is None else time.perf_counter() + max(seconds, 0.0)
    chosen = mine if outer is None else outer if mine is None else min(outer, mine)
    token = _CURRENT.set(chosen)
    try:
        yield chosen
    finally:
        _CURRENT.reset(token)


def seconds_left() -> float | None:
    """Seconds left until the current deadline (at least 0; None: no deadline)."""
    end = _CURRENT.get()
    return None if end is None else max(end - time.perf_counter(), 0.0)


def capped(seconds: float | None, reserve: float = 0.0) -> float | None:
    """`seconds` (None: no limit), at most what the current deadline leaves after `reserve` seconds (at least 0)."""
    left = seconds_left()
    if left is None:
        return seconds
    left = max(left - reserve, 0.0)
    return left if seconds is None else min(seconds, left)
