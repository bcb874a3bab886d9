"""Reproducibility: the same scenario, solver, seed and threads give the same assignments.csv byte for byte
(also in a fresh process with another hash seed, and when rerun from the run folder alone); the manifest holds
everything needed to rerun it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from planner.scenario import load_scenario
from planner.solve import solver_versions
from tests.reference.generator import write_random_scenario

from .conftest import needs, solve_into

OPTIONS = {"seed": 7, "threads": 1, "time_limit": 60.0, "mip_gap": 1e-4}


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 4-region, 4-industry random scenario: enough branching for the search path to matter."""
    return write_random_scenario(tmp_path_factory.mktemp("repro") / "scn", 5, n_regions=4, n_industries=4)


@pytest.mark.parametrize("solver", ["highs", pytest.param("cbc", marks=needs("cbc"))])
def test_same_inputs_same_bytes(scenario: Path, tmp_path: Path, solver: str) -> None:
    first = solve_into(scenario, tmp_path / "a", name=solver, **OPTIONS)
    second = solve_into(scenario, tmp_path / "b", name=solver, **OPTIONS)
    assert first.status == "optimal"
    for name in ("assignments.csv", "links.csv", "sites.csv"):
        assert (first.out / name).read_bytes() == (second.out / name).read_bytes(), name
    # rerun from the run folder alone: inputs/scenario.yaml and the solver options of manifest.json
    manifest = json.loads((first.out / "manifest.json").read_text(encoding="utf-8"))
    options = dict(manifest["solver"]["options"])
    rerun = solve_into(first.out / "inputs" / "scenario.yaml", tmp_path / "c", **options)
    assert (rerun.out / "assignments.csv").read_bytes() == (first.out / "assignments.csv").read_bytes()


def test_fresh_process_same_bytes(scenario: Path, tmp_path: Path) -> None:
    """A new interpreter with another PYTHONHASHSEED writes the same assignments.csv."""
    here = solve_into(scenario, tmp_path / "here", **OPTIONS)
    code = ("import sys; from planner.run import run; "
            f"run(sys.argv[1], sys.argv[2], **{OPTIONS!r})")
    env = os.environ | {"PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code, str(scenario), str(tmp_path / "there")], check=True, env=env,
                   capture_output=True, timeout=300)
    assert (tmp_path / "there" / "assignments.csv").read_bytes() == (here.out / "assignments.csv").read_bytes()


def test_manifest_has_what_a_rerun_needs(scenario: Path, tmp_path: Path) -> None:
    outcome = solve_into(scenario, tmp_path / "run", **OPTIONS)
    manifest = json.loads((outcome.out / "manifest.json").read_text(encoding="utf-8"))
    sc = load_scenario(scenario)
    # the merged scenario
    assert manifest["scenario"] == sc.spec.model_dump(mode="json")
    # every input file with its SHA-256
    hashes = {Path(p).resolve(): h for p, h in manifest["inputs"].items()}
    assert {p.resolve() for p in sc.files} == set(hashes)
    for path, digest in hashes.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    # solver, its version and the options used
    assert manifest["solver"]["name"] == "highs"
    assert manifest["solver"]["version"] == solver_versions()["highs"]
    assert {k: manifest["solver"]["options"][k] for k in OPTIONS} == OPTIONS
    # the copied inputs are a complete scenario that loads to the same tables
    copy = load_scenario(outcome.out / "inputs" / "scenario.yaml")
    assert dict(copy.sites) == dict(sc.sites) and dict(copy.functions) == dict(sc.functions)
    assert yaml.safe_load((outcome.out / "inputs" / "scenario.yaml").read_text(encoding="utf-8"))["settings"] == \
        manifest["scenario"]["settings"]
