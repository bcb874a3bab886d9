"""A sweep worker runs members that differ only in solver options or costs on one built model, with the results of
fresh runs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import planner.run
from benchmarks.generate import generate
from planner.run import KeptModel, build, run, solve_scenario
from planner.scenario import load_scenario
from planner.solve.standard_form import read_linear
from planner.sweep import run_sweep, worker
from tests.solve.test_standard_form import assert_same
from tests.sweep.test_sweep import _write_sweep


def test_members_differing_in_costs_or_solver_options_share_a_model(tmp_path: Path) -> None:
    base = generate(4, 3, 2, tmp_path / "base")
    grid = {"product": [{"name": "land", "table": "sites", "column": "land_price", "scale": [1.0, 1.5]},
                        {"name": "seed", "key": "solver.seed", "values": [0, 1, 2]}]}
    outcome = run_sweep(_write_sweep(tmp_path, base, grid, name="seeds"), tmp_path / "out", workers=1, processes=False)
    table = outcome.table.set_index("member")
    assert worker.KEPT == {}  # dropped when the sweep ended (the workers were threads of this process)
    # one worker takes the members in grid order: after the first, each runs on the same model, with the
    # objective rewritten where the land prices change (the fourth member)
    assert table["model_reused"].tolist() == [False, True, True, True, True, True]
    assert table["costs_rewritten"].tolist() == [False, False, False, True, False, False]
    assert (table.loc[table["model_reused"] & ~table["costs_rewritten"], "build_seconds"] == 0).all()
    for member in table.index:
        fresh = run(tmp_path / "out" / "scenarios" / f"{member}.yaml", tmp_path / "fresh" / member)
        assert "model_reused" not in fresh.summary
        assert table.loc[member, "objective"] == pytest.approx(fresh.summary["objective"], rel=1e-12)
        for name in ("assignments.csv", "links.csv"):
            pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "out" / member / name), pd.read_csv(fresh.out / name))


def test_a_model_is_kept_only_for_the_same_structure(tiny) -> None:
    kept = KeptModel()
    first = solve_scenario(tiny.yaml, "first", kept=kept)
    assert kept.built is first.built and "model_reused" not in first.base
    again = solve_scenario(tiny.yaml, "again", kept=kept, mip_gap=0.01, seed=3)  # solver options only
    assert again.built.model is first.built.model and again.base["model_reused"] and again.base["build_seconds"] == 0.0
    assert again.result.objective == pytest.approx(first.result.objective) and not again.base["costs_rewritten"]
    tiny.replace("tables/industries.csv", "steel,Steel,钢铁,traditional,300,", "steel,Steel,钢铁,traditional,250,")
    changed = solve_scenario(tiny.yaml, "changed", kept=kept)
    assert changed.built.model is not first.built.model and "model_reused" not in changed.base
    assert kept.built is changed.built
    assert kept.handover.form is not None and kept.handover.form.columns[0].model() is changed.built.model


def test_a_model_with_other_costs_is_the_model_built_for_them(tiny) -> None:
    tiny.replace("scenario.yaml", "duplication: hard", "duplication: soft\n  duplication_penalty: 1000")
    tiny.append("scenario.yaml", "rules:\n  - lock_in: {site: B-outer, industry: steel, function: production}\n")
    kept = KeptModel()
    first = solve_scenario(tiny.yaml, "first", kept=kept)
    # every kind of cost at once: a land price, a cost factor, unit and setup costs, the linkage cost,
    # the duplication penalty and the weights
    tiny.replace("tables/sites.csv", "A-center,A,center,20,3000,116.40,39.90,1.2",
                 "A-center,A,center,20,4500,116.40,39.90,1.5")
    tiny.replace("tables/functions.csv", "ai,rd,0.05,500,20", "ai,rd,0.05,650,26")
    tiny.replace("scenario.yaml", "linkage_cost: 0.5", "linkage_cost: 0.8")
    tiny.replace("scenario.yaml", "duplication_penalty: 1000",
                 "duplication_penalty: 400\n  weights: {land: 2, setup: 1, operating: 0.5, linkage: 1, duplication: 1}")
    again = solve_scenario(tiny.yaml, "again", kept=kept)
    assert again.built.model is first.built.model and again.base["model_reused"] and again.base["costs_rewritten"]
    fresh = build(load_scenario(tiny.yaml)).model
    assert_same(kept.handover.form, read_linear(fresh), same_model=False)
    assert_same(read_linear(again.built.model), read_linear(fresh), same_model=False)
    alone = solve_scenario(tiny.yaml, "alone")
    assert again.result.objective == pytest.approx(alone.result.objective, rel=1e-12)
    assert again.result.objective != pytest.approx(first.result.objective, rel=1e-3)
    assert again.plan.assignments.equals(alone.plan.assignments)


def test_a_rewrite_that_fails_keeps_no_model(tiny, monkeypatch) -> None:
    kept = KeptModel()
    solve_scenario(tiny.yaml, "first", kept=kept)
    tiny.replace("scenario.yaml", "linkage_cost: 0.5", "linkage_cost: 0.8")

    def broken(*args):
        raise RuntimeError("rewrite failed")

    monkeypatch.setattr(planner.run, "set_costs", broken)
    with pytest.raises(RuntimeError, match="rewrite failed"):
        kept.take(load_scenario(tiny.yaml))
    assert kept.built is None and kept.take(load_scenario(tiny.yaml)) == (None, False)
