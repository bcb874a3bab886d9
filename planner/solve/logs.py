"""What the logs of CBC and GLPK state that Pyomo's interfaces to them do not return: the best bound of a
solve that stopped before proving its optimum (at its MIP gap, its time limit)."""

from __future__ import annotations

import math
import re

_NUMBER = r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
_GLPK_PROGRESS = re.compile(r"^[+*]\s*\d+: mip =\s+(?:\S+|not found yet)\s+>=\s+" + _NUMBER, re.MULTILINE)
_CBC_LOWER_BOUND = re.compile(r"^Lower bound:\s+" + _NUMBER, re.MULTILINE)
_CBC_BEST_POSSIBLE = re.compile(r"best possible " + _NUMBER)


def glpk_bound(log: str) -> float | None:
    """The bound of glpsol's last branch-and-bound line ('+ 99: mip = 1.40e+05 >= 1.39e+05 0.6% (1; 2)'), if any."""
    found = _GLPK_PROGRESS.findall(log)
    return _finite(found[-1]) if found else None


def cbc_bound(log: str) -> float | None:
    """CBC's final 'Lower bound:' line, else the bound of its last progress line ('... best possible 171280.9')."""
    found = _CBC_LOWER_BOUND.findall(log) or _CBC_BEST_POSSIBLE.findall(log)
    return _finite(found[-1]) if found else None


def bound_from_log(solver: str, log: str) -> float | None:
    """The best bound `solver`'s (cbc, glpk) `log` states, None when it states none."""
    return {"glpk": glpk_bound, "cbc": cbc_bound}.get(solver, lambda text: None)(log)


def _finite(text: str) -> float | None:
    value = float(text)
    return value if math.isfinite(value) and abs(value) < 1e40 else None  # CBC writes 1e+50 for "none yet"
