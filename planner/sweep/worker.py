"""What runs on a Dask worker: one member."""

from __future__ import annotations

import traceback
from typing import Any

from planner.sweep.members import MemberTask, write_marker

def run_member(task: MemberTask) -> dict[str, Any]:
    """Run one member into its folder and mark it complete; never raises.

    Returns {"member", "status", "message"}; status `error` with the reason when the run failed.
    """
    from planner.run import run

    try:
        outcome = run(task.scenario, task.folder, force=True)
    except Exception as exc:  # noqa: BLE001 - a failing member is recorded, the sweep goes on
        message = str(exc).strip() or type(exc).__name__
        return {"member": task.name, "status": "error", "message": message,
                "traceback": traceback.format_exc(limit=5)}
    if outcome.status != "error":
        write_marker(task, outcome.status)
    return {"member": task.name, "status": outcome.status, "message": ""}
