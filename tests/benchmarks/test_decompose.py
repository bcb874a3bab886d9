"""The decomposition by industry (benchmarks/decompose.py): its bound is a lower bound of the independent
reference's optimum, at least the relaxation's; its repaired plan keeps every row."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from benchmarks.decompose import Split, broken_rows, lagrangian, priced, relaxation, repair, split_by_industry
from benchmarks.generate import generate
from planner.sweep.runner import dask_client
from tests.reference.generator import write_random_scenario
from tests.reference.model import solve_reference


def keeps_every_row(split: Split, plan: np.ndarray) -> bool:
    """Whether `plan` is within its columns' and rows' bounds (to 1e-6) and integral where it must be."""
    act = split.A @ plan
    return bool(np.all(act <= split.row_upper + 1e-6) and np.all(act >= split.row_lower - 1e-6)
                and np.all(plan <= split.upper + 1e-6) and np.all(plan >= split.lower - 1e-6)
                and np.allclose(plan[split.integer], np.round(plan[split.integer]), atol=1e-6))


def plan_of(split: Split, cost: np.ndarray, constant: float) -> tuple[float, np.ndarray]:
    """The industries' MIPs at `cost` on one in-process worker, then the shared columns and the repair."""
    with dask_client(workers=1, processes=False) as client:
        bound, plan, _ = lagrangian(client, split, cost, constant)
    rows = broken_rows(split, plan)
    if len(rows):
        assert repair(split, plan, rows)["objective"] is not None
    return bound, plan


@pytest.mark.parametrize("make", [lambda d: generate(6, 8, 1, d), lambda d: generate(5, 6, 3, d),
                                  lambda d: write_random_scenario(d, 11, n_regions=4, n_industries=4)])
def test_the_decomposition_bounds_the_optimum_from_below_and_its_repaired_plan_is_feasible(
        tmp_path: Path, make: Callable[[Path], Path]) -> None:
    scenario = make(tmp_path / "s")
    optimum = solve_reference(scenario, mip_gap=0.0).objective
    split, _ = split_by_industry(scenario)
    relaxed, duals, _ = relaxation(split)
    bound, plan = plan_of(split, *priced(split, duals))
    tol = 1e-6 * abs(optimum) + 1e-6
    assert relaxed - tol <= bound <= optimum + tol
    assert keeps_every_row(split, plan)
    assert split.cost @ plan + split.offset >= optimum - tol


def test_unpriced_industries_break_the_shared_land_and_the_repair_mends_it(tmp_path: Path) -> None:
    scenario = generate(6, 8, 1, tmp_path / "s")
    split, _ = split_by_industry(scenario)
    with dask_client(workers=1, processes=False) as client:
        _, plan, _ = lagrangian(client, split, split.cost, split.offset)  # no prices: each takes the cheapest land
    rows = broken_rows(split, plan)
    assert len(rows) > 0 and not keeps_every_row(split, plan)
    mended = repair(split, plan, rows)
    assert 0 < mended["industries"] <= 8
    assert keeps_every_row(split, plan)
    assert mended["objective"] == pytest.approx(split.cost @ plan + split.offset)
    assert mended["objective"] >= solve_reference(scenario, mip_gap=0.0).objective - 1e-6
