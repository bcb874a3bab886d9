"""Swaps alongside the MIP (planner/solve/alongside.py): plans handed between planner's process and HiGHS's running
apart, the swaps' thread, and a whole solve with them, on HiGHS."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import highspy
import numpy as np
import pytest

from benchmarks.generate import generate
from planner.run import build, solver_options
from planner.scenario.loader import load_scenario
from planner.solve import alongside, swaps
from planner.solve.alongside import Beside, SharedPlan, runs_alongside
from planner.solve.highs import _neighbourhoods, _owners, _to_highs, solve_highs
from planner.solve.rens import rens
from planner.solve.watch import new_highs
from tests.reference.model import solve_reference


def test_a_plan_written_here_is_read_in_a_forked_copy() -> None:
    shared = SharedPlan(4)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: wait for the plan, send back what it read, and whether a second read finds nothing
        os.close(read)
        got, end = None, time.monotonic() + 30
        while got is None and time.monotonic() < end:
            got = shared.read()
            time.sleep(0.01)
        with os.fdopen(write, "wb") as pipe:
            pickle.dump((got, shared.read()), pipe)
        os._exit(0)
    os.close(write)
    shared.write(3.5, np.array([1.0, 2.0, 0.0, 4.0]))
    with os.fdopen(read, "rb") as pipe:
        (objective, values), again = pickle.load(pipe)
    os.waitpid(pid, 0)
    assert objective == 3.5 and values.tolist() == [1.0, 2.0, 0.0, 4.0] and again is None


def _subset_sum() -> tuple[highspy.Highs, np.ndarray]:
    """Pick items of 40 weights that sum exactly to a target, at the least cost: HiGHS on one node with its own
    heuristics off finds no plan. The plan that made the target."""
    rng = np.random.default_rng(3)
    n, columns = 40, np.arange(40, dtype=np.int32)
    weight, chosen = rng.integers(10000, 99999, n).astype(float), rng.random(n) < 0.5
    h = new_highs()  # HiGHS's thread scheduler made anew: one left by an earlier test may have other threads
    h.addVars(n, np.zeros(n), np.ones(n))
    h.changeColsCost(n, columns, rng.integers(1, 9, n).astype(float))
    h.changeColsIntegrality(n, columns, np.array([highspy.HighsVarType.kInteger] * n))
    h.addRow(weight[chosen].sum(), weight[chosen].sum(), n, columns, weight)
    for option, setting in (("threads", 1), ("presolve", "off"), ("mip_heuristic_effort", 0.0), ("mip_max_nodes", 1),
                            ("mip_heuristic_run_feasibility_jump", False)):
        h.setOptionValue(option, setting)
    return h, chosen.astype(float)


def test_highs_takes_the_plan_handed_to_it_during_its_solve() -> None:
    h, plan = _subset_sum()
    h.solve()
    assert h.getModelStatus() == highspy.HighsModelStatus.kSolutionLimit  # alone: one node, no plan
    assert h.getInfo().primal_solution_status == 0
    h.clearSolver()
    shared = SharedPlan(len(plan))
    shared.write(float(h.getLp().col_cost_ @ plan), plan)
    h.cbMipUserSolution += shared.give
    h.solve()
    assert h.getInfo().primal_solution_status == 2
    assert h.getInfo().objective_function_value == pytest.approx(float(h.getLp().col_cost_ @ plan))
    assert np.asarray(h.getSolution().col_value).round().tolist() == plan.tolist()


def test_the_swaps_run_alongside_a_large_mip_when_a_core_is_free(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alongside, "cores", lambda: 2)
    base = solver_options(load_scenario(Path("scenarios/jjj/scenario.yaml")))
    large, small = alongside.APART_NONZEROS, alongside.APART_NONZEROS - 1
    assert base.threads == 1 and runs_alongside(base, large) is True
    assert runs_alongside(base, small) is False  # solved in the process, in seconds
    assert runs_alongside(base.model_copy(update={"threads": 2}), large) is False  # HiGHS takes both cores
    assert runs_alongside(base.model_copy(update={"alongside": False}), large) is False
    monkeypatch.setattr(alongside, "cores", lambda: 1)
    assert runs_alongside(base, large) is False
    assert runs_alongside(base.model_copy(update={"alongside": True}), small) is True  # asked for: runs anyway


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated instance on which RENS's plan packs a full site worse than the optimum (measured; as in
    test_swaps.py)."""
    return generate(20, 30, 4, tmp_path_factory.mktemp("alongside"))


