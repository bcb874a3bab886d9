"""Matching rule selectors and override `where` clauses (docs/model.md, "Rule selectors")."""

from __future__ import annotations

from collections.abc import Mapping

from planner.scenario.tables import as_number


def same_value(cell: object, wanted: object) -> bool:
    """Whether a table value equals a YAML value: as numbers when both are numbers, else as text."""
    a, b = as_number(str(cell)), as_number(str(wanted))
    if a is not None and b is not None:
        return a == b
    return str(cell).strip() == str(wanted).strip()


def matches(criteria: Mapping[str, object], attributes: Mapping[str, object]) -> bool:
    """True when every key of `criteria` (one value or a list: any of) equals the attribute."""
    for key, wanted in criteria.items():
        options = wanted if isinstance(wanted, (list, tuple, set, frozenset)) else [wanted]
        if not any(same_value(attributes.get(key, ""), option) for option in options):
            return False
    return True
