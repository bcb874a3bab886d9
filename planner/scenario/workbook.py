"""Reading scenario tables from the sheets of an Excel workbook (`.xlsx`, `.xlsm`), as planners keep them.

A `tables` entry names a sheet as `book.xlsx#sites` (or `book.xlsx` alone: the sheet of the table's name), and
`tables: book.xlsx` takes every table from the sheet of its name. The workbook is read through the one reader
(planner.scenario.reading): a regular file of at most the size of a table, whose parts unpack to at most that size
too (a "zip bomb" is refused before anything is unpacked). Sheets are read with openpyxl's streaming parser, so a
sheet of any size is read row by row; no formula is ever calculated.

What a cell means (docs/scenario.md "Tables in an Excel workbook"):

- a number cell is the number; a text cell is the text as written (a text cell holding `12` is read as CSV reads
  `12`); an empty cell is "not set";
- a formula cell is the result Excel saved with it; a formula without a saved result, an error (`#DIV/0!`), a
  TRUE/FALSE cell, a date or a time, and merged cells are each a problem naming the cell;
- row 1 is the header; hidden sheets are read like any other; sheets no table names are left alone.
"""

from __future__ import annotations

import datetime
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from planner.scenario.errors import Problem, display_path, quoted, shorten, visible
from planner.scenario.reading import MAX_TABLE_BYTES, UnreadableFile, read_input

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
"""The file endings read as Excel workbooks (any letter case); anything else is a CSV file."""

MAX_ROW, MAX_COLUMN = 1_048_576, 16_384
"""The last row and column of an Excel sheet."""
MAX_SHEETS = 1_000
"""The most sheets a workbook may have (Excel workbooks of tables have a few)."""
MAX_WORKBOOK_PARTS = 10_000
"""The most files (parts) a workbook's zip may hold; Excel writes a few per sheet."""

_SHEET = re.compile(r"^(.*?\.xls[xm])#(.*)$", re.IGNORECASE | re.DOTALL)
_OLD_EXCEL = b"\xd0\xcf\x11\xe0"
"""How an Excel 97-2003 (.xls) file starts (an OLE compound file)."""
ZIP_START = b"PK\x03\x04"
"""How a zip file, and so an .xlsx workbook, starts."""


def split_sheet(location: str) -> tuple[str, str | None]:
    """`book.xlsx#sites` as (`book.xlsx`, `sites`); any other location as (location, None)."""
    found = _SHEET.match(location)
    return (found.group(1), found.group(2)) if found else (location, None)


def is_workbook(path: Path | str) -> bool:
    """Whether `path` names an Excel workbook (by its ending)."""
    return str(path).lower().endswith(WORKBOOK_SUFFIXES)


@dataclass
class Sheet:
    """The cells of one sheet as planner reads them: text per (row, column), and the problems of its cells."""

    header: list[str]
    """Row 1, up to its last non-empty cell, as text."""
    rows: list[tuple[int, dict[int, str]]] = field(default_factory=list)
    """(sheet row number, column number -> cell text) of every row below the header with a non-empty cell."""
    problems: list[tuple[int, int, str]] = field(default_factory=list)
    """(row, column, what is wrong) for cells planner cannot read as a value."""
    merged: list[str] = field(default_factory=list)
    """Merged ranges (`C3:C5`)."""

    def merged_bounds(self) -> list[tuple[int, int, int, int]]:
        """The merged ranges as (first column, first row, last column, last row)."""
        from openpyxl.utils import range_boundaries

        bounds = []
        for ref in self.merged:
            first_column, first_row, last_column, last_row = range_boundaries(ref)  # None: a whole row or column
            bounds.append((first_column or 1, first_row or 1, last_column or MAX_COLUMN, last_row or MAX_ROW))
        return bounds


