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


NOISE = 1e-9
"""A fraction smaller than this is floating-point rounding (a proven optimum's gap comes out near 1e-16), shown as 0."""


def percent(fraction: Any, digits: int = 2, missing: str = "-") -> str:
    """A fraction (0.0123) as a percentage for people ("1.23 %"); very small non-zero values keep two
    significant digits ("0.0041 %") so a gap of 4e-05 does not read as zero, and below NOISE read as zero
    (a proven gap of 5.8e-16 is "0.00 %", not "5.8e-14 %")."""
    if fraction is None or (isinstance(fraction, Real) and math.isnan(fraction)):
        return missing
    value = 100 * float(fraction) if abs(float(fraction)) >= NOISE else 0.0
    if value != 0 and abs(value) < 10 ** -digits:
        return f"{value:.{1 - math.floor(math.log10(abs(value)))}f} %"
    return f"{number(value, digits)} %"


def seconds(value: Any, missing: str = "-") -> str:
    """A duration in seconds for people: two decimals ("12.35"), two significant digits below 0.1 s ("0.0042")."""
    if value is None or (isinstance(value, Real) and math.isnan(value)):
        return missing
    if value != 0 and abs(value) < 0.1:
        return f"{value:.2g}"
    return number(value, 2)
