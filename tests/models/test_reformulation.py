"""The reformulation of models/ keeps MODEL.md's optimum where it matters most: functions that must be
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


def _edit(path: Path, change: dict[str, str], where: tuple[str, str] | None = None) -> None:
    """Set columns of a CSV table (all rows, or those where column == value), keeping the rest as written."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = table[where[0]] == where[1] if where else slice(None)
    for column, value in change.items():
        table.loc[rows, column] = value
    table.to_csv(path, index=False)


def _crowded(directory: Path, seed: int, land_ha: str = "30", n_industries: int = 4) -> Path:
    """A random scenario where every production needs the same land (20 ha), on sites of `land_ha`."""
    path = write_random_scenario(directory, seed=seed, n_regions=3, n_industries=n_industries)
    _edit(directory / "industries.csv", {"demand": "40"})
    _edit(directory / "functions.csv", {"land_per_unit": "0.5", "min_scale": "0", "max_scale": ""},
          where=("function", "production"))
    _edit(directory / "sites.csv", {"land_ha": land_ha})
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
    scenario = load_scenario(tiny.yaml)
    ix = index_sets(scenario)
    for (i, f, s), bound in ix.tight.items():
        if f == "production":
            demand, spec = scenario.industries[i].demand, scenario.functions[i, f]
            assert bound == pytest.approx(min(ix.upper[i, f, s], max(spec.min_scale, demand)))


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
    scenario = _crowded(tmp_path / "scenario", 0, land_ha="12", n_industries=2)  # 40 units need 20 ha: no site holds one whole
    reference = solve_reference(scenario, mip_gap=0.0)
    outcome = run(scenario, tmp_path / "run", mip_gap=0.0, threads=1)
    assert reference.status == outcome.status == "optimal"
    assert math.isclose(outcome.summary["objective"], reference.objective, rel_tol=1e-6)
    opened = pd.read_csv(tmp_path / "run" / "assignments.csv")
    sites_per_production = opened[opened["function"] == "production"].groupby("industry")["site"].nunique()
    assert (sites_per_production >= 2).all()
