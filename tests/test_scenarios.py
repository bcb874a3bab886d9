"""Every bundled scenario and variant loads and validates; the small ones solve to optimality."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from planner.run import run
from planner.scenario import load_scenario
from planner.scenario.yamlfile import read_scenario_yaml
from tests.reference.availability import (
    PENDING_REASON,
    planner_has_version_2,
    uses_version_2,
)

SCENARIOS = Path(__file__).parents[1] / "scenarios"
FILES = sorted(p for p in SCENARIOS.rglob("*.yaml") if "sweeps" not in p.parts)
LOADABLE = [p for p in FILES if planner_has_version_2() or not uses_version_2(p)]
"""Every bundled file, but the version 2 ones (scenarios/transition) while planner has no version 2 model."""


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SCENARIOS)))
def test_bundled_scenario_validates(path):
    if path not in LOADABLE:
        pytest.skip(PENDING_REASON)
    scenario = load_scenario(path)
    assert scenario.regions and scenario.sites and scenario.industries
    for name in ("regions", "sites", "industries", "functions"):
        assert Path(getattr(scenario.spec.tables, name)).is_relative_to(SCENARIOS)


def test_there_are_the_expected_scenarios():
    names = {load_scenario(p).name for p in LOADABLE}
    assert {"jjj-baseline", "national-baseline", "metro-beijing", "metro-shanghai"} <= names
    assert len(names) == len(LOADABLE)  # every file has its own name


def test_every_bundled_file_has_a_description_of_its_own():
    """Reports print the description under the title, and `extends` passes the base's on: every bundled
    scenario, variant and sweep writes its own, and a variant's differs from its base's."""
    problems = []
    for path in sorted(SCENARIOS.rglob("*.yaml")):
        own = yaml.safe_load(path.read_text(encoding="utf-8"))
        shown = path.relative_to(SCENARIOS)
        text = " ".join(str(own.get("description") or "").split())
        if not text:
            problems.append(f"{shown}: no description")
            continue
        base = own.get("extends") or own.get("base")  # a variant's base, or a sweep's
        inherited = read_scenario_yaml(path.parent / base).data.get("description") if base else None
        if text == " ".join(str(inherited or "").split()):
            problems.append(f"{shown}: the same description as its base {base}")
        if "extends" in own and read_scenario_yaml(path).data["description"] != own["description"]:
            problems.append(f"{shown}: its description is not the one its report shows")
    assert problems == []


@pytest.mark.parametrize("relative", ["metro/shanghai/scenario.yaml", "variants/jjj-radius-150.yaml"])
def test_small_bundled_scenarios_solve(tmp_path, relative):
    outcome = run(SCENARIOS / relative, tmp_path / "run")
    assert outcome.status == "optimal" and outcome.summary["violations"] == []


def test_national_baseline_proves_its_gap_and_shows_the_gradient(tmp_path):
    """Issue 3: the national baseline ends `optimal` (its 0.1 % gap proven within its own 300 s limit);
    R&D goes to center sites and production to outer sites, with no rule in the scenario forcing it."""
    scenario = load_scenario(SCENARIOS / "national" / "scenario.yaml")
    assert scenario.rules == [] and scenario.solver.mip_gap <= 0.001 and scenario.solver.time_limit <= 300
    outcome = run(SCENARIOS / "national" / "scenario.yaml", tmp_path / "run")
    summary = outcome.summary
    assert outcome.status == "optimal" and summary["mip_gap"] <= 0.001 and summary["violations"] == []
    shares = summary["division_of_labour"]
    assert shares["rd"]["center"] > 0.9 and shares["production"]["outer"] > 0.9


NATIONAL = SCENARIOS / "national"


def _rows(path: Path) -> list[dict]:
    import csv

    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_national_transition_stock_adds_up_to_its_sourced_totals():
    """Issue 20: the national transition's production stock equals the sourced totals it apportions
    (high-tech revenue per province; each division's national revenue = R&D / R&D intensity), the
    grouped tables (transition.yaml) hold the divisions' sums site by site, 2025 demand equals the
    stock, and every stock row names its source."""
    divisions = _rows(NATIONAL / "tables" / "transition-divisions" / "stock.csv")
    groups = _rows(NATIONAL / "tables" / "transition" / "stock.csv")
    assert all(row["source"].strip() for row in divisions + groups)
    assert all(row["function"] != "production" for row in divisions if row["source"].startswith("assumption"))
    region_of = {s["id"]: s["region"] for s in _rows(NATIONAL / "tables" / "transition" / "sites.csv")}
    zh = {r["id"]: r["name_zh"] for r in _rows(NATIONAL / "tables" / "regions.csv")}
    hitech = {r["province"]: float(r["hitech_revenue_2023_yi"])
              for r in _rows(NATIONAL / "sources" / "provinces_industry_2023.csv")}
    production = [r for r in divisions if r["function"] == "production"]
    for rid, name in zh.items():
        emerging = sum(float(r["capacity"]) for r in production
                       if region_of[r["site"]] == rid and r["industry"].startswith("e_"))
        assert emerging == pytest.approx(hitech[name], abs=0.5), rid
    for div in _rows(NATIONAL / "sources" / "division_rd_2022.csv"):
        revenue = float(div["rd_2022_yi"]) / float(div["rd_intensity_2022_pct"]) * 100
        total = sum(float(r["capacity"]) for r in production if r["industry"] == div["code"].lower())
        assert total == pytest.approx(revenue, abs=93 * 0.05), div["code"]
    by_site_divisions: dict[str, float] = {}
    for r in production:
        by_site_divisions[r["site"]] = by_site_divisions.get(r["site"], 0.0) + float(r["capacity"])
    by_site_groups: dict[str, float] = {}
    for r in groups:
        if r["function"] == "production":
            by_site_groups[r["site"]] = by_site_groups.get(r["site"], 0.0) + float(r["capacity"])
    assert by_site_groups == pytest.approx(by_site_divisions, abs=0.01)
    for folder, rows in (("transition-divisions", production), ("transition", groups)):
        demand = {i["id"]: float(i["demand"]) for i in _rows(NATIONAL / "tables" / folder / "industries.csv")}
        totals: dict[str, float] = {}
        for r in rows:
            if r["function"] == "production":
                totals[r["industry"]] = totals.get(r["industry"], 0.0) + float(r["capacity"])
        for industry, total in totals.items():
            assert demand[industry] == pytest.approx(total, abs=0.05), (folder, industry)


def test_national_transition_variants_differ_only_in_the_transition_mode():
    """Issue 20: build_first is the default national transition, `free` its variant; nothing else differs
    (read as YAML: test_bundled_scenario_validates loads both)."""
    first = yaml.safe_load((NATIONAL / "transition.yaml").read_text(encoding="utf-8"))
    free = yaml.safe_load((NATIONAL / "transition-free.yaml").read_text(encoding="utf-8"))
    settings = first["settings"]
    assert settings["transition"] == "build_first" and settings["periods"] == [2025, 2030, 2035]
    assert settings["discount_rate"] == 0.08 and "stock" in first["tables"]
    assert free == {"extends": "transition.yaml", "name": "national-transition-free", "title": free["title"],
                    "description": free["description"], "settings": {"transition": "free"}}
