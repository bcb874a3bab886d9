"""CSV files planner writes: no cell a spreadsheet would run as a formula, numbers left numbers, and the run
folder's `inputs/` still rerun to the same plan (planner.cells: the quote is taken off again when read)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from planner.cells import FORMULA_STARTS, QUOTE, formula_safe, read_cell, safe_cell
from planner.cli import app
from planner.maps.rundata import load_run
from planner.scenario import load_scenario
from tests.conftest import Editable
from tests.hostile.conftest import Outputs

NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _cells(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _runs_as_formula(cell: str) -> bool:
    return bool(cell) and cell[0] in FORMULA_STARTS and not NUMBER.fullmatch(cell)


@given(st.text())
def test_a_cell_reads_back_as_written(text: str) -> None:
    assert read_cell(safe_cell(text)) == text


@given(st.text())
def test_no_written_cell_starts_a_formula(text: str) -> None:
    assert not _runs_as_formula(safe_cell(text))


@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers())
def test_numbers_are_left_alone(number: float) -> None:
    assert safe_cell(number) == number
    assert safe_cell(repr(number)) == repr(number)  # a number as text is a number to a spreadsheet too


def test_the_rule_on_a_table() -> None:
    frame = pd.DataFrame({"name": ["=1+2", "+x", "-x", "@SUM(A1)", "\tcmd", "\r=x", "-1.5", "ok", "'=x", None],
                          "delta": [-1.5, 2.0, -3e-9, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]})
    safe = formula_safe(frame)
    assert safe["name"].tolist()[:9] == ["'=1+2", "'+x", "'-x", "'@SUM(A1)", "'\tcmd", "'\r=x", "-1.5", "ok", "''=x"]
    assert pd.isna(safe["name"].iloc[9])
    assert safe["delta"].tolist() == frame["delta"].tolist()
    text = safe.to_csv(index=False, lineterminator="\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert [r[1] for r in rows[1:4]] == ["-1.5", "2.0", "-3e-09"]  # negative numbers written as numbers


def test_every_csv_of_every_command_is_formula_safe(hostile: Outputs) -> None:
    tables = sorted(hostile.out.rglob("*.csv"))
    names = {p.name for p in tables}
    assert {"assignments.csv", "links.csv", "sites.csv", "regions.csv", "industries.csv", "compare.csv",
            "moved_functions.csv", "importance.csv", "alternatives.csv", "selection_frequency.csv", "pareto.csv",
            "results.csv"} <= names
    unsafe = [f"{p.relative_to(hostile.out)} row {n + 1}: {cell[:40]!r}"
              for p in tables for n, row in enumerate(_cells(p)) for cell in row if _runs_as_formula(cell)]
    assert not unsafe, "\n".join(unsafe[:20])
    quoted = [cell for cell in _cells(hostile.run_a / "assignments.csv")[1] if cell.startswith(QUOTE)]
    assert quoted, "the hostile ids should have needed the quote"


def test_numbers_stay_numbers(hostile: Outputs) -> None:
    assignments = pd.read_csv(hostile.run_a / "assignments.csv")
    for column in ("capacity", "land_ha", "land_cost", "setup_cost", "operating_cost"):
        assert pd.api.types.is_float_dtype(assignments[column]), column


def test_inputs_rerun_to_the_same_plan_with_the_text_as_written(hostile: Outputs, tmp_path: Path) -> None:
    first = hostile.run_a
    again = tmp_path / "again"
    result = CliRunner().invoke(app, ["run", str(first / "inputs" / "scenario.yaml"), "--out", str(again)])
    assert result.exit_code == 0, result.output
    for name in ("regions", "sites", "industries", "functions"):
        assert (again / "inputs" / f"{name}.csv").read_bytes() == (first / "inputs" / f"{name}.csv").read_bytes()
    assert (again / "assignments.csv").read_bytes() == (first / "assignments.csv").read_bytes()
    original, rerun = load_scenario(hostile.scenario), load_scenario(first / "inputs" / "scenario.yaml")
    assert rerun.industries == original.industries and rerun.regions == original.regions
    assert rerun.sites == original.sites and rerun.functions == original.functions
    drawn = load_run(first)  # the maps read the names as written, without the quote
    assert sorted(drawn.industries["name"]) == sorted(i.name for i in original.industries.values())
    assert sorted(drawn.industries.index) == sorted(original.industries)


def test_a_quoted_cell_of_a_scenario_table_reads_as_a_spreadsheet_means_it(tiny: Editable) -> None:
    tiny.replace("tables/industries.csv", "ai,Artificial intelligence,", "ai,'=Artificial intelligence,")
    tiny.replace("tables/industries.csv", "steel,Steel,", "steel,'Steel,")
    names = {i: row.name for i, row in load_scenario(tiny.yaml).industries.items()}
    assert names == {"ai": "=Artificial intelligence", "steel": "'Steel"}


def test_a_carriage_return_inside_a_text_cell_keeps_the_inputs_rerunnable(tiny: Editable, tmp_path: Path) -> None:
    tiny.append("scenario.yaml", 'overrides:\n  - table: industries\n    where: {id: ai}\n    set: {name: "=a\\rb"}\n')
    first, again = tmp_path / "first", tmp_path / "again"
    for scenario, out in ((tiny.yaml, first), (first / "inputs" / "scenario.yaml", again)):
        result = CliRunner().invoke(app, ["run", str(scenario), "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert (again / "inputs" / "industries.csv").read_bytes() == (first / "inputs" / "industries.csv").read_bytes()
    assert load_run(again).industries.at["ai", "name"] == "=a\rb"
    assert load_scenario(first / "inputs" / "scenario.yaml").industries["ai"].name == "=a\rb"


def test_the_workbook_of_a_run_holds_no_formula_and_the_text_as_written(hostile: Outputs) -> None:
    """plan.xlsx: a text that starts like a formula is stored as text (quote prefix), never as a formula, and reads
    back as the scenario wrote it (the CSV's text with the quote taken off)."""
    import openpyxl

    from planner.cells import as_written, needs_quote

    book = openpyxl.load_workbook(hostile.run_a / "plan.xlsx")
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    risky = [c for c in cells if isinstance(c.value, str) and needs_quote(c.value)]
    assert risky and all(c.quotePrefix for c in risky)
    sheet = book["assignments"]
    rows = list(sheet.iter_rows(values_only=True))
    expected = as_written(pd.read_csv(hostile.run_a / "assignments.csv"))
    assert list(rows[0]) == expected.columns.tolist()
    assert [r[0] for r in rows[1:]] == expected["industry"].tolist()
    assert [r[2] for r in rows[1:]] == expected["site"].tolist()
