"""What runs on a Dask worker: one member."""

from __future__ import annotations

import threading
import traceback
from typing import Any

from planner.solve.mipstart import Key
from planner.sweep.members import MemberTask, write_marker

LAST_PLAN: dict[str, dict[Key, float]] = {}
"""In each worker process, per base scenario: the integer values of the last plan solved (used when reuse is on)."""
KEPT: dict[int, Any] = {}
"""Per worker thread (by id): a planner.run.KeptModel, the model of its last member, for a next member whose model
differs
at most in its costs."""


def release() -> None:
    """Drop the plans and models this worker process keeps between members (run on every worker when a sweep ends)."""
    LAST_PLAN.clear()
    KEPT.clear()


def run_member(task: MemberTask) -> dict[str, Any]:
    """Run one member into its folder and mark it complete; never raises.

    A member whose model differs from that of the worker's previous member at most in its costs (or
    only in solver options) runs on that member's model, its objective rewritten, instead of building
    its own; the results are the same.
    With `task.reuse`, the plan this worker solved last for the same base is offered as a MIP start
    (an empty start for the worker's first member), and this member's plan is kept for the next.
    Returns {"member", "status", "message"}; status `error` with the reason when the run failed.
    """
    from planner.run import KeptModel, solve_scenario
    from planner.solve.mipstart import integer_values

    kept = KEPT.setdefault(threading.get_ident(), KeptModel())
    try:
        start = LAST_PLAN.get(task.base, {}) if task.reuse else None
        solved = solve_scenario(task.scenario, task.folder, force=True, start=start, kept=kept)
        if task.reuse and solved.plan is not None and solved.built is not None:
            LAST_PLAN[task.base] = integer_values(solved.built.model)
        outcome = solved.write(force=True)
    except Exception as exc:  # a failing member is recorded, the sweep goes on
        message = str(exc).strip() or type(exc).__name__
        return {"member": task.name, "status": "error", "message": message,
                "traceback": traceback.format_exc(limit=5)}
    if outcome.status != "error":
        write_marker(task, outcome.status)
    return {"member": task.name, "status": outcome.status, "message": "",
            "figures": {key: outcome.summary.get(key)
                        for key in ("objective", "best_bound", "mip_gap", "solve_seconds")}}
