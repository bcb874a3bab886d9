"""Reference MILP of MODEL.md version 2 (stock, periods, 先立后破, phase-out), on HiGHS's matrix interface.

A second, deliberately plain implementation used by the tests to check ``planner``; it imports
nothing from ``planner``. Every period gets its own copy of version 1's variables and rows, over
every triple that can hold capacity (eligible or with stock), and the periods are tied together
by the balance (11), opening (12), 先立后破 (13) and phase-out (14) blocks. A scenario with one
period and no stock gives version 1's optimum (``tests/reference/model.py``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import highspy
import numpy as np

from .model import FLOW_EPS, Link, _add, _Builder
from .scenario import FOCUS_CATEGORIES, PRED, Scenario, load_scenario

Key = tuple[str, str, str, int]
"""(industry, function, site, period position)."""


@dataclass(frozen=True)
class Plan2:
    """Values of a version 2 plan, per period position k (0 = first period).

    ``open`` holds q for every x = 1; ``built``, ``retired``, ``opening`` and ``converted``
    hold the positive values of b, r, o and c (converted is keyed (i, s, k): production of
    up(i) turned into production of i); ``flows`` the positive g.
    """

    open: dict[Key, float]
    built: dict[Key, float]
    retired: dict[Key, float]
    opening: dict[Key, float]
    converted: dict[tuple[str, str, int], float]
    flows: dict[tuple[str, str, str, str, int], float]


@dataclass(frozen=True)
class ReferenceResult2:
    """Outcome of :func:`solve_reference_v2`."""

    status: str  # "optimal" | "infeasible" | "other"
    objective: float | None
    plan: Plan2 | None


def solve_reference_v2(
    scenario_yaml: Path, mip_gap: float = 0.0, time_limit: float | None = None
) -> ReferenceResult2:
    """Solve the MODEL.md version 2 MILP of a flat scenario with HiGHS."""
    return solve_scenario_v2(load_scenario(Path(scenario_yaml)), mip_gap, time_limit)


def solve_scenario_v2(
    scn: Scenario, mip_gap: float = 0.0, time_limit: float | None = None
) -> ReferenceResult2:
    """Build and solve the version 2 model of an already loaded scenario.

    After the MIP the binaries are rounded and fixed and the LP is re-solved, so the returned
    plan satisfies every row to LP tolerances with exact x.
    """
    inf = math.inf
    st = scn.settings
    w = st.weights
    periods = range(len(scn.years))
    cap = scn.capacity_triples()
    elig = set(scn.eligible_triples())
    locked_in = set(scn.lock_in_triples())
    links = scn.links_v2()
    conv = [(i, s) for i in scn.industries for s in scn.conversion_sites(i)]
    ups: dict[str, str] = {i: ind.upgrades for i, ind in scn.industries.items() if ind.upgrades}
    b = _Builder()

    x: dict[Key, int] = {}
    q: dict[Key, int] = {}
    bb: dict[Key, int] = {}
    rr: dict[Key, int] = {}
    oo: dict[Key, int] = {}
    cc: dict[tuple[str, str, int], int] = {}
    y: dict[tuple[str, str, int], int] = {}
    g: dict[tuple[str, str, str, str, int], int] = {}
    u: dict[tuple[str, int], int] = {}
    for k in periods:
        d = scn.discount(k)
        for t in cap:
            i, f, s = t
            fn, site = scn.functions[(i, f)], scn.sites[s]
            key = (i, f, s, k)
            out = scn.phased_out(t, k)
            lb = 1.0 if t in locked_in else 0.0
            x[key] = b.col(0.0, lb, 0.0 if out else 1.0, integer=True)
            q[key] = b.col(d * w["operating"] * site.cost_factor * fn.unit_cost, 0.0, inf)
            if t in elig:
                bb[key] = b.col(d * w["land"] * site.land_price * fn.land_per_unit, 0.0, inf)
            rr[key] = b.col(d * w["retire"] * fn.retire_cost, 0.0, inf)
            oo[key] = b.col(d * w["setup"] * fn.setup_cost, 0.0, inf)
        for i, s in conv:
            cc[(i, s, k)] = b.col(d * w["upgrade"] * scn.industries[i].upgrade_cost, 0.0, inf)
        for i in scn.industries:
            for r in scn.regions:
                y[(i, r, k)] = b.col(0.0, 0.0, 1.0, integer=True)
        for lk in links:
            g[(*lk, k)] = b.col(d * w["linkage"] * st.linkage_cost * scn.distance(lk[2], lk[3]), 0.0, inf)
        if st.duplication == "soft":
            for i, ind in scn.industries.items():
                if ind.max_hosts is not None:
                    u[(i, k)] = b.col(d * w["duplication"] * st.duplication_penalty, 0.0, inf)

    into: dict[Key, list[int]] = defaultdict(list)
    out_of: dict[Key, list[int]] = defaultdict(list)  # keyed by the supported function
    for (i, f, s, s2, k), j in g.items():
        into[(i, f, s2, k)].append(j)
        out_of[(i, f, s, k)].append(j)
    region_of = {s: site.region for s, site in scn.sites.items()}

    for k in periods:
        # 1. scale with U' = max(U, E)
        for t in cap:
            key = (*t, k)
            fn = scn.functions[(t[0], t[1])]
            b.row({q[key]: 1.0, x[key]: -fn.min_scale}, 0.0, inf)
            b.row({q[key]: 1.0, x[key]: -scn.upper_v2(t)}, -inf, 0.0)
        # 2. land
        land: dict[str, dict[int, float]] = defaultdict(dict)
        for i, f, s in cap:
            _add(land[s], q[(i, f, s, k)], scn.functions[(i, f)].land_per_unit)
        for s, terms in land.items():
            b.row(terms, -inf, scn.sites[s].land_ha)
        # 3. demand per period
        for i, ind in scn.industries.items():
            dem = scn.demand_at(i, k)
            terms = {q[(i, f, s, k)]: 1.0 for (j, f, s) in cap if j == i and f == "production"}
            b.row(terms, dem, (1.0 + ind.overcapacity) * dem)
        # 4. support received; 5. support given
        for i, f, s in cap:
            key = (i, f, s, k)
            if f in PRED:
                terms = {j: 1.0 for j in into[key]}
                _add(terms, q[key], -scn.functions[(i, f)].support_ratio)
                b.row(terms, 0.0, 0.0)
            for succ, pred in PRED.items():
                if pred == f and out_of[(i, succ, s, k)]:
                    terms = {j: 1.0 for j in out_of[(i, succ, s, k)]}
                    _add(terms, q[key], -1.0)
                    b.row(terms, -inf, 0.0)
        # 6. hosting
        members: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
        for i, f, s in cap:
            key = (i, f, s, k)
            b.row({x[key]: 1.0, y[(i, region_of[s], k)]: -1.0}, -inf, 0.0)
            _add(members[(i, region_of[s])], x[key], -1.0)
        for i in scn.industries:
            for r in scn.regions:
                terms = {y[(i, r, k)]: 1.0, **members.get((i, r), {})}
                b.row(terms, -inf, 0.0)
        # 7. anti-duplication with H' = max(H, K); min hosts
        for i, ind in scn.industries.items():
            hosts = {y[(i, r, k)]: 1.0 for r in scn.regions}
            cap_i = scn.max_hosts_v2(i)
            if cap_i is not None:
                terms = dict(hosts)
                if (i, k) in u:
                    terms[u[(i, k)]] = -1.0
                b.row(terms, -inf, cap_i)
            if ind.min_hosts > 0:
                b.row(hosts, ind.min_hosts, inf)
        # 8. regional focus with L'
        for r in scn.regions:
            cap_r = scn.max_focus_v2(r)
            if cap_r is not None:
                terms = {
                    y[(i, r, k)]: 1.0 for i, ind in scn.industries.items() if ind.category in FOCUS_CATEGORIES
                }
                b.row(terms, -inf, cap_r)
        # 9. energy
        for r, reg in scn.regions.items():
            if reg.energy_budget is not None:
                terms = {}
                for i, f, s in cap:
                    if region_of[s] == r:
                        _add(terms, q[(i, f, s, k)], scn.functions[(i, f)].energy_per_unit)
                b.row(terms, -inf, reg.energy_budget)
        # 11. balance: q_t - q_prev - b + r - c_in + c_out = 0 (q_prev of t_1 = E)
        for t in cap:
            i, f, s = t
            key = (i, f, s, k)
            terms = {q[key]: 1.0, rr[key]: 1.0}
            if key in bb:
                terms[bb[key]] = -1.0
            if k > 0:
                terms[q[(i, f, s, k - 1)]] = -1.0
            if f == "production":
                if (i, s, k) in cc:
                    _add(terms, cc[(i, s, k)], -1.0)
                for kk, j in ups.items():
                    if j == i and (kk, s, k) in cc:
                        _add(terms, cc[(kk, s, k)], 1.0)
            rhs = scn.stock.get(t, 0.0) if k == 0 else 0.0
            b.row(terms, rhs, rhs)
        # 12. opening: o_t - x_t + x_prev >= 0 (x_prev of t_1 = 1 where there is stock)
        for t in cap:
            key = (*t, k)
            terms = {oo[key]: 1.0, x[key]: -1.0}
            if k > 0:
                terms[x[(*t, k - 1)]] = 1.0
                b.row(terms, 0.0, inf)
            else:
                b.row(terms, -1.0 if scn.stock.get(t, 0.0) > 0 else 0.0, inf)
        # 13. 先立后破 per region
        if st.transition == "build_first":
            for r in scn.regions:
                terms: dict[int, float] = {}
                for i, f, s in cap:
                    if f != "production" or region_of[s] != r:
                        continue
                    for kk in range(k + 1):
                        _add(terms, rr[(i, f, s, kk)], 1.0)
                    for kk in range(k - st.transition_lag + 1):
                        if (i, f, s, kk) in bb:
                            _add(terms, bb[(i, f, s, kk)], -1.0)
                if terms:
                    b.row(terms, -inf, 0.0)

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    h.passModel(b.lp())
    highspy.Highs.resetGlobalScheduler(True)  # HiGHS >= 1.16: one thread scheduler per process
    h.run()
    ms = h.getModelStatus()
    MS = highspy.HighsModelStatus
    if ms in (MS.kInfeasible, MS.kUnboundedOrInfeasible):
        return ReferenceResult2("infeasible", None, None)
    status = "optimal" if ms in (MS.kOptimal, MS.kModelEmpty) else "other"
    if int(h.getInfo().primal_solution_status) != int(highspy.SolutionStatus.kSolutionStatusFeasible):
        return ReferenceResult2(status, None, None)

    values = list(h.getSolution().col_value)
    objective = float(h.getInfo().objective_function_value)
    ints = [j for j, is_int in enumerate(b.integer) if is_int]
    rounded = np.array([float(round(values[j])) for j in ints])
    idx = np.array(ints, dtype=np.int32)
    h.changeColsBounds(len(ints), idx, rounded, rounded)
    h.changeColsIntegrality(len(ints), idx, np.array([highspy.HighsVarType.kContinuous] * len(ints)))
    h.setOptionValue("time_limit", math.inf)
    highspy.Highs.resetGlobalScheduler(True)  # HiGHS >= 1.16: one thread scheduler per process
    h.run()
    if h.getModelStatus() == MS.kOptimal:
        values = list(h.getSolution().col_value)
        objective = float(h.getInfo().objective_function_value)

    def positive(cols: dict, eps: float = FLOW_EPS) -> dict:
        return {key: float(values[j]) for key, j in cols.items() if values[j] > eps}

    plan = Plan2(
        open={key: float(values[q[key]]) for key, j in x.items() if values[j] > 0.5},
        built=positive(bb),
        retired=positive(rr),
        opening=positive(oo, 0.5),
        converted=positive(cc),
        flows=positive(g),
    )
    return ReferenceResult2(status, objective, plan)


def plan_links(plan: Plan2, k: int) -> dict[Link, float]:
    """The positive flows of period position ``k`` as version 1 links."""
    return {(i, f, s, t): v for (i, f, s, t, kk), v in plan.flows.items() if kk == k}
