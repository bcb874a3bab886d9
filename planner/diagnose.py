"""Explaining infeasibility in planners' words: obvious causes found before solving."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pyomo.environ as pyo

from planner.models.sets import IndexSets, haversine_km
from planner.models.transition import TransitionSets
from planner.scenario.eligibility import rule_matches
from planner.scenario.scenario import Scenario
from planner.scenario.schema import FUNCTIONS, PREDECESSOR, SolverOptions
from planner.solve import solve


def obvious_conflicts(scenario: Scenario, ix: IndexSets) -> list[str]:
    """Causes of infeasibility visible without solving: missing eligible sites (and why), a chain radius shorter
    than any link, too little capacity, hosts, energy budgets below the energy the plan needs."""
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
                found.append(f"industry {i} ({ind.name_zh}) needs {f} capacity, but no site is eligible for it: "
                             f"{why_no_site(sc, i, f)}")
        for f in PREDECESSOR:
            if (sc.functions[i, f].support_ratio or 0) > 0 and at[i, f] and at[i, PREDECESSOR[f]] and not any(
                    (j, g) == (i, f) for j, g, _, _ in ix.links):
                found.append(_no_link(sc, i, f, at[i, PREDECESSOR[f]], at[i, f]))
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
    return found + energy_shortfall(sc, ix, at)


def why_no_site(scenario: Scenario, industry: str, function: str) -> str:
    """Why no site is eligible for (industry, function): a required capability no site has at that level (the best
    level there is), requirements no one site meets together, or lock_out rules."""
    sc = scenario
    spec = sc.functions[industry, function]
    short = []
    for k, q in spec.requirements.items():
        best, where = max(((site.capabilities.get(k, 0.0), site.id) for site in sc.sites.values()), default=(0.0, ""))
        if best < q:
            if k not in sc.capabilities:
                short.append(f"req_{k} is {q:g}, but no site has a cap_{k} column (every site counts as 0)")
            else:
                short.append(f"req_{k} is {q:g}, but the best cap_{k} of any site is {best:g} ({where})")
    if short:
        return "; ".join(short)
    capable = [s for s in sc.sites
               if all(sc.sites[s].capabilities.get(k, 0.0) >= q for k, q in spec.requirements.items())]
    if not capable:
        needs = ", ".join(f"req_{k} {q:g}" for k, q in spec.requirements.items())
        return f"no one site meets all of {needs} together"
    rules = [f"rules[{n}]" for n, hits in rule_matches(sc, "lock_out")
             if any((i, f) == (industry, function) and s in capable for i, f, s in hits)]
    return (f"the sites that meet its capability requirements ({', '.join(capable)}) are locked out by "
            f"{', '.join(rules) or 'lock_out rules'}")


def _no_link(scenario: Scenario, industry: str, function: str, sources: list[str], targets: list[str]) -> str:
    """The statement that no eligible pred(f) site lies within the chain radius of an eligible f site."""
    pred, radius = PREDECESSOR[function], scenario.settings.chain_radius_km
    distance, a, b = nearest_pair(scenario, sources, targets)
    return (f"{function} of industry {industry} ({scenario.industries[industry].name_zh}) needs {pred} within "
            f"chain_radius_km {radius:g} km, but no eligible {pred} site is that close to an eligible {function} site "
            f"(the nearest pair: {pred} at {a} and {function} at {b}, {distance:.1f} km apart)")


def nearest_pair(scenario: Scenario, sources: list[str], targets: list[str]) -> tuple[float, str, str]:
    """The distance (km) and the two sites of the closest pair of a site of `sources` and one of `targets`."""
    sites = scenario.sites
    d = haversine_km(np.array([[sites[s].lon] for s in sources]), np.array([[sites[s].lat] for s in sources]),
                     np.array([[sites[t].lon for t in targets]]), np.array([[sites[t].lat for t in targets]]))
    for n, s in enumerate(sources):
        for m, t in enumerate(targets):
            if s == t:
                d[n, m] = 0.0
    n, m = np.unravel_index(int(np.argmin(d)), d.shape)
    return float(d[n, m]), sources[n], targets[m]


def energy_shortfall(scenario: Scenario, ix: IndexSets, at: dict[tuple[str, str], list[str]]) -> list[str]:
    """Energy budgets below the energy the plan needs: the least capacity of each function (`IndexSets.need`) times
    its energy_per_unit, counted where it has to go (a function eligible only in regions with a budget)."""
    sc = scenario
    budget = {r: region.energy_budget for r, region in sc.regions.items() if region.energy_budget is not None}
    if not budget:
        return []
    forced: dict[str, list[tuple[str, float]]] = defaultdict(list)  # one region, or "" for several budgeted ones
    for (i, f), sites in at.items():
        energy = ix.need.get((i, f), 0.0) * sc.functions[i, f].energy_per_unit
        regions = {sc.sites[s].region for s in sites}
        if energy > 0 and regions <= budget.keys():
            what = (f"{i} {f}: {ix.need[i, f]:g} units x energy_per_unit {sc.functions[i, f].energy_per_unit:g}")
            forced[next(iter(regions)) if len(regions) == 1 else ""].append((what, energy))
    found = []
    for r, items in forced.items():
        need = sum(e for _, e in items)
        if r and need > budget[r] * (1 + 1e-9):
            found.append(f"region {r} ({sc.regions[r].name_zh}) has an energy budget of {budget[r]:g} (energy_budget), "
                         f"but the plan needs at least {need:g} there ({'; '.join(w for w, _ in items)}; "
                         "eligible in no other region)")
    total = sum(e for items in forced.values() for _, e in items)
    if not found and total > sum(budget.values()) * (1 + 1e-9):
        listed = ", ".join(f"{r} {b:g}" for r, b in budget.items())
        whats = "; ".join(w for items in forced.values() for w, _ in items)
        found.append(f"the plan needs at least {total:g} energy units in regions with an energy budget ({whats}), "
                     f"but their energy budgets total {sum(budget.values()):g} ({listed})")
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
    conflict = elastic_filter(m, records, time_limit, rounds)
    return None if conflict is None else _statements(scenario, ix, conflict)


def elastic_filter(m: pyo.ConcreteModel, records: list[Record], time_limit: float | None = 120.0,
                   rounds: int = 20) -> list[Record] | None:
    """The records (elastic constraints of the copy `m`, objective `m.violation`) of an irreducible conflict, or None
    when none was isolated within `rounds` rounds (`elastic_conflicts`)."""
    options = SolverOptions(time_limit=time_limit, mip_gap=1e-4)
    enforced: list[Record] = []
    for _ in range(rounds):
        result = solve(m, options, objective=m.violation)
        if result.status == "infeasible":
            return _deletion_filter(m, records, enforced, options)
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
    turn and stays dropped when the rest is still infeasible. The members left come in the order of `records`,
    whichever rounds of the filter enforced them (a solver may give way at other rows of equal violation).
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
    order = {id(r): k for k, r in enumerate(records)}
    return sorted(kept, key=lambda r: order[id(r)])


def _elastic_base(model: pyo.ConcreteModel) -> pyo.ConcreteModel:
    """A copy of `model` without its objective, with an empty list of slacks (`slack`) and of the constraints that
    take them (`elastic`), for an elastic filter to fill."""
    m = model.clone()
    m.objective.deactivate()
    m.slack = pyo.VarList(domain=pyo.NonNegativeReals)
    m.elastic = pyo.ConstraintList()
    return m


def _elastic_copy(model: pyo.ConcreteModel, ix: IndexSets) -> tuple[pyo.ConcreteModel, list[Record]]:
    """A copy of `model` whose data constraints and lock_ins have slacks, minimising relative violation."""
    m = _elastic_base(model)
    records = _elastic_block(m, m, ix, lambda index: index)
    m.violation = pyo.Objective(expr=sum(slack / max(1.0, abs(rhs)) for _, _, _, slack, rhs in records))
    return m, records


def _elastic_block(m: pyo.ConcreteModel, block: Any, ix: IndexSets, key: Any) -> list[Record]:
    """Slacks (in `m.slack`, rows in `m.elastic`) on the data constraints and lock_ins of version 1's rows in `block`
    (the model itself, or one period's block); each record's index is `key(index)`."""
    block.reform.deactivate()  # the reformulation's rows and bounds would stand in for the contract's rows
    for t in ix.triples:
        block.q[t].setub(ix.upper[t])
        block.scale_max[t].set_value(block.q[t] <= ix.upper[t] * block.x[t])
    for link in ix.links:
        block.g[link].setub(None)
    records: list[Record] = []
    for family in ELASTIC_FAMILIES:
        for index, con in list(getattr(block, family).items()):
            records += [(family, key(index), side, slack, rhs) for _, _, side, slack, rhs in _relax(m, con)]
    for t in ix.locked_in:
        block.x[t].unfix()
        slack = m.slack.add()
        m.elastic.add(block.x[t] + slack >= 1)
        records.append(("lock_in", key(t), "lower", slack, 1.0))
    return records


def _relax(m: pyo.ConcreteModel, con: Any) -> list[Record]:
    """Deactivate `con` and add it to `m.elastic` with a slack on each side it has; (family and index left empty)."""
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
    return [("", None, side, slack, rhs)
            for side, slack, rhs in (("lower", below, lower), ("upper", above, upper)) if rhs is not None]


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
        eligible = [s for j, g, s in ix.triples if (j, g) == (i, pred)]
        none = "there are none"
        if not sources and eligible:
            distance, a, b = nearest_pair(scenario, eligible, sites)
            none += f" (the nearest eligible {pred} site, {a}, is {distance:.1f} km from {b})"
        lines.append(
            f"{f} of industry {i} needs {scenario.functions[i, f].support_ratio:g} units of {pred} per unit "
            f"(support_ratio) "
            f"at {', '.join(sites)}, from {pred} sites within chain_radius_km "
            f"{f'{radius:g}' if radius is not None else 'unlimited'} km of them: "
            f"{', '.join(sources) or none}")
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


# ------------------------------------------------------------------------------ version 2 (periods and stock)

def transition_conflicts(scenario: Scenario, ts: TransitionSets) -> list[str]:
    """Causes of infeasibility of a plan over periods (docs/model.md version 2) visible without solving: a period's
    demand beyond what the sites that may then hold production can hold, and a phase-out of standing production that
    先立后破 (transition: build_first) cannot allow because the region can build no replacement early enough."""
    return period_demand_shortfall(scenario, ts) + build_first_phase_out(scenario, ts)


def period_demand_shortfall(scenario: Scenario, ts: TransitionSets) -> list[str]:
    """Industries whose demand in a period exceeds the production its sites may hold then (upper bounds raised to
    the stock, triples phased out by then left out)."""
    found = []
    for t, period in ts.scenarios.items():
        for i, ind in period.industries.items():
            sites = [s for j, f, s in ts.ix.triples
                     if (j, f) == (i, "production") and not ts.phased_out((i, f, s), t)]
            top = sum(ts.ix.upper[i, "production", s] for s in sites)
            if top < ind.demand * (1 - 1e-9):
                listed = ", ".join(f"{s} {ts.ix.upper[i, 'production', s]:g}" for s in sites) or "no site"
                found.append(f"industry {i} ({ind.name_zh}) needs at least {ind.demand:g} units of production in "
                             f"{_period_name(t)} ({_demand_source(scenario, i, t)}), but the sites that may hold it "
                             f"then hold at most {top:g} ({listed}; by land_ha / land_per_unit, max_scale and stock, "
                             f"without the sites phased out by then)")
    return found


def _period_name(t: int) -> str:
    return "the plan" if t == 1 else str(t)


def _demand_source(scenario: Scenario, industry: str, t: int) -> str:
    """Where the demand of a period comes from, in the words of the industries table."""
    ind = scenario.industries[industry]
    if str(t) in ind.demands:
        return f"demand_{t}"
    if ind.growth and t != ts_first(scenario):
        return f"demand {ind.demand:g} growing {100 * ind.growth:g} % a year from {ts_first(scenario)}"
    return "demand"


def ts_first(scenario: Scenario) -> int | None:
    """The year of the first period (None without settings.periods)."""
    return scenario.periods[0]


def build_first_phase_out(scenario: Scenario, ts: TransitionSets) -> list[str]:
    """Under 先立后破 (constraint 13): production standing in a region that a phase-out rule removes by a period must
    be matched by new production built in the region up to transition_lag periods earlier. Reported when the region
    can build none by then: the lag leaves no period to build in, or no site of the region may get new production
    that the phase-out leaves standing (a conversion into an upgraded industry counts as a way out)."""
    st = scenario.settings
    if st.transition != "build_first":
        return []
    found = []
    for r, region in scenario.regions.items():
        for n, t in enumerate(ts.periods):
            forced = _forced_retirement(scenario, ts, r, t)
            if not forced or (n > 0 and forced == _forced_retirement(scenario, ts, r, ts.periods[n - 1])):
                continue  # nothing to retire, or the same as the period before (reported there)
            deadline = n - st.transition_lag
            room = [] if deadline < 0 else _replacement_sites(scenario, ts, r, t)
            if deadline >= 0 and room:
                continue
            amount = sum(forced.values())
            names = " and ".join(dict.fromkeys(scenario.industries[i].name_zh for i, _ in forced))
            what = ", ".join(f"{i} {q:g} at {s}" for (i, s), q in forced.items())
            lag = st.transition_lag
            why = (f"with transition_lag {lag} it must be built {lag} period{'s' if lag > 1 else ''} before {t}, "
                   f"and the plan starts in {ts.periods[0]}"
                   if deadline < 0 else
                   f"no site of {r} may get new production that stands after {t} (eligible for production and not "
                   "phased out)")
            found.append(f"{region.name_zh} ({r}) must retire {amount:g} units of {names} production by {t} "
                         f"({what}; phase_out: {_phase_rules(scenario, forced)}), but builds no new production "
                         f"there before then: under 先立后破 (transition: build_first) production retired in a region "
                         f"must first be built there; {why}")
    return found


def _forced_retirement(scenario: Scenario, ts: TransitionSets, region: str, t: int) -> dict[tuple[str, str], float]:
    """Stock of production in `region` that phase-out rules remove by period t and no conversion can take over:
    (industry, site) -> capacity."""
    convertible = {(scenario.industries[k].upgrades, s) for k, s in ts.conversions
                   if not ts.phased_out((k, "production", s), t)}
    return {(i, s): q for (i, f, s), q in ts.stock.items()
            if f == "production" and scenario.sites[s].region == region and ts.phased_out((i, f, s), t)
            and (i, s) not in convertible}


def _replacement_sites(scenario: Scenario, ts: TransitionSets, region: str, t: int) -> list[str]:
    """Sites of `region` where new production may be built that is not phased out by period t."""
    return sorted({s for i, f, s in ts.eligible
                   if f == "production" and scenario.sites[s].region == region and not ts.phased_out((i, f, s), t)})


def _phase_rules(scenario: Scenario, forced: dict[tuple[str, str], float], function: str = "production") -> str:
    """`rules[n]` of the phase-out rules that match the triples (industry, `function`, site) of `forced`."""
    hits = {n for n, triples in rule_matches(scenario, "phase_out")
            if any((i, function, s) in triples for i, s in forced)}
    return ", ".join(f"rules[{n}]" for n in sorted(hits))


def transition_elastic_conflicts(scenario: Scenario, ts: TransitionSets, model: pyo.ConcreteModel,
                                 time_limit: float | None = 120.0) -> list[str] | None:
    """The elastic filter of `elastic_conflicts` on the model over periods: version 1's data constraints of every
    period, the 先立后破 rows and the phase-outs get slacks (the balance and opening rows define the variables and
    stay); the conflict in planners' words, each statement with its period (None if none was isolated)."""
    m = _elastic_base(model)
    records: list[Record] = []
    for t in ts.periods:
        records += _elastic_block(m, m.period[t], ts.ix, lambda index, t=t: (t, index))
    if hasattr(m, "build_first"):
        for index, con in list(m.build_first.items()):
            records += [("build_first", index, side, slack, rhs) for _, _, side, slack, rhs in _relax(m, con)]
    for t in ts.periods:
        block = m.period[t]
        for triple in ts.phased:
            if triple in block.q and ts.phased_out(triple, t):
                block.q[triple].unfix()
                block.x[triple].unfix()
                slack = m.slack.add()
                m.elastic.add(block.q[triple] - slack <= 0)
                records.append(("phase_out", (t, triple), "upper", slack, 0.0))
    m.violation = pyo.Objective(expr=sum(slack / max(1.0, abs(rhs)) for _, _, _, slack, rhs in records))
    conflict = elastic_filter(m, records, time_limit)
    return None if conflict is None else _transition_statements(scenario, ts, conflict)


def _transition_statements(scenario: Scenario, ts: TransitionSets, conflict: list[Record]) -> list[str]:
    """The conflicting constraints of the model over periods as statements about the data, per period."""
    lines = []
    lag = scenario.settings.transition_lag
    for family, index, _, _, _ in conflict:
        if family == "build_first":
            r, t = index
            n = ts.periods.index(t) - lag
            until = f"up to {ts.periods[n]}" if n >= 0 else "before the plan starts (none)"
            lines.append(f"under 先立后破 (transition: build_first, transition_lag {lag}) the production retired in "
                         f"{scenario.regions[r].name_zh} ({r}) up to {t} may not exceed the production built there "
                         f"{until}")
        elif family == "phase_out":
            t, (i, f, s) = index
            stock = ts.stock.get((i, f, s), 0.0)
            lines.append(f"in {t}: a phase_out rule ({_phase_rules(scenario, {(i, s): 0.0}, f)}) leaves no {f} of "
                         f"industry {i} ({scenario.industries[i].name_zh}) at {s} from {ts.phased[i, f, s]} on"
                         + (f" (stock there: {stock:g})" if stock else ""))
    for t in ts.periods:
        here = [(family, index[1], side, slack, rhs) for family, index, side, slack, rhs in conflict
                if family not in ("build_first", "phase_out") and index[0] == t]
        if here:
            lines += [f"in {_period_name(t)}: {line}" for line in _statements(ts.scenarios[t], ts.ix, here)]
    return lines
