"""The version 2 default scenarios of issue 20 items 2 and 3: Beijing's relief of non-capital functions
(scenarios/metro/beijing/transition.yaml) and Hebei by prefecture-level city (scenarios/province/hebei).
Cheap checks: the rules name what exists, the stock is its published figures, every stock row
says where it comes from, every city joins its boundary in geodata; and one solve of the Hebei scenario as
shipped (about 2 s) against the independent version 2 reference's optimum (about 20 s)."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from pathlib import Path

import pandas as pd
import pytest
import shapely
from matplotlib.text import Annotation

from planner import geodata
from planner.maps import fonts
from planner.maps.images import plan_figure
from planner.maps.period_figures import CHART_GID, PANEL_GID
from planner.run import run
from planner.scenario import load_scenario
from tests.reference.checker2 import check_run_folder_v2
from tests.reference.model2 import solve_reference_v2

SCENARIOS = Path(__file__).parents[1] / "scenarios"
BEIJING = SCENARIOS / "metro" / "beijing" / "transition.yaml"
HEBEI = SCENARIOS / "province" / "hebei" / "scenario.yaml"

# 北京市统计局, 规模以上工业总产值(按区划分), 2017年1-5月 (10k yuan): the city total less "其他"
# (grid companies not located in a district), x 12/5 to a year, / 10,000 to 亿元.
BEIJING_STOCK_UNITS = (68_630_320 - 12_142_999) * 12 / 5 / 10_000
# The Hebei cities' 2023 figures as the 中国城市统计年鉴2024 prints them (sources/README.md).
HEBEI_CITIES_2023 = HEBEI.parent / "sources" / "cities_2023.csv"


@pytest.fixture(scope="module", params=[BEIJING, HEBEI], ids=["beijing", "hebei"])
def scenario(request):
    return load_scenario(request.param)


def production_stock(scenario) -> float:
    return sum(row.capacity for row in scenario.stock.values() if row.function == "production")


def test_rules_name_existing_regions_industries_and_zones(scenario):
    known = {"region": set(scenario.regions), "industry": set(scenario.industries),
             "site": set(scenario.sites), "zone": {s.zone for s in scenario.sites.values()}}
    for rule in scenario.rules:
        selector = rule.lock_in or rule.lock_out or rule.phase_out
        for key, names in known.items():
            value = getattr(selector, key)
            values = [value] if isinstance(value, str) else list(value or [])
            assert set(values) <= names, (rule, key)


def test_every_stock_row_names_its_source(scenario):
    assert scenario.stock and all(row.source.strip() for row in scenario.stock.values())


def test_beijing_stock_is_the_published_district_output():
    scenario = load_scenario(BEIJING)
    assert production_stock(scenario) == pytest.approx(BEIJING_STOCK_UNITS, abs=16 * 0.05)
    assert {row.site for row in scenario.stock.values()} == set(scenario.sites)  # every district
    phase_outs = [r.phase_out for r in scenario.rules if r.phase_out]
    assert [(p.zone, p.industry, p.by) for p in phase_outs] == [("center", "mfg", 2030)]
    assert scenario.periods[0] <= 2030 <= scenario.periods[-1]


def hebei_cities() -> list[dict[str, str]]:
    with HEBEI_CITIES_2023.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_hebei_sources_gdp_adds_up_to_the_yearbook_cities_sum():
    rows = hebei_cities()
    assert len(rows) == 11 and len({r["adcode"] for r in rows}) == 11
    assert sum(int(r["gdp_2023_total_city_yi"]) for r in rows) == 44_092


def test_hebei_production_stock_is_each_citys_industrial_revenue():
    # 规模以上工业营业收入 (万元) / 10,000 = 亿元 (jjj's unit of production, annual output), 全市 for the city, 市辖区
    # for its districts;
    # the outer site (counties and county-level cities) holds the difference, center + inner the districts
    scenario = load_scenario(HEBEI)
    region_of = {r.adcode: r.id for r in scenario.regions.values() if r.id.startswith("HE-")}
    for row in hebei_cities():
        total = float(row["industrial_revenue_2023_total_city_10k_yuan"]) / 10_000
        districts = float(row["industrial_revenue_2023_districts_10k_yuan"]) / 10_000
        rid = region_of[row["adcode"]]
        by_zone = {scenario.sites[s.site].zone: s.capacity for s in scenario.stock.values()
                   if s.function == "production" and scenario.sites[s.site].region == rid}
        assert sorted(by_zone) == ["center", "inner", "outer"], rid
        assert sum(by_zone.values()) == pytest.approx(total, abs=3 * 0.05), rid
        assert by_zone["outer"] == pytest.approx(total - districts, abs=0.05), rid
        assert by_zone["center"] + by_zone["inner"] == pytest.approx(districts, abs=2 * 0.05), rid


def test_hebei_derive_stops_when_a_citys_districts_exceed_the_whole_city(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "path", list(sys.path))  # derive.py puts its helper folders first
    helpers = {"hebei_derive", "build", "derive_common", "derive_transition"} - set(sys.modules)  # derive's own
    try:
        spec = importlib.util.spec_from_file_location("hebei_derive", HEBEI.parent / "derive.py")
        derive = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(derive)
        text = HEBEI_CITIES_2023.read_text(encoding="utf-8")
        bad = tmp_path / "cities_2023.csv"  # 承德's 市辖区 revenue raised from 8,127,814 to 18,127,814 万元
        bad.write_text(text.replace(",17736864,8127814,", ",17736864,18127814,"), encoding="utf-8")
        with pytest.raises(SystemExit) as stop:
            derive.read_cities(bad)
    finally:
        for name in helpers & set(sys.modules):
            del sys.modules[name]
    assert stop.value.code == 2
    assert capsys.readouterr().err == ("cities_2023.csv: row 9, 承德市: the 市辖区 规模以上工业营业收入 1812.78 亿元 "
                                       "exceeds the whole city's 1773.69: its outer site's stock would be negative\n")


def test_hebei_new_land_is_ten_years_of_supply_split_by_2023_gdp():
    # jjj's Hebei supply per ring (scenarios/transition/tables/sites.csv), ten years of it (2025 to 2035)
    scenario = load_scenario(HEBEI)
    with (SCENARIOS / "transition" / "tables" / "sites.csv").open(encoding="utf-8", newline="") as f:
        supply = {r["zone"]: float(r["land_ha"]) for r in csv.DictReader(f) if r["region"] == "HE"}
    gdp = {r["adcode"]: float(r["gdp_2023_total_city_yi"]) for r in hebei_cities()}
    code = {r.id: r.adcode for r in scenario.regions.values()}
    stock_land: dict[str, float] = {}
    for row in scenario.stock.values():
        land = scenario.functions[row.industry, row.function].land_per_unit * row.capacity
        stock_land[row.site] = stock_land.get(row.site, 0.0) + land
    for site in scenario.sites.values():
        if site.region.startswith("HE-"):
            share = gdp[code[site.region]] / sum(gdp.values())
            free = site.land_ha - stock_land[site.id]
            assert free == pytest.approx(10 * supply[site.zone] * share, abs=1e-3), site.id


def test_hebei_as_shipped_proves_its_gap_at_the_reference_optimum_and_keeps_every_constraint(tmp_path):
    out = tmp_path / "run"
    outcome = run(HEBEI, out, threads=1)
    assert outcome.status == "optimal", outcome.status
    reference = solve_reference_v2(HEBEI, mip_gap=0.0)
    assert reference.status == "optimal"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    tolerance = 1e-6 * reference.objective  # both solvers' feasibility tolerances
    assert reference.objective - tolerance <= summary["objective"] <= reference.objective * 1.001 + tolerance
    assert summary["violations"] == [] and check_run_folder_v2(out, HEBEI) == []
    hebei_image_shows_what_changed(out)


def hebei_image_shows_what_changed(out: Path) -> None:
    """36 sites hold something in every period: each period's panel labels only the sites where something changed
    (and their cities); the stock's rounding remainders the plan retires (0.0001 a row) draw no retirement ring,
    here or on the interactive map; and no two cities' lines in the production chart look alike."""
    transition = pd.read_csv(out / "transition.csv")
    assert 0 < transition["retired"].sum() < 0.01  # the remainders, nothing more
    with fonts.cjk_context():
        figure = plan_figure(out)
    panels = [ax for ax in figure.axes if ax.get_gid() == PANEL_GID]
    for ax, (period, rows) in zip(panels, transition.groupby("period"), strict=True):
        changed = set(rows.loc[rows["built"] > 0, "site"])
        texts = [a.get_text() for a in ax.texts if isinstance(a, Annotation)]
        assert {t.split(" ")[0] for t in texts if "\n" not in t} == changed, period  # sites: "HE-Baoding-outer 量产"
        cities = {t.split("\n")[0] for t in texts if "\n" in t}  # regions: "保定市 Baoding\n6 产业"
        assert len(cities) == len(set(rows.loc[rows["built"] > 0, "region"])), period
        assert not [c for c in ax.collections if c.get_gid() == "pl-retired-ring"], period
    chart = next(ax for ax in figure.axes if ax.get_gid() == CHART_GID)
    looks = [(line.get_color(), line.get_marker()) for line in chart.get_lines() if line.get_xdata().size]
    assert len(looks) == 11 and len(set(looks)) == 11
    assert "pl-retired-ring" not in (out / "map.html").read_text(encoding="utf-8")


