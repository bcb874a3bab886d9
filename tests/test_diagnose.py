"""Infeasibility explained in planners' words: checks before solving and the elastic filter."""

from __future__ import annotations

from planner.diagnose import elastic_conflicts, obvious_conflicts
from planner.models import build_model, index_sets
from planner.scenario import load_scenario
from planner.solve import solve


def diagnose(tiny) -> tuple[list[str], list[str] | None]:
    """Obvious causes, and (when there are none and the model is infeasible) the elastic filter's set."""
    sc = load_scenario(tiny.yaml)
    ix = index_sets(sc)
    obvious = obvious_conflicts(sc, ix)
    if obvious:
        return obvious, None
    model = build_model(sc, ix)
    assert solve(model, sc.solver).status == "infeasible"
    return obvious, elastic_conflicts(sc, ix, model)


def test_function_without_eligible_site(tiny):
    tiny.replace("tables/functions.csv", "ai,rd,0.05,500,20,5,,,,0.8", "ai,rd,0.05,500,20,5,,,,0.95")
    obvious, _ = diagnose(tiny)
    assert obvious == ["industry ai (人工智能) needs rd capacity, but no site is eligible for it "
                       "(every site lacks a required capability or is locked out)"]


def test_min_hosts_above_eligible_regions(tiny):
    tiny.replace("tables/industries.csv", "future,100,0.1,1,", "future,100,0.1,3,3")
    obvious, _ = diagnose(tiny)
    assert obvious == ["industry ai (人工智能) must be hosted by at least 3 regions, but only 2 have a site eligible "
                       "for it"]


def test_conflict_between_focus_and_the_chain(tiny):
    tiny.replace("tables/regions.csv", "A,Alpha,甲,I,116.40,39.90,110000,,", "A,Alpha,甲,I,116.40,39.90,110000,,0")
    obvious, conflict = diagnose(tiny)
    assert obvious == []
    assert conflict[:2] == [
        "industry ai (人工智能) needs at least 100 units of production (demand); its eligible production sites hold "
        "at most 420 in all",
        "region A (甲) may host at most 0 future or emerging industries (max_new_industries)",
    ]
    assert any(line.startswith("pilot of industry ai needs 0.3 units of rd per unit (support_ratio) at B-center")
               and line.endswith("km of them: A-center") for line in conflict)
    assert conflict[-1].startswith("where industry ai (人工智能) is eligible: rd at A-center (up to 400);")


def test_conflict_with_energy_budgets(tiny):
    tiny.replace("tables/regions.csv", "110000,,", "110000,100,")
    tiny.replace("tables/regions.csv", "120000,,1", "120000,100,1")
    _, conflict = diagnose(tiny)
    assert conflict[:3] == [
        "industry steel (钢铁) needs at least 300 units of production (demand); its eligible production sites "
        "hold at most 710 in all",  # land 20 + 60 + 200 + 30 + 100 + 300 at 1 ha per unit
        "region A (甲) has an energy budget of 100 (energy_budget)",
        "region B (乙) has an energy budget of 100 (energy_budget)",
    ]
