"""The RENS start (planner/solve/rens.py): its plan is a real plan of the model, and the optimum does not depend on
it."""

from __future__ import annotations

import gc
import math
from dataclasses import replace
from pathlib import Path

import highspy
import numpy as np
import pytest
from pyomo.common.gc_manager import PauseGC

from benchmarks.generate import generate
from planner.check import violations
from planner.run import build, run, solver_options
from planner.scenario.loader import load_scenario
from planner.solve import highs
from planner.solve import rens as rens_module
from planner.solve.highs import _neighbourhoods, _to_highs, solve_highs
from planner.solve.rens import feasibility_jump_fits, rens
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


def test_ctrl_c_during_rens_returns_its_plan_without_starting_the_mip(scenario: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    found = []

    def stopped(*args: object, **kwargs: object) -> rens_module.Rens:
        plan = rens_module.rens(*args, **kwargs)
        found.append(plan)
        return replace(plan, interrupted=True)  # as when Ctrl-C stops its last small MIP, which keeps its plan

    monkeypatch.setattr(highs, "rens", stopped)
    monkeypatch.setattr(highs, "_run_here", lambda h: pytest.fail("HiGHS's MIP was started after Ctrl-C"))
    scenario_ = load_scenario(scenario)
    model = build(scenario_).model
    result = solve_highs(model, solver_options(scenario_, time_limit=60, threads=1), model.objective)
    assert result.interrupted and result.status == "feasible" and violations(model) == []
    assert result.objective == pytest.approx(found[0].objective, rel=1e-9)
    assert result.best_bound == pytest.approx(found[0].bound, rel=1e-9)  # the relaxation's, with its cover cuts


def test_rens_fixes_the_decisions_and_leaves_the_reformulation_free(scenario: Path) -> None:
    model = build(load_scenario(scenario)).model
    h, form, _ = _to_highs(model)
    fixable, hosting = _neighbourhoods(model, form)
    kinds = {v.parent_component().local_name: (bool(a), bool(b)) for v, a, b in zip(form.columns, fixable, hosting,
                                                                                     strict=True)}
    assert kinds == {"x": (True, False), "y": (True, True), "q": (True, False), "g": (True, False),
                     "split": (False, False), "count": (False, False)}
    integer = [int(kind) == 1 for kind in h.getLp().integrality_]
    auxiliary = sum(1 for ok, whole in zip(fixable, integer, strict=True) if whole and not ok)
    every = rens(h, {"threads": 1}, time_limit=None)
    h, _, _ = _to_highs(model)
    decisions = rens(h, {"threads": 1}, time_limit=None, fixable=[fixable])
    assert auxiliary > 0 and decisions.free >= auxiliary > every.free  # every split and count stays free
    assert decisions.fixed + decisions.free == every.fixed + every.free == sum(integer)
    optimum = solve_reference(scenario, mip_gap=0.0).objective
    assert decisions.objective is not None and decisions.objective >= optimum * (1 - 1e-9)


def _one_row_mip(cost: list[float], upper: list[float], row: tuple[float, float], coefficients: list[float],
                 integers: int, offset: float = 0.0) -> highspy.Highs:
    """min cost x (+ `offset`) over 0 <= x <= `upper` with row[0] <= coefficients x <= row[1], the first `integers`
    columns integer."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    n = len(cost)
    lp.num_col_, lp.num_row_ = n, 1
    lp.col_cost_, lp.col_lower_, lp.col_upper_, lp.offset_ = np.array(cost), np.zeros(n), np.array(upper), offset
    lp.row_lower_, lp.row_upper_ = np.array([row[0]]), np.array([row[1]])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = list(range(n + 1)), [0] * n, coefficients
    kinds = highspy.HighsVarType
    lp.integrality_ = [kinds.kInteger] * integers + [kinds.kContinuous] * (n - integers)
    h.passModel(lp)
    return h


def _one_way_out() -> highspy.Highs:
    """min z over binaries x, z with 2x - z = 1: the relaxation has z = 0 (integral) and x = 1/2; the only plan is
    x = z = 1, outside the neighbourhood that fixes z."""
    return _one_row_mip([0.0, 1.0], [1.0, 1.0], (1.0, 1.0), [2.0, -1.0], 2)


def test_rens_tries_its_next_neighbourhood_when_one_has_no_plan() -> None:
    fix_z, fix_none = np.array([False, True]), np.array([False, False])
    assert rens(_one_way_out(), {"threads": 1}, time_limit=None, fixable=[fix_z]).objective is None
    found = rens(_one_way_out(), {"threads": 1}, time_limit=None, fixable=[fix_z, fix_none])
    assert (found.objective, found.fixed, found.free) == (1.0, 0, 2)
    assert found.values.tolist() == [1.0, 1.0]


def _better_further_out(offset: float = 0.0) -> highspy.Highs:
    """min -4x - 2z + 10y (+ `offset`) over binaries x, z and y >= 0 with 3x + 2z - y <= 2: the relaxation has
    z = 0 (integral) and x = 2/3 (-8/3); with z fixed at 0 the best plan is x = z = 0 (0), the optimum is z = 1
    (-2)."""
    return _one_row_mip([-4.0, -2.0, 10.0], [1.0, 1.0, highspy.kHighsInf], (-highspy.kHighsInf, 2.0),
                        [3.0, 2.0, -1.0], 2, offset)


@pytest.mark.parametrize("columns, values, tried, objective, fixed", [
    ([0, 1], [0.0, 1.0], True, -2.0, 2),  # the optimum, every integer given: an LP
    ([0, 1], [0.0, 5.0], True, -2.0, 1),  # z = 5 is outside z's bounds: not taken, z left to the small MIP
    ([2], [0.0], None, 0.0, 1),  # only the continuous y: it would fix nothing, so RENS goes on without it
])
def test_a_mip_start_is_rens_first_neighbourhood(columns: list[int], values: list[float], tried: bool | None,
                                                 objective: float, fixed: int) -> None:
    found = rens(_better_further_out(), {"threads": 1}, time_limit=None,
                 start=(np.array(columns, dtype=np.int32), np.array(values)))
    assert (found.from_start, found.objective, found.fixed) == (tried, objective, fixed)


def test_rens_goes_on_to_its_next_neighbourhood_from_the_plan_it_has_and_keeps_the_better() -> None:
    fix_z, fix_none = np.array([False, True, False]), np.array([False, False, False])
    assert rens(_better_further_out(), {"threads": 1}, time_limit=None, fixable=[fix_z]).objective == 0.0
    found = rens(_better_further_out(), {"threads": 1}, time_limit=None, fixable=[fix_z, fix_none])
    assert (found.objective, found.fixed, found.free) == (-2.0, 0, 2)
    assert found.values.tolist() == [0.0, 1.0]


@pytest.mark.parametrize("gap, objective", [(0.05, 100.0), (0.01, 98.0)])
def test_rens_goes_on_only_while_its_plan_is_not_within_the_gap_of_the_relaxation(gap: float, objective: float) -> None:
    both = [np.array([False, True, False]), np.array([False, False, False])]
    # the first plan (100) is 2.7 % above the relaxation (97.33): within a 5 % gap, not within 1 %
    found = rens(_better_further_out(100.0), {"threads": 1, "mip_rel_gap": gap}, None, fixable=both)
    assert found.objective == objective


def test_rens_stops_at_the_relaxation_when_its_budget_runs_out(scenario: Path) -> None:
    h, _, _ = _to_highs(build(load_scenario(scenario)).model)
    found = rens(h, {"threads": 1}, time_limit=1e-6)
    assert (found.objective, found.fixed, len(found.columns)) == (None, 0, 0)
    assert found.free == sum(1 for kind in h.getLp().integrality_ if int(kind) == 1)


def h_nonzeros(scenario: Path) -> int:
    """Nonzeros of the scenario's matrix as HiGHS holds it."""
    return _to_highs(build(load_scenario(scenario)).model)[0].getNumNz()


@pytest.mark.parametrize("limit, off", [(1e-3, True), (60.0, False)])
def test_feasibility_jump_is_turned_off_when_it_could_overrun_the_time_limit(
        scenario: Path, tmp_path: Path, limit: float, off: bool) -> None:
    outcome = run(scenario, tmp_path / "run", time_limit=limit, threads=1, heuristic=False)
    notes = outcome.summary.get("solver_notes", [])
    assert notes == ([f"HiGHS's feasibility jump was turned off: on {h_nonzeros(scenario):,} nonzeros it could take "
                      f"longer than the {limit:.1f} s left of the time limit, which it does not check"] if off else [])


def test_feasibility_jump_fits_three_quarters_of_the_time_left() -> None:
    assert feasibility_jump_fits(3_000_000, 40.1)  # 30 s of 40.1
    assert not feasibility_jump_fits(3_000_000, 39.9)


def test_rens_frees_its_solvers_while_the_garbage_collector_is_paused(scenario: Path) -> None:
    h, _, _ = _to_highs(build(load_scenario(scenario)).model)
    with PauseGC():  # as during planner's solves
        found = rens(h, {"threads": 1}, time_limit=None)
        alive = [o for o in gc.get_objects() if type(o) is highspy.Highs]
    assert found.objective is not None and alive == [h]  # the relaxation's and the small MIP's solvers are gone
