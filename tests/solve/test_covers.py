"""Knapsack cover cuts (planner/solve/covers.py): valid for every integer packing, and the optimum stays the same."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import highspy
import numpy as np
import pytest
import scipy.sparse as sp

from benchmarks.generate import generate
from planner.solve.covers import Knapsack, knapsacks, separate
from planner.solve.rens import rens
from planner.solve.mipstart import integer_values
from planner.run import build, run, solve_scenario
from planner.scenario.loader import load_scenario
from planner.solve.highs import _to_highs
from tests.reference.model import solve_reference
from tests.tables import rewrite_csv


def _relaxed_packing(w: np.ndarray, capacity: float, profit: np.ndarray) -> np.ndarray:
    """The LP optimum of max profit.z s.t. w.z <= capacity, 0 <= z <= 1: greedy by profit per weight."""
    z, left = np.zeros(len(w)), capacity
    for j in np.argsort(-profit / w):
        z[j] = min(1.0, left / w[j])
        left -= z[j] * w[j]
    return z


def test_every_cut_holds_for_every_integer_packing_and_cuts_off_the_relaxed_one() -> None:
    rng = np.random.default_rng(7)
    found = 0
    for _ in range(200):
        n = int(rng.integers(3, 9))
        w = rng.uniform(1.0, 10.0, n).round(1)
        capacity = float(rng.uniform(0.3, 0.8) * w.sum())
        z = _relaxed_packing(w, capacity, rng.uniform(1.0, 5.0, n))
        cuts = separate([Knapsack(np.arange(n, dtype=np.int32), w, capacity)], z)
        for cut in cuts:
            found += 1
            assert z[cut.columns].sum() > cut.rhs
            for point in itertools.product((0, 1), repeat=n):
                p = np.array(point)
                if w @ p <= capacity:
                    assert p[cut.columns].sum() <= cut.rhs
    assert found >= 50


def _lp(rows: list[tuple[list[int], list[float], float]], integer: list[bool], lower: list[float],
        upper: list[float], rowwise: bool) -> highspy.HighsLp:
    """A HighsLp with rows sum coef * column <= bound, its matrix by rows or by columns."""
    matrix = sp.lil_matrix((len(rows), len(integer)))
    for r, (cols, vals, _) in enumerate(rows):
        matrix[r, cols] = vals
    stored = matrix.tocsr() if rowwise else matrix.tocsc()
    lp = highspy.HighsLp()
    lp.num_row_, lp.num_col_ = len(rows), len(integer)
    lp.col_cost_ = np.zeros(len(integer))
    lp.col_lower_, lp.col_upper_ = np.array(lower, float), np.array(upper, float)
    lp.row_lower_ = np.full(len(rows), -highspy.kHighsInf)
    lp.row_upper_ = np.array([bound for *_, bound in rows], float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise if rowwise else highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = stored.indptr, stored.indices, stored.data
    lp.a_matrix_.num_row_, lp.a_matrix_.num_col_ = lp.num_row_, lp.num_col_
    kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
    lp.integrality_ = [kinds[flag] for flag in integer]
    return lp


@pytest.mark.parametrize("rowwise", [True, False])
def test_knapsacks_are_the_rows_of_binaries_whose_other_terms_can_be_dropped(rowwise: bool) -> None:
    # columns 0-2 binary, 3 continuous >= 0, 4 continuous that may be negative,
    # 5 continuous >= 1, 6 integer in 0..3, 7 binary fixed at 1
    lp = _lp([([0, 1, 2, 3], [3, 4, 5, 1], 8.0),        # a knapsack (column 3 dropped)
              ([0, 1, 4], [3, 4, 1], 5.0),              # column 4 can be negative: not a knapsack
              ([0, 1, 2], [3, -4, 5], 5.0),             # a negative weight: not a knapsack
              ([0, 1, 2], [1, 1, 1], 3.0),              # every item fits: no cover
              ([0, 1, 5, 6, 7], [3, 4, 2, 1, 1], 9.0)],  # capacity 9 - 2 * 1 - 1 * 1 = 6 for items 0 and 1
             [True, True, True, False, False, False, True, True],
             [0, 0, 0, 0, -10, 1, 0, 1], [1, 1, 1, 10, 10, 10, 3, 1], rowwise)
    first, last = knapsacks(lp)
    assert first.columns.tolist() == [0, 1, 2] and first.weights.tolist() == [3, 4, 5] and first.capacity == 8.0
    assert last.columns.tolist() == [0, 1] and last.weights.tolist() == [3, 4] and last.capacity == 6.0


def test_the_cover_is_made_minimal() -> None:
    # greedy order 0, 1, 2 covers (weight 12 > 10), but item 1 is not needed: z0 + z2 <= 1
    (cut,) = separate([Knapsack(np.arange(3, dtype=np.int32), np.array([6.0, 1.0, 5.0]), 10.0)],
                      np.array([1.0, 1.0, 0.8]))
    assert cut.columns.tolist() == [0, 2] and cut.rhs == 1.0


def test_a_cover_within_the_solvers_tolerance_is_not_one() -> None:
    sack = Knapsack(np.arange(2, dtype=np.int32), np.array([5.0, 5.0 + 1e-8]), 10.0)
    assert separate([sack], np.array([1.0, 1.0])) == []


@pytest.fixture(scope="module")
def tight_land(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic scenario with 40 % of its land, so whole productions compete for cheap sites."""
    scenario = generate(6, 8, 1, tmp_path_factory.mktemp("covers"))
    rewrite_csv(scenario.parent / "tables" / "sites.csv",
                lambda rows: [row | {"land_ha": f"{float(row['land_ha']) * 0.4:.4f}"} for row in rows])
    return scenario


def _relaxation_bound(h: highspy.Highs) -> float:
    """Optimum of the linear relaxation of the model `h` holds."""
    lp = h.getLp()
    lp.integrality_ = []
    relaxed = highspy.Highs()
    relaxed.setOptionValue("output_flag", False)
    relaxed.passModel(lp)
    relaxed.run()
    assert relaxed.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return relaxed.getInfo().objective_function_value


def test_cuts_raise_the_relaxation_and_keep_the_optimum(tight_land: Path, tmp_path: Path) -> None:
    h, _, _ = _to_highs(build(load_scenario(tight_land)).model)
    rows, bound = h.getNumRow(), _relaxation_bound(h)
    found = rens(h, {"threads": 1}, time_limit=None)
    assert found.cuts > 0 and h.getNumRow() == rows + found.cuts
    assert _relaxation_bound(h) > bound * (1 + 1e-6)
    optimum = solve_reference(tight_land, mip_gap=0.0).objective
    assert found.objective >= optimum * (1 - 1e-9)
    outcome = run(tight_land, tmp_path / "run", mip_gap=0.0, threads=1)
    assert outcome.status == "optimal" and outcome.summary["heuristic"]["cuts"] == found.cuts
    assert math.isclose(outcome.summary["objective"], optimum, rel_tol=1e-6)


def test_a_start_is_taken_with_the_cuts_and_replaces_the_rens_plan(tight_land: Path) -> None:
    cold = solve_scenario(tight_land)
    values = integer_values(cold.built.model)
    warm = solve_scenario(tight_land, start=values)
    assert warm.result.heuristic["cuts"] == cold.result.heuristic["cuts"] > 0  # the cuts are made either way
    assert warm.result.heuristic["objective"] is None  # no RENS plan: the start stands instead
    assert warm.result.mip_start == {"values": len(values), "accepted": True}
