"""A memory limit on a solve (planner/solve/memory.py, `solver.memory_limit`): HiGHS's MIP of the whole model left
out when its estimate does not fit, the plan then RENS's improved by the swaps, with the relaxation's bound; a small
MIP of the swaps left out when its own does not."""

from __future__ import annotations

import inspect
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate
from planner.check import violations
from planner.run import build, solver_options
from planner.scenario.loader import load_scenario
from planner.solve import highs, memory, rens
from planner.solve.apart import fork_available, solve_apart
from planner.solve.highs import _to_highs, solve_highs
from planner.solve.memory import GB, HIGHS_MIP_BYTES_PER_NONZERO, mip_memory
from planner.solve.mipstart import integer_values, start_for
from planner.solve.standard_form import standard_form
from planner.solve.watch import Progress, SolveWatch, watching
from tests.reference.model import solve_reference

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_the_estimate_is_what_the_process_holds_and_the_mip_would_add() -> None:
    estimate = mip_memory(4.0, 1_000_000)
    assert estimate.need == pytest.approx(HIGHS_MIP_BYTES_PER_NONZERO * 1_000_000 / GB)
    assert 0 < estimate.held < 4.0 and estimate.fits
    assert not mip_memory(estimate.held + estimate.need - 0.01, 1_000_000).fits
    assert mip_memory(0, 10**12).fits  # no limit


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated instance on which RENS's plan is not optimal and the swaps improve it (test_swaps.py)."""
    return generate(20, 30, 4, tmp_path_factory.mktemp("memory"))


HELD = 1.0
"""GB planner's processes are taken to hold (`memory.held`), so that a limit falls between the MIPs' estimates."""


@pytest.fixture
def holding(monkeypatch: pytest.MonkeyPatch) -> None:
    """planner's processes hold HELD GB, whatever they hold: the estimates, not the machine, decide what fits."""
    monkeypatch.setattr(memory, "held", lambda: HELD)


def whole_need(model: Any) -> float:
    """GB the MIP of the whole `model` is estimated to need."""
    return mip_memory(0, standard_form(model).A.nnz).need


def test_a_mip_above_the_memory_limit_is_left_out_for_the_swaps(packed: Path, holding: None) -> None:
    scenario = load_scenario(packed)
    model = build(scenario).model
    limit = HELD + 0.9 * whole_need(model)  # the whole MIP does not fit; the swaps' small MIPs do
    options = solver_options(scenario, time_limit=60, mip_gap=1e-6, threads=1, memory_limit=limit)
    heard: list[Progress] = []
    with watching(SolveWatch(on_progress=heard.append)):
        result = solve_highs(model, options, model.objective)
    optimum = solve_reference(packed, mip_gap=0.0).objective
    assert result.notes[0].startswith("HiGHS's MIP of the whole model was left out: it would need about ")
    assert result.notes[0].endswith(f"above the memory limit of {limit:g} GB; the plan is RENS's, improved by any "
                                    "swap that finds a better one, the bound the relaxation's with its cover cuts "
                                    "(solver.memory_limit 0, or --memory-limit 0, runs it)")
    assert result.heuristic["mip_left_out"] is True
    assert result.heuristic["swaps_improved"] >= 1 and result.heuristic["swaps_skipped"] == 0
    assert violations(model) == []
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
    assert not any("left out" in note for note in result.notes) and result.heuristic["mip_left_out"] is False
    assert result.status == "optimal"
    assert result.objective == pytest.approx(solve_reference(packed, mip_gap=0.0).objective, rel=1e-6)


def test_a_small_mip_of_the_swaps_above_the_memory_limit_is_left_out(packed: Path, holding: None) -> None:
    scenario = load_scenario(packed)
    model = build(scenario).model
    options = solver_options(scenario, time_limit=60, mip_gap=1e-6, threads=1, memory_limit=HELD + 1e-9)
    result = solve_highs(model, options, model.objective)
    swaps = result.heuristic
    assert swaps["swaps"] == swaps["swaps_skipped"] >= 1 and swaps["swaps_improved"] == 0
    assert result.objective == pytest.approx(swaps["objective"], rel=1e-9)  # RENS's plan, kept
    assert result.notes[-1] == ("small MIPs of the swaps left out, or stopped with their best plan, at the memory "
                                f"limit of {HELD + 1e-9:g} GB (they would have taken planner's processes above it): "
                                f"{swaps['swaps_skipped']}")
    assert violations(model) == []


@pytest.mark.skipif(not fork_available(), reason="a MIP apart needs os.fork (Linux)")
def test_a_mip_apart_is_stopped_once_planner_holds_more_than_the_limit(tmp_path: Path) -> None:
    hard = generate(12, 30, 1, tmp_path)  # the gap 0 not proven in 30 s (test_time_limits.py)
    h, form, _ = _to_highs(build(load_scenario(hard)).model)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("time_limit", 60.0)
    heard = threading.Event()  # the limit counts only once the copy has sent a plan: it must come back
    limit = memory.held() + 0.005  # 5 MB more: HiGHS's MIP in its copy takes that within a second
    over = memory.over_limit(limit)
    start = time.perf_counter()
    end = solve_apart(h, 60.0, None, False, on_plan=lambda objective, values: heard.set(),
                      over=lambda: heard.is_set() and over())
    assert end.over_memory and end.stopped and not end.interrupted
    assert time.perf_counter() - start < 30.0
    assert end.values is not None and len(end.values) == len(form.columns)


