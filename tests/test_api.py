"""The Python API of the README, "From Python": the stages offered by the package itself and by their homes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import planner


def test_the_package_offers_the_stages_of_a_run(tiny) -> None:
    from planner import build, extract_plan, load_scenario, run, solve, solver_options
    from planner.results import extract_plan as extract_plan_home
    from planner.run import build as build_home
    from planner.scenario import load_scenario as load_home
    from planner.solve.solvers import solve as solve_home

    assert (load_scenario, build, extract_plan) == (load_home, build_home, extract_plan_home)
    scenario = load_scenario(tiny.yaml)
    built = build(scenario)
    result = solve(built.model, solver_options(scenario, time_limit=60))
    plan = extract_plan(scenario, built.index, built.model)
    assert result.status == "optimal" and len(plan.assignments) > 0
    assert solve_home(build(scenario).model, solver_options(scenario, time_limit=60)).objective == \
        pytest.approx(result.objective, rel=1e-9)
    outcome = run(tiny.yaml, tiny.root.parent / "run")
    assert outcome.status == "optimal" and outcome.summary["objective"] == pytest.approx(result.objective, rel=1e-6)
    assert json.loads((tiny.root.parent / "run" / "summary.json").read_text(encoding="utf-8"))["status"] == "optimal"
    assert planner.run.run is build_home.__globals__["run"]  # the module keeps its function `run`


def test_importing_the_package_imports_no_solver() -> None:
    code = "import sys, planner; print(sorted(m for m in ('pyomo', 'highspy', 'pandas') if m in sys.modules))"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "[]"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        _ = planner.nothing