class Workbook:
    """An opened workbook: its sheet names, and its sheets read on demand."""

    def __init__(self, path: Path, book: Any):
        self.path = path
        self._book = book

    @property
    def sheet_names(self) -> list[str]:
        """Every sheet's name, hidden ones too, in the workbook's order."""
        return list(self._book.sheetnames)

    def find(self, name: str) -> str | None:
        """The sheet called `name`, matched as Excel matches names (letter case aside)."""
        if name in self.sheet_names:
            return name
        return next((s for s in self.sheet_names if s.casefold() == name.casefold()), None)

    def read(self, name: str) -> Sheet:
        """Every cell of sheet `name` as text (see the module's notes), read in one pass; raises UnreadableFile
        when the sheet's XML cannot be read (broken, or an entity expansion "bomb", which expat refuses)."""
        try:
            with warnings.catch_warnings():  # openpyxl's notes on what it leaves out
                warnings.simplefilter("ignore")
                return self._read(name)
        except Exception as exc:  # noqa: BLE001 - any fault of a hostile or broken sheet is a sentence
            raise UnreadableFile(f"cannot be read: {_reason(exc)}") from None

    def _read(self, name: str) -> Sheet:
        sheet = self._book[name]
        with sheet._get_source() as source:  # openpyxl's own read-only streaming, with the formula kept
            parser = _cell_parser()(source, self._book.shared_strings, data_only=True, epoch=self._book.epoch,
                                    date_formats=self._book._date_formats,
                                    timedelta_formats=self._book._timedelta_formats)
            out = Sheet([])
            for number, cells in parser.parse():
                _take_row(out, number, cells)
        if parser.merged_cells is not None:
            out.merged = [str(cell.ref) for cell in parser.merged_cells.mergeCell]
            out.merged_bounds()  # a range that is not one is a fault of the sheet, found here
        return out


@cache
def _cell_parser() -> type:
    """openpyxl's sheet parser (the one its read-only sheets stream with), reading the saved results of formulas
    and telling which cells hold a formula. openpyxl is imported when a workbook is read, not before."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class CellParser(WorkSheetParser):  # type: ignore[misc]
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            formula = element.find(FORMULA_TAG)
            cell["formula"] = None if formula is None else "=" + (formula.text or "")
            return cell

    return CellParser


def _take_row(out: Sheet, number: int, cells: list[dict[str, Any]]) -> None:
    """Add one parsed row of the sheet to `out`: the header (row 1) or a row of values."""
    values: dict[int, str] = {}
    for cell in cells:
        text, problem = cell_text(cell)
        if problem:
            out.problems.append((number, cell["column"], problem))
        elif text.strip():
            values[cell["column"]] = text
    if number == 1:
        last = max((column for column, text in values.items()), default=0)
        out.header = [values.get(column, "") for column in range(1, last + 1)]
    elif values:
        out.rows.append((number, values))


def cell_text(cell: dict[str, Any]) -> tuple[str, str | None]:
    """A parsed cell as the text planner reads, or a problem in planners' words."""
    value = cell["value"]
    if cell["data_type"] == "e":
        return "", f"holds the error {value}; write a value"
    if value is None:
        if cell.get("formula"):
            return "", (f"holds the formula {quoted(cell['formula'])} without a saved result; planner does not "
                        "calculate formulas: open the workbook in Excel (or WPS) and save it, or write the value")
        return "", None
    if isinstance(value, bool):
        return "", f"{'TRUE' if value else 'FALSE'} is a yes/no (TRUE/FALSE) cell, not a number or text"
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)):
        return "", (f"holds a date or time ({value}); write the number or text itself, in a cell formatted as "
                    "General or Text")
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)), None
    return str(value), None


def _parts_declared(data: bytes) -> int:
    """How many files the zip `data` says it holds (its end record), or 0 when it says nothing readable."""
    try:
        end = zipfile._EndRecData(io.BytesIO(data))  # type: ignore[attr-defined]  # the record zipfile itself reads
    except (AttributeError, OSError, ValueError):
        return 0
    return int(end[zipfile._ECD_ENTRIES_TOTAL]) if end else 0  # type: ignore[attr-defined]


