"""Sweeps (docs/sweep.md): one base scenario, a grid of changes, each member a run folder, run on Dask.

The names are imported on first use, so that the command line's start-up stays cheap (as in
`planner.maps`).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from planner.sweep.runner import SweepOutcome, run_sweep
    from planner.sweep.spec import Member, Sweep, load_sweep

_EXPORTS = {"SweepOutcome": "runner", "run_sweep": "runner", "Member": "spec", "Sweep": "spec", "load_sweep": "spec"}

__all__ = ["Member", "Sweep", "SweepOutcome", "load_sweep", "run_sweep"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