def test_every_hebei_city_joins_its_boundary_and_holds_its_sites():
    scenario = load_scenario(HEBEI)
    cities = geodata.districts("Hebei").set_index("adcode")
    hebei = {r.id: r for r in scenario.regions.values() if r.id.startswith("HE-")}
    assert sorted(r.adcode for r in hebei.values()) == sorted(cities.index)  # all 11, once each
    for region in hebei.values():
        polygon = cities.loc[region.adcode, "geometry"]
        sites = [s for s in scenario.sites.values() if s.region == region.id]
        assert sorted(s.zone for s in sites) == ["center", "inner", "outer"]
        for site in sites:
            # boundaries simplified at 0.001 degree: allow a point that close to the border
            assert polygon.buffer(0.002).contains(shapely.Point(site.lon, site.lat)), site.id


def test_hebei_capability_follows_the_published_city_rd_intensity():
    # 河北省统计局 2023 (tjj.hebei.gov.cn): the five cities above the provincial 2.08 %
    published = {"HE-Baoding": 3.46, "HE-Shijiazhuang": 2.76, "HE-Qinhuangdao": 2.69,
                 "HE-Handan": 2.52, "HE-Xingtai": 2.12}
    scenario = load_scenario(HEBEI)
    for site in scenario.sites.values():
        if not site.region.startswith("HE-"):
            continue
        pct = published.get(site.region, 2.08)
        factor = {"center": 1.0, "inner": 0.5, "outer": 0.25}[site.zone]
        assert site.capabilities["research"] == pytest.approx(pct / 6.73 * factor, abs=6e-4), site.id
    emerging_rd = [s.id for s in scenario.sites.values()
                   if s.region.startswith("HE-") and s.capabilities["research"] >= 0.446]
    assert emerging_rd == ["HE-Baoding-center"]