def test_swaps_in_their_thread_find_the_better_plan_and_offer_it_to_highs(packed: Path) -> None:
    model = build(load_scenario(packed)).model
    h, form, _ = _to_highs(model)
    start = rens(h, {"threads": 1, "mip_rel_gap": 1e-4}, None, True, _neighbourhoods(model, form), _owners(model, form),
                 alongside=True)
    assert start.later is not None and start.swapped == 0  # the swaps are left for later
    shared = SharedPlan(len(form.columns))
    beside = Beside(start.later, start, shared, 60.0, None)
    stop = beside.start()
    end = time.monotonic() + 60
    while beside.best.improved == 0 and time.monotonic() < end:
        time.sleep(0.2)
    stop()
    best = beside.best
    assert best.improved >= 1 and best.objective < start.objective * (1 - 1e-5)
    objective, values = shared.read()  # the best plan, offered to HiGHS
    assert objective == best.objective and np.array_equal(values, best.solution)
    assert best.objective >= solve_reference(packed, mip_gap=0.0).objective * (1 - 1e-9)


def test_a_solve_with_swaps_alongside_reaches_the_optimum(packed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(swaps, "EACH_SHARE", 1.0)
    scenario = load_scenario(packed)
    model = build(scenario).model
    options = solver_options(scenario, time_limit=60, mip_gap=1e-4, threads=1, alongside=True)
    result = solve_highs(model, options, model.objective)
    optimum = solve_reference(packed, mip_gap=0.0).objective
    assert result.status == "optimal" and result.objective == pytest.approx(optimum, rel=1e-4)
    assert result.objective >= optimum * (1 - 1e-9) and result.heuristic["swaps_alongside"] is True


def test_a_silent_highs_is_stopped_once_the_best_plan_is_within_the_gap_of_its_bound(packed: Path) -> None:
    """HiGHS hears no plan while it computes its analytic centre (a minute at 100 x 100). Here it falls silent, as
    there, once it has reported a bound: planner must stop it at once, the plan known being within the gap."""
    model = build(load_scenario(packed)).model
    h, form, _ = _to_highs(model)
    start = rens(h, {"threads": 1, "mip_rel_gap": 1e-4}, None, True, _neighbourhoods(model, form), _owners(model, form),
                 alongside=True)
    close = []  # in HiGHS's copy: whether it has logged a bound within the gap of RENS's plan (its first is 0)
    h.cbMipLogging += lambda event: close.append(start.objective - event.data_out.mip_dual_bound
                                                 <= 0.05 * start.objective)  # before planner's copy sends it
    h.cbMipInterrupt += lambda event: time.sleep(600) if any(close) else None
    h.setOptionValue("mip_rel_gap", 1e-4)
    h.setOptionValue("time_limit", 300.0)
    began = time.monotonic()
    end, _ = alongside.solve_beside(h, start.later, start, 300.0, None, gap=0.05)
    optimum = solve_reference(packed, mip_gap=0.0).objective
    objective = start.later.plan(end.values).objective
    assert time.monotonic() - began < 60 and end.proven and end.stopped
    assert end.status == highspy.HighsModelStatus.kOptimal and end.bound <= optimum * (1 + 1e-9)
    assert optimum * (1 - 1e-9) <= objective and objective - end.bound <= 0.05 * objective
