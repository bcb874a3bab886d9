"""A memory limit on a solve (planner/solve/memory.py, `solver.memory_limit`): HiGHS's MIP of the whole model left
out when its estimate does not fit, the plan then RENS's improved by the swaps, with the relaxation's bound."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.generate import generate
from planner.check import violations
from planner.run import build, solver_options
from planner.scenario.loader import load_scenario
from planner.solve.highs import solve_highs
from planner.solve.memory import GIB, HIGHS_MIP_BYTES_PER_NONZERO, mip_memory
from planner.solve.watch import Progress, SolveWatch, watching
from tests.reference.model import solve_reference


def test_the_estimate_is_what_the_process_holds_and_the_mip_would_add() -> None:
    estimate = mip_memory(4.0, 1_000_000)
    assert estimate.need == pytest.approx(HIGHS_MIP_BYTES_PER_NONZERO * 1_000_000 / GIB)
    assert 0 < estimate.held < 4.0 and estimate.fits
    assert not mip_memory(estimate.held + estimate.need - 0.01, 1_000_000).fits
    assert mip_memory(0, 10**12).fits  # no limit


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated instance on which RENS's plan is not optimal and the swaps improve it (test_swaps.py)."""
    return generate(20, 30, 4, tmp_path_factory.mktemp("memory"))


def test_a_mip_above_the_memory_limit_is_left_out_for_the_swaps(packed: Path) -> None:
    scenario = load_scenario(packed)
    model = build(scenario).model
    options = solver_options(scenario, time_limit=60, mip_gap=1e-6, threads=1, memory_limit=0.01)
    heard: list[Progress] = []
    with watching(SolveWatch(on_progress=heard.append)):
        result = solve_highs(model, options, model.objective)
    optimum = solve_reference(packed, mip_gap=0.0).objective
    assert result.notes[0].startswith("HiGHS's MIP of the whole model was left out: it would need about ")
    assert result.notes[0].endswith("above the memory limit of 0.01 GiB; the plan is RENS's improved by the swaps, "
                                    "the bound the relaxation's with its cover cuts (solver.memory_limit 0, or "
                                    "--memory-limit 0, runs it)")
    assert result.heuristic["swaps_improved"] >= 1 and violations(model) == []
    assert result.status == "feasible" and result.objective >= optimum * (1 - 1e-9)
    assert result.best_bound <= optimum * (1 + 1e-9) and result.mip_gap < 0.01
    assert result.objective == pytest.approx(model.objective(), rel=1e-9)
    # progress: RENS's plan with the relaxation's bound at once, then each better plan of the swaps, down to the end
    assert heard[0].bound == pytest.approx(result.best_bound, rel=1e-9) and heard[0].objective > result.objective
    assert [p.objective for p in heard if p.improved][-1] == pytest.approx(result.objective, rel=1e-9)


def test_without_a_limit_the_mip_runs_and_proves_the_optimum(packed: Path) -> None:
    scenario = load_scenario(packed)
    model = build(scenario).model
    options = solver_options(scenario, time_limit=60, mip_gap=1e-6, threads=1, memory_limit=0)
    result = solve_highs(model, options, model.objective)
    assert not any("left out" in note for note in result.notes)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(solve_reference(packed, mip_gap=0.0).objective, rel=1e-6)
