"""Explaining infeasibility in planners' words: obvious causes found before solving."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from planner.models.sets import IndexSets
from planner.scenario.scenario import Scenario
from planner.scenario.schema import FUNCTIONS, PREDECESSOR, SolverOptions
from planner.solve import solve


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
                         f"sites eligible for it hold at most {top:g} ({listed}; by land_ha / land_per_unit and "
                         f"max_scale)")
        regions = {sc.sites[s].region for s in (s for (j, _, s) in ix.triples if j == i)}
        if ind.min_hosts > len(regions):
            found.append(f"industry {i} ({ind.name_zh}) must be hosted by at least {ind.min_hosts} regions, "
                         f"but only {len(regions)} have a site eligible for it")
        if sc.settings.duplication == "hard" and ind.max_hosts is not None and ind.min_hosts > ind.max_hosts:
            found.append(f"industry {i} ({ind.name_zh}) has min_hosts {ind.min_hosts} above max_hosts {ind.max_hosts} "
                         f"with hard duplication")
    return found


ELASTIC_FAMILIES = ("land", "demand", "support_received", "max_hosts", "min_hosts", "focus", "energy", "scale_min")
"""Constraint families that may give way in the elastic filter. The others define the variables
(q <= U x ties capacity to opening, x <= y and y <= sum x define hosting, support given is bounded
by capacity), and variable bounds stay as they are."""

Record = tuple[str, Any, str, Any, float]
"""(family, index, side, slack variable, right-hand side) of one elastic constraint."""


def elastic_conflicts(scenario: Scenario, ix: IndexSets, model: pyo.ConcreteModel,
                      time_limit: float | None = 120.0, rounds: int = 20) -> list[str] | None:
    """A set of constraints that cannot hold together, in planners' words (None if none was isolated).

    Chinneck's elastic filter: every constraint of ELASTIC_FAMILIES and every lock_in gets a
    non-negative slack, and the total violation (relative to each right-hand side) is minimised.
    The constraints that had to give way are then enforced and the relaxation solved again,
    until it becomes infeasible: the enforced constraints then contain an irreducible conflict.
    """
    m, records = _elastic_copy(model, ix)
    options = SolverOptions(time_limit=time_limit, mip_gap=1e-4)
    enforced: list[Record] = []
    for _ in range(rounds):
        result = solve(m, options, objective=m.violation)
        if result.status == "infeasible":
            return _statements(scenario, ix, _deletion_filter(m, records, enforced, options))
        if result.objective is None:
            return None
        given = [r for r in records if not r[3].fixed and pyo.value(r[3]) > 1e-6 * max(1.0, abs(r[4]))]
        if not given:
            return None
        for record in given:
            record[3].fix(0.0)
        enforced += given
    return None


def _deletion_filter(m: pyo.ConcreteModel, records: list[Record], conflict: list[Record],
                     options: SolverOptions) -> list[Record]:
    """Shrink an infeasible set of enforced constraints to an irreducible one.

    Constraints outside the set are dropped (free slack, no cost); each member is dropped in
    turn and stays dropped when the rest is still infeasible.
    """
    m.violation.deactivate()
    m.feasibility = pyo.Objective(expr=0.0)
    members = set(id(r) for r in conflict)
    for record in records:
        if id(record) not in members:
            record[3].unfix()
    kept = list(conflict)
    for record in list(conflict):
        record[3].unfix()
        if solve(m, options, objective=m.feasibility).status == "infeasible":
            kept.remove(record)
        else:
            record[3].fix(0.0)
    return kept


def _elastic_copy(model: pyo.ConcreteModel, ix: IndexSets) -> tuple[pyo.ConcreteModel, list[Record]]:
    """A copy of `model` whose data constraints and lock_ins have slacks, minimising relative violation."""
    m = model.clone()
    m.objective.deactivate()
    m.reform.deactivate()  # the reformulation's rows and bounds would stand in for the contract's rows
    for t in ix.triples:
        m.q[t].setub(ix.upper[t])
        m.scale_max[t].set_value(m.q[t] <= ix.upper[t] * m.x[t])
    for link in ix.links:
        m.g[link].setub(None)
    m.slack = pyo.VarList(domain=pyo.NonNegativeReals)
    m.elastic = pyo.ConstraintList()
    records: list[Record] = []
    for family in ELASTIC_FAMILIES:
        for index, con in list(getattr(m, family).items()):
            lower, upper, body = pyo.value(con.lower), pyo.value(con.upper), con.body
            con.deactivate()
            below = m.slack.add() if lower is not None else 0
            above = m.slack.add() if upper is not None else 0
            if con.equality:
                m.elastic.add(body + below - above == upper)
            else:
                if lower is not None:
                    m.elastic.add(body + below >= lower)
                if upper is not None:
                    m.elastic.add(body - above <= upper)
            records += [(family, index, side, slack, rhs)
                        for side, slack, rhs in (("lower", below, lower), ("upper", above, upper)) if rhs is not None]
    for t in ix.locked_in:
        m.x[t].unfix()
        slack = m.slack.add()
        m.elastic.add(m.x[t] + slack >= 1)
        records.append(("lock_in", t, "lower", slack, 1.0))
    m.violation = pyo.Objective(expr=sum(slack / max(1.0, abs(rhs)) for _, _, _, slack, rhs in records))
    return m, records


def _statements(scenario: Scenario, ix: IndexSets, conflict: list[Record]) -> list[str]:
    """The conflicting constraints as statements about the data, then where the industries involved can go."""
    lines, support = [], defaultdict(list)
    for family, index, side, _, _ in conflict:
        if family == "support_received":
            support[index[:2]].append(index[2])
        else:
            lines.append(_statement(scenario, ix, family, index, side))
    radius = scenario.settings.chain_radius_km
    for (i, f), sites in support.items():
        pred = PREDECESSOR[f]
        sources = sorted({a for (j, g, a, b) in ix.links if (j, g) == (i, f) and b in sites})
        lines.append(
            f"{f} of industry {i} needs {scenario.functions[i, f].support_ratio:g} units of {pred} per unit "
            f"(support_ratio) "
            f"at {', '.join(sites)}, from {pred} sites within chain_radius_km "
            f"{f'{radius:g}' if radius is not None else 'unlimited'} km of them: "
            f"{', '.join(sources) or 'there are none'}")
    industries = dict.fromkeys(
        index if family in ("demand", "max_hosts", "min_hosts") else index[0]
        for family, index, _, _, _ in conflict if family not in ("land", "focus", "energy"))
    for i in industries:
        places = []
        for f in FUNCTIONS:
            sites = [f"{s} (up to {ix.upper[j, g, s]:g})" for j, g, s in ix.triples if (j, g) == (i, f)]
            shown = ", ".join(sites[:8]) + (f" and {len(sites) - 8} more" if len(sites) > 8 else "")
            places.append(f"{f} at {shown or 'no site'}")
        lines.append(f"where industry {i} ({scenario.industries[i].name_zh}) is eligible: {'; '.join(places)}")
    return lines


def _statement(scenario: Scenario, ix: IndexSets, family: str, index: Any, side: str) -> str:
    """One constraint of the conflict as a statement with the numbers of the data."""
    sc = scenario
    if family == "land":
        site = sc.sites[index]
        return f"site {index} ({site.zone} of region {site.region}) has {site.land_ha:g} ha of land (land_ha)"
    if family == "demand":
        ind = sc.industries[index]
        if side == "lower":
            sites = [s for i, f, s in ix.triples if i == index and f == "production"]
            top = sum(ix.upper[index, "production", s] for s in sites)
            return (f"industry {index} ({ind.name_zh}) needs at least {ind.demand:g} units of production (demand); "
                    f"its eligible production sites hold at most {top:g} in all")
        return (f"industry {index} ({ind.name_zh}) may produce at most {(1 + ind.overcapacity) * ind.demand:g} units "
                f"(demand x (1 + overcapacity))")
    if family == "max_hosts":
        return (f"industry {index} ({sc.industries[index].name_zh}) may be hosted by at most "
                f"{sc.industries[index].max_hosts} regions (max_hosts)")
    if family == "min_hosts":
        return (f"industry {index} ({sc.industries[index].name_zh}) must be hosted by at least "
                f"{sc.industries[index].min_hosts} regions (min_hosts)")
    if family == "focus":
        region = sc.regions[index]
        return (f"region {index} ({region.name_zh}) may host at most {region.max_new_industries} future or emerging "
                f"industries (max_new_industries)")
    if family == "energy":
        region = sc.regions[index]
        return f"region {index} ({region.name_zh}) has an energy budget of {region.energy_budget:g} (energy_budget)"
    i, f, s = index
    if family == "lock_in":
        return f"a lock_in rule opens {f} of industry {i} at {s}"
    return (f"{f} of industry {i} at {s} must hold at least {sc.functions[i, f].min_scale:g} units when opened "
            "(min_scale)")


BEFORE_SOLVING = "found by checks before solving"
ELASTIC = "found by an elastic filter on the model; relaxing any one of them is a place to start"


def infeasibility_report(scenario: Scenario, causes: list[str] | None, how: str) -> str:
    """The text of infeasibility.txt: what conflicts, and how it was found."""
    lines = [f"Scenario {scenario.name} ({scenario.title}) has no feasible plan: the layout model",
             "(docs/model.md) cannot meet every constraint at once.", ""]
    if causes:
        lines += [f"These cannot all hold ({how}):"] + [f"- {c}" for c in causes]
    else:
        lines += ["No single cause could be isolated. The conflict lies in the combination of land per site,",
                  "chain radius and support ratios, max_hosts / min_hosts, max_new_industries, energy budgets",
                  "and lock_in rules; relax one of them at a time to find it."]
    return "\n".join(lines) + "\n"
