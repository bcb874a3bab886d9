"""Infeasible scenarios whose infeasibility.txt must name the cause, and contradictory rows that are bad input.

Each case is the tiny scenario with one change; the expected lines are the whole cause, with the numbers of the
data (computed here by hand from tests/fixtures/tiny).
"""

from __future__ import annotations

import math
from pathlib import Path

from typer.testing import CliRunner

from planner.cli import app

runner = CliRunner()


def invoke(*args: object):
    """`planner ARGS` in this process."""
    return runner.invoke(app, [str(a) for a in args])


def causes(tiny, out: Path) -> list[str]:
    """Run the scenario (it must be infeasible, exit 3) and return the cause lines of infeasibility.txt."""
    result = invoke("run", tiny.yaml, "--out", out)
    assert result.exit_code == 3, result.output
    text = (out / "infeasibility.txt").read_text(encoding="utf-8")
    assert "(found by checks before solving)" in text, text
    return [line[2:] for line in text.splitlines() if line.startswith("- ")]


def test_a_capability_no_site_has_names_it_and_the_best_level(tiny, tmp_path):
    tiny.replace("tables/functions.csv", "ai,rd,0.05,500,20,5,,,,0.8", "ai,rd,0.05,500,20,5,,,,0.95")
    assert causes(tiny, tmp_path / "run") == [
        "industry ai (人工智能) needs rd capacity, but no site is eligible for it: req_research is 0.95, but the best "
        "cap_research of any site is 0.9 (A-center)"]


def test_a_misspelled_requirement_column_is_warned_about_and_named_in_the_diagnosis(tiny, tmp_path):
    tiny.replace("tables/functions.csv", "req_research", "req_reserch")
    warning = ("functions column req_reserch: no site has a cap_reserch column (sites have cap_research), so every "
               "site counts as 0 for it")
    checked = invoke("validate", tiny.yaml)
    assert checked.exit_code == 0
    assert f"warning: {warning}" in checked.output.splitlines()
    assert causes(tiny, tmp_path / "run")[0] == (
        "industry ai (人工智能) needs rd capacity, but no site is eligible for it: req_reserch is 0.8, but no site "
        "has a cap_reserch column (every site counts as 0)")


def test_a_chain_radius_too_short_for_any_link_names_the_nearest_pair(tiny, tmp_path):
    tiny.replace("scenario.yaml", "chain_radius_km: 300", "chain_radius_km: 1")
    tiny.append("scenario.yaml", "rules:\n  - lock_out: {industry: ai, function: pilot, zone: center}\n")
    # ai rd is eligible only at A-center (cap_research 0.9 >= 0.8); ai pilot, not in a center, at A-inner (0.6 >= 0.5)
    distance = _haversine_km(116.40, 39.90, 116.65, 39.90)
    assert causes(tiny, tmp_path / "run") == [
        "pilot of industry ai (人工智能) needs rd within chain_radius_km 1 km, but no eligible rd site is that close "
        "to "
        f"an eligible pilot site (the nearest pair: rd at A-center and pilot at A-inner, {distance:.1f} km apart)"]


def test_an_energy_budget_below_what_the_plan_needs_names_both(tiny, tmp_path):
    tiny.replace("tables/regions.csv", "A,Alpha,甲,I,116.40,39.90,110000,,", "A,Alpha,甲,I,116.40,39.90,110000,100,")
    tiny.replace("tables/regions.csv", "B,Beta,乙,III,117.20,39.10,120000,,1", "B,Beta,乙,III,117.20,39.10,120000,50,1")
    # steel production: demand 300 x energy_per_unit 1; the other functions use no energy
    assert causes(tiny, tmp_path / "run") == [
        "the plan needs at least 300 energy units in regions with an energy budget (steel production: 300 units x "
        "energy_per_unit 1), but their energy budgets total 150 (A 100, B 50)"]


def test_an_energy_budget_of_the_only_region_a_function_can_go_to(tiny, tmp_path):
    tiny.replace("tables/regions.csv", "B,Beta,乙,III,117.20,39.10,120000,,1", "B,Beta,乙,III,117.20,39.10,120000,50,1")
    tiny.append("scenario.yaml", "rules:\n  - lock_out: {industry: steel, function: production, region: A}\n")
    assert causes(tiny, tmp_path / "run") == [
        "region B (乙) has an energy budget of 50 (energy_budget), but the plan needs at least 300 there (steel "
        "production: 300 units x energy_per_unit 1; eligible in no other region)"]


def test_min_scale_above_max_scale_is_bad_input_at_its_row(tiny, tmp_path):
    tiny.replace("tables/functions.csv", "ai,production,0.5,800,5,20,80,", "ai,production,0.5,800,5,90,80,")
    for args in (("validate", tiny.yaml), ("run", tiny.yaml, "--out", tmp_path / "run")):
        result = invoke(*args)
        assert result.exit_code == 2, result.output
        assert result.output.splitlines()[-1] == (
            "tiny/tables/functions.csv row 4, column min_scale: 90 is above max_scale 80: no site could open it")
    assert not (tmp_path / "run").exists()


def _haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance on a sphere of radius 6371.0088 km (docs/model.md), computed independently."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))
