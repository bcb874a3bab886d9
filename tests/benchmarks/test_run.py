"""The benchmark's Pyomo floors hold exactly planner's matrix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import highspy
import numpy as np
import pyomo.environ as pyo
import pytest

from benchmarks.run import MatrixData, kernel_route, matrix_copy
from planner.run import build, solver_options
from planner.scenario import load_scenario
from planner.solve import solve
from planner.solve.standard_form import StandardForm, compile_pyomo, standard_form

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def form() -> Iterator[StandardForm]:
    """The standard form planner hands to HiGHS for the bundled jjj scenario (its model kept alive meanwhile)."""
    model = build(load_scenario(ROOT / "scenarios/jjj/scenario.yaml")).model
    yield standard_form(model)


def test_the_copy_with_expression_rows_compiles_to_planner_s_matrix(form: StandardForm) -> None:
    copy = matrix_copy(MatrixData.of(form), "expressions")
    copy.objective = pyo.Objective(expr=0)
    compiled = compile_pyomo(copy)
    assert [v.index() for v in compiled.columns] == [v.index() for v in form.columns]
    assert [v.bounds for v in compiled.columns] == [v.bounds for v in form.columns]
    assert (compiled.A != form.A).nnz == 0
    assert np.array_equal(compiled.row_lower, form.row_lower)
    assert np.array_equal(compiled.row_upper, form.row_upper)


def test_the_copy_with_a_matrix_constraint_has_planner_s_rows(form: StandardForm) -> None:
    copy = matrix_copy(MatrixData.of(form), "matrix")
    columns = [v for var in copy.component_objects(pyo.Var) for v in var.values()]
    assert [v.index() for v in columns] == [v.index() for v in form.columns]  # planner's columns come grouped by Var
    x = np.random.default_rng(1).random(len(columns))
    for var, value in zip(columns, x, strict=False):
        var.set_value(value, skip_validation=True)
    rows = [copy.rows[r] for r in range(len(copy.rows))]  # (Pyomo 6.10's `lb`, `ub` and iteration fail on these rows)
    assert np.allclose([row() for row in rows], form.A @ x)
    assert [row.lower for row in rows] == [None if b == -np.inf else b for b in form.row_lower]
    assert [row.upper for row in rows] == [None if b == np.inf else b for b in form.row_upper]


def test_the_kernel_copy_has_planner_s_rows(form: StandardForm) -> None:
    copy = matrix_copy(MatrixData.of(form), "kernel")
    assert [(v.lb, v.ub) for v in copy.x] == [v.bounds for v in form.columns]
    x = np.random.default_rng(2).random(len(form.columns))
    for var, value in zip(copy.x, x, strict=False):
        var.value = value
    assert np.allclose([row() for row in copy.rows], form.A @ x)
    assert np.array_equal(copy.rows.lb, form.row_lower) and np.array_equal(copy.rows.ub, form.row_upper)


def test_the_kernel_route_hands_highs_planner_s_model_and_reads_back_its_plan() -> None:
    """Solved by plain HiGHS, the route's model has planner's optimum (independently of planner's solve path)."""
    scenario = load_scenario(ROOT / "scenarios/jjj/scenario.yaml")
    model = build(scenario).model
    result = solve(model, solver_options(scenario, mip_gap=0.0, threads=1, seed=0))
    form = standard_form(model)
    values = [v.value for v in form.columns]
    h, seconds = kernel_route(MatrixData.of(form), values)
    assert set(seconds) == {"model", "handover", "readback"} and all(s > 0 for s in seconds.values())
    lp = h.getLp()
    assert (lp.num_col_, lp.num_row_, len(lp.a_matrix_.value_)) == (len(form.columns), len(form.row_lower), form.A.nnz)
    assert sum(kind == kind.kInteger for kind in lp.integrality_) == sum(v.is_integer() for v in form.columns) > 0
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("threads", 1)
    highspy.Highs.resetGlobalScheduler(True)  # HiGHS >= 1.16: one thread scheduler per process
    h.run()
    assert h.modelStatusToString(h.getModelStatus()) == "Optimal"
    optimum = h.getInfo().objective_function_value + form.offset
    assert optimum == pytest.approx(result.objective, rel=1e-6)
