"""Hostile workbooks (docs/scenario.md "Tables in an Excel workbook"): a workbook is a zip of XML files, so it is
refused when it is larger than a table may be, when it unpacks to more than that (a zip bomb), when it holds more
parts than any workbook, when its XML expands entities without end; a sheet with cells at its far corner is read in
time; a formula is never calculated and text that looks like one is data. Each is one line naming the workbook,
within the time limit of the other hostile readings, and nothing is written."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from planner.scenario import InputErrors, load_scenario
from tests.conftest import Editable
from tests.hostile.reading_cases import problems_of, time_limit
from tests.scenario.workbooks import book_of, use_workbook

MAX_TABLE_BYTES = 200_000_000
"""planner.scenario.reading.MAX_TABLE_BYTES, as its message states it."""
MAX_WORKBOOK_PARTS = 10_000
"""planner.scenario.workbook.MAX_WORKBOOK_PARTS, as its message states it."""
REGIONS = "(the regions table, named by tables.regions in tiny/scenario.yaml)"


@pytest.fixture
def book(tiny: Editable) -> Path:
    """The tiny scenario reading every table from tiny/book.xlsx, made with openpyxl."""
    path = use_workbook(tiny)
    book_of(tiny).save(path)
    return path


def _rewrite(path: Path, change: dict[str, bytes | None], add: dict[str, bytes] | None = None) -> None:
    """Rewrite the zip at `path` with parts replaced (bytes) or left out (None), and parts added."""
    copy = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = change.get(item.filename, source.read(item.filename))
            if data is not None:
                target.writestr(item, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    shutil.move(copy, path)


def test_a_workbook_larger_than_a_table_may_be_is_not_read(tiny: Editable, book: Path) -> None:
    with open(book, "ab") as handle:  # sparse: no disk used
        handle.truncate(MAX_TABLE_BYTES + 1)
    assert problems_of(tiny.yaml) == [f"tiny/book.xlsx: is larger than 200 MB, the most planner reads from a table "
                                      f"{REGIONS}"]


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tiny: Editable, book: Path) -> None:
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive, \
            archive.open("xl/media/image1.png", "w", force_zip64=True) as handle:
        chunk = bytes(1 << 20)
        for _ in range(MAX_TABLE_BYTES // len(chunk) + 1):
            handle.write(chunk)
    assert book.stat().st_size < 2_000_000
    assert problems_of(tiny.yaml) == [f"tiny/book.xlsx: unpacks to 200.3 MB, more than 200 MB, the most planner reads "
                                      f"from a table {REGIONS}"]


def test_a_zip_of_more_parts_than_any_workbook_is_refused(tiny: Editable, book: Path) -> None:
    _rewrite(book, {}, {f"x/{n}": b"" for n in range(MAX_WORKBOOK_PARTS)})
    assert problems_of(tiny.yaml) == [f"tiny/book.xlsx: holds 10,012 files, more than 10,000, the most planner reads "
                                      f"from a workbook (a workbook of a few sheets holds a few dozen) {REGIONS}"]


def test_an_entity_expansion_bomb_in_a_sheet_is_refused(tiny: Editable, book: Path) -> None:
    with zipfile.ZipFile(book) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    entities = '<!ENTITY lol "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{n + 1} "{("&lol" + (str(n) if n else "") + ";") * 10}">' for n in range(9))
    assert "<t>Alpha</t>" in sheet
    sheet = sheet.replace("<worksheet", f"<!DOCTYPE lolz [{entities}]><worksheet", 1)
    _rewrite(book, {"xl/worksheets/sheet1.xml": sheet.replace("<t>Alpha</t>", "<t>&lol9;</t>").encode("utf-8")})
    (line,) = problems_of(tiny.yaml)
    assert line.startswith("tiny/book.xlsx sheet regions: cannot be read: ParseError: limit on input amplification "
                           "factor (from DTD and entities) breached"), line
    assert line.endswith(REGIONS)


def test_a_broken_workbook_is_one_line(tiny: Editable, book: Path) -> None:
    _rewrite(book, {"xl/workbook.xml": None})
    (line,) = problems_of(tiny.yaml)
    assert line.startswith("tiny/book.xlsx: cannot be read as an Excel workbook (KeyError: "), line
    assert line.endswith(f"; open it in Excel and save it as Excel Workbook (.xlsx) {REGIONS}")


def test_a_workbook_that_is_a_pipe_is_not_waited_for(tiny: Editable, book: Path) -> None:
    book.unlink()
    os.mkfifo(book)
    assert problems_of(tiny.yaml) == [f"tiny/book.xlsx: is a named pipe (FIFO), not a regular file {REGIONS}"]


def test_a_cell_at_the_far_corner_of_a_sheet_is_read_in_time(tiny: Editable) -> None:
    book = book_of(tiny)
    book["sites"]["XFD1048576"] = "far"  # the sheet's dimension becomes A1:XFD1048576
    book.save(use_workbook(tiny))
    assert problems_of(tiny.yaml) == [
        "tiny/book.xlsx sheet sites row 1048576, column XFD: has a value but no column name in row 1"]


def test_formulas_are_never_calculated_and_text_like_a_formula_is_data(tiny: Editable) -> None:
    book = book_of(tiny)
    book["industries"]["B2"] = '=HYPERLINK("http://example.com","x")'  # a formula without a saved result
    book["industries"]["C2"] = "=cmd|' /C calc'!A0"
    book["industries"]["C2"].data_type = "s"  # text that starts like a formula (Excel: '=cmd...)
    book["industries"]["C2"].quotePrefix = True
    book.save(use_workbook(tiny))
    with time_limit(), pytest.raises(InputErrors) as caught:
        load_scenario(tiny.yaml)
    assert [str(p) for p in caught.value.problems] == [
        "tiny/book.xlsx sheet industries row 2, column name: holds the formula '=HYPERLINK(\"http://example.com\","
        "\"x\")' without a saved result; planner does not calculate formulas: open the workbook in Excel (or WPS) and "
        "save it, or write the value"]
    book["industries"]["B2"] = "Artificial intelligence"
    book.save(tiny.root / "book.xlsx")
    assert load_scenario(tiny.yaml).industries["ai"].name_zh == "=cmd|' /C calc'!A0"


def test_the_hostile_scenario_goes_through_a_workbook_unchanged(tmp_path: Path, monkeypatch) -> None:
    from tests.hostile.payloads import hostile_scenario
    from tests.scenario.test_workbook import invoke, tables_of

    scenario, _ = hostile_scenario(tmp_path / "scenario")
    monkeypatch.chdir(tmp_path)
    before = tables_of(scenario)
    exported = invoke("export", scenario, "--xlsx", tmp_path / "scenario" / "book.xlsx")
    assert exported.exit_code == 0, exported.output
    text = scenario.read_text(encoding="utf-8")
    start, end = text.index("tables:"), text.index("settings:")
    scenario.write_text(text[:start] + "tables: book.xlsx\n" + text[end:], encoding="utf-8")
    assert tables_of(scenario) == before


def test_sheets_sharing_one_part_are_refused_before_any_is_read(tiny: Editable, book: Path) -> None:
    with zipfile.ZipFile(book) as archive:
        workbook = archive.read("xl/workbook.xml").decode("utf-8")
    copies = "".join(f'<sheet name="again{n}" sheetId="{10 + n}" state="visible" r:id="rId2" />' for n in range(3))
    assert "</sheets>" in workbook
    _rewrite(book, {"xl/workbook.xml": workbook.replace("</sheets>", copies + "</sheets>").encode("utf-8")})
    assert problems_of(tiny.yaml) == [
        "tiny/book.xlsx: cannot be read as an Excel workbook: two of its sheets are the same part of the file; open "
        f"it in Excel and save it as Excel Workbook (.xlsx) {REGIONS}"]
