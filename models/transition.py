"""The layout model over periods with an existing base (docs/model.md, contract version 2) as a Pyomo ConcreteModel.

One block per period (`m.period[t]`) holds version 1's sets, variables and rows (constraints 1-10 and the
reformulations `reform` on the period's least capacities), built by version 1's own block functions
(`planner.models.layout.BLOCKS`) for the period's scenario
(`period_scenario`: demand D_it, hosting caps H'_i and L'_r); the model adds the transition blocks
(`TRANSITION_BLOCKS`): new capacity, retirement, openings and conversion (variables), balance (11),
opening (12), 先立后破 (13), phase-out (14), the valid inequality `stock_kept` and the discounted objective.

A scenario with one period and no stock is not built here: it gets version 1's model (`build_model`).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from planner.models.layout import BLOCKS, COST_TERMS, _costs, _Parts, _sets_and_variables, linear
from planner.models.sets import IndexSets, Triple, _links, index_sets, least_capacity
from planner.scenario.eligibility import rule_matches
from planner.scenario.scenario import Scenario
from planner.scenario.schema import FUNCTIONS, PREDECESSOR

TRANSITION_COST_TERMS: tuple[str, ...] = (*COST_TERMS, "retire", "upgrade")
"""The objective terms of version 2, in docs/model.md order."""
NEW_CATEGORIES = ("future", "emerging")
"""The categories counted by the regional focus L_r."""
PERIOD_BLOCKS: tuple[Callable[[Any, _Parts], None], ...] = tuple(b for b in BLOCKS if b is not _costs)
"""Version 1's blocks built in every period: constraints 1-10 and the reformulations `reform` on the period's least
capacities (docs/model.md "Version 2"), not version 1's objective."""


def uses_periods(scenario: Scenario) -> bool:
    """Whether `scenario` gets the period-indexed model: it has stock or more than one period (`is_version2`)."""
    return scenario.is_version2


@dataclass(frozen=True)
class TransitionSets:
    """The index sets and data of the version 2 model."""

    ix: IndexSets
    """Version 1's sets over every triple with q (eligible or stock); `tight` is U raised to the stock (no
    tightening)."""
    eligible: frozenset[Triple]
    """Triples that may get new capacity b."""
    periods: tuple[int, ...]
    """Period labels: the years of settings.periods, or (1,) for the one period of a scenario without them."""
    stock: dict[Triple, float]
    """E_ifs."""
    conversions: tuple[tuple[str, str], ...]
    """(i, s): i's production at s may be converted from up(i)'s (c_ist)."""
    phased: dict[Triple, int]
    """Triple -> the earliest `by` of the phase_out rules matching it."""
    scenarios: dict[int, Scenario]
    """The scenario of each period: demand D_it, hosting caps H'_i and L'_r."""
    discount: dict[int, float]
    """δ_t."""
    bounds: dict[int, dict[Triple, float]] = dataclasses.field(default_factory=dict)
    """Each period's upper bounds on q, no larger than U' and kept by some optimal plan (`period_bounds`); the
    period's block uses them as version 1 uses `tight` (absent period: U')."""

    def phased_out(self, triple: Triple, period: int) -> bool:
        """Whether `triple` may hold no capacity in `period` (constraint 14)."""
        by = self.phased.get(triple)
        return by is not None and period >= by


def period_demand(scenario: Scenario, industry: str, year: int | None) -> float:
    """D_it: the `demand_<year>` value, else D_i (1 + γ_i)^(t - t_1)."""
    ind = scenario.industries[industry]
    if year is None:
        return ind.demand
    if str(year) in ind.demands:
        return ind.demands[str(year)]
    return ind.demand * (1 + ind.growth) ** (year - scenario.periods[0])


