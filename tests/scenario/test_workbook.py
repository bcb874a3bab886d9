"""Scenario tables in an Excel workbook (docs/scenario.md "Tables in an Excel workbook"): `tables: book.xlsx`,
`sites: book.xlsx#sheet`, what each kind of cell means, problems named by workbook, sheet, row and column, and
`planner export SCENARIO --xlsx` read back to the same optimum."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.run import solve_scenario
from planner.scenario import InputErrors, load_scenario
from tests.conftest import Editable
from tests.scenario.test_version2 import brownfield
from tests.scenario.workbooks import TABLES, book_of, save_with_result, use_workbook

runner = CliRunner()
SITES = "tiny/book.xlsx sheet sites"


def invoke(*args: object):
    """`planner ARGS` in this process."""
    return runner.invoke(app, [str(a) for a in args])


def problems(scenario: Path) -> list[str]:
    """The problem lines reported for `scenario`."""
    with pytest.raises(InputErrors) as caught:
        load_scenario(scenario)
    return [str(p) for p in caught.value.problems]


def tables_of(scenario: Path) -> tuple[object, ...]:
    """Everything the model reads from a scenario's tables."""
    sc = load_scenario(scenario)
    return dict(sc.regions), dict(sc.sites), dict(sc.industries), dict(sc.functions), dict(sc.stock)


def test_every_table_from_the_sheet_of_its_name(tiny: Editable) -> None:
    from_csv = tables_of(tiny.yaml)
    book = book_of(tiny)
    book.create_sheet("notes", 0).append(["说明", "sheets no table names are left alone"])
    book["regions"].sheet_state = "hidden"  # hidden only in Excel's view: read like any other sheet
    book.save(use_workbook(tiny))
    assert tables_of(tiny.yaml) == from_csv
    scenario = load_scenario(tiny.yaml)
    assert tiny.root / "book.xlsx" in [Path(p) for p in scenario.files]


def test_an_entry_names_a_sheet_or_a_workbook_beside_csv_files(tiny: Editable) -> None:
    from_csv = tables_of(tiny.yaml)
    book = book_of(tiny, ("sites", "functions"))
    book["sites"].title = "用地 sites"
    book.save(tiny.root / "book.xlsx")
    tiny.replace("scenario.yaml", "sites: tables/sites.csv", "sites: book.xlsx#用地 sites")
    tiny.replace("scenario.yaml", "functions: tables/functions.csv", "functions: book.xlsx")
    assert tables_of(tiny.yaml) == from_csv


def test_a_number_stored_as_text_reads_as_the_number_and_numbers_keep_their_digits(tiny: Editable) -> None:
    book = book_of(tiny)
    book["sites"]["E4"] = "500"  # land_price of A-outer, typed as text (Excel's green triangle)
    book["sites"]["D4"] = 200.0  # a whole number saved as 200.0
    book["sites"]["F4"] = 116.123456789012  # lon: every digit of the number kept
    book["regions"]["G2"] = 110000  # adcode as a number cell: the code as text
    book.save(use_workbook(tiny))
    sc = load_scenario(tiny.yaml)
    assert (sc.sites["A-outer"].land_price, sc.sites["A-outer"].land_ha) == (500, 200)
    assert sc.sites["A-outer"].lon == 116.123456789012
    assert sc.regions["A"].adcode == "110000"


def test_a_formula_is_read_as_its_saved_result(tiny: Editable) -> None:
    book = book_of(tiny)
    save_with_result(book, use_workbook(tiny), "sites", "E4", "=E3/2+(1-1)*0", "600")
    assert load_scenario(tiny.yaml).sites["A-outer"].land_price == 600


def test_cells_that_are_not_values_are_named_with_every_other_problem(tiny: Editable) -> None:
    book = book_of(tiny)
    sites = book["sites"]
    sites["E2"] = "=D2*150"  # a formula openpyxl saves without a result, as a file never opened in Excel
    sites["D3"] = "#DIV/0!"
    sites["H4"] = True
    sites["D5"] = datetime.datetime(2025, 1, 1)
    sites["E6"] = "cheap"
    sites["K7"] = "stray note"
    sites.merge_cells("C3:C4")
    book["industries"]["E3"] = "=1/0"
    book.save(use_workbook(tiny))
    assert problems(tiny.yaml) == [
        f"{SITES} row 2, column land_price: holds the formula '=D2*150' without a saved result; planner does not "
        "calculate formulas: open the workbook in Excel (or WPS) and save it, or write the value",
        f"{SITES} row 3, column land_ha: holds the error #DIV/0!; write a value",
        f"{SITES} row 4, column cost_factor: TRUE is a yes/no (TRUE/FALSE) cell, not a number or text",
        f"{SITES} row 5, column land_ha: holds a date or time (2025-01-01 00:00:00); write the number or text "
        "itself, in a cell formatted as General or Text",
        f"{SITES} row 3, column zone: cells C3:C4 are merged; unmerge them and write the value in each cell",
        f"{SITES} row 7, column K: has a value but no column name in row 1",
        "tiny/book.xlsx sheet industries row 3, column demand: holds the formula '=1/0' without a saved result; "
        "planner does not calculate formulas: open the workbook in Excel (or WPS) and save it, or write the value",
        f"{SITES} row 6, column land_price: 'cheap' is not a number",
    ]


