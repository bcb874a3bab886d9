"""Names of a package imported on first use (a module ``__getattr__``, PEP 562), so that importing the package
(done by the command line at start-up) does not import what its modules need (pandas, Pyomo, the solvers)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def names_on_first_use(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """The ``__getattr__`` of `package`: the name from its module ``package.<homes[name]>``, imported on first use;
    AttributeError for a name `homes` does not hold."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{home}"), name)

    return __getattr__
