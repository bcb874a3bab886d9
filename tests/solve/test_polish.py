"""planner.solve.polish: the rounded plan re-solved exactly, within what the MIP left of the time limit."""

from __future__ import annotations

import dataclasses

import pyomo.environ as pyo
import pytest

import planner.solve.highs
import planner.solve.polish
from benchmarks.generate import generate
from planner.run import build, solver_options
from planner.scenario import load_scenario
from planner.solve import KeptHandOver
from planner.solve.polish import POLISH_SHARE, polish, solve_polished, x_pattern
from planner.solve.standard_form import standard_form


def test_the_mip_and_the_polish_share_one_time_limit(tiny, monkeypatch) -> None:
    scenario = load_scenario(tiny.yaml)
    model = build(scenario).model
    options = solver_options(scenario, time_limit=50.0)
    solves = []  # (time limit given, seconds taken) of each solve, the real solver running

    def recording(*args, **kwargs):
        result = real(*args, **kwargs)
        solves.append((args[1].time_limit, result.solve_seconds))
        return result

    real = planner.solve.polish.solve
    monkeypatch.setattr(planner.solve.polish, "solve", recording)
    result = solve_polished(model, options)
    assert result.status == "optimal" and result.notes == ()
    assert result.options["time_limit"] == 50.0  # recorded as given, though the MIP ran with 90 % of it
    assert POLISH_SHARE == 0.1
    (mip_limit, mip_seconds), (polish_limit, _) = solves
    assert mip_limit == pytest.approx(45.0) and polish_limit == pytest.approx(50.0 - mip_seconds)


def test_a_polish_with_no_time_left_keeps_the_mip_s_plan_and_says_so(tiny) -> None:
    scenario = load_scenario(tiny.yaml)
    model = build(scenario).model
    options = solver_options(scenario, time_limit=50.0)
    done = solve_polished(model, options)
    late = dataclasses.replace(done, solve_seconds=50.0)  # as if the MIP had used the whole limit
    kept = polish(model, options, late)
    assert kept.objective == done.objective and kept.best_bound == done.best_bound
    assert kept.notes == ("the plan is not polished: the MIP used all the time limit",)
    assert kept.solve_seconds == 50.0


def test_the_polish_takes_the_mip_s_hand_over_with_the_openings_fixed(tmp_path, monkeypatch) -> None:
    scenario = load_scenario(generate(6, 4, 1, tmp_path / "six"))
    options = solver_options(scenario, mip_gap=0.0, threads=1)
    model = build(scenario).model
    handed = []
    monkeypatch.setattr(planner.solve.highs, "standard_form", lambda m: handed.append(m) or standard_form(m))
    kept = KeptHandOver()
    result = solve_polished(model, options, kept=kept)
    assert len(handed) == 1  # the polish did not hand the model over again
    assert kept.fixed is None  # the fixing was for the polish's solve only
    pattern = x_pattern(model)
    # the same polish through a fresh hand-over of the model with x fixed (the route of other solvers)
    again = polish(model, options, result)
    assert len(handed) == 2
    assert again.objective == pytest.approx(result.objective, rel=1e-9)
    assert x_pattern(model) == pattern
    assert all(not v.fixed for v in model.x.values())
    assert result.objective == pytest.approx(pyo.value(model.objective), rel=1e-9)


def test_the_polish_on_the_hand_over_keeps_the_pattern_it_is_given(tmp_path) -> None:
    scenario = load_scenario(generate(6, 4, 1, tmp_path / "six"))
    options = solver_options(scenario, mip_gap=0.0, threads=1)
    model = build(scenario).model
    kept = KeptHandOver()
    result = solve_polished(model, options, kept=kept)
    hosted = {(i, scenario.sites[s].region) for i, _, s in x_pattern(model)}
    extra = next(t for t in model.T if t[1] == "rd" and t not in x_pattern(model)
                 and (t[0], scenario.sites[t[2]].region) in hosted)  # one more R&D site, in a host region
    model.x[extra].set_value(1)
    on_hand_over = polish(model, options, result, kept=kept)
    assert extra in x_pattern(model)  # fixed open, not re-optimised away
    fresh = polish(model, options, result)  # the same pattern through a fresh hand-over
    assert on_hand_over.objective == pytest.approx(fresh.objective, rel=1e-9)
    assert on_hand_over.objective > result.objective
