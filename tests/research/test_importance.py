"""`planner importance RUN_DIR`: the importance of a site equals the objective difference of two independent
runs, one of a scenario copy with a lock_out rule for that site."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.research.importance import site_importance

from .conftest import solve_into, variant

runner = CliRunner()


@pytest.fixture(scope="module")
def base_run(tiny_yaml: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solve_into(tiny_yaml, tmp_path_factory.mktemp("importance") / "base").out


def test_importance_equals_two_independent_runs(tiny_yaml: Path, base_run: Path, tmp_path: Path) -> None:
    result = site_importance(base_run)
    table = result.table.set_index("site")
    opened = set(pd.read_csv(base_run / "assignments.csv")["site"])
    assert set(table.index) == opened
    base = solve_into(tiny_yaml, tmp_path / "again").summary["objective"]
    for site, row in table.iterrows():
        closed = variant(tiny_yaml, f"without-{site}", lambda d, site=site: d.setdefault("rules", []).append(
            {"lock_out": {"site": site}}))
        other = solve_into(closed, tmp_path / site)
        if other.status == "infeasible":
            assert row["status"] == "infeasible" and math.isinf(row["importance"])
        else:
            assert other.status == "optimal"
            difference = other.summary["objective"] - base
            assert row["importance"] == pytest.approx(difference, abs=1e-6 * max(1.0, abs(base)))
    finite = [v for v in table["importance"] if math.isfinite(v)]
    assert finite and all(v >= -1e-6 for v in finite)  # closing a site never helps
    ranks = list(result.table["importance"])
    assert ranks == sorted(ranks, reverse=True)  # most important first


def test_command_writes_table_and_map_layer(base_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "imp"
    result = runner.invoke(app, ["importance", str(base_run), "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "importance.csv")
    assert {"site", "status", "objective_without", "importance", "importance_pct"} <= set(table.columns)
    html = (out / "importance.html").read_text(encoding="utf-8")
    assert "Replacement importance" in html
    for site in table["site"]:  # one circle per site in the importance layer, its tooltip naming the site
        assert f"{site} (" in html and "): importance " in html
    assert html.count("): importance ") == len(table)
    again = runner.invoke(app, ["importance", str(base_run), "--out", str(out)])
    assert again.exit_code == 2  # never overwritten without --force


def test_lock_in_site_is_not_closed(tiny_yaml: Path, tmp_path: Path) -> None:
    locked = variant(tiny_yaml, "tiny-locked", lambda d: d.setdefault("rules", []).append(
        {"lock_in": {"site": "B-outer", "industry": "steel", "function": "production"}}))
    run_dir = solve_into(locked, tmp_path / "run").out
    table = site_importance(run_dir, sites=["B-outer"]).table
    assert table.iloc[0]["status"] == "locked_in" and pd.isna(table.iloc[0]["importance"])


def test_run_without_plan_is_refused(tiny_yaml: Path, tmp_path: Path) -> None:
    impossible = variant(tiny_yaml, "tiny-impossible", lambda d: d.setdefault("rules", []).append(
        {"lock_out": {"function": "production"}}))
    run_dir = solve_into(impossible, tmp_path / "run").out
    result = runner.invoke(app, ["importance", str(run_dir)])
    assert result.exit_code == 2 and "no plan" in result.output


def test_an_assignment_at_an_unknown_site_is_refused(base_run: Path, tmp_path: Path) -> None:
    import shutil

    damaged = tmp_path / "damaged"
    shutil.copytree(base_run, damaged)
    table = pd.read_csv(damaged / "assignments.csv")
    table.loc[0, "site"] = "ZZ-nowhere"
    table.to_csv(damaged / "assignments.csv", index=False)
    result = runner.invoke(app, ["importance", str(damaged)])
    assert result.exit_code == 2
    assert "names sites that are not in its scenario: ZZ-nowhere" in " ".join(result.output.split())


def test_an_assignments_table_without_its_columns_is_refused(base_run: Path, tmp_path: Path) -> None:
    import shutil

    damaged = tmp_path / "damaged"
    shutil.copytree(base_run, damaged)
    (damaged / "assignments.csv").write_text("industry,function\n", encoding="utf-8")
    result = runner.invoke(app, ["importance", str(damaged)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert (f"{damaged / 'assignments.csv'} lacks the columns site, region, zone, capacity, land_ha, land_cost, "
            "setup_cost, operating_cost: not a complete run folder") in " ".join(result.output.split())


def test_an_unknown_solver_is_refused_in_planner_s_words(base_run: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["importance", str(base_run), "--solver", "nosuch", "--out", str(tmp_path / "imp")])
    assert result.exit_code == 2 and "Traceback" not in result.output and not (tmp_path / "imp").exists()
    assert "unknown solver 'nosuch'; known: highs, cbc, glpk, scip" in " ".join(result.output.split())
