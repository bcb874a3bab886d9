"""Sweeps (docs/sweep.md): one base scenario, a grid of changes, each member a run folder, run on Dask.

The names are imported on first use, so that the command line's start-up stays cheap (as in
`planner.maps`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.lazy import names_on_first_use

if TYPE_CHECKING:  # pragma: no cover
    from planner.sweep.runner import SweepOutcome, run_sweep
    from planner.sweep.spec import Member, Sweep, load_sweep

_EXPORTS = {"SweepOutcome": "runner", "run_sweep": "runner", "Member": "spec", "Sweep": "spec", "load_sweep": "spec"}

__all__ = ["Member", "Sweep", "SweepOutcome", "load_sweep", "run_sweep"]

__getattr__ = names_on_first_use(__name__, _EXPORTS)
