"""The reformulation of models/ keeps docs/model.md's optimum where it matters most: functions that must be
spread over several sites (split) and sites where several functions need the same land (counts)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from planner.models.sets import index_sets
from planner.run import build, run
from planner.scenario.loader import load_scenario
from tests.reference.checker import check_run_folder
from tests.reference.generator import write_random_scenario
from tests.reference.model import solve_reference
from tests.tables import set_columns


def _crowded(directory: Path, seed: int, land_ha: str = "30", n_industries: int = 4) -> Path:
    """A random scenario where every production needs the same land (20 ha), on sites of `land_ha`."""
    path = write_random_scenario(directory, seed=seed, n_regions=3, n_industries=n_industries)
    set_columns(directory / "industries.csv", {"demand": "40"})
    set_columns(directory / "functions.csv", {"land_per_unit": "0.5", "min_scale": "0", "max_scale": ""},
          where=("function", "production"))
    set_columns(directory / "sites.csv", {"land_ha": land_ha})
    return path


def test_least_capacity_follows_the_support_ratios(tiny) -> None:
    scenario = load_scenario(tiny.yaml)
    need = index_sets(scenario).need
    for i, industry in scenario.industries.items():
        production = industry.demand
        pilot = production * (scenario.functions[i, "production"].support_ratio or 0.0)
        rd = pilot * (scenario.functions[i, "pilot"].support_ratio or 0.0)
        assert need[i, "production"] == pytest.approx(production)
        assert need[i, "pilot"] == pytest.approx(pilot)
        assert need[i, "rd"] == pytest.approx(rd)


def test_production_bound_is_the_demand_or_the_min_scale(tiny) -> None:
    tiny.replace("tables/industries.csv", "steel,Steel,钢铁,traditional,300,", "steel,Steel,钢铁,traditional,150,")
    ix = index_sets(load_scenario(tiny.yaml))
    production = {(i, s): bound for (i, f, s), bound in ix.tight.items() if f == "production"}
    # By hand from tables/: U = min(max_scale, land_ha / land_per_unit); ai (max_scale 80, 0.5 ha per unit,
    # demand 100) is held by U everywhere; steel (1 ha per unit, min_scale 50) by its demand, now 150.
    assert production == pytest.approx({
        ("ai", "A-center"): 40, ("ai", "A-inner"): 80, ("ai", "A-outer"): 80,
        ("ai", "B-center"): 60, ("ai", "B-inner"): 80, ("ai", "B-outer"): 80,
        ("steel", "A-center"): 20, ("steel", "A-inner"): 60, ("steel", "A-outer"): 150,
        ("steel", "B-center"): 30, ("steel", "B-inner"): 100, ("steel", "B-outer"): 150})


@pytest.mark.parametrize("seed", range(6))
def test_split_and_counted_functions_keep_the_optimum(tmp_path: Path, seed: int) -> None:
    scenario = _crowded(tmp_path / "scenario", seed)
    model = build(load_scenario(scenario)).model
    assert len(model.reform.count) > 0  # several productions need 20 ha at some site
    reference = solve_reference(scenario, mip_gap=0.0)
    outcome = run(scenario, tmp_path / "run", mip_gap=0.0, threads=1)
    assert outcome.status == reference.status == "optimal"
    assert math.isclose(outcome.summary["objective"], reference.objective, rel_tol=1e-6, abs_tol=1e-6)
    assert check_run_folder(tmp_path / "run", scenario) == []


def test_a_production_too_big_for_any_site_is_split(tmp_path: Path) -> None:
    scenario = _crowded(tmp_path / "scenario", 0, land_ha="12",
                        n_industries=2)  # 40 units need 20 ha: no site holds one whole
    reference = solve_reference(scenario, mip_gap=0.0)
    outcome = run(scenario, tmp_path / "run", mip_gap=0.0, threads=1)
    assert reference.status == outcome.status == "optimal"
    assert math.isclose(outcome.summary["objective"], reference.objective, rel_tol=1e-6)
    opened = pd.read_csv(tmp_path / "run" / "assignments.csv")
    sites_per_production = opened[opened["function"] == "production"].groupby("industry")["site"].nunique()
    assert (sites_per_production >= 2).all()
