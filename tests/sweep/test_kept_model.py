"""A sweep worker runs members that differ only in solver options on one built model, with the results of fresh runs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from benchmarks.generate import generate
from planner.run import KeptModel, run, solve_scenario
from planner.sweep import run_sweep, worker
from tests.sweep.test_sweep import _write_sweep


def test_members_differing_in_solver_options_share_a_model(tmp_path: Path) -> None:
    base = generate(4, 3, 2, tmp_path / "base")
    grid = {"product": [{"name": "land", "table": "sites", "column": "land_price", "scale": [1.0, 1.5]},
                        {"name": "seed", "key": "solver.seed", "values": [0, 1, 2]}]}
    outcome = run_sweep(_write_sweep(tmp_path, base, grid, name="seeds"), tmp_path / "out", workers=1, processes=False)
    table = outcome.table.set_index("member")
    assert worker.KEPT == {}  # dropped when the sweep ended (the workers were threads of this process)
    # one worker takes the members in grid order: seeds 1 and 2 follow seed 0 of the same land prices
    assert table["model_reused"].tolist() == [False, True, True, False, True, True]
    assert (table.loc[table["model_reused"], "build_seconds"] == 0).all()
    assert (table.loc[~table["model_reused"], "build_seconds"] > 0).all()
    for member in table.index:
        fresh = run(tmp_path / "out" / "scenarios" / f"{member}.yaml", tmp_path / "fresh" / member)
        assert "model_reused" not in fresh.summary
        assert table.loc[member, "objective"] == pytest.approx(fresh.summary["objective"], rel=1e-12)
        for name in ("assignments.csv", "links.csv"):
            pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "out" / member / name), pd.read_csv(fresh.out / name))


def test_a_model_is_kept_only_for_the_same_model_inputs(tiny) -> None:
    kept = KeptModel()
    first = solve_scenario(tiny.yaml, "first", kept=kept)
    assert kept.built is first.built and "model_reused" not in first.base
    again = solve_scenario(tiny.yaml, "again", kept=kept, mip_gap=0.01, seed=3)  # solver options only
    assert again.built is first.built and again.base["model_reused"] and again.base["build_seconds"] == 0.0
    assert again.result.objective == pytest.approx(first.result.objective)
    tiny.replace("tables/industries.csv", "steel,Steel,钢铁,traditional,300,", "steel,Steel,钢铁,traditional,250,")
    changed = solve_scenario(tiny.yaml, "changed", kept=kept)
    assert changed.built is not first.built and "model_reused" not in changed.base
    assert kept.built is changed.built
