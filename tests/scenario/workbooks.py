"""Workbooks made with openpyxl from the CSV tables of a scenario copy, for the tests of reading sheets."""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

from tests.conftest import Editable

TABLES = ("regions", "sites", "industries", "functions")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_TEXT_COLUMNS = {"id", "adcode", "region", "industry", "function", "site", "name", "name_zh"}


def cell(column: str, text: str) -> Any:
    """A CSV cell as a planner types it into Excel: numbers as number cells, empty as empty, the rest as text."""
    if not text:
        return None
    if column not in _TEXT_COLUMNS and _NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return text


def book_of(tiny: Editable, names: tuple[str, ...] = TABLES) -> openpyxl.Workbook:
    """A workbook with one sheet per table of the copy (named after it), in the order of `names`."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in names:
        sheet = book.create_sheet(name)
        with tiny.table(name).open(encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        sheet.append(header)
        for row in rows:
            sheet.append([cell(column, text) for column, text in zip(header, row, strict=True)])
    return book


def use_workbook(tiny: Editable, tables: str = "tables: book.xlsx") -> Path:
    """Point the copy's scenario.yaml at `tables` (by default every table from tiny/book.xlsx) instead of its CSV
    files; return the workbook's path."""
    text = tiny.yaml.read_text(encoding="utf-8")
    start, end = text.index("tables:"), text.index("settings:")
    tiny.yaml.write_text(text[:start] + tables + "\n" + text[end:], encoding="utf-8")
    return tiny.root / "book.xlsx"


def save_with_result(book: openpyxl.Workbook, path: Path, sheet: str, coordinate: str, formula: str,
                     result: str) -> None:
    """Save `book` to `path` with a formula in `sheet`!`coordinate` whose saved result (as Excel stores it after
    calculating) is the number `result`: openpyxl writes formulas without results, so the result is put into the
    sheet's XML."""
    book[sheet][coordinate] = formula
    book.save(path)
    part = f"xl/worksheets/sheet{book.sheetnames.index(sheet) + 1}.xml"
    patched = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                xml = data.decode("utf-8")
                written = f"<f>{formula[1:]}</f><v />"
                assert written in xml, xml[:2000]
                data = xml.replace(written, f"<f>{formula[1:]}</f><v>{result}</v>").encode("utf-8")
            target.writestr(item, data)
    shutil.move(patched, path)
