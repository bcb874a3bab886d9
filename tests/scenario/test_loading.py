"""Loading as docs/scenario.md says: extends (deep merge, relative paths), overrides, rules, solver section."""

from __future__ import annotations

import pytest

from planner.models import index_sets
from planner.run import solver_options
from planner.scenario import load_scenario


def test_extends_deep_merges_and_resolves_paths_relative_to_each_file(tiny):
    variants = tiny.root / "variants"
    variants.mkdir()
    (variants / "soft.yaml").write_text(
        "extends: ../scenario.yaml\n"
        "name: tiny-soft\n"
        "settings:\n  duplication: soft\n  duplication_penalty: 50\n  weights: {land: 2}\n",
        encoding="utf-8")
    sc = load_scenario(variants / "soft.yaml")
    assert sc.name == "tiny-soft" and sc.title == "测试 tiny"
    assert sc.settings.duplication == "soft" and sc.settings.duplication_penalty == 50
    assert sc.settings.chain_radius_km == 300 and sc.settings.linkage_cost == 0.5  # kept from the base
    assert sc.settings.weights.land == 2 and sc.settings.weights.setup == 1
    assert len(sc.sites) == 6  # tables found relative to the base file, not the variant
    assert [p.name for p in sc.files[:2]] == ["soft.yaml", "scenario.yaml"]


def test_extends_replaces_lists(tiny):
    tiny.append("scenario.yaml", "rules:\n  - lock_out: {zone: center}\n")
    (tiny.root / "v.yaml").write_text(
        "extends: scenario.yaml\nrules:\n  - lock_out: {industry: steel, zone: inner}\n", encoding="utf-8")
    sc = load_scenario(tiny.root / "v.yaml")
    assert len(sc.rules) == 1 and sc.rules[0].lock_out.given() == {"industry": {"steel"}, "zone": {"inner"}}


def test_variant_tables_are_relative_to_the_file_naming_them(tiny):
    other = tiny.root / "other"
    other.mkdir()
    (other / "sites.csv").write_text(tiny.table("sites").read_text(encoding="utf-8").replace(",3000,", ",10,"),
                                     encoding="utf-8")
    (other / "v.yaml").write_text("extends: ../scenario.yaml\ntables:\n  sites: sites.csv\n", encoding="utf-8")
    sc = load_scenario(other / "v.yaml")
    assert sc.sites["A-center"].land_price == 10
    assert sc.industries["ai"].demand == 100


def test_override_set_where_and_scale_without_where(tiny):
    tiny.append("scenario.yaml", (
        "overrides:\n"
        "  - table: sites\n    where: {region: B, zone: [inner, outer]}\n    set: {land_price: 42}\n"
        "  - table: sites\n    scale: {land_price: 2}\n"
        "  - table: industries\n    where: {id: ai}\n    scale: {demand: 1.5}\n"
        "  - table: regions\n    where: {id: A}\n    set: {energy_budget: 1000}\n"))
    sc = load_scenario(tiny.yaml)
    prices = {s: site.land_price for s, site in sc.sites.items()}
    assert prices == {"A-center": 6000, "A-inner": 2400, "A-outer": 1000, "B-center": 3000, "B-inner": 84,
                      "B-outer": 84}
    assert sc.industries["ai"].demand == 150 and sc.industries["steel"].demand == 300
    assert sc.regions["A"].energy_budget == 1000 and sc.regions["B"].energy_budget is None


def test_override_value_is_validated_as_a_cell(tiny):
    tiny.append("scenario.yaml", "overrides:\n  - table: sites\n    set: {zone: suburb}\n")
    with pytest.raises(Exception) as caught:
        load_scenario(tiny.yaml)
    assert str(caught.value.problems[0]) == ("tiny/tables/sites.csv row 2, column zone: 'suburb' is not one of center, "
                                             "inner, outer (the value of tiny/scenario.yaml key overrides[0].set.zone)")


def test_a_scaled_value_out_of_range_names_its_override(tiny):
    tiny.append("scenario.yaml", "overrides:\n  - table: sites\n    where: {id: A-inner}\n    scale: {land_ha: -1}\n")
    with pytest.raises(Exception) as caught:
        load_scenario(tiny.yaml)
    assert [str(p) for p in caught.value.problems] == [
        "tiny/tables/sites.csv row 3, column land_ha: '-60.0' must be greater than 0 "
        "(the value of tiny/scenario.yaml key overrides[0].scale.land_ha)"]


def test_override_unknown_column(tiny):
    tiny.append("scenario.yaml", "overrides:\n  - table: sites\n    scale: {land_prize: 2}\n")
    with pytest.raises(Exception) as caught:
        load_scenario(tiny.yaml)
    assert [str(p) for p in caught.value.problems] == ["tiny/scenario.yaml key overrides[0].scale.land_prize: sites "
                                                       "has no column 'land_prize'"]


def test_rules_lock_out_removes_and_lock_in_fixes(tiny):
    tiny.append("scenario.yaml", (
        "rules:\n"
        "  - lock_out: {zone: center, function: [production, pilot]}\n"
        "  - lock_in: {site: A-inner, industry: ai, function: pilot}\n"
        "  - lock_out: {tier: III, category: future}\n"))
    sc = load_scenario(tiny.yaml)
    ix = index_sets(sc)
    assert not [t for t in ix.triples if sc.sites[t[2]].zone == "center" and t[1] != "rd"]
    assert not [t for t in ix.triples if t[0] == "ai" and sc.sites[t[2]].region == "B"]
    assert ix.locked_in == {("ai", "pilot", "A-inner")}


def test_eligibility_follows_capabilities(tiny):
    ix = index_sets(load_scenario(tiny.yaml))
    ai_rd = sorted(s for i, f, s in ix.triples if (i, f) == ("ai", "rd"))
    assert ai_rd == ["A-center"]  # the only site with cap_research >= 0.8
    assert ix.upper["ai", "production", "A-outer"] == 80  # max_scale below land 200 / 0.5
    assert ix.upper["steel", "production", "A-center"] == 20  # land 20 / 1.0


def test_links_respect_the_chain_radius(tiny):
    tiny.replace("scenario.yaml", "chain_radius_km: 300", "chain_radius_km: 50")
    ix = index_sets(load_scenario(tiny.yaml))
    assert ix.links and max(ix.links.values()) <= 50
    assert ("steel", "production", "A-outer", "B-outer") not in ix.links  # 135 km apart
    assert ix.links["steel", "production", "A-outer", "A-outer"] == 0.0


def test_solver_section_and_command_line(tiny):
    tiny.replace("scenario.yaml", "  threads: 1", "  threads: 1\n  time_limit: 30")
    sc = load_scenario(tiny.yaml)
    assert sc.solver.time_limit == 30 and sc.solver.mip_gap == 0 and sc.solver.name == "highs"
    options = solver_options(sc, time_limit=5, seed=3, mip_gap=None)
    assert (options.time_limit, options.seed, options.mip_gap, options.threads) == (5, 3, 0, 1)


def test_one_solver_thread_unless_the_scenario_or_the_command_line_says_otherwise(tiny):
    tiny.replace("scenario.yaml", "  threads: 1\n", "")
    sc = load_scenario(tiny.yaml)
    assert "threads" not in tiny.yaml.read_text(encoding="utf-8") and sc.solver.threads == 1
    assert solver_options(sc, threads=2).threads == 2
    tiny.replace("scenario.yaml", "solver:\n", "solver:\n  threads: null\n")
    assert load_scenario(tiny.yaml).solver.threads is None  # the solver's own choice
