"""The numeric range of a schema field, read from its pydantic constraints, and the words for a value outside it.

The command line checks its solver options with these (planner/cli/common.py), so a range
changed in the schema changes the options too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

LIMITS = ("gt", "ge", "lt", "le")
"""The constraint keywords of `pydantic.Field` that bound a number."""
WORDS = {"gt": "must be greater than", "ge": "must be at least", "lt": "must be less than", "le": "must be at most"}
"""What each limit asks of a value, in the words of every message about a number outside its range."""


def outside(value: str, limit: str, bound: Any) -> str:
    """The message for `value` (as the user wrote it) outside the `limit` (a key of WORDS) at `bound`:
    "-1 must be at least 0"."""
    return f"{value} {WORDS[limit]} {number(bound) if isinstance(bound, int | float) else bound}"


def number(value: float) -> str:
    """`value` as a message shows it: whole numbers in full (2147483647, not 2.14748e+09), others as `:g`."""
    return str(int(value)) if math.isfinite(value) and float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True)
class Bounds:
    """A numeric range; a limit not set is None. NaN lies outside every limit; `finite` also refuses inf."""

    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None
    finite: bool = False

    def problem(self, value: float) -> str | None:
        """Why `value` lies outside the range, e.g. '-1 must be greater than 0'; None when it lies inside."""
        checks = (("gt", self.gt, lambda bound: value > bound), ("ge", self.ge, lambda bound: value >= bound),
                  ("lt", self.lt, lambda bound: value < bound), ("le", self.le, lambda bound: value <= bound))
        for limit, bound, holds in checks:
            if bound is not None and not holds(bound):
                return outside(number(value), limit, bound)
        if self.finite and not math.isfinite(value):
            return f"{number(value)} is not a finite number"
        return None


def field_bounds(model: type[BaseModel], name: str) -> Bounds:
    """The range pydantic enforces on the field `name` of `model`: its `Field(gt=, ge=, lt=, le=)` limits, given
    on the field or on an `Annotated` type in its annotation (such as `Positive | None`), and the model's
    `allow_inf_nan`."""
    info = model.model_fields[name]
    limits: dict[str, float] = {}
    for constraint in [*info.metadata, *_annotated_constraints(info.annotation)]:
        for key in LIMITS:
            value = getattr(constraint, key, None)
            if value is not None:
                limits[key] = value
    return Bounds(**limits, finite=model.model_config.get("allow_inf_nan") is False)


def _annotated_constraints(annotation: Any) -> list[Any]:
    """The constraint objects of `annotation` when it is `Annotated[...]`, or of its members when it is a union
    (not of what it contains: the values of a `dict[str, Share]` are not the field)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *extras = get_args(annotation)
        found = [c for extra in extras for c in (extra.metadata if isinstance(extra, FieldInfo) else [extra])]
        return found + _annotated_constraints(inner)
    if origin in (Union, UnionType):
        return [c for arg in get_args(annotation) for c in _annotated_constraints(arg)]
    return []
