"""Writing run folders (docs/scenario.md "The run folder") atomically: complete or absent."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import pandas as pd
import yaml

from planner import __version__
from planner.cells import formula_safe, quoting, text_cells_safe
from planner.scenario.errors import display_path
from planner.scenario.scenario import Scenario
from planner.scenario.schema import PREFIXED_COLUMNS

if TYPE_CHECKING:  # the solver adapters are imported only by the commands that solve
    from planner.solve import SolveResult


class OutputExists(Exception):
    """The output folder exists, is not empty, and overwriting was not asked for."""


def check_output(out: Path, force: bool) -> None:
    """Refuse a non-empty existing output folder unless `force`, or one that cannot be made; called before any
    solving."""
    check_location(out)
    if out.exists() and not out.is_dir():
        raise OutputExists(f"{display_path(out)} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputExists(f"{display_path(out)} already exists and is not empty; choose another --out or add --force")


def check_file_output(path: Path, force: bool) -> None:
    """Refuse a folder, an existing file unless `force`, or a place that cannot be written, as a file to write;
    called before anything is written."""
    check_location(path)
    if path.is_dir():
        raise OutputExists(f"{display_path(path)} is a folder; give a file name")
    if path.exists() and not force:
        raise OutputExists(f"{display_path(path)} already exists; choose another file or add --force")


def check_location(path: Path) -> None:
    """Refuse `path` when it cannot be written: one of its parents is not a folder (a file, a broken or looping
    link), or the names below the nearest existing one cannot be made there (tried in a temporary folder, removed
    again: a folder where nothing can be made, a name too long)."""
    target = Path(os.path.abspath(path))
    parent = next(p for p in target.parents if os.path.lexists(p))
    if not parent.is_dir():
        raise OutputExists(f"cannot write {display_path(path)}: {display_path(parent)} is not a folder")
    probe = None
    try:
        probe = tempfile.mkdtemp(dir=parent, prefix=".planner-check-")
        os.makedirs(os.path.join(probe, target.relative_to(parent)))
    except OSError as exc:
        where = display_path(parent) if probe is None else display_path(path)
        raise OutputExists(f"cannot write {display_path(path)}: {where}: {exc.strerror}") from None
    finally:
        if probe is not None:
            shutil.rmtree(probe, ignore_errors=True)


@contextmanager
def atomic_folder(out: Path, force: bool) -> Iterator[Path]:
    """Yield a temporary sibling folder to fill; on success it replaces `out` in one rename."""
    check_output(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    check_output(out, force)  # another process may have written it meanwhile
    trash = None
    if out.exists():
        trash = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
        os.replace(out, trash)
    os.replace(tmp, out)
    if trash is not None:
        shutil.rmtree(trash, ignore_errors=True)


def sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def now() -> str:
    """The current UTC time in ISO 8601."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def manifest(scenario: Scenario, result: SolveResult | None, started_at: str) -> dict[str, Any]:
    """The content of manifest.json."""
    import pyomo.version

    return {
        "planner_version": __version__,
        "python_version": platform.python_version(),
        "pyomo_version": pyomo.version.version,
        "solver": ({"name": result.solver, "version": result.solver_version, "options": result.options}
                   if result else {"name": scenario.solver.name, "version": None, "options": scenario.solver.model_dump()}),
        "scenario_path": display_path(scenario.path),
        "inputs": {display_path(p): sha256(p) for p in scenario.files},
        "scenario": scenario.spec.model_dump(mode="json"),
        "started_at": started_at,
        "finished_at": now(),
        "host": platform.node(),
        "command": sys.argv,
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write JSON, UTF-8, indented, Chinese kept readable."""
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """Write a table as UTF-8 CSV without the index, its text cells formula-safe (:mod:`planner.cells`)."""
    safe = formula_safe(frame)
    safe.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", quoting=quoting(safe))


def write_workbook_sheets(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    """Write tables as the Excel workbook `path`, one sheet per (sheet name, table), without the index; a text cell
    that starts like a formula is stored as text (:func:`planner.cells.text_cells_safe`), never as a formula."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, table in sheets.items():
            table.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            text_cells_safe(sheet, table)
            sheet.freeze_panes = "A2"


def write_inputs(folder: Path, scenario: Scenario, solver: dict[str, Any] | None = None) -> None:
    """Write the tables as the model saw them and a scenario.yaml that reruns them.

    `solver` is the solver section the run really used (command-line options included).
    """
    folder.mkdir()
    tables = {"regions": scenario.regions.values(), "sites": scenario.sites.values(),
              "industries": scenario.industries.values(), "functions": scenario.functions.values()}
    for name, rows in tables.items():
        records = []
        for row in rows:
            record = row.model_dump()
            if name in PREFIXED_COLUMNS:
                prefix, bucket = PREFIXED_COLUMNS[name]
                record.update({f"{prefix}{k}": v for k, v in record.pop(bucket).items()})
            records.append(record)
        write_csv(folder / f"{name}.csv", pd.DataFrame(records))
    spec = scenario.spec.model_dump(mode="json", exclude={"extends", "overrides"})
    spec["tables"] = {name: f"{name}.csv" for name in tables}
    if solver is not None:
        spec["solver"] = solver
    (folder / "scenario.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")


Writer = Callable[[Path], None]


def write_run_folder(out: Path, force: bool, files: dict[str, Writer]) -> None:
    """Create `out` atomically with one writer per file name (each writer gets the file's path)."""
    with atomic_folder(out, force) as tmp:
        for name, writer in files.items():
            writer(tmp / name)
