"""The start built period by period (planner.solve.relaxfix, `solver.period_start`) on tests/fixtures/tiny_v2: its
plan satisfies every row of the model, the model is left as it was, and a run with it reaches the reference's
optimum."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyomo.environ as pyo
import pytest

from planner.run import build, run, solver_options
from planner.scenario import load_scenario
from planner.solve.watch import SolveWatch, watching
from planner.transition import period_start
from tests.reference.checker2 import check_run_folder_v2
from tests.reference.model2 import solve_reference_v2

FIXTURE = Path(__file__).parent.parent / "fixtures" / "tiny_v2"
TOLERANCE = 1e-6


def _broken_rows(model: pyo.ConcreteModel) -> list[str]:
    """The active rows of `model` that the loaded values break by more than TOLERANCE."""
    broken = []
    for row in model.component_data_objects(pyo.Constraint, active=True):
        body = pyo.value(row.body)
        if (row.lower is not None and body < pyo.value(row.lower) - TOLERANCE) or (
                row.upper is not None and body > pyo.value(row.upper) + TOLERANCE):
            broken.append(row.name)
    return broken


def test_the_period_start_is_a_whole_plan_and_leaves_the_model_as_it_was():
    scenario = load_scenario(FIXTURE / "scenario.yaml")
    model = build(scenario).model
    integers = [v for v in model.component_data_objects(pyo.Var) if v.is_integer()]
    before = {v.name: (v.domain, v.bounds, v.fixed) for v in integers}

    start = period_start(model, solver_options(scenario), progress=lambda message: None)

    assert start is not None and len(start) == sum(1 for v in integers if not v.fixed)
    assert all(value in (0.0, 1.0) or float(value).is_integer() for value in start.values())
    assert _broken_rows(model) == []  # the last stage's plan, loaded, is feasible for the whole model
    assert {v.name: (v.domain, v.bounds, v.fixed) for v in integers} == before


def test_the_stages_log_to_the_run_but_report_no_progress():
    """A stage's best and bound (later periods relaxed, earlier ones fixed) are not the whole model's: the run's
    watch keeps every stage's solver log but hears no progress from them."""
    scenario = load_scenario(FIXTURE / "scenario.yaml")
    model = build(scenario).model
    reports: list = []
    watch = SolveWatch(on_progress=reports.append)
    with watching(watch):
        assert period_start(model, solver_options(scenario), progress=lambda message: None) is not None
    assert reports == [] and watch.objective is None and watch.bound is None
    assert watch.text().count("Solving report") == len(model.period)  # one MIP per stage (period)


def test_a_run_with_the_period_start_reaches_the_reference_optimum(tmp_path):
    root = tmp_path / "tiny_v2"
    shutil.copytree(FIXTURE, root)
    yaml = root / "scenario.yaml"
    optimum = solve_reference_v2(yaml).objective
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("solver:\n", "solver:\n  period_start: true\n"),
                    encoding="utf-8")

    heard: list[str] = []
    outcome = run(yaml, tmp_path / "run", progress=heard.append)

    assert outcome.status == "optimal"
    assert outcome.summary["objective"] == pytest.approx(optimum, rel=1e-9)
    assert check_run_folder_v2(tmp_path / "run", yaml) == []
    assert any(message.startswith("start period by period: a plan of") for message in heard)
    # the MIP after the start gets RENS's cover cuts as any solve with a start does, and no RENS plan
    assert outcome.summary["heuristic"]["name"] == "rens" and outcome.summary["heuristic"]["objective"] is None
