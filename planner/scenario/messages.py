"""Pydantic validation errors rewritten in planners' words."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from planner.scenario.bounds import outside
from planner.scenario.errors import quoted

RANGES = {"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt", "less_than_equal": "le"}
"""Pydantic's error kinds for a number outside its range, and the limit each one is about."""


def _fmt(value: Any) -> str:
    return quoted(value)


def describe(error: ErrorDetails, model: type[BaseModel] | None = None) -> str:
    """One pydantic error as a short sentence about the value the user wrote."""
    kind, ctx, value = error["type"], error.get("ctx", {}), error.get("input")
    if kind == "missing":
        return "a value is required"
    if kind == "literal_error":
        expected = ctx.get("expected", "").replace("'", "").replace(" or ", ", ")
        return f"{_fmt(value)} is not one of {expected}"
    if kind in ("float_parsing", "float_type"):
        return f"{_fmt(value)} is not a number"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{_fmt(value)} is not a whole number"
    if kind == "finite_number":
        return f"{_fmt(value)} is not a finite number"
    if kind in RANGES:
        return outside(_fmt(value), RANGES[kind], ctx[RANGES[kind]])
    if kind == "string_too_short":
        return "a value is required"
    if kind == "string_pattern_mismatch":
        return f"{_fmt(value)} does not have the expected form ({ctx['pattern']})"
    if kind == "extra_forbidden":
        known = _known_keys(model, error["loc"][:-1])
        return "unknown key" + (f"; expected one of {', '.join(known)}" if known else "")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of keys to values, got {_fmt(value)}"
    if kind == "list_type":
        return f"expected a list, got {_fmt(value)}"
    if kind in ("string_type",):
        return f"expected text, got {_fmt(value)}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return error["msg"][0].lower() + error["msg"][1:]


def _known_keys(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> list[str]:
    """The field names of the model that sits at `loc` inside `model`, if it is a model."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            current = _inner_model(current)
            if isinstance(part, int):
                continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return []
        current = _inner_model(current.model_fields[part].annotation)
    current = _inner_model(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    """The BaseModel inside Optional[...] or list[...], else the annotation itself."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
    return annotation


_UNION_TAGS = {"str", "int", "float", "bool", "none"}
_MISSING = object()


def key_path(loc: tuple[Any, ...], data: Any = _MISSING) -> str:
    """A YAML location as `settings.weights.land` or `rules[1].lock_in.regoin`.

    pydantic puts the names of union members (`str`, `constrained-str`, `list[...]`, ...) into a location; with
    `data` (the YAML as read), a part is a key only where the data has it, so no such name reaches a message.
    """
    out, node = "", data
    for part in loc:
        if isinstance(part, int) and not isinstance(node, dict):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and -len(node) <= part < len(node) else _MISSING
        elif isinstance(node, dict) and part in node:
            out += ("." if out else "") + str(part)
            node = node[part]
        elif _union_tag(part) or not (node is _MISSING or isinstance(node, dict)):
            continue  # pydantic's name of a union member or validator, not a key
        else:  # a key the data lacks (a required one) or below one
            out += ("." if out else "") + str(part)
            node = _MISSING
    return out


def _union_tag(part: Any) -> bool:
    """Whether a part of a pydantic location is the name of a union member or validator, such as `str`,
    `constrained-str` or `function-after[...]`."""
    return isinstance(part, str) and (part in _UNION_TAGS or "[" in part or part.startswith("constrained-"))
