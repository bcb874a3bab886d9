"""Several solvers through one set of options: the same optimum, options under each solver's names."""

from __future__ import annotations

import math

import pytest

from planner.run import build, solver_options
from planner.scenario import load_scenario
from planner.solve import SolverUnavailable, native_options, solve, solver_versions
from planner.solve.highs import _to_highs
from tests.reference.generator import write_random_scenario
from tests.reference.model import solve_reference

AVAILABLE = [name for name, version in solver_versions().items() if version]


@pytest.mark.parametrize("name", AVAILABLE)
@pytest.mark.parametrize("seed", [1, 4])
def test_every_available_solver_reaches_the_reference_optimum(tmp_path, name, seed):
    yaml = write_random_scenario(tmp_path, seed=seed)
    reference = solve_reference(yaml)
    sc = load_scenario(yaml)
    result = solve(build(sc).model, solver_options(sc, name=name, mip_gap=0.0, time_limit=60))
    if reference.status == "infeasible":
        assert result.status == "infeasible"
    else:
        assert result.status == "optimal" and result.solver == name and result.solver_version
        assert math.isclose(result.objective, reference.objective, rel_tol=1e-6)


def test_options_are_named_for_each_solver(tiny):
    options = solver_options(load_scenario(tiny.yaml), time_limit=12.5, mip_gap=0.01, threads=2, seed=5)
    assert native_options("highs", options) == {"time_limit": 12.5, "mip_rel_gap": 0.01, "threads": 2, "random_seed": 5}
    assert native_options("cbc", options) == {"seconds": 12.5, "ratioGap": 0.01, "threads": 2, "randomCbcSeed": 5}
    assert native_options("glpk", options) == {"tmlim": 12, "mipgap": 0.01, "seed": 5}


def test_a_highs_object_runs_with_its_own_thread_count_after_one_with_another_ran(tmp_path):
    """HiGHS keeps one thread scheduler per process: a run with 1 thread after one with 2 ended at once with the
    status 'Not Set' (it did in CI) before planner reset the scheduler whenever it makes a Highs object."""
    yaml = write_random_scenario(tmp_path, seed=1)
    reference = solve_reference(yaml)
    model = build(load_scenario(yaml)).model
    for threads in (2, 1):
        h, _, _ = _to_highs(model)
        h.setOptionValue("threads", threads)
        h.run()
        assert h.modelStatusToString(h.getModelStatus()) == "Optimal", threads
        assert math.isclose(h.getInfo().objective_function_value, reference.objective, rel_tol=1e-6)


def test_unknown_solver(tiny):
    sc = load_scenario(tiny.yaml)
    with pytest.raises(SolverUnavailable, match="unknown solver 'gurobix'; known: highs, cbc, glpk, scip"):
        solve(build(sc).model, solver_options(sc, name="gurobix"))


def test_a_cbc_plan_at_its_time_limit_is_reported_without_pyomo_s_warning(tmp_path, capsys, caplog) -> None:
    from benchmarks.generate import generate

    if "cbc" not in AVAILABLE:
        pytest.skip("CBC is not installed: apt-get install coinor-cbc")
    sc = load_scenario(generate(31, 40, 1, tmp_path / "scenario"))
    result = solve(build(sc).model, solver_options(sc, name="cbc", time_limit=3, mip_gap=0.0))
    if result.status != "feasible":
        pytest.skip(f"CBC ended {result.status} within 3 s here: no plan at a limit to load")
    assert result.objective is not None and result.mip_gap > 0
    said = capsys.readouterr().err + caplog.text
    assert "aborted" not in said, said
