"""What a single scenario value may be: numbers as plainly written, no yes/no value where a number or a
cell is meant, ids without control characters. Used by the typed models of `schema` (before pydantic's
own, more lenient, conversion) and by the matching of overrides and selectors."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from planner.scenario.errors import quoted

_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""A number as a spreadsheet writes it: ASCII digits, optional sign, point and exponent (no `6_6`, no `１`)."""


def yes_no(value: bool) -> str:
    """A YAML true/false as the file writes it."""
    return "true" if value else "false"


def is_plain_number(text: str) -> bool:
    """Whether `text` (stripped) is written as a plain decimal number."""
    return _PLAIN_NUMBER.fullmatch(text.strip()) is not None


def _as_written(value: Any, kind: str) -> Any:
    """Refuse a yes/no value and a text that Python alone would read as `kind` (`6_6` as 66)."""
    if isinstance(value, bool):
        raise ValueError(f"{yes_no(value)} is not {kind}")
    if isinstance(value, str) and "_" in value:
        raise ValueError(f"{quoted(value.strip())} is not {kind}")
    return value


def number_as_written(value: Any) -> Any:
    """Refuse a yes/no value and a text that Python alone would read as a number (`6_6` as 66)."""
    return _as_written(value, "a number")


def whole_number_as_written(value: Any) -> Any:
    """Refuse a yes/no value and a text that Python alone would read as a whole number (`6_6` as 66)."""
    return _as_written(value, "a whole number")


def not_yes_no(value: Any) -> Any:
    """Refuse a YAML true/false where a table cell or an id is meant (it would become `1`, `True` or `0`)."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, bool):
            raise ValueError(f"{yes_no(item)} is a yes/no value, not text or a number; "
                             f"write '{yes_no(item)}' in quotes if the text is meant")
    return value


def plain_id(value: str) -> str:
    """Refuse an id with a control character (a NUL byte, a tab, a line break): it cannot name a file or a layer."""
    for char in value:
        if unicodedata.category(char) == "Cc":
            raise ValueError(f"{quoted(value)} contains the control character U+{ord(char):04X}; an id cannot")
    return value
