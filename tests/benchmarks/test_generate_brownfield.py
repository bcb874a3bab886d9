"""The benchmark generator's brownfield multi-period instances (MODEL.md version 2)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.generate import PERIODS, generate_brownfield
from tests.reference.model2 import solve_reference_v2
from tests.reference.scenario import load_scenario


def test_brownfield_instance_is_deterministic_and_structured(tmp_path: Path) -> None:
    a = generate_brownfield(6, 5, 202, tmp_path / "a")
    b = generate_brownfield(6, 5, 202, tmp_path / "b")
    for name in ("regions", "sites", "industries", "functions", "stock"):
        assert (a.parent / "tables" / f"{name}.csv").read_bytes() == (b.parent / "tables" / f"{name}.csv").read_bytes()
    scn = load_scenario(a)
    assert scn.settings.periods == PERIODS and scn.settings.transition == "build_first"
    assert scn.stock and any(s.endswith("-center") and f == "production" for _, f, s in scn.stock)
    categories = {scn.industries[i].category for i, ind in scn.industries.items() if ind.upgrades}
    assert categories == {c for c in ("future", "emerging") if any(
        ind.category == c for ind in scn.industries.values())}
    assert all(scn.industries[ind.upgrades].category == "traditional"
               for ind in scn.industries.values() if ind.upgrades)
    assert [r.by for r in scn.rules if r.kind == "phase_out"] == [PERIODS[1]]
    growing = [ind for ind in scn.industries.values() if ind.category != "traditional"]
    assert growing and all(ind.growth > 0 for ind in growing)
    assert all(ind.demands for ind in scn.industries.values() if ind.category == "traditional")


def test_brownfield_instance_is_solved_by_the_reference(tmp_path: Path) -> None:
    """Seed 202 at 6 x 5: the reference's optimum (recorded), with retirements and a conversion."""
    result = solve_reference_v2(generate_brownfield(6, 5, 202, tmp_path), mip_gap=0.0, time_limit=60)
    assert result.status == "optimal" and result.plan is not None
    assert result.plan.retired and result.plan.converted