def hosting_caps(scenario: Scenario) -> tuple[dict[str, int | None], dict[str, int | None]]:
    """H'_i = max(H_i, K_i) and L'_r = max(L_r, future+emerging industries with stock in r) (None: no cap)."""
    regions_of: dict[str, set[str]] = defaultdict(set)
    new_in: dict[str, set[str]] = defaultdict(set)
    for i, _, s in scenario.stock:
        r = scenario.sites[s].region
        regions_of[i].add(r)
        if scenario.industries[i].category in NEW_CATEGORIES:
            new_in[r].add(i)
    hosts = {i: None if ind.max_hosts is None else max(ind.max_hosts, len(regions_of[i]))
             for i, ind in scenario.industries.items()}
    focus = {r: None if reg.max_new_industries is None else max(reg.max_new_industries, len(new_in[r]))
             for r, reg in scenario.regions.items()}
    return hosts, focus


def period_scenario(scenario: Scenario, year: int | None) -> Scenario:
    """The scenario version 1's blocks see in one period: demand D_it and the grandfathered caps H'_i, L'_r."""
    hosts, focus = hosting_caps(scenario)
    industries = {i: ind.model_copy(update={"demand": period_demand(scenario, i, year), "max_hosts": hosts[i]})
                  for i, ind in scenario.industries.items()}
    regions = {r: reg.model_copy(update={"max_new_industries": focus[r]}) for r, reg in scenario.regions.items()}
    return dataclasses.replace(scenario, industries=industries, regions=regions)


def transition_sets(scenario: Scenario) -> TransitionSets:
    """Derive the version 2 index sets: eligible triples plus stock triples, links over both, conversions,
    phase-outs."""
    with PauseGC():
        base = index_sets(scenario)
        stock = {t: row.capacity for t, row in scenario.stock.items()}
        triples = base.triples + tuple(t for t in stock if t not in set(base.triples))
        upper = {}
        for i, f, s in triples:
            spec = scenario.functions[i, f]
            bound = scenario.sites[s].land_ha / spec.land_per_unit
            bound = bound if spec.max_scale is None else min(spec.max_scale, bound)
            upper[i, f, s] = max(bound, stock.get((i, f, s), 0.0))
        hosting = tuple(dict.fromkeys((i, scenario.sites[s].region) for i, _, s in triples))
        ix = IndexSets(triples, upper, _links(scenario, triples), hosting, base.locked_in, dict(upper),
                       {(i, f): 0.0 for i, f in scenario.functions})
        eligible = frozenset(base.triples)
        present = set(triples)
        conversions = tuple((i, s) for i, ind in scenario.industries.items() if ind.upgrades is not None
                            for s in scenario.sites
                            if (i, "production", s) in eligible and (ind.upgrades, "production", s) in present)
        phased: dict[Triple, int] = {}
        for n, hits in rule_matches(scenario, "phase_out"):
            by = scenario.rules[n].phase_out.by  # type: ignore[union-attr]
            for t in hits:
                phased[t] = min(by, phased.get(t, by))
        years = scenario.periods
        labels = tuple(years) if years[0] is not None else (1,)
        rate = scenario.settings.discount_rate
        discount = {t: (1 + rate) ** -(t - labels[0]) for t in labels}
        scenarios = {t: period_scenario(scenario, y) for t, y in zip(labels, years, strict=True)}
        bounds = period_bounds(ix, stock, scenarios, eligible, phased)
        return TransitionSets(ix, eligible, labels, stock, conversions, phased, scenarios, discount, bounds)


