"""Sweeps (docs/sweep.md): one base scenario, a grid of changes, each member a run folder, run on Dask."""

from planner.sweep.runner import SweepOutcome, run_sweep
from planner.sweep.spec import Member, Sweep, load_sweep

__all__ = ["Member", "Sweep", "SweepOutcome", "load_sweep", "run_sweep"]