def test_a_missing_sheet_and_a_wrong_header_are_named_as_for_csv(tiny: Editable) -> None:
    book = book_of(tiny, ("regions", "sites", "functions"))
    book["sites"]["H1"] = "cost_factr"
    book["regions"].insert_rows(1)  # the header is row 1
    book.save(use_workbook(tiny))
    assert problems(tiny.yaml) == [
        "tiny/book.xlsx sheet regions row 1: is empty; the header row with columns id, name, name_zh, tier, lon, "
        "lat, adcode, energy_budget, max_new_industries must be the first row of the sheet",
        "tiny/book.xlsx sheet sites row 1, column cost_factr: unknown column; expected id, region, zone, land_ha, "
        "land_price, lon, lat, cost_factor, adcode, or cap_<name>",
        "tiny/book.xlsx: has no sheet 'industries' (the industries table, named by tables.industries in "
        "tiny/scenario.yaml); its sheets are 'regions', 'sites', 'functions'",
    ]


def test_a_workbook_that_cannot_be_read_is_one_problem(tiny: Editable) -> None:
    use_workbook(tiny).write_text("id,name\n", encoding="utf-8")
    assert problems(tiny.yaml) == [
        "tiny/book.xlsx: is not an Excel workbook (.xlsx): it is not a zip file; save it from Excel as Excel "
        "Workbook (.xlsx) (the regions table, named by tables.regions in tiny/scenario.yaml)"]
    (tiny.root / "book.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert problems(tiny.yaml) == [
        "tiny/book.xlsx: is an Excel 97-2003 workbook (.xls), which planner cannot read; save it as Excel Workbook "
        "(.xlsx) (the regions table, named by tables.regions in tiny/scenario.yaml)"]
    (tiny.root / "book.xlsx").unlink()
    assert problems(tiny.yaml) == [
        "tiny/book.xlsx: file not found (the regions table, named by tables.regions in tiny/scenario.yaml)"]


def test_a_csv_name_on_a_workbook_says_so(tiny: Editable) -> None:
    book_of(tiny).save(tiny.table("sites"))
    assert problems(tiny.yaml) == [
        "tiny/tables/sites.csv: is a zip file (an Excel workbook?), not CSV text; name a workbook with its .xlsx "
        "ending (the sites table, named by tables.sites in tiny/scenario.yaml)"]


def test_validate_and_run_refuse_a_broken_cell_writing_nothing(tiny: Editable, tmp_path: Path) -> None:
    book = book_of(tiny)
    book["sites"]["E3"] = "cheap"
    book.save(use_workbook(tiny))
    line = "tiny/book.xlsx sheet sites row 3, column land_price: 'cheap' is not a number"
    for args in (("validate", tiny.yaml), ("run", tiny.yaml, "--out", tmp_path / "out")):
        result = invoke(*args)
        assert result.exit_code == 2 and line in result.output.splitlines(), result.output
    assert not (tmp_path / "out").exists()


