"""Shared pieces of the research tests: scenario copies and runs under each solver, made once per module."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from planner.run import RunOutcome, run
from planner.solve import solver_versions

FIXTURES = Path(__file__).parent.parent / "fixtures"
AVAILABLE = {name for name, version in solver_versions().items() if version is not None}


def needs(solver: str):
    """Skip a test (or a parameter) when `solver` is not installed here."""
    return pytest.mark.skipif(solver not in AVAILABLE, reason=f"solver {solver} is not installed here")


def copy_tiny(root: Path) -> Path:
    """A copy of tests/fixtures/tiny under `root`; returns its scenario.yaml."""
    shutil.copytree(FIXTURES / "tiny", root)
    return root / "scenario.yaml"


def variant(yaml_path: Path, name: str, edit) -> Path:  # edit: dict -> None
    """A sibling scenario file of `yaml_path` (same tables) with `edit` applied to its mapping."""
    doc = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    doc["name"] = name
    edit(doc)
    path = yaml_path.with_name(f"{name}.yaml")
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def solve_into(scenario: Path, out: Path, **options) -> RunOutcome:
    """`planner run` into `out` (exact optimum unless told otherwise)."""
    options.setdefault("mip_gap", 0.0)
    return run(scenario, out, **options)


@pytest.fixture(scope="module")
def tiny_yaml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny scenario, copied once per module."""
    return copy_tiny(tmp_path_factory.mktemp("scenarios") / "tiny")
