"""Issue 21, everyday use: the command line as a script or a new user meets it, run in a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLANNER = [sys.executable, "-m", "planner"]


def planner(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`planner ARGS` in a subprocess whose output is a pipe (not a terminal), stdout and stderr captured."""
    env = {**os.environ, "COLUMNS": "60"}
    return subprocess.run([*PLANNER, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_help_shows_flags_without_a_value_type() -> None:
    top = planner("--help").stdout
    assert "--version" in top and "<bool>" not in top
    run_help = planner("run", "--help").stdout
    assert "--force" in run_help and "<bool>" not in run_help and "<float>" in run_help


def test_an_absolute_out_path_is_shown_absolute(tiny) -> None:
    out = (tiny.root.parent / "taken").resolve()
    out.mkdir()
    (out / "x").write_text("x")
    result = planner("run", tiny.yaml, "--out", out)
    assert result.returncode == 2
    assert f"{out} already exists and is not empty" in result.stderr
    relative = planner("run", tiny.yaml, "--out", "taken", cwd=tiny.root.parent)
    assert "Error: taken already exists and is not empty" in relative.stderr


def test_sweeps_folder_is_ignored_by_git() -> None:
    lines = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "sweeps/" in lines and "runs/" in lines


def test_embedding_the_font_leaves_no_file_open() -> None:
    code = ("import gc; from planner.maps import fonts; css = fonts.font_face_css('京津冀协同'); gc.collect(); "
            "print('@font-face' in css)")
    result = subprocess.run([sys.executable, "-X", "dev", "-W", "always::ResourceWarning", "-c", code],
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "True", result.stderr
    assert "ResourceWarning" not in result.stderr


def test_solvers_show_install_hints_only_for_missing_solvers() -> None:
    result = planner("solvers")
    assert result.returncode == 0
    assert "highs" in result.stdout and "pip install highspy" not in result.stdout
    for line in result.stdout.splitlines():
        assert ("not available" in line) == ("apt-get install" in line or "pip install" in line), line
