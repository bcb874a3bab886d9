"""Reading a run folder (docs/run-folder.md) back: its JSON files and tables, with one-line errors naming the file."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.cells import as_written
from planner.runfolder.format import MANIFEST, NUMBER_COLUMNS, NUMBER_KEYS, STATUSES, SUMMARY

if TYPE_CHECKING:  # pandas is imported when a table is read
    import pandas as pd



class RunFolderError(Exception):
    """A folder that is not a (complete) run folder, or a run without what a command needs; one line."""


def read_summary(run_dir: Path) -> dict[str, Any]:
    """``summary.json`` of the run folder `run_dir`; :class:`RunFolderError` when there is none to read."""
    if not run_dir.exists():
        raise RunFolderError(f"run folder {run_dir} does not exist")
    if not run_dir.is_dir():
        raise RunFolderError(f"{run_dir} is not a folder")
    summary = _read_json(run_dir, SUMMARY, required=True)
    path = run_dir / SUMMARY
    if summary.get("status") not in STATUSES:
        raise RunFolderError(f"{path} key status: {summary.get('status')!r} is not one of {', '.join(STATUSES)}")
    for key in NUMBER_KEYS:
        value = summary.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise RunFolderError(f"{path} key {key}: {value!r} is not a number")
    return summary


def read_manifest(run_dir: Path, required: bool = False) -> dict[str, Any]:
    """``manifest.json`` of the run folder `run_dir` ({} when it has none, unless `required`)."""
    manifest = _read_json(run_dir, MANIFEST, required)
    solver = manifest.get("solver", {})
    if not isinstance(solver, dict) or not isinstance(solver.get("options", {}), dict):
        raise RunFolderError(f"{run_dir / MANIFEST} key solver: not a mapping of name, version and options")
    return manifest


def solver_label(info: dict[str, Any]) -> str:
    """A recorded solver (`manifest.json` `solver`: name and version) as text: `highs 1.15.1`, or `highs` without
    a version."""
    return f"{info.get('name') or ''} {info.get('version') or ''}".strip()


def _read_json(run_dir: Path, name: str, required: bool) -> dict[str, Any]:
    path = run_dir / name
    if not path.is_file():
        if required:
            raise RunFolderError(f"{run_dir} is not a run folder (no {name})")
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise RunFolderError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise RunFolderError(f"{path} is not a JSON object")
    return data


def read_table(path: Path, columns: Iterable[str], **options: Any) -> pd.DataFrame:
    """The CSV table `path` of a run folder (`options` go to `pandas.read_csv`); :class:`RunFolderError` when it is
    missing, unreadable, or lacks one of `columns`."""
    import pandas as pd

    if not path.is_file():
        raise RunFolderError(f"{path} is missing: not a complete run folder")
    try:
        frame = as_written(pd.read_csv(path, **options))
    except (ValueError, UnicodeDecodeError) as exc:  # pandas' parser and empty-file errors are ValueErrors
        raise RunFolderError(f"{path} is not a readable CSV table: {exc}") from None
    columns = list(columns)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise RunFolderError(f"{path} lacks the column{'s' * (len(missing) > 1)} {', '.join(missing)}: "
                             "not a complete run folder")
    for column in NUMBER_COLUMNS.intersection(columns):
        numbers = pd.to_numeric(frame[column], errors="coerce")
        bad = numbers.isna() & frame[column].notna() & (frame[column].astype(str).str.strip() != "")
        if bad.any():
            row = int(bad.to_numpy().argmax())
            raise RunFolderError(f"{path} row {row + 2}, column {column}: {frame[column].iloc[row]!r} is not a number")
        frame[column] = numbers
    return frame
