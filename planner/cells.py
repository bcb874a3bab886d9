"""The one rule for text cells of the CSV files planner writes: formula-safe, and read back as written.

A spreadsheet (Excel, LibreOffice, WPS) runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula, so a name such as ``=HYPERLINK(...)`` in a scenario could act when a
table of its run is opened. Following OWASP's rule on CSV injection, every CSV writer of planner (run folders,
their ``inputs/``, compare, alternatives, importance, pareto, sweeps) writes such a text cell with a single quote
in front (``'=HYPERLINK(...)``), which spreadsheets show as text. Numbers are left alone: ``-1.5`` stays a
number. Every CSV reader of planner (scenario tables, run folders) takes the quote off again, so
``planner run RUN/inputs/scenario.yaml`` sees the scenario's text exactly as the first run did; a cell the user
wrote as ``'=x`` is read as ``=x``, as a spreadsheet means it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported when a table is converted; the scenario reader needs only read_cell
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet evaluate a cell (OWASP, "CSV Injection")."""

QUOTE = "'"
"""The prefix that makes a spreadsheet show a cell as text."""

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def needs_quote(text: str) -> bool:
    """Whether `text` is written with :data:`QUOTE` in front: it starts like a formula and is not a plain
    number, or it already starts with the quote before such text (so that reading it back is exact)."""
    if not text or _NUMBER.fullmatch(text):
        return False
    if text[0] in FORMULA_STARTS:
        return True
    return text[0] == QUOTE and needs_quote(text[1:])


def safe_cell(value: Any) -> Any:
    """`value` as a CSV cell: text that a spreadsheet would run gets :data:`QUOTE` in front; anything else as is."""
    return QUOTE + value if isinstance(value, str) and needs_quote(value) else value


def read_cell(value: Any) -> Any:
    """The inverse of :func:`safe_cell`: a cell written with the quote, read as the text it stands for."""
    if isinstance(value, str) and value.startswith(QUOTE) and needs_quote(value[1:]):
        return value[1:]
    return value


def quoting(frame: pd.DataFrame) -> int:
    """The :mod:`csv` quoting to write `frame` with: minimal, but every text cell quoted when one holds a carriage
    return (with lines ending in "\\n", pandas leaves such a cell unquoted and a reader would end the row there)."""
    import csv

    text = [c for c in frame.columns if not _is_numeric(frame[c])]
    held = any(isinstance(v, str) and "\r" in v for c in text for v in frame[c]) or any("\r" in str(c) for c in frame)
    return csv.QUOTE_NONNUMERIC if held else csv.QUOTE_MINIMAL


def _is_numeric(column: pd.Series) -> bool:
    import pandas as pd

    return bool(pd.api.types.is_numeric_dtype(column))


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` to write as CSV: every text cell and column name through :func:`safe_cell`."""
    return _map_text(frame, safe_cell)


def as_written(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` as read from a CSV planner wrote: every text cell and column name through :func:`read_cell`."""
    return _map_text(frame, read_cell)


def _map_text(frame: pd.DataFrame, convert: Any) -> pd.DataFrame:
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(convert, na_action="ignore")
    out.columns = [convert(c) for c in out.columns]
    return out


def text_cells_safe(sheet: Any, frame: pd.DataFrame) -> None:
    """Store the text cells of `frame`, written by pandas to the openpyxl worksheet `sheet` (header in row 1, no
    index), as text: a text that starts like a formula (:func:`needs_quote`, e.g. ``=HYPERLINK(...)``) would
    otherwise be stored as a formula by openpyxl; it is stored as text with Excel's quote prefix (shown as
    written, kept as text when edited). Column titles the same way. The workbook reads back the text as written."""
    for column, title in enumerate(frame.columns, start=1):
        _as_text(sheet.cell(row=1, column=column), title)
        if _is_numeric(frame[title]):
            continue
        for row, value in enumerate(frame[title], start=2):
            _as_text(sheet.cell(row=row, column=column), value)


def _as_text(cell: Any, value: Any) -> None:
    if isinstance(value, str) and needs_quote(value):
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True
