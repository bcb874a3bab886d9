"""The statuses a solve ends with, the one place a solver's own ending becomes one of them, and `SolveResult`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

STATUSES = ("optimal", "feasible", "infeasible", "no_solution", "error")
"""The statuses a run can end with (docs/model.md "Results every run reports"; `summary.json` `status`)."""

Ending = Literal["optimal", "infeasible", "limit", "other"]
"""How a solver ended, in planner's words: proved optimal (with its plan), proved infeasible, stopped by a
limit or an interruption, or anything else."""


@dataclass(frozen=True, kw_only=True)
class SolveResult:
    """What a solve returned."""

    status: str
    """One of STATUSES."""
    objective: float | None
    """Objective of the plan found, if any (10k yuan)."""
    best_bound: float | None
    """Best proven lower bound."""
    mip_gap: float | None
    """Relative gap |objective - bound| / |objective| (0 when both are 0)."""
    solve_seconds: float
    solver: str
    solver_version: str
    options: dict[str, Any] = field(default_factory=dict)
    """The options passed, in planner's names."""
    message: str = ""
    """The solver's own word for how it ended, for the record."""
    handover_seconds: float = 0.0
    """Time to hand the model to the solver (standard form and arrays)."""
    interrupted: bool = False
    """The solve was stopped by Ctrl-C; the plan, if any, is the best found until then."""
    mip_start: dict[str, Any] | None = None
    """What became of a MIP start ({values, accepted}, planner.solve.mipstart); None when none was given."""
    readback_seconds: float = 0.0
    """Time to read the solution back into the model and evaluate the objective."""
    heuristic: dict[str, Any] | None = None
    """What the RENS start did (planner.solve.rens.Rens.report), its time included in solve_seconds; None when not
    run."""
    notes: tuple[str, ...] = ()
    """Changes planner made to the solver's own settings for this solve, in words, for the record."""


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """HiGHS' definition: |objective - bound| / |objective|; 0 when both are 0."""
    if objective is None or bound is None or not math.isfinite(bound):
        return None
    if objective == bound:
        return 0.0
    return abs(objective - bound) / max(abs(objective), 1e-10)



@dataclass(frozen=True)
class Outcome:
    """The status, objective, best bound and gap of a solve, as every adapter reports them (`normalise`)."""

    status: str
    objective: float | None
    best_bound: float | None
    mip_gap: float | None


def normalise(ending: Ending, has_solution: bool, objective: float | None, bound: float | None) -> Outcome:
    """The outcome of a solve from the solver's `ending`, whether it has a plan, its `objective` and `bound`.

    The status: `optimal` when proved so, `infeasible` when proved so, `feasible` for any other ending
    with a plan, `no_solution` for a limit (or Ctrl-C) without one, `error` otherwise. The bound: None
    when it is missing or not finite; the objective itself for an optimum without a bound. The gap is
    `relative_gap` of the two.
    """
    if ending == "optimal":
        status = "optimal"
    elif ending == "infeasible":
        status = "infeasible"
    elif has_solution:
        status = "feasible"
    elif ending == "limit":
        status = "no_solution"
    else:
        status = "error"
    bound = float(bound) if bound is not None and math.isfinite(bound) else None
    if status == "optimal" and bound is None:
        bound = objective
    return Outcome(status, objective, bound, relative_gap(objective, bound))
