"""The small MIP as a model of its own (planner/solve/submodel.py): what fixing forces to zero, the rows and bounds
left, and plans mapped back to the whole model, on HiGHS."""

from __future__ import annotations

import highspy
import numpy as np
import pytest
import scipy.sparse as sp

from planner.solve.covers import Cut, by_rows
from planner.solve.submodel import forced_zero, submodel

INF = highspy.kHighsInf


SITE_ROWS = np.array([[-5.0, 0, 1, 0, 0],    # q0 - 5 x0 <= 0
                      [0, -5.0, 0, 1, 0],    # q1 - 5 x1 <= 0
                      [0, 0, -1.0, 0, 1],    # g0 - q0 <= 0
                      [0, 0, 1.0, 1, 0]])    # q0 + q1 >= 4


def _site(extra: np.ndarray | None = None, col_lower: np.ndarray | None = None) -> highspy.HighsLp:
    """Two sites for one function: opening x0, x1 (binary, setup 10 and 30), capacity q0 <= 5 x0, q1 <= 5 x1
    (unit cost 1 and 2), support g0 <= q0 given to the other site, at cost 1; demand q0 + q1 >= 4; `extra` rows
    (<= 0) after these. Columns x0, x1, q0, q1, g0."""
    rows = SITE_ROWS if extra is None else np.vstack([SITE_ROWS, extra])
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 5, len(rows)
    lp.col_cost_ = np.array([10.0, 30.0, 1.0, 2.0, 1.0])
    lp.col_lower_ = np.zeros(5) if col_lower is None else col_lower
    lp.col_upper_ = np.array([1.0, 1.0, INF, INF, INF])
    lp.row_lower_ = np.array([-INF, -INF, -INF, 4.0] + [-INF] * (len(rows) - 4))
    lp.row_upper_ = np.array([0.0, 0.0, 0.0, INF] + [0.0] * (len(rows) - 4))
    matrix = sp.csc_matrix(rows)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = matrix.indptr, matrix.indices, matrix.data
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = 5, len(rows)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * 2 + [highspy.HighsVarType.kContinuous] * 3
    return lp


def _solve(lp: highspy.HighsLp) -> tuple[float, np.ndarray]:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return h.getInfo().objective_function_value, np.asarray(h.getSolution().col_value)


def test_a_closed_site_forces_its_capacity_and_the_support_it_gives_to_zero() -> None:
    lp = _site()
    fix = np.array([True, False, False, False, False])
    fixed = forced_zero(by_rows(lp), np.asarray(lp.row_lower_), np.asarray(lp.row_upper_), np.zeros(5), fix,
                        np.zeros(5))
    assert fixed.tolist() == [True, False, True, False, True]  # x0 = 0: q0 = 0, then g0 = 0
    fixed = forced_zero(by_rows(lp), np.asarray(lp.row_lower_), np.asarray(lp.row_upper_), np.zeros(5), fix,
                        np.ones(5))
    assert fixed.tolist() == [True, False, False, False, False]  # x0 = 1 forces nothing


def test_the_small_mip_keeps_what_is_free_and_its_plan_is_the_whole_models() -> None:
    lp = _site()
    sub = submodel(lp, by_rows(lp), np.array([True, False, False, False, False]), np.zeros(5))
    assert sub is not None and sub.kept.tolist() == [1, 3]  # x1 and q1
    assert sub.lp.num_row_ == 2 and sub.lp.offset_ == 0.0  # q1 - 5 x1 <= 0 and q1 >= 4
    objective, values = _solve(sub.lp)
    whole = sub.whole(values)
    assert objective == pytest.approx(30 + 2 * 4) and whole.round(9).tolist() == [0, 1, 0, 4, 0]
    assert objective == pytest.approx(float(np.asarray(lp.col_cost_) @ whole))
    opened = submodel(lp, by_rows(lp), np.array([True, True, False, False, False]), np.array([1.0, 0, 0, 0, 0]))
    assert opened.lp.offset_ == 10.0 and opened.kept.tolist() == [2, 4]  # x0 = 1 paid; x1 = 0 closes q1
    assert _solve(opened.lp)[0] == pytest.approx(10 + 4)
    columns, values = opened.start(np.array([0, 1, 2]), np.array([1.0, 0.0, 4.0]))
    assert columns.tolist() == [0] and values.tolist() == [4.0]
    assert [(cut.columns.tolist(), cut.rhs) for cut in opened.cuts([Cut(np.array([0, 2]), 3.0)])] == [([0], 2.0)]


def test_fixed_values_that_break_a_row_by_themselves_leave_no_small_mip() -> None:
    lp = _site()
    assert submodel(lp, by_rows(lp), np.ones(5, dtype=bool), np.zeros(5)) is None  # demand q0 + q1 >= 4 broken


def test_a_column_that_must_be_open_is_not_forced_to_zero_but_left_to_highs() -> None:
    """x0 locked in (lower bound 1) on a closed site: q0 - 5 x0 <= 0 and x0 <= x1 with x1 fixed at 0. Forcing x0 to
    zero would break its bound; the row stays, and HiGHS finds the neighbourhood infeasible."""
    lp = _site(np.array([[1.0, -1.0, 0, 0, 0]]), np.array([1.0, 0, 0, 0, 0]))
    sub = submodel(lp, by_rows(lp), np.array([False, True, False, False, False]), np.zeros(5))
    assert sub is not None and 0 in sub.kept
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(sub.lp)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kInfeasible