def period_bounds(ix: IndexSets, stock: dict[Triple, float], scenarios: dict[int, Scenario],
                  eligible: frozenset[Triple], phased: dict[Triple, int]) -> dict[int, dict[Triple, float]]:
    """Upper bounds on q in each period that keep the optimum of docs/model.md version 2.

    Production: min(U', (1 + θ_i) D_it), which every feasible plan respects (constraint 3, q >= 0); version 1's
    bound max(min_scale, D_i) does not carry over (docs/model.md "Version 2 reformulations"). Pilot: the same
    bound B in every period, the largest of its stock E and, over the periods, min(U', max(min_scale, ρ times
    the production it can reach, at most (1 + θ) D_it)); R&D: likewise from the pilot bounds it can reach.
    A plan whose pilot or R&D capacity exceeds B in some periods is cut to min(q, B) in every period, with no
    more built and no more retired than before (B is constant and at least E), and its support received cut
    with it; pilot and R&D have no conversion and are not counted by 先立后破, and every cost coefficient is
    non-negative, so the cut plan is feasible and costs no more.

    Then every bound is lowered to the land its site has left when each triple holds the least capacity it
    holds in every plan within those bounds (`least_capacities`, `_keep_land_left`): a standing base that may
    not grow and whose demand needs all of it keeps its land in every plan, and new functions fit only in the
    rest (given `eligible`, the triples that may get new capacity, and `phased`, the phase-out years).
    """
    reach: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for i, f, a, b in ix.links:
        reach[i, PREDECESSOR[f], a].append(b)
    bounds: dict[int, dict[Triple, float]] = {}
    for t, sc in scenarios.items():
        most = {i: (1 + ind.overcapacity) * ind.demand for i, ind in sc.industries.items()}
        bounds[t] = {(i, f, s): min(u, most[i]) for (i, f, s), u in ix.upper.items() if f == "production"}
    sc = next(iter(scenarios.values()))
    for f in ("pilot", "rd"):
        nxt = FUNCTIONS[FUNCTIONS.index(f) + 1]
        ratio = {i: sc.functions[i, nxt].support_ratio or 0.0 for i in sc.industries}
        for (i, g, s), u in ix.upper.items():
            if g != f:
                continue
            floor = sc.functions[i, f].min_scale
            most_by_period = []
            for t, period in bounds.items():
                reachable = sum(period[i, nxt, b] for b in reach[i, f, s])
                if nxt == "production":
                    reachable = min(reachable, (1 + sc.industries[i].overcapacity) * scenarios[t].industries[i].demand)
                most_by_period.append(min(u, max(floor, ratio[i] * reachable)))
            bound = max(stock.get((i, f, s), 0.0), *most_by_period)
            for period in bounds.values():
                period[i, f, s] = bound
    for t, period in bounds.items():
        least = least_capacities(period, scenarios[t], stock, eligible, _emptied(phased, t))
        _keep_land_left(period, scenarios[t], least)
    return bounds


def _emptied(phased: dict[Triple, int], period: int) -> frozenset[Triple]:
    """The triples a phase-out empties in `period` (constraint 14)."""
    return frozenset(t for t, by in phased.items() if period >= by)


def least_capacities(bounds: dict[Triple, float], sc: Scenario, stock: dict[Triple, float],
                     eligible: frozenset[Triple], out: frozenset[Triple]) -> dict[Triple, float]:
    """The least capacity each triple holds in every plan within `bounds`, in one period of scenario `sc`
    (positive ones only).

    A function's total is at least its need (production D_it, constraint 3; pilot ρ times the production's
    need, R&D ρ times the pilot's, constraints 4-5), and a site holds at most its bound, or its stock where no
    capacity can be added (not eligible: no new capacity, no conversion in; balance 11), or 0 once phased out:
    so a site holds at least the need less the most all the function's other sites can hold.
    """
    most: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for (i, f, s), bound in bounds.items():
        held = 0.0 if (i, f, s) in out else bound if (i, f, s) in eligible else min(stock.get((i, f, s), 0.0), bound)
        most[i, f][s] = held
    need = least_capacity(sc)  # production D_it, pilot ρ D_it, R&D ρ ρ D_it
    least: dict[Triple, float] = {}
    for (i, f), sites in most.items():
        total = sum(sites.values())
        for s, held in sites.items():
            short = need[i, f] - (total - held)
            if short > 0:
                least[i, f, s] = min(short, held)
    return least


