"""Benchmark-generator instances reach the optimum of the independent reference implementation."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from benchmarks.generate import chain_radius_km, generate
from planner.run import build, solver_options
from planner.scenario import load_scenario
from planner.solve import solve
from tests.reference.model import solve_reference


@pytest.mark.parametrize("seed", [101, 202, 303])
def test_generated_instance_matches_the_reference(tmp_path: Path, seed: int) -> None:
    yaml_path = generate(6, 5, seed, tmp_path)
    reference = solve_reference(yaml_path, mip_gap=0.0, time_limit=60)
    scenario = load_scenario(yaml_path)
    result = solve(build(scenario).model, solver_options(scenario, mip_gap=0.0, time_limit=60, threads=1))
    assert reference.status == "optimal" and result.status == "optimal"
    assert math.isclose(result.objective, reference.objective, rel_tol=1e-6)


def test_generator_is_deterministic_and_structured(tmp_path: Path) -> None:
    a, b = generate(8, 6, 4, tmp_path / "a"), generate(8, 6, 4, tmp_path / "b")
    for name in ("regions", "sites", "industries", "functions"):
        assert (a.parent / "tables" / f"{name}.csv").read_bytes() == (b.parent / "tables" / f"{name}.csv").read_bytes()
    assert (generate(8, 6, 5, tmp_path / "c").parent / "tables" / "sites.csv").read_bytes() != (
        a.parent / "tables" / "sites.csv").read_bytes()
    sc = load_scenario(a)
    assert len(sc.sites) == 24 and sc.capabilities == ("logistics", "research", "talent")
    for region in sc.regions:
        zone = {s.zone: s for s in sc.sites.values() if s.region == region}
        assert zone["center"].land_price > zone["inner"].land_price > zone["outer"].land_price
    assert all(i.max_hosts is not None for i in sc.industries.values() if i.category in ("future", "emerging"))
    assert sc.settings.chain_radius_km == chain_radius_km(8)
