"""Applying `overrides` (docs/scenario.md) to the raw tables, in order, before their rows are validated."""

from __future__ import annotations

from planner.scenario.errors import Problem
from planner.scenario.schema import Override
from planner.scenario.selectors import matches
from planner.scenario.tables import RawTable, as_number


def apply_overrides(tables: dict[str, RawTable], overrides: list[Override], yaml_file: str) -> list[Problem]:
    """Change the matched rows of each override's table in place; report what cannot be applied."""
    problems: list[Problem] = []
    for n, override in enumerate(overrides):
        table = tables.get(override.table)
        if table is None:
            continue
        key = f"key overrides[{n}]"
        named = [("where", c) for c in override.where or {}] + [("set", c) for c in override.set or {}]
        named += [("scale", c) for c in override.scale or {}]
        unknown = [(part, c) for part, c in named
                   if not table.known_column(c) or (part == "where" and c not in table.columns)]
        for part, column in unknown:
            problems.append(Problem(yaml_file, f"{key}.{part}.{column}", None,
                                    f"{override.table} has no column {column!r}"))
        if unknown:
            continue
        hits = [k for k, row in enumerate(table.rows) if matches(override.where or {}, row)]
        if not hits:
            problems.append(Problem(yaml_file, f"{key}.where", None, f"matches no row of {table.shown}"))
            continue
        for column in list(override.set or {}) + list(override.scale or {}):
            if column not in table.columns:
                table.columns.append(column)
                for row in table.rows:
                    row[column] = ""
        for k in hits:
            row = table.rows[k]
            for column, value in (override.set or {}).items():
                row[column] = "" if value is None else str(value)
                table.set_by[k, column] = f"{yaml_file} {key}.set.{column}"
            for column, factor in (override.scale or {}).items():
                cell = row[column].strip()
                if not cell:
                    continue
                number = as_number(cell)
                if number is None:
                    problems.append(Problem(
                        yaml_file, f"{key}.scale.{column}", None,
                        f"cannot scale {cell!r} in {table.shown} row {table.row_numbers[k]}: not a number"))
                    continue
                row[column] = repr(number * factor)
                table.set_by[k, column] = f"{yaml_file} {key}.scale.{column}"
    return problems