def _keep_land_left(bounds: dict[Triple, float], sc: Scenario, least: dict[Triple, float]) -> None:
    """Lower `bounds` to the land a site has left when every triple holds its least capacity (`least`):
    a_if q_ifs <= A_s - Σ_{other triples at s} a least (the land row, constraint 2)."""
    taken: dict[str, float] = defaultdict(float)
    for (i, f, s), held in least.items():
        taken[s] += sc.functions[i, f].land_per_unit * held
    for (i, f, s), bound in bounds.items():
        if taken[s] > 0:
            land = sc.functions[i, f].land_per_unit
            left = (sc.sites[s].land_ha - taken[s]) / land + least.get((i, f, s), 0.0)
            bounds[i, f, s] = min(bound, max(left, 0.0))


def build_transition_model(scenario: Scenario, ts: TransitionSets) -> pyo.ConcreteModel:
    """Build the MILP of docs/model.md version 2: version 1's rows in every period, then the transition blocks."""
    with PauseGC():
        m = pyo.ConcreteModel(name=scenario.name)
        m.period = pyo.Block(list(ts.periods), doc="version 1's sets, variables and rows of each period")
        parts = {}
        for t in ts.periods:
            block = m.period[t]
            # the period's bounds on q (`period_bounds`) and N_if of the period's demand
            ix = dataclasses.replace(ts.ix, tight=ts.bounds.get(t, ts.ix.upper), need=least_capacity(ts.scenarios[t]))
            block.transfer_attributes_from(_sets_and_variables(ts.scenarios[t], ix))
            parts[t] = _Parts.of(block, ts.scenarios[t], ix)
            for add in PERIOD_BLOCKS:
                add(block, parts[t])
        for add in TRANSITION_BLOCKS:
            add(m, scenario, ts, parts)
        return m


Parts = dict[int, _Parts]


def _transition_variables(m: pyo.ConcreteModel, sc: Scenario, ts: TransitionSets, p: Parts) -> None:
    """b (new capacity, eligible triples), r (retired), o (opening) and c (converted) of every period."""
    upper, periods = ts.ix.upper, ts.periods
    built = [(*t, y) for y in periods for t in ts.ix.triples if t in ts.eligible]
    m.build = pyo.Var(built, within=pyo.NonNegativeReals, bounds=lambda m, i, f, s, y: (0.0, upper[i, f, s]),
                      doc="new capacity built in the period")
    m.retire = pyo.Var([(*t, y) for y in periods for t in ts.ix.triples], within=pyo.NonNegativeReals,
                       bounds=lambda m, i, f, s, y: (0.0, upper[i, f, s]), doc="capacity retired in the period")
    m.open = pyo.Var([(*t, y) for y in periods for t in ts.ix.triples], within=pyo.NonNegativeReals,
                     bounds=(0.0, 1.0), doc="the function starts at the site in the period")
    up = {i: ind.upgrades for i, ind in sc.industries.items()}
    m.convert = pyo.Var([(i, s, y) for y in periods for i, s in ts.conversions], within=pyo.NonNegativeReals,
                        bounds=lambda m, i, s, y: (0.0, upper[up[i], "production", s]),
                        doc="production of up(i) converted into production of i")


def _converted_out_of(sc: Scenario, ts: TransitionSets) -> dict[tuple[str, str], list[str]]:
    """(j, s) -> the industries i whose production at s may be converted from j's (up(i) = j; c_ist)."""
    out_of: dict[tuple[str, str], list[str]] = defaultdict(list)
    for i, s in ts.conversions:
        out_of[sc.industries[i].upgrades, s].append(i)  # type: ignore[index]
    return out_of


