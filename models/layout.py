"""The layout model of docs/model.md (contract version 1) as a Pyomo ConcreteModel."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression

from planner.models.sets import IndexSets
from planner.scenario.scenario import Scenario
from planner.scenario.schema import PREDECESSOR

COST_TERMS: tuple[str, ...] = ("land", "setup", "operating", "linkage", "duplication")
"""The objective terms, in docs/model.md order."""
OPEN = 0.5
"""A binary above this value counts as 1."""
REFORMULATION = "reform"
"""Name of the block of reformulation variables and rows (`_reformulation`), in a model or in each period block."""


def linear(terms: Iterable[tuple[float, Any]]) -> LinearExpression:
    """The sum of coef * var over `terms` as one LinearExpression.

    The same expression Pyomo builds from `sum(coef * var ...)` (a coefficient of 1 gives the
    bare variable), made in one step instead of one intermediate sum per term; with the
    constraints written as `linear(...) <= constant` (variables on the left, as Pyomo would move
    them), the standard-form compiler reads each row without building `lhs - rhs` first.
    """
    return LinearExpression([v if c == 1 else MonomialTermExpression((c, v)) for c, v in terms])


def build_model(scenario: Scenario, ix: IndexSets) -> pyo.ConcreteModel:
    """Build the MILP of docs/model.md over the sparse index sets `ix`.

    Components: variables x, q, y, g, u; constraints numbered as in docs/model.md; one
    Expression per cost term (`cost_<term>`, unweighted) and the weighted objective.
    Reformulations keep the optimum and tighten the relaxation: capacity bounds `ix.tight` instead
    of U (also bounding each flow g), and the block `reform` (`_reformulation`).
    The model is built block by block, one function of `BLOCKS` per block of docs/model.md.
    Built with Python's cyclic garbage collector paused (it would scan the many new
    expression objects over and over).
    """
    with PauseGC():
        m = _sets_and_variables(scenario, ix)
        parts = _Parts.of(m, scenario, ix)
        for block in BLOCKS:
            block(m, parts)
        return m


@dataclass(frozen=True)
class _Parts:
    """What the blocks of the model share: the scenario, the index sets, the variables as plain
    dicts (faster lookups than Pyomo's) and the triples and links grouped as the rows need them."""

    sc: Scenario
    ix: IndexSets
    x: dict
    q: dict
    y: dict
    g: dict
    u: dict
    region_of: dict[str, str]
    at_site: dict[str, list]
    production: dict[str, list]
    in_region: dict[tuple[str, str], list]
    energy_in: dict[str, list]
    incoming: dict[tuple[str, str, str], list]
    outgoing: dict[tuple[str, str, str], list]

    @classmethod
    def of(cls, m: pyo.ConcreteModel, sc: Scenario, ix: IndexSets) -> _Parts:
        """The parts of model `m`, built by `_sets_and_variables` for `sc` over `ix`."""
        spec = sc.functions
        region_of = {s: site.region for s, site in sc.sites.items()}
        at_site: dict[str, list] = defaultdict(list)
        production: dict[str, list] = defaultdict(list)
        in_region: dict[tuple[str, str], list] = defaultdict(list)
        energy_in: dict[str, list] = defaultdict(list)
        for i, f, s in ix.triples:
            at_site[s].append((i, f, s))
            in_region[i, region_of[s]].append((i, f, s))
            if f == "production":
                production[i].append((i, f, s))
            if spec[i, f].energy_per_unit:
                energy_in[region_of[s]].append((i, f, s))
        incoming: dict[tuple[str, str, str], list] = defaultdict(list)
        outgoing: dict[tuple[str, str, str], list] = defaultdict(list)
        for link in ix.links:
            i, f, s, s2 = link
            incoming[i, f, s2].append(link)
            outgoing[i, PREDECESSOR[f], s].append(link)
        x, q, y, g, u = (dict(var.items()) for var in (m.x, m.q, m.y, m.g, m.u))
        return cls(sc, ix, x, q, y, g, u, region_of, at_site, production, in_region, energy_in, incoming, outgoing)


def _sets_and_variables(sc: Scenario, ix: IndexSets) -> pyo.ConcreteModel:
    """A new model with the sets T, L, H, C and the variables x, q, y, g, u of docs/model.md."""
    m = pyo.ConcreteModel(name=sc.name)
    m.T = pyo.Set(initialize=ix.triples, dimen=3, ordered=True, doc="eligible (industry, function, site)")
    m.L = pyo.Set(initialize=list(ix.links), dimen=4, ordered=True, doc="links (industry, function, from, to)")
    m.H = pyo.Set(initialize=ix.hosting, dimen=2, ordered=True, doc="(industry, region) that can host")
    capped = [i for i, ind in sc.industries.items() if ind.max_hosts is not None]
    m.C = pyo.Set(initialize=capped, ordered=True, doc="industries with max_hosts")

    m.x = pyo.Var(m.T, within=pyo.Binary, doc="function f of industry i opened at site s")
    bound = ix.tight
    m.q = pyo.Var(m.T, within=pyo.NonNegativeReals, bounds={t: (0.0, b) for t, b in bound.items()}, doc="capacity")
    m.y = pyo.Var(m.H, within=pyo.Binary, doc="region r hosts industry i")
    m.g = pyo.Var(m.L, within=pyo.NonNegativeReals, doc="support from pred(f) at s to f at s'",
                  bounds={(i, f, s, s2): (0.0, min(bound[i, PREDECESSOR[f], s],
                                                   (sc.functions[i, f].support_ratio or 0.0) * bound[i, f, s2]))
                          for i, f, s, s2 in ix.links})
    m.u = pyo.Var(m.C, within=pyo.NonNegativeReals, doc="host regions beyond max_hosts (soft mode)")
    return m


def _scale(m: pyo.ConcreteModel, p: _Parts) -> None:
    """1. Scale: m_if x_ifs <= q_ifs <= U_ifs x_ifs (with the tight bounds for U)."""
    spec, bound, x, q = p.sc.functions, p.ix.tight, p.x, p.q
    m.scale_min = pyo.Constraint(
        m.T, rule=lambda m, i, f, s: linear([(spec[i, f].min_scale, x[i, f, s]), (-1, q[i, f, s])]) <= 0
        if spec[i, f].min_scale > 0 else pyo.Constraint.Skip, doc="min scale")
    m.scale_max = pyo.Constraint(
        m.T, rule=lambda m, i, f, s: linear([(1, q[i, f, s]), (-bound[i, f, s], x[i, f, s])]) <= 0, doc="max scale")


def _land(m: pyo.ConcreteModel, p: _Parts) -> None:
    """2. Land per site."""
    sc, spec, q, at_site = p.sc, p.sc.functions, p.q, p.at_site
    m.land = pyo.Constraint(
        list(at_site), rule=lambda m, s: linear((spec[i, f].land_per_unit, q[i, f, s]) for i, f, _ in at_site[s])
        <= sc.sites[s].land_ha, doc="land per site")


def _demand(m: pyo.ConcreteModel, p: _Parts) -> None:
    """3. Demand and no overcapacity: D_i <= production of i <= (1 + θ_i) D_i."""
    sc, q, production = p.sc, p.q, p.production

    def rule(m: pyo.ConcreteModel, i: str) -> object:
        ind = sc.industries[i]
        if not production[i]:
            return pyo.Constraint.Infeasible
        return pyo.inequality(ind.demand, linear((1, q[t]) for t in production[i]), (1 + ind.overcapacity) * ind.demand)

    m.demand = pyo.Constraint(list(sc.industries), rule=rule, doc="demand, no overcapacity")


def _reformulations(m: pyo.ConcreteModel, p: _Parts) -> None:
    """Reformulations that keep the optimum: the block `reform` (see `_reformulation`)."""
    m.add_component(REFORMULATION, _reformulation(p.sc, p.ix, p.x, p.q))


def reformulation_variables(m: pyo.ConcreteModel) -> set[int]:
    """The ids of the variables of `m`'s reformulation blocks (`split`, `count`): their values follow from x."""
    return {id(v) for block in m.block_data_objects() if block.local_name == REFORMULATION
            for v in block.component_data_objects(pyo.Var, descend_into=False)}


def hosting_variables(m: pyo.ConcreteModel) -> set[int]:
    """The ids of `m`'s hosting variables y_ir (of every period, in a model with periods)."""
    return {id(v) for block in m.block_data_objects() if isinstance(block.component("y"), pyo.Var)
            for v in block.component("y").values()}


def industry_of_variables(m: pyo.ConcreteModel) -> dict[int, str]:
    """The industry each variable of `m` belongs to, by id (every variable indexed by industry first: x, q, y, g,
    u and, with periods, build, retire, open, convert); the reformulation's counts, shared by industries, have none.
    """
    industries = {t[0] for block in m.block_data_objects() if isinstance(block.component("T"), pyo.Set)
                  for t in block.component("T")}
    owners: dict[int, str] = {}
    for block in m.block_data_objects():
        if block.local_name == REFORMULATION:
            continue
        for v in block.component_data_objects(pyo.Var, descend_into=False):
            index = v.index()
            first = index[0] if isinstance(index, tuple) else index
            if first in industries:
                owners[id(v)] = first
    return owners


def _support(m: pyo.ConcreteModel, p: _Parts) -> None:
    """4. Support received, 5. support given."""
    spec, q, g, incoming, outgoing = p.sc.functions, p.q, p.g, p.incoming, p.outgoing
    supported = [t for t in p.ix.triples if t[1] in PREDECESSOR]

    def received(m: pyo.ConcreteModel, i: str, f: str, s: str) -> object:
        ratio = spec[i, f].support_ratio or 0.0
        if not incoming[i, f, s]:  # no link in: ratio * q == 0
            return linear([(ratio, q[i, f, s])]) == 0 if ratio else pyo.Constraint.Skip
        return linear([(1, g[link]) for link in incoming[i, f, s]] + [(-ratio, q[i, f, s])]) == 0

    m.support_received = pyo.Constraint(supported, rule=received, doc="support received")
    m.support_given = pyo.Constraint(
        [t for t in p.ix.triples if outgoing[t]],
        rule=lambda m, i, f, s: linear([(1, g[link]) for link in outgoing[i, f, s]] + [(-1, q[i, f, s])]) <= 0,
        doc="support given")


def _hosting(m: pyo.ConcreteModel, p: _Parts) -> None:
    """6. Hosting: x_ifs <= y_i,r(s); y_ir <= sum of x_ifs in r."""
    x, y, region_of, in_region = p.x, p.y, p.region_of, p.in_region
    m.host_link = pyo.Constraint(
        m.T, rule=lambda m, i, f, s: linear([(1, x[i, f, s]), (-1, y[i, region_of[s]])]) <= 0, doc="x <= y")
    m.host_need = pyo.Constraint(
        m.H, rule=lambda m, i, r: linear([(1, y[i, r])] + [(-1, x[t]) for t in in_region[i, r]]) <= 0,
        doc="y <= sum x")


def _anti_duplication(m: pyo.ConcreteModel, p: _Parts) -> None:
    """7. Anti-duplication: at most H_i host regions (plus u_i, fixed to 0 in hard mode), at least N_i."""
    sc, y, u = p.sc, p.y, p.u
    if sc.settings.duplication == "hard":
        m.u.fix(0.0)
    hosts_of: dict[str, list] = defaultdict(list)
    for i, r in p.ix.hosting:
        hosts_of[i].append((i, r))
    m.max_hosts = pyo.Constraint(
        m.C, rule=lambda m, i: linear([(1, y[h]) for h in hosts_of[i]] + [(-1, u[i])]) <= sc.industries[i].max_hosts,
        doc="anti-duplication")

    def min_hosts(m: pyo.ConcreteModel, i: str) -> object:
        need = sc.industries[i].min_hosts
        if need == 0:
            return pyo.Constraint.Skip
        if len(hosts_of[i]) < need:
            return pyo.Constraint.Infeasible
        return linear((1, y[h]) for h in hosts_of[i]) >= need

    m.min_hosts = pyo.Constraint(list(sc.industries), rule=min_hosts, doc="min hosts")


def _focus(m: pyo.ConcreteModel, p: _Parts) -> None:
    """8. Regional focus: at most L_r future or emerging industries hosted in region r."""
    sc, y = p.sc, p.y
    new = {i for i, ind in sc.industries.items() if ind.category in ("future", "emerging")}
    focus = {r: [(i, r2) for i, r2 in p.ix.hosting if r2 == r and i in new] for r in sc.regions}
    m.focus = pyo.Constraint(
        [r for r, reg in sc.regions.items() if reg.max_new_industries is not None and focus[r]],
        rule=lambda m, r: linear((1, y[h]) for h in focus[r]) <= sc.regions[r].max_new_industries,
        doc="regional focus")


def _energy(m: pyo.ConcreteModel, p: _Parts) -> None:
    """9. Energy budget per region."""
    sc, spec, q, energy_in = p.sc, p.sc.functions, p.q, p.energy_in
    m.energy = pyo.Constraint(
        [r for r, reg in sc.regions.items() if reg.energy_budget is not None and energy_in[r]],
        rule=lambda m, r: linear((spec[i, f].energy_per_unit, q[i, f, s]) for i, f, s in energy_in[r])
        <= sc.regions[r].energy_budget, doc="energy budget")


def _rules(m: pyo.ConcreteModel, p: _Parts) -> None:
    """10. Rules: `lock_in` fixes x = 1 on the triples it matches (`lock_out` removed them from the index sets)."""
    for t in p.ix.locked_in:
        m.x[t].fix(1)


def _costs(m: pyo.ConcreteModel, p: _Parts) -> None:
    """The objective: its terms as Expressions `cost_<term>` and their weighted sum (`_add_costs`)."""
    _add_costs(m, p.sc, p.ix)


BLOCKS: tuple[Callable[[pyo.ConcreteModel, _Parts], None], ...] = (
    _scale, _land, _demand, _reformulations, _support, _hosting, _anti_duplication, _focus, _energy, _rules, _costs)
"""The blocks of docs/model.md in the order their components are added to the model (the
reformulations' block `reform` comes after the demand rows, as it always has: the order of the
rows is the order the solvers see). A new block is one new function here."""


def set_costs(m: pyo.ConcreteModel, scenario: Scenario, ix: IndexSets) -> None:
    """Replace the cost terms and the objective of `m` with those of `scenario`.

    `m` must be the model `build_model` made for a scenario that differs from `scenario` at most in
    the costs (`planner.scenario.scenario.COST_FIELDS`), over the same `ix`: the result is then the
    model `build_model(scenario, ix)` would make, its components in the same order.
    """
    with PauseGC():
        for name in (*(f"cost_{term}" for term in COST_TERMS), "objective"):
            m.del_component(name)
        _add_costs(m, scenario, ix)


def _add_costs(m: pyo.ConcreteModel, sc: Scenario, ix: IndexSets) -> None:
    """The objective terms (unweighted) as Expressions `cost_<term>`, then their weighted sum as the objective."""
    spec, st = sc.functions, sc.settings
    q, x, g = dict(m.q.items()), dict(m.x.items()), dict(m.g.items())
    m.cost_land = pyo.Expression(expr=linear(
        (sc.sites[s].land_price * spec[i, f].land_per_unit, q[i, f, s]) for i, f, s in ix.triples))
    m.cost_setup = pyo.Expression(expr=linear((spec[i, f].setup_cost, x[i, f, s]) for i, f, s in ix.triples))
    m.cost_operating = pyo.Expression(expr=linear(
        (sc.sites[s].cost_factor * spec[i, f].unit_cost, q[i, f, s]) for i, f, s in ix.triples))
    m.cost_linkage = pyo.Expression(expr=st.linkage_cost * linear((d, g[link]) for link, d in ix.links.items()))
    m.cost_duplication = pyo.Expression(expr=(st.duplication_penalty or 0.0) * linear((1, v) for v in m.u.values()))
    w = st.weights
    m.objective = pyo.Objective(
        expr=sum(getattr(w, term) * getattr(m, f"cost_{term}") for term in COST_TERMS), sense=pyo.minimize)


def _reformulation(sc: Scenario, ix: IndexSets, x: dict, q: dict) -> pyo.Block:
    """Variables and rows that keep the optimum of docs/model.md and tighten its relaxation.

    For each function f an industry i needs (least total capacity N_if > 0, `ix.need`):
    - `split[i, f]` binary: f is spread over two sites or more (it may be 1 only then);
    - `cover[i, f]`: sum_s x_ifs >= 1 + split_if;
    - `sole[i, f, s]`: q_ifs >= N_if (x_ifs - split_if): a function at one site holds all of it.
    Functions of one kind that need the same land a_if N_if at a site form a class c there;
    `count[s, c]` (integer) is at least the members open whole at s, and `land_count[s]`:
    sum_c a N count_sc + the land of the other triples at s <= A_s. A production in a class of one
    gets its count (a binary) only at sites where such productions do not all fit in the land:
    there the row is a knapsack on them with a cover, for the cuts of planner.solve.covers; elsewhere
    (and for R&D and pilot, which need little land) it would only add binaries (docs/model.md).
    Any plan of docs/model.md extends to these (split = 1 exactly where a function is spread, count =
    the members open whole), so the optimum is unchanged; the counts let the solver branch on and
    cut the number of whole functions a site can take, instead of on each industry's x.
    """
    spec, need = sc.functions, ix.need
    b = pyo.Block(concrete=True)
    sites_of: dict[tuple[str, str], list] = defaultdict(list)
    for t in ix.triples:
        sites_of[t[:2]].append(t)
    needed = [k for k, n in need.items() if n > 0]
    b.split = pyo.Var(needed, within=pyo.Binary, doc="function spread over two sites or more")
    split = dict(b.split.items())
    b.cover = pyo.Constraint(
        needed, rule=lambda b, i, f: linear([(1, x[t]) for t in sites_of[i, f]] + [(-1, split[i, f])]) >= 1
        if sites_of[i, f] else pyo.Constraint.Infeasible, doc="open at one site at least, two when split")
    b.sole = pyo.Constraint(
        [t for k in needed for t in sites_of[k] if need[k] > spec[k].min_scale],
        rule=lambda b, i, f, s: linear([(1, q[i, f, s]), (-need[i, f], x[i, f, s]), (need[i, f], split[i, f])]) >= 0,
        doc="a function at one site holds all of it")
    classes: dict[tuple[str, str, float], list] = defaultdict(list)
    for k in needed:
        for i, f, s in sites_of[k]:
            classes[s, f, spec[i, f].land_per_unit * need[k]].append((i, f, s))
    alone: dict[str, float] = defaultdict(float)  # land of the productions in classes of one at each site
    for (s, f, size), members in classes.items():
        alone[s] += size if len(members) == 1 and f == "production" else 0.0
    classes = {c: members for c, members in classes.items()
               if len(members) > 1 or (c[1] == "production" and alone[c[0]] > sc.sites[c[0]].land_ha)}
    b.count = pyo.Var(list(classes),
                      within=lambda b, *c: pyo.Binary if len(classes[c]) == 1 else pyo.NonNegativeIntegers,
                      bounds={c: (0, len(members)) for c, members in classes.items()}, doc="members open whole")
    count = dict(b.count.items())
    b.count_link = pyo.Constraint(
        list(classes), rule=lambda b, *c: linear([(1, count[c])] + [(-1, x[t]) for t in classes[c]]
                                                 + [(1, split[t[:2]]) for t in classes[c]]) >= 0,
        doc="count of members open whole")
    grouped = {t for members in classes.values() for t in members}
    at_site: dict[str, list] = defaultdict(list)
    for c in classes:
        at_site[c[0]].append(c)
    others: dict[str, list] = defaultdict(list)
    for t in ix.triples:
        if t[2] in at_site and t not in grouped:
            others[t[2]].append(t)
    b.land_count = pyo.Constraint(
        list(at_site), rule=lambda b, s: linear([(c[2], count[c]) for c in at_site[s]]
                                                + [(spec[t[:2]].land_per_unit, q[t]) for t in others[s]])
        <= sc.sites[s].land_ha,
        doc="land by counts of whole functions")
    return b
