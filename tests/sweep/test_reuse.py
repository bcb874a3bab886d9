"""Sweeps with `reuse`: each member is offered its worker's previous plan as a MIP start; results agree within the
gap."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pandas as pd
import pytest
import yaml

from benchmarks.generate import generate
from planner.run import solve_scenario
from planner.solve.mipstart import integer_values
from planner.sweep import load_sweep, run_sweep
from planner.sweep.members import MemberTask
from planner.sweep.worker import LAST_PLAN, run_member
from tests.sweep.test_sweep import GRID, _write_sweep

CAPPED = {"category": ["future", "emerging"]}
SOLVER = {"time_limit": 30, "mip_gap": 0, "threads": 1}


def _variant(folder: Path, base: Path, name: str, overrides: list[dict]) -> Path:
    """A scenario file extending `base` with `overrides`, solved to optimality."""
    path = folder / f"{name}.yaml"
    doc = {"name": name, "extends": os.path.relpath(base, folder), "solver": SOLVER, "overrides": overrides}
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, pd.DataFrame, pd.DataFrame]:
    """The 8-member sweep of test_sweep on a local cluster of 1 worker process, reuse off, then reuse on."""
    root = tmp_path_factory.mktemp("reuse")
    sweep = _write_sweep(root, generate(5, 4, 7, root / "base"), GRID)
    cold = run_sweep(sweep, root / "cold", workers=1)
    warm = run_sweep(sweep, root / "warm", workers=1, reuse=True)
    assert cold.ran == warm.ran == 8 and cold.failed == warm.failed == 0
    return sweep, root, cold.table, warm.table


def _summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def test_without_reuse_no_start_is_offered(pair: tuple[Path, Path, pd.DataFrame, pd.DataFrame]) -> None:
    _, root, cold, _ = pair
    assert cold["start_values"].isna().all() and cold["start_accepted"].isna().all()
    assert all("mip_start" not in _summary(root / "cold" / m) for m in cold["member"])
    assert json.loads((root / "cold" / "sweep.json").read_text(encoding="utf-8"))["reuse"] is False


def test_with_reuse_each_member_after_the_first_gets_the_previous_plan(
        pair: tuple[Path, Path, pd.DataFrame, pd.DataFrame]) -> None:
    _, root, _, warm = pair
    started = {m: json.loads((root / "warm" / m / "manifest.json").read_text(encoding="utf-8"))["started_at"]
               for m in warm["member"]}
    rows = warm.set_index("member").loc[sorted(started, key=started.get)]  # the one worker's order
    assert rows["start_values"].iloc[0] == 0 and not rows["start_accepted"].iloc[0]
    first = rows.index[0]  # its empty start: solved as without reuse, RENS's plan and all
    cold = _summary(root / "cold" / first)["heuristic"]
    assert cold["objective"] is not None
    assert _summary(root / "warm" / first)["heuristic"]["objective"] == pytest.approx(cold["objective"], rel=1e-9)
    assert (rows["start_values"].iloc[1:] > 0).all()
    assert rows["start_accepted"].iloc[1:].sum() >= 4  # most neighbours' plans stay feasible
    for member, row in rows.iterrows():
        assert _summary(root / "warm" / member)["mip_start"] == {"values": row["start_values"],
                                                                 "accepted": bool(row["start_accepted"])}
    assert json.loads((root / "warm" / "sweep.json").read_text(encoding="utf-8"))["reuse"] is True


def test_reuse_gives_the_same_objectives_within_the_gap(pair: tuple[Path, Path, pd.DataFrame, pd.DataFrame]) -> None:
    _, _, cold, warm = pair
    assert list(warm["member"]) == list(cold["member"]) and list(warm["status"]) == list(cold["status"])
    for a, b in zip(cold["objective"], warm["objective"], strict=False):
        assert math.isclose(a, b, rel_tol=1e-6), (a, b)  # mip_gap 0: both optimal


def test_the_input_hash_ignores_reuse(pair: tuple[Path, Path, pd.DataFrame, pd.DataFrame]) -> None:
    sweep, root, _, _ = pair
    again = run_sweep(sweep, root / "cold", workers=1, reuse=True)
    assert again.ran == 0 and again.skipped == 8
    assert again.table["start_values"].isna().all()  # the folders are those of the cold run


def test_the_worker_keeps_the_plan_and_offers_it_to_the_next_member(tmp_path: Path) -> None:
    base = generate(4, 3, 11, tmp_path / "base")
    scenarios = [_variant(tmp_path, base, f"land{k}", [{"table": "sites", "scale": {"land_price": k}}]) for k in (1, 2)]
    tasks = [MemberTask(f"m{n}", {}, str(s), str(tmp_path / f"m{n}"), "hash", True, str(base))
             for n, s in enumerate(scenarios)]
    LAST_PLAN.clear()
    try:
        assert run_member(tasks[0])["status"] == "optimal"
        kept = dict(LAST_PLAN[str(base)])
        opened = pd.read_csv(tmp_path / "m0" / "assignments.csv")
        assert {k[1] for k, v in kept.items() if k[0] == "x" and v == 1} == set(
            opened[["industry", "function", "site"]].itertuples(index=False, name=None))
        assert run_member(tasks[1])["status"] == "optimal"
        assert _summary(tmp_path / "m0")["mip_start"] == {"values": 0, "accepted": False}
        assert _summary(tmp_path / "m1")["mip_start"] == {"values": len(kept), "accepted": True}
    finally:
        LAST_PLAN.clear()


def test_an_infeasible_start_is_refused_and_the_optimum_still_found(tmp_path: Path) -> None:
    base = generate(5, 4, 7, tmp_path / "base")
    loose = solve_scenario(_variant(tmp_path, base, "loose", [{"table": "industries", "where": CAPPED,
                                                                "set": {"max_hosts": 5}}]), tmp_path / "a")
    start = integer_values(loose.built.model)
    hosts: dict[str, int] = {}
    for (name, index), value in start.items():
        if name == "y":  # y[industry, region]
            hosts[index[0]] = hosts.get(index[0], 0) + int(value)
    capped = [i for i, ind in loose.scenario.industries.items() if ind.category in CAPPED["category"]]
    assert max(hosts.get(i, 0) for i in capped) > 1  # so the start breaks max_hosts = 1
    tight = _variant(tmp_path, base, "tight", [{"table": "industries", "where": CAPPED, "set": {"max_hosts": 1}}])
    cold = solve_scenario(tight, tmp_path / "b")
    warm = solve_scenario(tight, tmp_path / "c", start=start)
    assert cold.result.mip_start is None
    assert warm.result.mip_start == {"values": len(start), "accepted": False}
    assert warm.result.status == cold.result.status == "optimal"
    assert math.isclose(warm.result.objective, cold.result.objective, rel_tol=1e-6)


def test_cli_reuse_option_wins_over_the_sweep_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from planner.cli import app

    base = generate(2, 2, 3, tmp_path / "base")
    sweep = _write_sweep(tmp_path, base, {"product": [{"name": "w", "key": "settings.weights.land", "values": [1, 2]}]})
    sweep.write_text(sweep.read_text(encoding="utf-8") + "reuse: true\n", encoding="utf-8")
    assert load_sweep(sweep).spec.reuse
    result = CliRunner().invoke(app,
                                ["sweep", str(sweep), "--out", str(tmp_path / "off"), "--workers", "1", "--no-reuse"])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(tmp_path / "off" / "results.csv")["start_values"].isna().all()
    result = CliRunner().invoke(app, ["sweep", str(sweep), "--out", str(tmp_path / "on"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    first, second = sorted(pd.read_csv(tmp_path / "on" / "results.csv")["start_values"])
    assert first == 0 and second > 0
    assert json.loads((tmp_path / "on" / "sweep.json").read_text(encoding="utf-8"))["reuse"] is True