def _balance(m: pyo.ConcreteModel, sc: Scenario, ts: TransitionSets, p: Parts) -> None:
    """11. Balance: q_t = q_prev + b_t - r_t + c_in - c_out (q_prev(t_1) = E)."""
    build, retire, convert = dict(m.build.items()), dict(m.retire.items()), dict(m.convert.items())
    into: dict[tuple[str, str], list] = defaultdict(list)
    for i, s in ts.conversions:
        into[i, s].append(i)
    out_of = _converted_out_of(sc, ts)
    rows = [(t, y) for y in ts.periods for t in ts.ix.triples]
    previous = dict(zip(ts.periods[1:], ts.periods, strict=False))

    def rule(m: pyo.ConcreteModel, i: str, f: str, s: str, y: int) -> object:
        terms = [(1, p[y].q[i, f, s])]
        if y in previous:
            terms.append((-1, p[previous[y]].q[i, f, s]))
        if (i, f, s, y) in build:
            terms.append((-1, build[i, f, s, y]))
        terms.append((1, retire[i, f, s, y]))
        if f == "production":
            terms += [(-1, convert[k, s, y]) for k in into[i, s]] + [(1, convert[k, s, y]) for k in out_of[i, s]]
        stock = 0.0 if y in previous else ts.stock.get((i, f, s), 0.0)
        return linear(terms) == stock

    m.balance = pyo.Constraint(rows, rule=rule, doc="capacity balance")


def _opening(m: pyo.ConcreteModel, sc: Scenario, ts: TransitionSets, p: Parts) -> None:
    """12. Opening: o_t >= x_t - x_prev (x_prev(t_1) = 1 where there is stock)."""
    opening = dict(m.open.items())
    previous = dict(zip(ts.periods[1:], ts.periods, strict=False))

    def rule(m: pyo.ConcreteModel, i: str, f: str, s: str, y: int) -> object:
        terms = [(1, opening[i, f, s, y]), (-1, p[y].x[i, f, s])]
        if y in previous:
            return linear(terms + [(1, p[previous[y]].x[i, f, s])]) >= 0
        return linear(terms) >= (-1.0 if ts.stock.get((i, f, s), 0.0) > 0 else 0.0)

    m.opening = pyo.Constraint(list(opening), rule=rule, doc="opening")


def _build_first(m: pyo.ConcreteModel, sc: Scenario, ts: TransitionSets, p: Parts) -> None:
    """13. 先立后破 (build_first only): production retired in a region up to t <= production built there up to t - Λ."""
    st = sc.settings
    if st.transition != "build_first":
        return
    build, retire = dict(m.build.items()), dict(m.retire.items())
    production: dict[str, list[Triple]] = defaultdict(list)
    for t in ts.ix.triples:
        if t[1] == "production":
            production[sc.sites[t[2]].region].append(t)
    rows = [(r, y) for y in ts.periods for r in sc.regions if production[r]]
    position = {y: n for n, y in enumerate(ts.periods)}

    def rule(m: pyo.ConcreteModel, r: str, y: int) -> object:
        n = position[y]
        retired = [(1, retire[(*t, z)]) for z in ts.periods[:n + 1] for t in production[r]]
        new = [(-1, build[(*t, z)]) for z in ts.periods[:max(n + 1 - st.transition_lag, 0)] for t in production[r]
               if (*t, z) in build]
        return linear(retired + new) <= 0

    m.build_first = pyo.Constraint(rows, rule=rule, doc="先立后破: retire production only once new production stands")


def _phase_out(m: pyo.ConcreteModel, sc: Scenario, ts: TransitionSets, p: Parts) -> None:
    """14. Phase-out: q = 0 and x = 0 for the matched triples in every period from their year on."""
    for y in ts.periods:
        for t in ts.phased:
            if t in p[y].q and ts.phased_out(t, y):
                p[y].q[t].fix(0.0)
                p[y].x[t].fix(0)


