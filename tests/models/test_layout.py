"""The model of docs/model.md: planner's optimum equals an independent implementation's, and every plan
it returns satisfies every constraint (checked by an independent checker on the run folder)."""

from __future__ import annotations

import math
import shutil

import pytest

from planner.run import run
from tests.reference.checker import check_run_folder
from tests.reference.generator import write_random_scenario
from tests.reference.model import solve_reference

SEEDS = range(12)


@pytest.mark.parametrize("soft", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_optimum_matches_the_reference(tmp_path, seed, soft):
    scenario = write_random_scenario(tmp_path / "scenario", seed=seed, n_regions=3, n_industries=3, soft=soft)
    reference = solve_reference(scenario, mip_gap=0.0)
    outcome = run(scenario, tmp_path / "run", mip_gap=0.0, threads=1)
    if reference.status == "infeasible":
        assert outcome.status == "infeasible"
        assert (tmp_path / "run" / "infeasibility.txt").read_text(encoding="utf-8").startswith("Scenario ")
        return
    assert reference.status == "optimal" and outcome.status == "optimal"
    assert math.isclose(outcome.summary["objective"], reference.objective, rel_tol=1e-6, abs_tol=1e-6)
    assert check_run_folder(tmp_path / "run", scenario) == []
    assert outcome.summary["violations"] == []


def test_tiny_fixture_optimum_and_plan(tiny):
    reference = solve_reference(tiny.yaml, mip_gap=0.0)
    outcome = run(tiny.yaml, tiny.root.parent / "run")
    assert math.isclose(outcome.summary["objective"], reference.objective, rel_tol=1e-9)
    assert check_run_folder(tiny.root.parent / "run", tiny.yaml) == []


def test_division_of_labour_is_plain_floats_summing_to_one(tiny):
    from planner.results import extract_plan
    from planner.run import build, solver_options
    from planner.scenario import load_scenario
    from planner.solve import solve

    scenario = load_scenario(tiny.yaml)
    built = build(scenario)
    solve(built.model, solver_options(scenario))
    shares = extract_plan(scenario, built.index, built.model).division_of_labour()
    assert all(type(v) is float for zones in shares.values() for v in zones.values())  # as the README prints them
    assert all(math.isclose(sum(zones.values()), 1.0) for zones in shares.values())


def test_checker_catches_a_broken_plan(tiny):
    """The independent checker is not vacuous on planner's own run folders."""
    out = tiny.root.parent / "run"
    run(tiny.yaml, out)
    broken = tiny.root.parent / "broken"
    shutil.copytree(out, broken)
    text = (broken / "assignments.csv").read_text(encoding="utf-8").splitlines()
    (broken / "assignments.csv").write_text("\n".join(text[:-1]) + "\n", encoding="utf-8")  # drop one opened function
    assert check_run_folder(broken, tiny.yaml) != []
