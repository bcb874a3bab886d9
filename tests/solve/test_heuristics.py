"""The RENS start (planner/heuristics.py): its plan is a real plan of the model, and the optimum does not depend on it."""

from __future__ import annotations

import math
from pathlib import Path

import highspy
import pytest

from benchmarks.generate import generate
from planner.heuristics import rens
from planner.run import build, run
from planner.scenario.loader import load_scenario
from planner.solve import _to_highs
from tests.reference.model import solve_reference


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(6, 6, 2, tmp_path_factory.mktemp("rens"))


def test_rens_plan_is_feasible_and_not_below_the_optimum(scenario: Path) -> None:
    model = build(load_scenario(scenario)).model
    h, form, mip = _to_highs(model)
    found = rens(h, {"threads": 1}, time_limit=None)
    assert mip and found.objective is not None and found.fixed + found.free == len(found.columns)
    h.changeColsBounds(len(found.columns), found.columns, found.values, found.values)  # the plan's openings, fixed
    h.solve()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert math.isclose(h.getInfo().objective_function_value, found.objective, rel_tol=1e-6)
    optimum = solve_reference(scenario, mip_gap=0.0).objective
    assert found.objective >= optimum * (1 - 1e-9)


@pytest.mark.parametrize("heuristic", [True, False])
def test_the_optimum_is_the_same_with_and_without_the_start(scenario: Path, tmp_path: Path, heuristic: bool) -> None:
    outcome = run(scenario, tmp_path / "run", mip_gap=0.0, threads=1, heuristic=heuristic)
    assert outcome.status == "optimal"
    assert math.isclose(outcome.summary["objective"], solve_reference(scenario, mip_gap=0.0).objective, rel_tol=1e-6)
    record = outcome.summary.get("heuristic")
    if heuristic:
        assert record["name"] == "rens" and record["objective"] >= outcome.summary["objective"] * (1 - 1e-9)
        assert record["seconds"] <= outcome.summary["solve_seconds"]
    else:
        assert record is None