def open_workbook(path: Path) -> Workbook:
    """Open the workbook at `path` for reading its sheets; raises UnreadableFile saying why it cannot be."""
    data = read_input(path, MAX_TABLE_BYTES, "a table")
    if data.startswith(_OLD_EXCEL):
        raise UnreadableFile("is an Excel 97-2003 workbook (.xls), which planner cannot read; save it as "
                             "Excel Workbook (.xlsx)")
    parts = _parts_declared(data)
    if parts > MAX_WORKBOOK_PARTS:  # before the zip's directory is read into memory
        raise UnreadableFile(f"holds {parts:,} files, more than {MAX_WORKBOOK_PARTS:,}, the most planner reads from "
                             "a workbook (a workbook of a few sheets holds a few dozen)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile("is not an Excel workbook (.xlsx): it is not a zip file; save it from Excel as "
                             "Excel Workbook (.xlsx)") from None
    unpacked = sum(part.file_size for part in archive.infolist())
    if unpacked > MAX_TABLE_BYTES:  # declared sizes bound what unpacking yields (zipfile stops there)
        raise UnreadableFile(f"unpacks to {unpacked / 1_000_000:,.1f} MB, more than {MAX_TABLE_BYTES / 1_000_000:g} "
                             "MB, the most planner reads from a table")
    try:
        with warnings.catch_warnings():  # openpyxl's notes on what it leaves out (data validation, ...)
            warnings.simplefilter("ignore")
            book = _load(archive.fp)
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - any fault of a hostile or broken file is a sentence, not a traceback
        raise UnreadableFile(f"cannot be read as an Excel workbook ({_reason(exc)}); open it in Excel and save it "
                             "as Excel Workbook (.xlsx)") from None
    return Workbook(path, book)


def _load(source: Any) -> Any:
    """openpyxl's `load_workbook(read_only=True, data_only=True)`, step by step, refusing a workbook of more sheets
    than MAX_SHEETS or whose sheets share a part before any sheet is looked at (openpyxl reads each sheet's
    dimensions when it opens the workbook: a part named by many sheets would be read again for each)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(source, read_only=True, data_only=True, keep_links=False)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    parts = [rel.target for _, rel in reader.parser.find_sheets()]
    if len(parts) > MAX_SHEETS:
        raise UnreadableFile(f"has {len(parts):,} sheets, more than {MAX_SHEETS:,}, the most planner reads from a "
                             "workbook")
    if len(set(parts)) < len(parts):
        raise UnreadableFile("cannot be read as an Excel workbook: two of its sheets are the same part of the file; "
                             "open it in Excel and save it as Excel Workbook (.xlsx)")
    apply_stylesheet(reader.archive, reader.wb)  # the number formats that mark dates
    reader.read_worksheets()
    return reader.wb


def _reason(exc: Exception) -> str:
    """What went wrong reading a workbook, as the library says it (shortened, control characters escaped)."""
    return visible(shorten(f"{type(exc).__name__}: {exc}", 200))


class Workbooks:
    """The workbooks one scenario reads, each opened once; a workbook that cannot be opened is reported once."""

    def __init__(self) -> None:
        self._opened: dict[Path, Workbook | UnreadableFile] = {}
        self._reported: set[Path] = set()

    def get(self, path: Path) -> Workbook | UnreadableFile:
        """The opened workbook at `path`, or why it cannot be opened."""
        if path not in self._opened:
            try:
                self._opened[path] = open_workbook(path)
            except UnreadableFile as exc:
                self._opened[path] = exc
        return self._opened[path]

    def first_report(self, path: Path) -> bool:
        """Whether the failure to open `path` is reported now for the first time."""
        first = path not in self._reported
        self._reported.add(path)
        return first

    def sheets_in(self, path: Path) -> list[str]:
        """The sheet names of the workbook at `path` (none when it cannot be opened)."""
        book = self.get(path)
        return book.sheet_names if isinstance(book, Workbook) else []


def sheet_problems(shown: str, sheet: Sheet, header: list[str]) -> list[Problem]:
    """The problems of a sheet's cells and merged ranges, each naming the row and the column."""
    def column_name(column: int) -> str:
        name = header[column - 1] if column <= len(header) else ""
        return name or column_letter(column)

    problems = [Problem(shown, f"row {row}", column_name(column), message)
                for row, column, message in sheet.problems]
    for ref, (first_column, first_row, _, _) in zip(sheet.merged, sheet.merged_bounds(), strict=True):
        problems.append(Problem(shown, f"row {first_row}", column_name(first_column),
                                f"cells {ref} are merged; unmerge them and write the value in each cell"))
    return problems


def workbook_shown(path: Path, sheet: str) -> str:
    """A sheet of a workbook as messages name it: `tables/book.xlsx sheet sites`."""
    return f"{display_path(path)} sheet {visible(shorten(sheet))}"


def column_letter(column: int) -> str:
    """The letter of a sheet's column (1 -> A, 28 -> AB), as Excel shows it."""
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(column)) if 1 <= column <= 18278 else str(column)
