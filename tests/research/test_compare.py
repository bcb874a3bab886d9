"""`planner compare`: runs of one scenario under HiGHS, CBC and GLPK agree within their gaps; a different
scenario, or a run whose objective was tampered with, does not; plan and KPI differences are right."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.research.common import read_run
from planner.research.compare import agreement, compare_runs, write_comparison
from planner.runfolder.format import ASSIGNMENT_COLUMNS
from tests.reference.generator import write_random_scenario

from .conftest import AVAILABLE, needs, solve_into, variant

runner = CliRunner()
OTHERS = [s for s in ("cbc", "glpk") if s in AVAILABLE]


@pytest.fixture(scope="module")
def runs(tiny_yaml: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The tiny scenario under every solver available here, and a variant without the site B-outer under HiGHS."""
    root = tmp_path_factory.mktemp("compare")
    out = {}
    for solver in ["highs", *OTHERS]:
        out[solver] = solve_into(tiny_yaml, root / solver, name=solver).out
    closed = variant(tiny_yaml, "tiny-without-b-outer", lambda d: d.setdefault("rules", []).append(
        {"lock_out": {"site": "B-outer"}}))
    out["variant"] = solve_into(closed, root / "variant").out
    return out


@pytest.mark.skipif(not OTHERS, reason="neither CBC nor GLPK is installed here")
def test_solvers_agree_within_gaps(runs: dict[str, Path], tmp_path: Path) -> None:
    dirs = [runs["highs"], *(runs[s] for s in OTHERS)]
    cmp = compare_runs(dirs)
    assert list(cmp.table["solver"]) == ["highs", *OTHERS]
    assert cmp.table["solver_version"].notna().all() and cmp.table["model"].nunique() == 1
    assert set(cmp.agreement["verdict"]) == {"agree"} and cmp.agreement["same_model"].all()
    assert cmp.same_model_agree() is True and cmp.all_agree()
    assert any("AGREE" in line for line in cmp.verdict_lines())
    # the same optimum: no capacity differs beyond the tolerance, no function moved
    assert cmp.differences.empty and cmp.moved.empty
    out = write_comparison(cmp, tmp_path / "cmp")
    for name in ("compare.csv", "agreement.csv", "plan_differences.csv", "kpi_deltas.csv", "compare.html",
                 "dual_map.html"):
        assert (out / name).is_file(), name
    table = pd.read_csv(out / "compare.csv")
    assert {"status", "objective", "best_bound", "mip_gap", "build_seconds", "solve_seconds", "solver",
            "solver_version"} <= set(table.columns)
    assert "AGREE" in (out / "compare.html").read_text(encoding="utf-8")


def test_different_scenario_disagrees(runs: dict[str, Path]) -> None:
    cmp = compare_runs([runs["highs"], runs["variant"]])
    row = cmp.agreement.iloc[0]
    assert row["verdict"] == "disagree" and not row["same_model"]
    assert cmp.same_model_agree() is None and not cmp.all_agree()
    base, other = read_run(runs["highs"]), read_run(runs["variant"])
    # KPI deltas are the differences of the summaries
    kpis = cmp.kpis.set_index("kpi")
    assert kpis.loc["objective", "delta"] == pytest.approx(other.objective - base.objective)
    assert kpis.loc["costs.land",
                    "delta"] == pytest.approx(other.summary["costs"]["land"] - base.summary["costs"]["land"])
    # plan differences are exactly the triples whose capacity changed
    a = base.assignments.set_index(["industry", "function", "site"])["capacity"]
    b = other.assignments.set_index(["industry", "function", "site"])["capacity"]
    changed = {t for t in set(a.index) | set(b.index)
               if abs(a.get(t, 0.0) - b.get(t, 0.0)) > 1e-6 * max(1.0, abs(a.get(t, 0.0)))}
    assert set(zip(cmp.differences["industry"], cmp.differences["function"], cmp.differences["site"],
                   strict=False)) == changed
    assert changed, "the variant was meant to change the plan"
    moved = cmp.moved.set_index(["industry", "function"])
    assert "B-outer" in moved.loc[("steel", "production"), "left"].split()