def test_export_then_run_from_the_workbook_gives_the_same_optimum(tiny: Editable, tmp_path: Path) -> None:
    tiny.replace("tables/industries.csv", "Steel,钢铁", "=HYPERLINK(\"x\"),钢铁")  # text that looks like a formula
    tiny.append("scenario.yaml", "overrides:\n  - table: sites\n    where: {region: B}\n    scale: {land_price: 1.5}\n")
    exported = invoke("export", tiny.yaml, "--xlsx", "tiny/edit/book.xlsx")
    assert exported.exit_code == 0, exported.output
    assert exported.output.splitlines() == [
        "wrote tiny/edit/book.xlsx (sheets regions, sites, industries, functions); to read the tables from it, "
        "write in scenario.yaml (instead of its tables section):", "  tables: edit/book.xlsx"]
    book = openpyxl.load_workbook(tiny.root / "edit" / "book.xlsx")
    assert book.sheetnames == list(TABLES)
    far = tmp_path.parent / f"{tmp_path.name}-far" / "book.xlsx"  # two folders up: named whole, not as ../../
    far.parent.mkdir(parents=True)
    aside = invoke("export", tiny.yaml, "--xlsx", far)
    assert aside.exit_code == 0 and aside.output.splitlines()[-1] == f"  tables: {far.resolve().as_posix()}"
    assert [c.value for c in book["sites"][2]] == ["A-center", "A", "center", 20, 3000, 116.4, 39.9, 1.2, 0.9]
    assert book["industries"]["B3"].data_type == "s"  # text, never a formula
    copy = tiny.root / "from-workbook.yaml"
    shutil.copy(tiny.yaml, copy)
    use_workbook(Editable(tiny.root), "tables: edit/book.xlsx")  # the scenario now reads the workbook
    assert tables_of(tiny.yaml) == tables_of(_with_csv(tiny))
    run = invoke("run", tiny.yaml, "--out", tmp_path / "xlsx")
    assert run.exit_code == 0, run.output
    summary = json.loads((tmp_path / "xlsx" / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "optimal"
    assert summary["objective"] == solve_scenario(_with_csv(tiny)).result.objective
    assert invoke("export", tiny.yaml, "--xlsx", tiny.root / "edit" / "book.xlsx").exit_code == 2  # kept
    assert invoke("export", tiny.yaml, "--xlsx", tiny.root / "edit" / "book.xlsx", "--force").exit_code == 0


def _with_csv(tiny: Editable) -> Path:
    """A sibling of the copy's scenario reading its CSV tables (as the fixture does)."""
    path = tiny.root / "csv.yaml"
    tables = "".join(f"  {name}: tables/{name}.csv\n" for name in TABLES)
    text = tiny.yaml.read_text(encoding="utf-8")
    start, end = text.index("tables:"), text.index("settings:")
    path.write_text(text[:start] + "tables:\n" + tables + text[end:], encoding="utf-8")
    return path


def test_version_2_tables_come_from_the_workbook_too(tiny: Editable) -> None:
    brownfield(tiny)
    from_csv = tables_of(tiny.yaml)
    exported = invoke("export", tiny.yaml, "--xlsx", tiny.root / "book.xlsx")
    assert "(sheets regions, sites, industries, functions, stock)" in exported.output
    use_workbook(tiny)
    assert tables_of(tiny.yaml) == from_csv
    book = openpyxl.load_workbook(tiny.root / "book.xlsx")
    book["stock"]["D3"] = "lots"
    book.save(tiny.root / "book.xlsx")
    assert problems(tiny.yaml) == ["tiny/book.xlsx sheet stock row 3, column capacity: 'lots' is not a number"]


def test_tables_as_one_file_must_be_a_workbook(tiny: Editable) -> None:
    use_workbook(tiny, "tables: tables/sites.csv")
    assert problems(tiny.yaml) == [
        "tiny/scenario.yaml key tables: expected a mapping of tables to files (regions: tables/regions.csv, ...) or "
        "one Excel workbook (tables: book.xlsx), got 'tiny/tables/sites.csv'"]


def test_init_xlsx_writes_the_starter_tables_as_one_workbook(tmp_path: Path) -> None:
    made = invoke("init", tmp_path / "book", "--xlsx")
    assert made.exit_code == 0, made.output
    assert sorted(p.name for p in (tmp_path / "book").iterdir()) == ["README.md", "scenario.yaml", "tables.xlsx"]
    text = (tmp_path / "book" / "scenario.yaml").read_text(encoding="utf-8")
    assert "\ntables: tables.xlsx " in text and ".csv" not in text
    assert "## sheet sites of tables.xlsx" in (tmp_path / "book" / "README.md").read_text(encoding="utf-8")
    assert invoke("init", tmp_path / "csv").exit_code == 0
    assert tables_of(tmp_path / "book" / "scenario.yaml") == tables_of(tmp_path / "csv" / "scenario.yaml")
    assert invoke("validate", tmp_path / "book" / "scenario.yaml").exit_code == 0


def test_the_published_schema_takes_one_workbook_as_the_tables() -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads(invoke("schema").output)
    validator = Draft202012Validator(schema)
    assert validator.is_valid({"name": "a", "tables": "tables/Book.XLSX"})
    tables = {"regions": "r.csv", "sites": "b.xlsx#用地", "industries": "i.csv", "functions": "b.xlsx"}
    assert validator.is_valid({"name": "a", "tables": tables})
    assert not validator.is_valid({"name": "a", "tables": "tables/sites.csv"})


def test_export_refuses_text_a_workbook_cannot_hold_and_writes_nothing(tiny: Editable) -> None:
    tiny.replace("tables/industries.csv", "Steel,", "Ste\x07el,")
    result = invoke("export", tiny.yaml, "--xlsx", "tiny/book.xlsx")
    assert result.exit_code == 2
    assert ("tiny/tables/industries.csv row 3, column name: holds the control character U+0007, which an Excel "
            "workbook cannot hold; remove it to export the tables") in result.output.splitlines()
    assert not (tiny.root / "book.xlsx").exists()
    assert not [p.name for p in tiny.root.iterdir() if "partial" in p.name]


def test_a_workbook_named_by_an_extended_file_is_found_beside_it(tiny: Editable) -> None:
    from_csv = tables_of(tiny.yaml)
    book_of(tiny).save(use_workbook(tiny))
    child = tiny.root / "variants" / "child.yaml"
    child.parent.mkdir()
    child.write_text("extends: ../scenario.yaml\nname: child\n", encoding="utf-8")
    assert tables_of(child) == from_csv
