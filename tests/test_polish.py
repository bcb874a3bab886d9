"""planner.polish: the rounded plan re-solved exactly, within what the MIP left of the time limit."""

from __future__ import annotations

import dataclasses

from planner.polish import POLISH_SHARE, polish, solve_polished
from planner.run import build, solver_options
from planner.scenario import load_scenario


def test_the_mip_and_the_polish_share_one_time_limit(tiny) -> None:
    scenario = load_scenario(tiny.yaml)
    model = build(scenario).model
    options = solver_options(scenario, time_limit=50.0)
    result = solve_polished(model, options)
    assert result.status == "optimal" and result.notes == ()
    assert result.options["time_limit"] == 50.0  # recorded as given, though the MIP ran with 90 % of it
    assert POLISH_SHARE == 0.1


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
