"""Reading the JSON files of a run folder (docs/run-folder.md), with one-line errors naming the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class RunFolderError(Exception):
    """A folder that is not a (complete) run folder, or a run without what a command needs; one line."""


def read_summary(run_dir: Path) -> dict[str, Any]:
    """``summary.json`` of the run folder `run_dir`; :class:`RunFolderError` when there is none to read."""
    if not run_dir.exists():
        raise RunFolderError(f"run folder {run_dir} does not exist")
    if not run_dir.is_dir():
        raise RunFolderError(f"{run_dir} is not a folder")
    return _read_json(run_dir, "summary.json", required=True)


def read_manifest(run_dir: Path, required: bool = False) -> dict[str, Any]:
    """``manifest.json`` of the run folder `run_dir` ({} when it has none, unless `required`)."""
    return _read_json(run_dir, "manifest.json", required)


def _read_json(run_dir: Path, name: str, required: bool) -> dict[str, Any]:
    path = run_dir / name
    if not path.is_file():
        if required:
            raise RunFolderError(f"{run_dir} is not a run folder (no {name})")
        return {}
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise RunFolderError(f"{path} is not valid JSON: {exc}") from None
