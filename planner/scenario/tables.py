"""Reading the tables (CSV files or sheets of a workbook): headers, raw cells with their row numbers, typed rows."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from planner.cells import read_cell
from planner.scenario.errors import Problem, display_path, not_utf8, quoted
from planner.scenario.messages import describe
from planner.scenario.reading import MAX_TABLE_BYTES, UnreadableFile, read_input
from planner.scenario.schema import PREFIXED_COLUMNS, TABLE_MODELS
from planner.scenario.values import is_plain_number
from planner.scenario.workbook import (
    ZIP_START,
    Workbooks,
    column_letter,
    is_workbook,
    sheet_problems,
    split_sheet,
    workbook_shown,
)


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
    sheet: str | None = None
    """The sheet of the workbook `path` the table was read from; None for a CSV file."""
    unreadable: set[tuple[int, str]] = field(default_factory=set)
    """(row number, column) of the sheet's cells already reported as unreadable (an error, a date, ...)."""
    merged: list[tuple[int, int, set[str]]] = field(default_factory=list)
    """(first row, last row, columns) of the sheet's merged cells, already reported."""

    def reported(self, line: int, column: str | None) -> bool:
        """Whether the sheet's cell at row `line`, `column` was reported already (unreadable, or merged)."""
        return (line, column or "") in self.unreadable or any(
            first <= line <= last and column in columns for first, last, columns in self.merged)

    @property
    def shown(self) -> str:
        """The file name as the user sees it (`book.xlsx sheet sites` for a sheet of a workbook)."""
        return display_path(self.path) if self.sheet is None else workbook_shown(self.path, self.sheet)

    def known_column(self, column: str) -> bool:
        """Whether `column` may appear in this table."""
        prefix = PREFIXED_COLUMNS.get(self.name, ("\0", ""))[0]
        return column in table_columns(self.name) or (column.startswith(prefix) and len(column) > len(prefix))


def table_columns(name: str) -> dict[str, bool]:
    """The fixed columns of a table, each with whether it is required."""
    model = TABLE_MODELS[name]
    prefixed = PREFIXED_COLUMNS.get(name, ("", ""))[1]
    return {key: info.is_required() for key, info in model.model_fields.items() if key != prefixed}