def _stock_kept(m: pyo.ConcreteModel, sc: Scenario, ts: TransitionSets, p: Parts) -> None:
    """Standing stock keeps its site open (a valid inequality, docs/model.md "Reformulations with periods or stock"):
    E_ifs x_ifst + Σ_{τ <= t} (r_ifsτ + c_out) >= E_ifs.

    The balance (11) gives q_t >= E - Σ_{τ <= t} (r + c_out) (new capacity and conversions in only add), and x_t = 0
    forces q_t = 0 (1): so until the stock is retired or converted, x_t = 1. Every feasible plan satisfies it; in the
    relaxation it replaces x_t >= q_t / U by x_t >= (E - retired) / E, so a region holding stock can free its hosting
    slot (y >= x) only by retiring that stock.
    """
    out_of = _converted_out_of(sc, ts)
    rows = [(*t, y) for y in ts.periods for t, e in ts.stock.items() if e > 0 and not p[y].x[t].fixed]
    position = {y: n for n, y in enumerate(ts.periods)}

    def rule(m: pyo.ConcreteModel, i: str, f: str, s: str, y: int) -> object:
        gone = [(1, m.retire[i, f, s, z]) for z in ts.periods[:position[y] + 1]]
        if f == "production":
            gone += [(1, m.convert[k, s, z]) for k in out_of[i, s] for z in ts.periods[:position[y] + 1]]
        e = ts.stock[i, f, s]
        return linear([(e, p[y].x[i, f, s]), *gone]) >= e

    m.stock_kept = pyo.Constraint(rows, rule=rule, doc="standing stock keeps its site open until retired")


def _transition_costs(m: pyo.ConcreteModel, sc: Scenario, ts: TransitionSets, p: Parts) -> None:
    """The objective: each period's terms (undiscounted, unweighted) as `period[t].cost_<term>`; their discounted
    sums as `cost_<term>`; the weighted sum of those as the objective."""
    spec, st = sc.functions, sc.settings
    for y in ts.periods:
        b = m.period[y]
        q, g = p[y].q, p[y].g
        new = [(i, f, s) for i, f, s in ts.ix.triples if (i, f, s, y) in m.build]
        b.cost_land = pyo.Expression(expr=linear(
            (sc.sites[s].land_price * spec[i, f].land_per_unit, m.build[i, f, s, y]) for i, f, s in new))
        b.cost_setup = pyo.Expression(expr=linear(
            (spec[i, f].setup_cost, m.open[i, f, s, y]) for i, f, s in ts.ix.triples))
        b.cost_operating = pyo.Expression(expr=linear(
            (sc.sites[s].cost_factor * spec[i, f].unit_cost, q[i, f, s]) for i, f, s in ts.ix.triples))
        b.cost_linkage = pyo.Expression(expr=st.linkage_cost * linear((d, g[link]) for link, d in ts.ix.links.items()))
        b.cost_duplication = pyo.Expression(expr=(st.duplication_penalty or 0.0) * linear((1, v) for v in b.u.values()))
        b.cost_retire = pyo.Expression(expr=linear(
            (spec[i, f].retire_cost, m.retire[i, f, s, y]) for i, f, s in ts.ix.triples))
        b.cost_upgrade = pyo.Expression(expr=linear(
            (sc.industries[i].upgrade_cost, m.convert[i, s, y]) for i, s in ts.conversions))
    for term in TRANSITION_COST_TERMS:
        setattr(m, f"cost_{term}", pyo.Expression(
            expr=sum(ts.discount[y] * getattr(m.period[y], f"cost_{term}") for y in ts.periods)))
    w = st.weights
    m.objective = pyo.Objective(
        expr=sum(getattr(w, term) * getattr(m, f"cost_{term}") for term in TRANSITION_COST_TERMS), sense=pyo.minimize)


TRANSITION_BLOCKS: tuple[Callable[[pyo.ConcreteModel, Scenario, TransitionSets, Parts], None], ...] = (
    _transition_variables, _balance, _opening, _build_first, _phase_out, _stock_kept, _transition_costs)
"""The blocks version 2 adds, in the order their components are added (after every period's version 1 blocks)."""