def test_a_small_mip_of_the_swaps_that_passes_the_limit_apart_is_stopped(packed: Path, holding: None,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rens, "runs_apart", lambda nonzeros, seconds: True)  # this model's small MIPs are small
    monkeypatch.setattr(rens, "over_limit", lambda limit: lambda: True)  # planner holds more once each has started
    scenario = load_scenario(packed)
    model = build(scenario).model
    options = solver_options(scenario, time_limit=60, mip_gap=1e-6, threads=1,
                             memory_limit=HELD + 0.9 * whole_need(model))  # each small MIP fits its estimate
    result = solve_highs(model, options, model.objective)
    swaps = result.heuristic
    assert swaps["swaps"] == swaps["swaps_skipped"] >= 1  # each one started, and was stopped
    assert result.objective <= swaps["objective"] * (1 + 1e-9) and violations(model) == []
    assert result.notes[-1].startswith("small MIPs of the swaps left out, or stopped with their best plan, at ")


def test_a_mip_above_the_limit_without_the_heuristic_runs_whole_and_says_so(packed: Path, holding: None) -> None:
    scenario = load_scenario(packed)
    model = build(scenario).model
    limit = HELD + 0.9 * whole_need(model)
    options = solver_options(scenario, time_limit=60, mip_gap=1e-6, threads=1, memory_limit=limit, heuristic=False)
    result = solve_highs(model, options, model.objective)
    assert result.heuristic is None and result.status == "optimal"
    assert result.notes[0] == (f"HiGHS's MIP of the whole model would need about {whole_need(model):.2f} GB beside "
                               f"the {HELD:.2f} GB planner holds, above the memory limit of {limit:g} GB, and ran all "
                               "the same: the limit applies only where RENS runs (solver.heuristic on, and time "
                               "enough for it)")


@pytest.mark.parametrize("start", ["optimal", "broken", "empty", "outside"])
def test_a_mip_start_above_the_memory_limit_is_rens_first_neighbourhood(packed: Path, holding: None,
                                                                       start: str) -> None:
    # a sweep's `reuse` or `period_start` gives a start: the whole MIP is still left out, RENS starts from the start
    scenario = load_scenario(packed)
    optimum = solve_reference(packed, mip_gap=0.0).objective
    solved = build(scenario).model
    solve_highs(solved, solver_options(scenario, time_limit=60, mip_gap=1e-6, threads=1, memory_limit=0),
                solved.objective)
    plan = integer_values(solved)
    if start == "broken":  # no site open: the start breaks the demand rows, and RENS goes on from the relaxation
        plan = {key: 0.0 if key[0] == "x" else value for key, value in plan.items()}
    if start == "empty":  # a sweep worker's first member with `reuse`: solved as without a start
        plan = {}
    if start == "outside":  # every value outside its column's bounds: RENS goes on from the relaxation (that the
        plan = {key: 5.0 for key in plan}  # bounds are checked is isolated by test_heuristics's 3-column MIP)
    model = build(scenario).model
    options = solver_options(scenario, time_limit=60, mip_gap=1e-6, threads=1, memory_limit=HELD + 0.9 * whole_need(
        model))
    result = solve_highs(model, options, model.objective, mip_start=start_for(model, plan))
    assert result.heuristic["mip_left_out"] is True
    assert result.notes[0].startswith("HiGHS's MIP of the whole model was left out: it would need about ")
    assert result.mip_start == {"values": len(plan), "accepted": start == "optimal"}
    assert violations(model) == [] and result.objective >= optimum * (1 - 1e-9)
    assert result.heuristic["objective"] is not None and result.heuristic["fixed"] > 0  # RENS's plan
    if start == "optimal":
        assert result.objective == pytest.approx(optimum, rel=1e-6)  # the start's plan: the optimum


@pytest.mark.parametrize("fixture, presolved", [("tiny", False), ("tiny_v2", True)])
def test_a_lean_relaxation_is_presolved_only_with_periods(fixture: str, presolved: bool, holding: None,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # without presolve the relaxation holds less, but a model with periods solves it 4.4 to 4.8 times slower
    asked: list[bool] = []

    def recorded(*args: Any, **kwargs: Any) -> Any:
        asked.append(inspect.signature(rens.rens).bind(*args, **kwargs).arguments["presolve"])
        return rens.rens(*args, **kwargs)

    monkeypatch.setattr(highs, "rens", recorded)
    scenario = load_scenario(FIXTURES / fixture / "scenario.yaml")
    model = build(scenario).model
    solve_highs(model, solver_options(scenario, time_limit=60, threads=1, memory_limit=HELD), model.objective)
    assert asked == [presolved]
