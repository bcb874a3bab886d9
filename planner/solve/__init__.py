"""Solving: the solver adapters and their registry, the hand-over to HiGHS (standard form), cover cuts,
RENS, MIP starts and the polish of a plan (docs: README, "Where things are").

The names below are imported on first use (module `__getattr__`), so that importing a part of this
package (its statuses, for the run folder) does not import Pyomo and the solvers.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from planner.lazy import names_on_first_use

_HOMES = {
    "STATUSES": "status", "SolveResult": "status", "relative_gap": "status", "normalise": "status",
    "SolverUnavailable": "registry", "SolverSpec": "registry", "SOLVERS": "registry", "solver_versions": "registry",
    "unknown_solver": "registry", "check_solver_name": "registry", "native_options": "registry",
    "KeptHandOver": "highs", "solve_highs": "highs",
    "solve": "solvers",
}
"""Each name this package offers -> its module in the package."""

__all__ = sorted(_HOMES)

__getattr__ = names_on_first_use(__name__, _HOMES)


class _CallableModule(types.ModuleType):
    """This package, callable as its function `solve`: `from planner import solve` gives the package (Python binds
    a package's subpackage to its name once imported), and `solve(model, options)` still solves."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """`planner.solve.solve`."""
        return __getattr__("solve")(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
