"""Explaining infeasibility in planners' words: obvious causes found before solving."""

from __future__ import annotations

from collections import defaultdict

from planner.models.sets import IndexSets
from planner.scenario.scenario import Scenario
from planner.scenario.schema import FUNCTIONS, PREDECESSOR


def obvious_conflicts(scenario: Scenario, ix: IndexSets) -> list[str]:
    """Causes of infeasibility visible without solving: missing eligible sites, too little capacity, hosts."""
    sc = scenario
    at: dict[tuple[str, str], list[str]] = defaultdict(list)
    for i, f, s in ix.triples:
        at[i, f].append(s)
    found = []
    for i, ind in sc.industries.items():
        for f in FUNCTIONS:
            needed = f == "production" or any(
                (sc.functions[i, g].support_ratio or 0) > 0 and PREDECESSOR[g] == f for g in PREDECESSOR)
            if needed and not at[i, f]:
                found.append(f"industry {i} ({ind.name_zh}) needs {f} capacity, but no site is eligible for it "
                             f"(every site lacks a required capability or is locked out)")
        sites = at[i, "production"]
        top = sum(ix.upper[i, "production", s] for s in sites)
        if sites and top < ind.demand * (1 - 1e-9):
            listed = ", ".join(f"{s} {ix.upper[i, 'production', s]:g}" for s in sites)
            found.append(f"industry {i} ({ind.name_zh}) needs at least {ind.demand:g} units of production, but the "
                         f"sites eligible for it hold at most {top:g} ({listed}; by land_ha / land_per_unit and max_scale)")
        regions = {sc.sites[s].region for s in (s for (j, _, s) in ix.triples if j == i)}
        if ind.min_hosts > len(regions):
            found.append(f"industry {i} ({ind.name_zh}) must be hosted by at least {ind.min_hosts} regions, "
                         f"but only {len(regions)} have a site eligible for it")
        if sc.settings.duplication == "hard" and ind.max_hosts is not None and ind.min_hosts > ind.max_hosts:
            found.append(f"industry {i} ({ind.name_zh}) has min_hosts {ind.min_hosts} above max_hosts {ind.max_hosts} "
                         f"with hard duplication")
    return found


def infeasibility_report(scenario: Scenario, causes: list[str]) -> str:
    """The text of infeasibility.txt."""
    lines = [f"Scenario {scenario.name} ({scenario.title}) has no feasible plan: the layout model of MODEL.md",
             "cannot meet every constraint at once.", ""]
    if causes:
        lines += ["Causes found:"] + [f"- {c}" for c in causes]
    else:
        lines += ["No single obvious cause was found (every industry has eligible sites and enough capacity",
                  "for its demand on its own). The conflict lies in the combination of land per site, chain",
                  "radius and support ratios, max_hosts / min_hosts, max_new_industries, energy budgets and",
                  "lock_in rules; relax one of them at a time to find it."]
    return "\n".join(lines) + "\n"
