"""The research commands on a scenario with periods and stock (docs/model.md version 2): alternatives, importance,
pareto and export, each checked against the independent version 2 reference (tests/reference/model2.py) or its
checker of written plans."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from planner.research.alternatives import run_alternatives
from planner.research.common import hamming, read_run
from planner.research.compare import compare
from planner.research.export import export_model
from planner.research.importance import site_importance
from planner.research.pareto import pareto
from tests.reference.checker2 import check_run_folder_v2
from tests.reference.model2 import solve_reference_v2

from .conftest import FIXTURES, solve_into, variant
from .test_export import _highs_optimum

ZERO = {"land": 0, "setup": 0, "operating": 0, "linkage": 0, "duplication": 0, "retire": 0, "upgrade": 0}
"""Weights with every term off."""


@pytest.fixture(scope="module")
def v2_yaml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/tiny_v2 (stock, periods 2025 and 2030, an upgrade path, a phase-out), copied once."""
    root = tmp_path_factory.mktemp("scenarios") / "tiny_v2"
    shutil.copytree(FIXTURES / "tiny_v2", root)
    return root / "scenario.yaml"


@pytest.fixture(scope="module")
def optimum(v2_yaml: Path) -> float:
    """The reference's optimum of the fixture."""
    result = solve_reference_v2(v2_yaml)
    assert result.status == "optimal" and result.objective is not None
    return result.objective


