"""Time limits kept (issue 22): the whole solve (hand-over, cuts and RENS, HiGHS, read-back, polish) ends within its
limit plus 2 s, with the best plan found; a MIP run apart (planner.solve.apart) is stopped at its deadline."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import time
from pathlib import Path

import highspy
import pyomo.environ as pyo
import pytest

import planner.solve.apart
from benchmarks.generate import generate
from planner.run import build, solver_options
from planner.scenario import load_scenario
from planner.solve import solve
from planner.solve.apart import solve_apart
from planner.solve.highs import _to_highs
from planner.solve.mipstart import integer_values, start_for
from planner.solve.polish import solve_polished


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 regions x 30 industries: the gap 0 not proven in 30 s."""
    return generate(12, 30, 1, tmp_path_factory.mktemp("limits"))


@pytest.fixture(scope="module")
def plan(scenario: Path) -> dict:
    """A plan of `scenario` (its integer values) from a solve to a 5 % gap: a start, so that a plan is there
    within 3 s on a loaded machine too."""
    sc = load_scenario(scenario)
    model = build(sc).model
    assert solve(model, solver_options(sc, mip_gap=0.05, threads=1)).objective is not None
    return integer_values(model)


@pytest.mark.parametrize("where", ["here", "apart"])
def test_a_solve_with_a_3_s_limit_ends_within_5_s_with_a_plan(scenario: Path, plan: dict, where: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    if where == "apart":
        monkeypatch.setattr(planner.solve.apart, "APART_NONZEROS", 0)  # this model is small: run it apart anyway
    sc = load_scenario(scenario)
    model = build(sc).model
    start = time.perf_counter()
    result = solve_polished(model, solver_options(sc, time_limit=3.0, mip_gap=0.0, threads=1),
                            mip_start=start_for(model, plan))
    wall = time.perf_counter() - start
    assert wall <= 3.0 + 2.0
    assert (result.status, result.message) == ("feasible", "Time limit reached"), result
    assert result.objective == pytest.approx(pyo.value(model.objective), rel=1e-9)  # the plan is loaded
    assert result.mip_start == {"values": len(plan), "accepted": True}


def test_a_mip_apart_that_overruns_its_time_limit_is_stopped(scenario: Path) -> None:
    h, form, _ = _to_highs(build(load_scenario(scenario)).model)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("time_limit", 60.0)  # HiGHS would go on: as if it did not check its limit
    start = time.perf_counter()
    end = solve_apart(h, 2.0, None, False)  # 2 s: time for HiGHS's first MIP log lines on a loaded machine
    wall = time.perf_counter() - start
    assert end.stopped and not end.interrupted
    assert end.status == highspy.HighsModelStatus.kTimeLimit and end.message == "Time limit reached"
    assert 2.0 + planner.solve.apart.KILL_GRACE <= wall <= 2.0 + planner.solve.apart.KILL_GRACE + 1.0
    assert end.values is None or len(end.values) == len(form.columns)
    assert end.bound > -1e30  # the last bound of HiGHS's MIP log, heard though `h` logs nowhere (output_flag off)


def _resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not planner.solve.apart.fork_available(), reason="glibc's heap, as on Linux")
def test_the_heap_freed_before_a_fork_goes_back_to_the_system() -> None:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(64 * 1024) for _ in range(3200)]  # 200 MiB in blocks glibc keeps on its heap
    for block in blocks:
        ctypes.memset(block, 1, 64 * 1024)
    for block in blocks[:-1]:  # the last one keeps the heap's top, so free() alone gives nothing back
        libc.free(block)
    held = _resident_bytes()
    assert planner.solve.apart.trim_heap()
    assert held - _resident_bytes() > 150 * 2**20
    libc.free(blocks[-1])
