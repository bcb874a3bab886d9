"""jjj from today's base (scenarios/jjj/transition.yaml, issue 20): the stock is the national
transition's rows of 北京/天津/河北 (Beijing's split over its zones by its 2017 district output),
and one solve (about 10 s) shows the plan: optimal within the scenario's 0.1 % of the independent
version 2 reference's optimum, Beijing's center holds no production from 2030 (疏解非首都功能),
no region retires more production than it has built (先立后破), and the catalogue's bans hold."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest

from planner.run import run
from planner.scenario import load_scenario
from tests.reference.model2 import solve_reference_v2

SCENARIOS = Path(__file__).parents[1] / "scenarios"
JJJ = SCENARIOS / "jjj" / "transition.yaml"
NATIONAL_STOCK = SCENARIOS / "national" / "tables" / "transition-divisions" / "stock.csv"
FROM_NATIONAL = {"ic": "e_ngit", "biomed": "e_bio", "steel": "c31"}


def read(path: Path) -> list[dict]:
    """Rows of a CSV file as dicts."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    """One run of the scenario as shipped (its gap, one thread); the run folder."""
    out = tmp_path_factory.mktemp("jjj-transition") / "run"
    outcome = run(JJJ, out, threads=1, time_limit=300)
    assert outcome.status == "optimal", outcome.status
    return out


def test_stock_is_the_national_rows_of_the_three_provinces():
    scenario = load_scenario(JJJ)
    region = {s.id: s.region for s in scenario.sites.values()}
    ours: dict[tuple, float] = defaultdict(float)
    for row in scenario.stock.values():
        assert row.source.strip()
        ours[(row.industry, row.function, region[row.site])] += row.capacity
    national: dict[tuple, float] = defaultdict(float)
    for row in read(NATIONAL_STOCK):
        if row["site"] in region:
            jjj = {v: k for k, v in FROM_NATIONAL.items()}.get(row["industry"])
            if jjj:
                national[(jjj, row["function"], region[row["site"]])] += float(row["capacity"])
    assert not [k for k in ours if k[0] == "steel" and k[2] == "BJ"]  # Beijing's steel exited by 2017
    expected = {k: v for k, v in national.items() if not (k[0] == "steel" and k[2] == "BJ")}
    assert set(ours) == set(expected)
    for key, value in expected.items():  # Beijing re-split: 3 rows rounded to 0.1 or up to 1e-4
        assert ours[key] == pytest.approx(value, abs=0.15), key


def test_beijing_zones_follow_its_district_output():
    scenario = load_scenario(JJJ)
    ic = {row.site: row.capacity for row in scenario.stock.values()
          if row.industry == "ic" and row.function == "production" and row.site.startswith("BJ-")}
    # 北京市统计局 2017: the six center districts 3,947.2 of 13,557.0 units (metro-beijing-transition)
    assert ic["BJ-center"] / sum(ic.values()) == pytest.approx(3947.2 / 13557.0, abs=1e-4)


def test_plan_is_within_the_gap_of_the_reference_optimum(plan: Path):
    reference = solve_reference_v2(JJJ, mip_gap=0.0)
    assert reference.status == "optimal"
    summary = json.loads((plan / "summary.json").read_text(encoding="utf-8"))
    assert summary["mip_gap"] <= 0.001
    tolerance = 1e-6 * reference.objective  # both solvers' feasibility tolerances
    assert reference.objective - tolerance <= summary["objective"] <= reference.objective * 1.001 + tolerance


def test_beijing_center_produces_nothing_from_2030_and_builds_nothing(plan: Path):
    rows = [r for r in read(plan / "transition.csv") if r["function"] == "production"]
    center = {r["period"]: 0.0 for r in rows}
    for r in rows:
        if r["site"] == "BJ-center":
            center[r["period"]] += float(r["capacity"])
            assert float(r["built"]) == 0.0, r  # lock_out: 城六区 禁止新增制造业
        if r["region"] == "BJ" and r["industry"] == "steel":
            assert float(r["built"]) == 0.0, r  # lock_out: no new steel in Beijing
    assert center["2025"] > 2000  # the phase-out has something to remove
    assert center["2030"] == center["2035"] == 0.0


def test_no_region_retires_production_before_it_has_built(plan: Path):
    retired: dict[str, float] = defaultdict(float)
    built: dict[str, float] = defaultdict(float)
    beijing_retired = 0.0
    for r in read(plan / "regions.csv"):  # in period order
        retired[r["region"]] += float(r["retired"])
        built[r["region"]] += float(r["built"])
        assert retired[r["region"]] <= built[r["region"]] + 1e-6, r
        beijing_retired += float(r["retired"]) if r["region"] == "BJ" else 0.0
    assert beijing_retired > 2000  # 先立后破 binds: Beijing rebuilds what leaves its center