@pytest.fixture(scope="module")
def v2_run(v2_yaml: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solve_into(v2_yaml, tmp_path_factory.mktemp("v2") / "base").out


def test_alternatives_are_distinct_plans_over_the_periods_within_the_slack(v2_yaml: Path, optimum: float,
                                                                           tmp_path: Path) -> None:
    found = run_alternatives(v2_yaml, tmp_path / "alt", n=2, within=5, mip_gap=0.0)
    assert found.optimum.summary["objective"] == pytest.approx(optimum, rel=1e-7)
    assert len(found.alternatives) == 2
    patterns = [read_run(tmp_path / "alt").assignments]
    for alt in found.alternatives:
        cost = alt.summary["objective"]
        assert optimum - 1e-6 <= cost <= optimum * 1.05 + 1e-6
        assert check_run_folder_v2(alt.out, v2_yaml) == [], alt.out
        assert alt.summary["violations"] == [] and "periods" in alt.summary
        patterns.append(read_run(alt.out).assignments)
    keys = [frozenset(zip(p["period"], p["industry"], p["function"], p["site"], strict=True)) for p in patterns]
    assert all(hamming(a, b) > 0 for n, a in enumerate(keys) for b in keys[n + 1:])  # distinct over the periods
    frequency = pd.read_csv(tmp_path / "alt" / "selection_frequency.csv")
    assert "period" in frequency.columns
    assert set(frequency.loc[frequency["level"] == "function", "period"]) == {2025, 2030}


def test_importance_closes_the_site_in_every_period(v2_yaml: Path, v2_run: Path, optimum: float) -> None:
    """Closing B-outer (which holds steel stock) = a copy with a lock_out of the site and its phase-out by the first
    period, solved by the reference."""
    row = site_importance(v2_run, sites=["B-outer"]).table.iloc[0]
    closed = variant(v2_yaml, "without-B-outer", lambda d: d.setdefault("rules", []).extend(
        [{"lock_out": {"site": "B-outer"}}, {"phase_out": {"site": "B-outer", "by": 2025}}]))
    without = solve_reference_v2(closed)
    assert without.status == "optimal"
    assert row["status"] == "optimal" and "steel/production" in row["functions"]
    assert row["objective_without"] == pytest.approx(without.objective, rel=1e-6)
    assert row["importance"] == pytest.approx(without.objective - optimum, rel=1e-6)


@pytest.fixture(scope="module")
def first_run(v2_yaml: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture under 先立后破 (transition: build_first)."""
    first = variant(v2_yaml, "first", lambda d: d["settings"].__setitem__("transition", "build_first"))
    return solve_into(first, tmp_path_factory.mktemp("v2") / "first").out


def test_importance_under_build_first_can_make_a_site_irreplaceable(v2_yaml: Path, first_run: Path) -> None:
    """With 先立后破 the steel stock of B-outer (150) may be retired only once B has built as much production; B's
    other sites hold 130 units at most, so no plan exists without B-outer (the reference agrees)."""
    run_dir = first_run
    closed = variant(v2_yaml, "first-without", lambda d: (d["settings"].__setitem__("transition", "build_first"),
                                                          d.setdefault("rules", []).extend(
        [{"lock_out": {"site": "B-outer"}}, {"phase_out": {"site": "B-outer", "by": 2025}}])))
    assert solve_reference_v2(closed).status == "infeasible"
    row = site_importance(run_dir, sites=["B-outer"]).table.iloc[0]
    assert row["status"] == "infeasible" and math.isinf(row["importance"])


def test_pareto_between_retire_and_upgrade_ends_at_each_terms_optimum(v2_yaml: Path, tmp_path: Path) -> None:
    """Converting steel into AI production (upgrade) or retiring it (retire) when steel's demand falls in 2030: each
    end of the frontier holds the least of its term over all plans (the reference with only that weight)."""
    outcome = pareto(v2_yaml, "retire", "upgrade", 2, tmp_path / "par", mip_gap=0.0)
    kept = outcome.table[outcome.table["kept"]]
    assert len(kept) == 2 and kept["retire"].iloc[0] < kept["retire"].iloc[-1]
    for term, index in (("retire", 0), ("upgrade", -1)):
        path = variant(v2_yaml, f"only-{term}", lambda d, term=term: d["settings"].__setitem__(
            "weights", ZERO | {term: 1}))
        assert kept[term].iloc[index] == pytest.approx(solve_reference_v2(path).objective, rel=1e-6, abs=1e-6)
    for folder in kept["folder"]:
        assert check_run_folder_v2(tmp_path / "par" / folder, v2_yaml) == [], folder


def test_pareto_refuses_retire_for_a_scenario_without_periods(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "tiny", tmp_path / "tiny")
    with pytest.raises(ValueError, match="cost term 'retire' exists only in a scenario with periods or stock"):
        pareto(tmp_path / "tiny" / "scenario.yaml", "land", "retire", 2, tmp_path / "par")
    assert not (tmp_path / "par").exists()


def test_exported_multi_period_model_solves_to_the_optimum(v2_yaml: Path, optimum: float, tmp_path: Path) -> None:
    written = export_model(v2_yaml, lp=tmp_path / "m.lp", mps=tmp_path / "m.mps")
    for w in written:
        assert _highs_optimum(w.path) == pytest.approx(optimum, rel=1e-7)
    text = (tmp_path / "m.lp").read_text(encoding="utf-8")
    assert "build_first" not in text  # the fixture plans freely: no 先立后破 rows
    assert "balance(" in text and "period(2030)" in text  # every period's rows, named


def test_compare_runs_with_periods_per_period_and_overall(v2_run: Path, first_run: Path, tmp_path: Path) -> None:
    cmp, out = compare([v2_run, first_run], tmp_path / "cmp")
    periods = pd.read_csv(out / "periods.csv", dtype={"period": str})
    for run_dir, label in ((v2_run, "base"), (first_run, "first")):
        summary = read_run(run_dir).summary
        rows = periods[periods["run"] == label].set_index("period")
        assert list(rows.index) == ["2025", "2030", "overall"]
        for year, figures in summary["periods"].items():
            assert rows.loc[year, "cost"] == pytest.approx(sum(figures["costs"].values()), rel=1e-9)
            assert rows.loc[year, "built"] == pytest.approx(figures["capacity"]["built"], rel=1e-9)
        assert rows.loc[["2025", "2030"], "cost_discounted"].sum() == pytest.approx(summary["objective"], rel=1e-9)
        assert rows.loc["overall", "cost_discounted"] == pytest.approx(summary["objective"], rel=1e-12)
    differences = pd.read_csv(out / "plan_differences.csv")
    assert list(differences.columns[:3]) == ["base", "run", "period"]
    a, b = (read_run(p).assignments.set_index(["period", "industry", "function", "site"])["capacity"]
            for p in (v2_run, first_run))
    expected = {k for k in a.index.union(b.index) if abs(a.get(k, 0.0) - b.get(k, 0.0)) > 1e-6 * max(1, a.get(k, 0))}
    assert set(zip(differences["period"], differences["industry"], differences["function"], differences["site"],
                   strict=True)) == expected
    assert "kpi" in pd.read_csv(out / "kpi_deltas.csv").columns
    assert "periods.2030.costs.retire" in set(cmp.kpis["kpi"])
    page = (out / "compare.html").read_text(encoding="utf-8")
    assert "<h2>Periods</h2>" in page and "overall" in page


def test_compare_a_run_with_periods_and_one_without(tiny_yaml: Path, v2_run: Path, tmp_path: Path) -> None:
    once = solve_into(tiny_yaml, tmp_path / "once").out
    cmp, out = compare([once, v2_run], tmp_path / "cmp")
    assert cmp.verdict_lines()[0] == (
        "base plans over periods (base: 2025, 2030) and once plans once: their objectives are not comparable (a "
        "discounted total over the periods against the cost of one plan); their plans are compared on the last "
        "period of the runs with periods")
    assert cmp.table.set_index("run").loc["base", "n_opened"] == len(read_run(v2_run).last_period())
    pair = cmp.agreement.iloc[0]
    assert pair["verdict"] == "unknown" and "not comparable" in pair["reason"]
    last = read_run(v2_run).assignments.query("period == 2030").set_index(["industry", "function", "site"])
    changed = cmp.differences.set_index(["industry", "function", "site"])
    assert "period" not in cmp.differences.columns
    for key, row in changed.iterrows():
        assert row["capacity_run"] == pytest.approx(last["capacity"].get(key, 0.0), rel=1e-9)
