"""`planner export SCENARIO --lp FILE --mps FILE`: the model of a scenario for other tools; `planner export
SCENARIO --xlsx FILE`: the scenario's tables as one workbook to edit in Excel (:func:`export_tables`); `planner
export RUN --gpkg FILE --xlsx FILE`: the plan of a run folder for GIS and Excel (:func:`export_run`).

Pyomo's own writers are used: CPLEX LP format and free MPS, with symbolic names by default
(`x(ai_rd_BJ_center)`, `c_u_land(BJ_center)_`, ...), so rows and columns can be traced back
to docs/model.md; a non-ASCII character in an id is written as `u` and its code point in hex.
Variables fixed by the scenario (lock_in, u in hard mode) are written as constants.
The model is exactly what `planner run` solves (the same build), so any MILP solver that reads
the file reaches the same optimum. For a scenario with periods or stock that is the whole model over
the periods (docs/model.md version 2): every period's block (`period(2030)_q(...)`, ...), the balance,
opening, 先立后破 and phase-out rows and the discounted objective.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from pyomo.core.base.label import cpxlp_label_from_name
from pyomo.opt import ProblemFormat

from planner.run import build
from planner.scenario import InputErrors, Problem, load_scenario
from planner.scenario.schema import is_number_column
from planner.scenario.tables import RawTable
from planner.scenario.values import is_plain_number

FORMATS = {"lp": ProblemFormat.cpxlp, "mps": ProblemFormat.mps}


class AsciiLabeler:
    """Pyomo's symbolic LP names, with each non-ASCII character (a Chinese id) written as `u` and its code point in
    hex (`北京` -> `u5317u4eac`): GLPK and other tools read only ASCII names."""

    def __call__(self, obj: Any) -> str:
        label = cpxlp_label_from_name(obj.getname(True))
        return label if label.isascii() else "".join(c if c.isascii() else f"u{ord(c):x}" for c in label)


@contextmanager
def _written_in_place(path: Path) -> Iterator[Path]:
    """A temporary sibling of `path` to write (its folder made, its suffix kept: writers tell the format by it),
    renamed to `path` when the block ends; removed whatever happens, so `path` is never half written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.partial{path.suffix}")
    try:
        yield tmp
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class Exported:
    """One written file."""

    path: Path
    format: str
    n_variables: int
    n_binaries: int
    n_constraints: int


def export_model(scenario_path: Path | str, lp: Path | str | None = None, mps: Path | str | None = None,
                 symbolic: bool = True) -> list[Exported]:
    """Build the scenario's model and write it as LP and/or MPS; return what was written."""
    if lp is None and mps is None:
        raise ValueError("give --lp FILE and/or --mps FILE")
    built = build(load_scenario(scenario_path))
    size = built.size
    written = []
    for kind, target in (("lp", lp), ("mps", mps)):
        if target is None:
            continue
        path = Path(target)
        try:
            with _written_in_place(path) as tmp:
                built.model.write(str(tmp), format=FORMATS[kind], io_options={"labeler": AsciiLabeler()} if symbolic
                                  else {"symbolic_solver_labels": False})
        except RuntimeError as exc:  # Pyomo's "Duplicate symbol": two ids that differ only where names use `_`
            if "Duplicate symbol" not in str(exc):
                raise
            raise ValueError(f"two ids give the same name in the {kind.upper()} file ({str(exc).strip()}); "
                             "write it with --no-symbolic") from None
        written.append(Exported(path, kind, size["n_variables"], size["n_binaries"], size["n_constraints"]))
    return written


def export_run(run_dir: Path | str, gpkg: Path | str | None = None, xlsx: Path | str | None = None,
               lang: str = "en") -> list[Path]:
    """Write the plan of the run folder `run_dir` as a GeoPackage and/or an Excel workbook (the ``plan.gpkg`` and
    ``plan.xlsx`` a run folder holds, for folders written before them); return the files written. Each file is
    written to a temporary sibling and renamed into place."""
    from planner.maps.exports import write_geopackage, write_workbook

    if gpkg is None and xlsx is None:
        raise ValueError("give --gpkg FILE and/or --xlsx FILE")
    written = []
    for target, writer in ((gpkg, write_geopackage), (xlsx, partial(write_workbook, lang=lang))):
        if target is None:
            continue
        path = Path(target)
        with _written_in_place(path) as tmp:
            writer(Path(run_dir), tmp)
        written.append(path)
    return written


@dataclass(frozen=True)
class ExportedTables:
    """The workbook `planner export SCENARIO --xlsx` wrote."""

    path: Path
    sheets: tuple[str, ...]
    """The sheets written, one per table, each named after its table."""
    tables_entry: str
    """What to write in the scenario file to read its tables from the workbook (`tables: book.xlsx`)."""


def export_tables(scenario_path: Path | str, xlsx: Path | str) -> ExportedTables:
    """Write the tables of the scenario as one Excel workbook, a sheet per table named after it, the cells as the
    tables hold them (before the scenario's overrides; numbers as number cells, everything else as text). A scenario
    whose `tables` is then the workbook gives the same plan. Written to a temporary sibling and renamed into place."""
    import pandas as pd

    from planner.runfolder.write import write_workbook_sheets
    from planner.scenario.loader import tables_as_written

    tables = tables_as_written(scenario_path)
    problems = [problem for table in tables.values() for problem in _not_for_a_workbook(table)]
    if problems:
        raise InputErrors(problems)
    sheets = {name: pd.DataFrame([[_cell_value(name, column, row[column]) for column in table.columns]
                                  for row in table.rows], columns=table.columns, dtype=object)
              for name, table in tables.items()}
    path = Path(xlsx)
    with _written_in_place(path) as tmp:
        write_workbook_sheets(tmp, sheets)
    return ExportedTables(path, tuple(sheets), f"tables: {_as_seen_from(path, Path(scenario_path).parent)}")


def _as_seen_from(path: Path, folder: Path) -> str:
    """`path` as a scenario file in `folder` names it: relative when it is in that folder or beside it, absolute
    when it lies further away (a path of `../../../../tmp/book.xlsx` says less than `/tmp/book.xlsx`)."""
    relative = Path(os.path.relpath(path.resolve(), folder.resolve()))
    far = relative.parts[:2] == (os.pardir, os.pardir)
    return (path.resolve() if far else relative).as_posix()


def _not_for_a_workbook(table: RawTable) -> list[Problem]:
    """The cells of `table` holding a control character, which the XML of a workbook cannot hold, each a problem."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cells = [(1, column, column) for column in table.columns]
    cells += [(line, column, row[column]) for line, row in zip(table.row_numbers, table.rows, strict=True)
              for column in table.columns]
    problems = []
    for line, column, text in cells:
        found = ILLEGAL_CHARACTERS_RE.search(text)
        if found:
            problems.append(Problem(table.shown, f"row {line}", column,
                                    f"holds the control character U+{ord(found.group()):04X}, which an Excel "
                                    "workbook cannot hold; remove it to export the tables"))
    return problems


def _cell_value(table: str, column: str, cell: str) -> str | int | float | None:
    """A table's cell for the workbook: empty as an empty cell, a number of a number column as a number cell."""
    text = cell.strip()
    if not text:
        return None
    if not (is_plain_number(text) and is_number_column(table, column)):
        return cell
    number = float(text)
    return int(number) if number.is_integer() and abs(number) < 1e15 and not re.search(r"[.eE]", text) else number
