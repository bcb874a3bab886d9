"""The solvers planner can drive: how to find each one's version and how its options are named."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyomo.environ as pyo

from planner.scenario.schema import SOLVER_NAMES, SolverOptions


class SolverUnavailable(Exception):
    """The requested solver is unknown or not installed here."""


def _highs_version() -> str:
    import highspy  # the version from its constants: making a Highs object would print HiGHS's banner

    return f"{highspy.HIGHS_VERSION_MAJOR}.{highspy.HIGHS_VERSION_MINOR}.{highspy.HIGHS_VERSION_PATCH}"


def _pyomo_version(name: str) -> Callable[[], str]:
    """The version of a solver Pyomo drives through an executable (legacy interface)."""

    def version() -> str:
        opt = pyo.SolverFactory(name)
        if not opt.available(exception_flag=False):
            raise SolverUnavailable(name)
        return ".".join(map(str, opt.version()[:3]))

    return version


def _scip_version() -> str:
    """SCIP's own version (10.0.0), not PySCIPOpt's, which Pyomo's interface reports."""
    from pyomo.contrib.solver.common.factory import SolverFactory

    opt = SolverFactory("scip_direct")
    if not opt.available():
        raise SolverUnavailable("scip")
    import pyscipopt

    model = pyscipopt.Model()
    return f"{model.getMajorVersion()}.{model.getMinorVersion()}.{model.getTechVersion()}"


@dataclass(frozen=True)
class SolverSpec:
    """A solver planner can use: how to find its version and how its options are named."""

    version: Callable[[], str]
    options: dict[str, str | None]
    """planner option (time_limit, mip_gap, threads, seed) -> the solver's name (None: not supported)."""
    install: str
    """How to make it available, for the error message."""


_SPECS: dict[str, SolverSpec] = {
    "highs": SolverSpec(_highs_version, {"time_limit": "time_limit", "mip_gap": "mip_rel_gap", "threads": "threads",
                                         "seed": "random_seed"}, "pip install highspy"),
    "cbc": SolverSpec(_pyomo_version("cbc"), {"time_limit": "seconds", "mip_gap": "ratioGap", "threads": "threads",
                                              "seed": "randomCbcSeed"}, "apt-get install coinor-cbc"),
    "glpk": SolverSpec(_pyomo_version("glpk"), {"time_limit": "tmlim", "mip_gap": "mipgap", "threads": None,
                                                "seed": "seed"}, "apt-get install glpk-utils"),
    "scip": SolverSpec(_scip_version, {"time_limit": "limits/time", "mip_gap": "limits/gap",
                                       "threads": "parallel/maxnthreads", "seed": "randomization/randomseedshift"},
                       "pip install pyscipopt"),
}
"""The adapter of each solver name."""

SOLVERS: dict[str, SolverSpec] = {name: _SPECS[name] for name in SOLVER_NAMES}
"""The solvers planner knows, each with its option names (docs: README, "Solvers")."""


def solver_versions() -> dict[str, str | None]:
    """Each known solver with its version, or None when it is not available here."""
    out: dict[str, str | None] = {}
    for name, spec in SOLVERS.items():
        try:
            out[name] = spec.version()
        except Exception:  # a missing or broken install counts as unavailable
            out[name] = None
    return out


def unknown_solver(name: str) -> str | None:
    """Why `name` is not a solver of SOLVERS, in the words `planner run` reports; None when it is one."""
    return None if name in SOLVERS else f"unknown solver {name!r}; known: {', '.join(SOLVERS)}"


def check_solver_name(name: str | None) -> None:
    """Raise SolverUnavailable for a solver `name` (from the command line) planner does not know; None passes."""
    problem = None if name is None else unknown_solver(name)
    if problem:
        raise SolverUnavailable(problem)


def native_options(name: str, options: SolverOptions) -> dict[str, Any]:
    """The options of `options` that are set, under the solver's own names."""
    out = {}
    for key, native in SOLVERS[name].options.items():
        value = getattr(options, key)
        if value is not None and native is not None:
            out[native] = int(value) if name == "glpk" and key == "time_limit" else value
    return out


