"""planner: optimisation-based industrial layout planning (center R&D, inner pilot, outer production).

The stages of a run, from Python (README, "From Python"): `load_scenario`, `build`, `solve`,
`extract_plan`, and `run` for all of them with the run folder. They are imported on first use
(module `__getattr__`), so that `import planner` and `planner --help` stay quick.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_API = {
    "load_scenario": ("planner.scenario", "load_scenario"),
    "build": ("planner.run", "build"),
    "solver_options": ("planner.run", "solver_options"),
    "solve": ("planner.solve", None),
    "extract_plan": ("planner.results", "extract_plan"),
    "run": ("planner.run", None),
}
"""Each name of the Python API -> (its module, its name there; None: the module itself, callable as its function of that name)."""

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    """The API function `name` (`_API`), imported on first use."""
    if name not in _API:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _API[name]
    found = importlib.import_module(module)
    return found if attribute is None else getattr(found, attribute)