def read_table(name: str, path: Path, named_by: str = "",
               books: Workbooks | None = None) -> tuple[RawTable | None, list[Problem]]:
    """Read one table: a CSV file, or a sheet of a workbook (`book.xlsx#sheet`, or `book.xlsx` for the sheet of
    the table's name); report an unreadable file, bad encoding, a missing sheet, bad cells or a wrong header.

    `named_by` is the YAML file whose `tables.<name>` key gave the path, for the message; `books` holds the
    workbooks the scenario has opened already.
    """
    file, sheet = split_sheet(str(path))
    if is_workbook(file):
        return _read_sheet(name, Path(file), sheet or name, named_by, books or Workbooks())
    shown = display_path(path)
    source = f", named by tables.{name} in {named_by}" if named_by else ""
    try:
        data = read_input(path, MAX_TABLE_BYTES, "a table")
    except UnreadableFile as exc:
        if exc.kind == "folder":
            return None, [Problem(shown, message=f"is a folder, not the {name} table{source}")]
        return None, [Problem(shown, message=f"{exc} (the {name} table{source})")]
    if data.startswith(ZIP_START):
        return None, [Problem(shown, message=f"is a zip file (an Excel workbook?), not CSV text; name a workbook "
                                             f"with its .xlsx ending (the {name} table{source})")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(shown, message=f"{not_utf8(data, exc)}; {save_utf8(name)}")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        records = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        return None, [Problem(shown, f"row {reader.line_num}", message=f"CSV cannot be read: {exc}")]
    return _table(name, path, shown, header, records, [])


def save_utf8(name: str) -> str:
    """How to fix the CSV table `name` that is not UTF-8 (Excel in China saves CSV as GBK by default)."""
    return ('save it as CSV UTF-8: in Excel, 文件 > 另存为 > "CSV UTF-8 (逗号分隔)" (File > Save As > '
            '"CSV UTF-8 (Comma delimited)"); or name the Excel workbook in the scenario instead '
            f"({name}: book.xlsx#{name}, or tables: book.xlsx for every table)")


def _read_sheet(name: str, path: Path, sheet: str, named_by: str,
                books: Workbooks) -> tuple[RawTable | None, list[Problem]]:
    """Read the table `name` from sheet `sheet` of the workbook at `path`."""
    shown = display_path(path)
    source = f", named by tables.{name} in {named_by}" if named_by else ""
    book = books.get(path)
    if isinstance(book, UnreadableFile):
        if not books.first_report(path):
            return None, []
        if book.kind == "folder":
            return None, [Problem(shown, message=f"is a folder, not a workbook (the {name} table{source})")]
        return None, [Problem(shown, message=f"{book} (the {name} table{source})")]
    found = book.find(sheet)
    if found is None:
        return None, [Problem(shown, message=f"has no sheet {quoted(sheet)} (the {name} table{source}); its sheets "
                                             f"are {', '.join(map(quoted, book.sheet_names))}")]
    where = workbook_shown(path, found)
    try:
        cells = book.read(found)
    except UnreadableFile as exc:
        return None, [Problem(where, message=f"{exc} (the {name} table{source})")]
    problems = sheet_problems(where, cells, cells.header)
    if not cells.header and cells.rows:
        expected = ", ".join(table_columns(name))
        return None, [*problems, Problem(where, "row 1", None, f"is empty; the header row with columns {expected} "
                                                               "must be the first row of the sheet")]
    width = len(cells.header)
    records = []
    for row, values in cells.rows:
        for column in sorted(c for c in values if c > width):
            problems.append(Problem(where, f"row {row}", column_letter(column),
                                    "has a value but no column name in row 1"))
        records.append((row, [values.get(column, "") for column in range(1, width + 1)]))
    table, problems = _table(name, path, where, cells.header, records, problems, found)
    if table is not None:
        table.unreadable = {(row, cells.header[column - 1]) for row, column, _ in cells.problems
                            if column <= len(cells.header)}
        table.merged = [(first_row, last_row, set(cells.header[first_column - 1:last_column]))
                        for first_column, first_row, last_column, last_row in cells.merged_bounds()]
    return table, problems


def _table(name: str, path: Path, shown: str, header: list[str] | None, records: list[tuple[int, list[str]]],
           problems: list[Problem], sheet: str | None = None) -> tuple[RawTable | None, list[Problem]]:
    """The table from its header and its rows (row number, cells as text), with the problems of its header and
    rows added to `problems`."""
    expected = ", ".join(table_columns(name))
    if not header or not any(cell.strip() for cell in header):
        return None, [*problems, Problem(shown, message=f"is empty; expected a header row with columns {expected}")]
    columns = [read_cell(cell.strip()) if sheet is None else cell.strip() for cell in header]
    table = RawTable(name, path, columns, sheet=sheet)
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
            problems.append(Problem(shown, f"row {line}", None,
                                    f"has {len(cells)} cells but the header has {len(columns)}"))
            continue
        table.rows.append(dict(zip(columns, cells if sheet is not None else map(read_cell, cells),
                                   strict=False)))  # CSV: formula-safe cells as written; a sheet's text as it is
        table.row_numbers.append(line)
    if not any(any(cell.strip() for cell in cells) for _, cells in records):
        problems.append(Problem(shown, message=f"has no rows below its header; the {name} table needs at least one"))
    return table, problems


def typed_rows(table: RawTable) -> tuple[list[tuple[int, BaseModel]], list[Problem]]:
    """Validate every row against the table's row model; empty cells mean "not set"."""
    model = TABLE_MODELS[table.name]
    prefix, bucket = PREFIXED_COLUMNS.get(table.name, ("\0", ""))
    rows, problems = [], []
    for position, (line, cells) in enumerate(zip(table.row_numbers, table.rows, strict=False)):
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
                column = (f"{prefix}{loc[1]}" if loc and loc[0] == bucket and len(loc) > 1
                          else (str(loc[0]) if loc else None))
                if error["type"] == "missing" and column not in table.columns:
                    continue  # the missing column is reported once, for the header
                if table.reported(line, column):
                    continue  # a sheet's cell reported as unreadable or merged already
                problems.append(Problem(table.shown, f"row {line}", column, describe(error),
                                        table.set_by.get((position, column or ""))))
    return rows, problems


def as_number(cell: str) -> float | None:
    """The cell as a finite float when it is written as a plain number (not `6_6`, not `inf`), else None."""
    if not is_plain_number(cell):
        return None
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
