"""Numbers as planner prints them: thousands separators, a mark for a missing value."""

from __future__ import annotations

import math
from numbers import Real
from typing import Any


def number(value: Any, digits: int = 2, missing: str = "-") -> str:
    """`value` with thousands separators and `digits` decimals; `missing` for None or NaN, 'inf' for infinity."""
    if value is None or (isinstance(value, Real) and math.isnan(value)):
        return missing
    if isinstance(value, Real) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:,.{digits}f}"