def test_tampered_run_disagrees_and_strict_fails(runs: dict[str, Path], tmp_path: Path) -> None:
    """A run of the same model claiming a worse optimum with a tight bound is caught."""
    fake = tmp_path / "fake"
    shutil.copytree(runs["highs"], fake)
    summary = json.loads((fake / "summary.json").read_text(encoding="utf-8"))
    summary["objective"] *= 1.01
    summary["best_bound"] = summary["objective"] * (1 - 1e-4)
    (fake / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    cmp = compare_runs([runs["highs"], fake])
    assert cmp.agreement.iloc[0]["same_model"] and cmp.agreement.iloc[0]["verdict"] == "disagree"
    assert cmp.same_model_agree() is False
    result = runner.invoke(app, ["compare", str(runs["highs"]), str(fake), "--out", str(tmp_path / "c"), "--strict"])
    assert result.exit_code == 1, result.output
    assert "DISAGREE" in result.output
    result = runner.invoke(app, ["compare", str(runs["highs"]), str(runs["variant"]), "--out", str(tmp_path / "d"),
                                 "--strict"])
    assert result.exit_code == 0, result.output  # different models may differ


def test_a_run_without_a_plan_compares_as_disagreeing(runs: dict[str, Path], tiny_yaml: Path, tmp_path: Path) -> None:
    short = variant(tiny_yaml, "tiny-short-of-land", lambda d: d.setdefault("overrides", []).append(
        {"table": "industries", "set": {"demand": 100000}}))
    assert solve_into(short, tmp_path / "infeasible").status == "infeasible"
    result = runner.invoke(app,
                           ["compare", str(runs["highs"]), str(tmp_path / "infeasible"), "--out", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert "DISAGREE" in result.output
    kpis = pd.read_csv(tmp_path / "c" / "kpi_deltas.csv").set_index("kpi")
    assert pd.isna(kpis.loc["objective", "value_run"]) and pd.isna(kpis.loc["objective", "delta"])
    assert kpis.loc["objective", "value_base"] == pytest.approx(read_run(runs["highs"]).objective)


def _record(tmp_path: Path, name: str, status: str, objective: float | None, bound: float | None):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "summary.json").write_text(json.dumps({"status": status, "objective": objective, "best_bound": bound}))
    (folder / "manifest.json").write_text(json.dumps({"solver": {"name": "x"}}))
    if objective is not None:  # a plan (its table left empty)
        (folder / "assignments.csv").write_text(",".join(ASSIGNMENT_COLUMNS) + "\n")
    return read_run(folder)


@pytest.mark.parametrize(("a", "b", "verdict"), [
    (("optimal", 100.0, 100.0), ("optimal", 100.0 + 1e-9, 100.0 - 1e-9), "agree"),
    (("feasible", 100.0, 99.0), ("feasible", 99.5, 98.0), "agree"),  # overlap thanks to the gaps
    (("optimal", 100.0, 99.99), ("optimal", 99.0, 98.99), "disagree"),
    (("infeasible", None, None), ("infeasible", None, None), "agree"),
    (("infeasible", None, None), ("optimal", 5.0, 5.0), "disagree"),
    (("no_solution", None, None), ("optimal", 5.0, 5.0), "unknown"),
])
def test_agreement_rule(tmp_path: Path, a: tuple, b: tuple, verdict: str) -> None:
    assert agreement(_record(tmp_path, "a", *a), _record(tmp_path, "b", *b))["verdict"] == verdict


@needs("cbc")
@pytest.mark.parametrize("seed", [11, 12])
def test_random_scenarios_highs_and_cbc_agree(tmp_path: Path, seed: int) -> None:
    """Held-out style: random scenarios under HiGHS and CBC at the default gap agree within the gaps."""
    yaml_path = write_random_scenario(tmp_path / "scn", seed, n_regions=3, n_industries=3)
    runs = [solve_into(yaml_path, tmp_path / s, name=s, mip_gap=1e-4) for s in ("highs", "cbc")]
    if runs[0].status == "infeasible":
        assert runs[1].status == "infeasible"
        return
    cmp = compare_runs([r.out for r in runs])
    assert cmp.same_model_agree() is True, cmp.agreement.to_dict("records")


@pytest.mark.parametrize("tolerance", ["-1", "nan", "inf"])
def test_a_negative_nan_or_infinite_tolerance_exits_2(runs: dict[str, Path], tmp_path: Path, tolerance: str) -> None:
    result = runner.invoke(app, ["compare", str(runs["highs"]), str(runs["variant"]), "--tolerance", tolerance,
                                 "--out", str(tmp_path / "c")])
    assert result.exit_code == 2
    why = "is not a finite number" if tolerance == "inf" else "must be at least 0"
    assert f"Invalid value for '--tolerance': {tolerance} {why}" in " ".join(result.output.replace("│", " ").split())
    assert not (tmp_path / "c").exists()


def test_a_damaged_run_folder_is_named_with_its_file(runs: dict[str, Path], tmp_path: Path) -> None:
    missing, broken, headers, inputs = (tmp_path / name for name in ("missing", "broken", "headers", "inputs"))
    for folder in (missing, broken, headers, inputs):
        shutil.copytree(runs["highs"], folder)
    (missing / "assignments.csv").unlink()
    (broken / "manifest.json").write_text("{", encoding="utf-8")
    (headers / "assignments.csv").write_text("industry,function\n", encoding="utf-8")
    shutil.rmtree(inputs / "inputs")  # read only to draw the side-by-side map, after the comparison
    cell, solver, objective, listed = (tmp_path / name for name in ("cell", "solver", "objective", "listed"))
    for folder in (cell, solver, objective, listed):
        shutil.copytree(runs["highs"], folder)
    table = pd.read_csv(cell / "assignments.csv")
    table["capacity"] = table["capacity"].astype(object)
    table.loc[1, "capacity"] = "abc"
    table.to_csv(cell / "assignments.csv", index=False)
    manifest = json.loads((solver / "manifest.json").read_text(encoding="utf-8"))
    (solver / "manifest.json").write_text(json.dumps(manifest | {"solver": "x"}), encoding="utf-8")
    summary = json.loads((objective / "summary.json").read_text(encoding="utf-8"))
    (objective / "summary.json").write_text(json.dumps(summary | {"objective": "abc"}), encoding="utf-8")
    (listed / "summary.json").write_text("[1, 2]", encoding="utf-8")
    for damaged, message in ((missing, f"{missing / 'assignments.csv'} is missing, though summary.json reports a plan"),
                             (broken, f"{broken / 'manifest.json'} is not valid JSON"),
                             (headers, f"{headers / 'assignments.csv'} lacks the columns site, region, zone, capacity, "
                                       "land_ha, land_cost, setup_cost, operating_cost: not a complete run folder"),
                             (inputs, f"{inputs / 'inputs' / 'sites.csv'} is missing: not a complete run folder"),
                             (cell, f"{cell / 'assignments.csv'} row 3, column capacity: 'abc' is not a number"),
                             (solver,
                              f"{solver / 'manifest.json'} key solver: not a mapping of name, version and options"),
                             (objective, f"{objective / 'summary.json'} key objective: 'abc' is not a number"),
                             (listed, f"{listed / 'summary.json'} is not a JSON object")):
        result = runner.invoke(app, ["compare", str(runs["highs"]), str(damaged), "--out", str(tmp_path / "c")])
        assert result.exit_code == 2 and message in " ".join(result.output.split()), result.output
        assert not (tmp_path / "c").exists()


def test_the_same_folder_twice_exits_2(runs: dict[str, Path], tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", str(runs["highs"]), str(runs["highs"]), "--out", str(tmp_path / "c")])
    assert result.exit_code == 2
    assert f"the same run folder is given twice: {runs['highs']}" in " ".join(result.output.split())
