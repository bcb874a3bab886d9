"""Every output of planner for the hostile scenario (tests/hostile/payloads.py), written once per session."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from planner.cli import app
from tests.hostile.payloads import folder_payload, hostile_scenario, payload


@dataclass(frozen=True)
class Outputs:
    """Where the hostile scenario and everything planner wrote for it are."""

    root: Path
    """Holds the scenario (`scenario/`) and every output (`out/`)."""
    scenario: Path
    ids: dict[str, str]
    run_a: Path
    run_b: Path
    infeasible: Path
    """A run of the hostile scenario with no plan (the production of its industry ai locked out everywhere)."""
    console: dict[str, str]
    """Command -> what it printed (stdout and stderr)."""

    @property
    def out(self) -> Path:
        """The folder holding every output."""
        return self.root / "out"


def _invoke(args: list[str], code: int = 0) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == code, f"planner {' '.join(map(str, args))}: {result.output}{result.exception!r}"
    return result.output


def _sweep(scenario: Path, out: Path) -> None:
    """A two-member sweep whose values (and so member names) are hostile text."""
    from planner.sweep.runner import run_sweep

    doc = {"name": "hostile", "base": os.path.relpath(scenario, out.parent), "solver": {"mip_gap": 0},
           "grid": {"product": [{"name": "names", "table": "industries", "column": "name",
                                 "set": [payload("sweep.value"), payload("sweep.value2")]}]}}
    sweep = out.parent / "hostile-sweep.yaml"
    sweep.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    outcome = run_sweep(sweep, out, workers=1, processes=False)
    assert outcome.failed == 0, outcome.table


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    """The hostile scenario run, reported, compared, mapped, with its importance, alternatives, Pareto points and
    a sweep; folder names of the runs are hostile too."""
    root = tmp_path_factory.mktemp("hostile")
    scenario, ids = hostile_scenario(root / "scenario")
    out = root / "out"
    out.mkdir()
    run_a, run_b = out / folder_payload("runA"), out / folder_payload("runB")
    infeasible = out / folder_payload("infeasible")
    locked_out = root / "scenario" / "infeasible.yaml"
    doc = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    doc["rules"] = [{"lock_out": {"industry": ids["ai"], "function": "production"}}]
    locked_out.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    console = {
        "run": _invoke(["run", scenario, "--out", run_a]),
        "run --alternatives": _invoke(["run", scenario, "--out", run_b, "--alternatives", "1", "--within", "50"]),
        "run (infeasible)": _invoke(["run", locked_out, "--out", infeasible], code=3),
        "report": _invoke(["report", run_a]),
        "report (infeasible)": _invoke(["report", infeasible]),
        "map --png": _invoke(["map", run_a, "--png"]),
        "compare": _invoke(["compare", run_a, run_b / "alt-1", infeasible, "--out", out / "compare"]),
        "importance": _invoke(["importance", run_a, "--out", out / "importance"]),
        "pareto": _invoke(["pareto", scenario, "--between", "land", "linkage", "--points", "2",
                           "--out", out / "pareto"]),
    }
    _sweep(scenario, out / "sweep")
    return Outputs(root, scenario, ids, run_a, run_b, infeasible, console)
