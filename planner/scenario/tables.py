"""Reading the CSV tables: headers, raw cells with their row numbers, typed rows."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from planner.cells import read_cell
from planner.scenario.errors import Problem, display_path, not_utf8
from planner.scenario.messages import describe
from planner.scenario.schema import PREFIXED_COLUMNS, TABLE_MODELS


@dataclass
class RawTable:
    """A table as read: the header and the cells of each row as text, with spreadsheet row numbers."""

    name: str
    path: Path
    columns: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    set_by: dict[tuple[int, str], str] = field(default_factory=dict)
    """(row position, column) -> the override that last wrote the cell (`FILE key overrides[N].set.COLUMN`)."""

    @property
    def shown(self) -> str:
        """The file name as the user sees it."""
        return display_path(self.path)

    def known_column(self, column: str) -> bool:
        """Whether `column` may appear in this table."""
        prefix = PREFIXED_COLUMNS.get(self.name, ("\0", ""))[0]
        return column in table_columns(self.name) or (column.startswith(prefix) and len(column) > len(prefix))


def table_columns(name: str) -> dict[str, bool]:
    """The fixed columns of a table, each with whether it is required."""
    model = TABLE_MODELS[name]
    prefixed = PREFIXED_COLUMNS.get(name, ("", ""))[1]
    return {key: info.is_required() for key, info in model.model_fields.items() if key != prefixed}


def read_table(name: str, path: Path, named_by: str = "") -> tuple[RawTable | None, list[Problem]]:
    """Read one CSV table; report a missing file, bad encoding or a wrong header.

    `named_by` is the YAML file whose `tables.<name>` key gave the path, for the message.
    """
    shown = display_path(path)
    source = f", named by tables.{name} in {named_by}" if named_by else ""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(shown, message=f"file not found (the {name} table{source})")]
    except IsADirectoryError:
        return None, [Problem(shown, message=f"is a folder, not the {name} table{source}")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(shown, message=f"{not_utf8(data, exc)}; save it as CSV UTF-8")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        records = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        return None, [Problem(shown, f"row {reader.line_num}", message=f"CSV cannot be read: {exc}")]
    expected = ", ".join(table_columns(name))
    if not header or not any(cell.strip() for cell in header):
        return None, [Problem(shown, message=f"is empty; expected a header row with columns {expected}")]
    columns = [read_cell(cell.strip()) for cell in header]
    table = RawTable(name, path, columns)
    problems = []
    for column in sorted({c for c in columns if columns.count(c) > 1}):
        problems.append(Problem(shown, "row 1", column, "column appears more than once"))
    for column in columns:
        if not table.known_column(column):
            prefix = PREFIXED_COLUMNS.get(name, ("", ""))[0]
            more = f", or {prefix}<name>" if prefix else ""
            problems.append(Problem(shown, "row 1", column or "(blank)", f"unknown column; expected {expected}{more}"))
    for column, required in table_columns(name).items():
        if required and column not in columns:
            problems.append(Problem(shown, "row 1", column, "required column is missing"))
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            problems.append(Problem(shown, f"row {line}", None, f"has {len(cells)} cells but the header has {len(columns)}"))
            continue
        table.rows.append(dict(zip(columns, map(read_cell, cells))))  # planner's formula-safe cells as written
        table.row_numbers.append(line)
    if not any(any(cell.strip() for cell in cells) for _, cells in records):
        problems.append(Problem(shown, message=f"has no rows below its header; the {name} table needs at least one"))
    return table, problems


def typed_rows(table: RawTable) -> tuple[list[tuple[int, BaseModel]], list[Problem]]:
    """Validate every row against the table's row model; empty cells mean "not set"."""
    model = TABLE_MODELS[table.name]
    prefix, bucket = PREFIXED_COLUMNS.get(table.name, ("\0", ""))
    rows, problems = [], []
    for position, (line, cells) in enumerate(zip(table.row_numbers, table.rows)):
        values: dict[str, Any] = {}
        for column, cell in cells.items():
            cell = cell.strip()
            if not cell or not table.known_column(column):
                continue
            if column.startswith(prefix) and column not in table_columns(table.name):
                values.setdefault(bucket, {})[column[len(prefix):]] = cell
            else:
                values[column] = cell
        try:
            rows.append((line, model.model_validate(values)))
        except ValidationError as exc:
            for error in exc.errors():
                loc = error["loc"]
                column = f"{prefix}{loc[1]}" if loc and loc[0] == bucket and len(loc) > 1 else (str(loc[0]) if loc else None)
                if error["type"] == "missing" and column not in table.columns:
                    continue  # the missing column is reported once, for the header
                problems.append(Problem(table.shown, f"row {line}", column, describe(error),
                                        table.set_by.get((position, column or ""))))
    return rows, problems


def as_number(cell: str) -> float | None:
    """The cell as a finite float, or None when it is not one."""
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
