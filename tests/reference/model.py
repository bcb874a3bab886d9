"""Reference MIP of docs/model.md, built directly as a sparse matrix for HiGHS.

This is a second, deliberately plain implementation used by the test suite to check
``planner``; it imports nothing from ``planner``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import highspy
import numpy as np

from .scenario import FOCUS_CATEGORIES, PRED, Scenario, Triple, load_scenario

Link = tuple[str, str, str, str]
"""(industry, supported function, from site, to site)."""

FLOW_EPS = 1e-9
"""Flows at or below this are reported as zero."""


@dataclass(frozen=True)
class ReferenceResult:
    """Outcome of :func:`solve_reference`."""

    status: str  # "optimal" | "infeasible" | "other"
    objective: float | None
    open: dict[Triple, float]  # (i, f, s) -> q for x = 1
    flows: dict[Link, float]  # (i, f, s, s') -> g > 0


@dataclass
class _Builder:
    """Accumulates columns and rows of a MIP in row-wise sparse form."""

    cost: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    start: list[int] = field(default_factory=lambda: [0])
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)

    def col(self, cost: float, lb: float, ub: float, integer: bool = False) -> int:
        """Add a column and return its index."""
        self.cost.append(cost)
        self.lower.append(lb)
        self.upper.append(ub)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(self, terms: dict[int, float], lb: float, ub: float) -> None:
        """Add the row ``lb <= sum(coef * col) <= ub`` (duplicate columns summed)."""
        for j, a in terms.items():
            if a != 0.0:
                self.index.append(j)
                self.value.append(a)
        self.start.append(len(self.index))
        self.row_lower.append(lb)
        self.row_upper.append(ub)

    def lp(self) -> highspy.HighsLp:
        """The accumulated model as a HighsLp."""
        lp = highspy.HighsLp()
        lp.num_col_ = len(self.cost)
        lp.num_row_ = len(self.row_lower)
        lp.col_cost_ = np.array(self.cost, dtype=float)
        lp.col_lower_ = np.array(self.lower, dtype=float)
        lp.col_upper_ = np.array(self.upper, dtype=float)
        lp.row_lower_ = np.array(self.row_lower, dtype=float)
        lp.row_upper_ = np.array(self.row_upper, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = lp.num_col_
        lp.a_matrix_.num_row_ = lp.num_row_
        lp.a_matrix_.start_ = np.array(self.start, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(self.index, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(self.value, dtype=float)
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if b else highspy.HighsVarType.kContinuous
            for b in self.integer
        ]
        return lp


def _add(terms: dict[int, float], j: int, a: float) -> None:
    terms[j] = terms.get(j, 0.0) + a


def solve_reference(
    scenario_yaml: Path, mip_gap: float = 0.0, time_limit: float | None = None
) -> ReferenceResult:
    """Solve the docs/model.md MIP of a flat scenario with HiGHS.

    After the MIP, the binaries are rounded and fixed and the remaining LP is re-solved,
    so the returned plan satisfies every constraint to LP tolerances with exact x.
    """
    return solve_scenario(load_scenario(Path(scenario_yaml)), mip_gap, time_limit)


def solve_scenario(
    scn: Scenario,
    mip_gap: float = 0.0,
    time_limit: float | None = None,
    fixed_open: set[Triple] | None = None,
) -> ReferenceResult:
    """Solve an already loaded scenario.

    ``fixed_open``, when given, fixes x = 1 on those triples and x = 0 on every other
    eligible triple (used by the enumeration tests).
    """
    inf = math.inf
    st = scn.settings
    w = st.weights
    elig = scn.eligible_triples()
    elig_set = set(elig)
    locked_in = set(scn.lock_in_triples())
    links = scn.links(elig_set)
    if fixed_open is not None and not locked_in <= fixed_open:
        return ReferenceResult("infeasible", None, {}, {})
    b = _Builder()

    # ---------------------------------------------------------------- columns
    x: dict[Triple, int] = {}
    q: dict[Triple, int] = {}
    for t in elig:
        i, f, s = t
        fn = scn.functions[(i, f)]
        site = scn.sites[s]
        lb = 1.0 if t in locked_in else 0.0
        ub = 1.0
        if fixed_open is not None:
            lb = ub = 1.0 if t in fixed_open else 0.0
        x[t] = b.col(w["setup"] * fn.setup_cost, lb, ub, integer=fixed_open is None)
        q_cost = (
            w["land"] * site.land_price * fn.land_per_unit
            + w["operating"] * site.cost_factor * fn.unit_cost
        )
        q[t] = b.col(q_cost, 0.0, inf)
    # with x fixed to 0/1, x <= y <= sum x forces y to 0 or 1: all continuous then (an LP)
    y: dict[tuple[str, str], int] = {
        (i, r): b.col(0.0, 0.0, 1.0, integer=fixed_open is None)
        for i in scn.industries
        for r in scn.regions
    }
    g: dict[Link, int] = {
        lk: b.col(w["linkage"] * st.linkage_cost * scn.distance(lk[2], lk[3]), 0.0, inf)
        for lk in links
    }
    u: dict[str, int] = {}
    if st.duplication == "soft":
        for i, ind in scn.industries.items():
            if ind.max_hosts is not None:
                u[i] = b.col(w["duplication"] * st.duplication_penalty, 0.0, inf)

    into: dict[tuple[str, str, str], list[int]] = defaultdict(list)  # (i, f, s') -> g cols
    out_of: dict[tuple[str, str, str], list[int]] = defaultdict(list)  # (i, f, s) -> g cols
    for lk, j in g.items():
        into[(lk[0], lk[1], lk[3])].append(j)
        out_of[(lk[0], lk[1], lk[2])].append(j)

    # ------------------------------------------------------------------- rows
    # 1. scale: m x <= q <= U x
    for t in elig:
        i, f, _ = t
        fn = scn.functions[(i, f)]
        b.row({q[t]: 1.0, x[t]: -fn.min_scale}, 0.0, inf)
        b.row({q[t]: 1.0, x[t]: -scn.upper(t)}, -inf, 0.0)
    # 2. land per site
    for s, site in scn.sites.items():
        terms: dict[int, float] = {}
        for t in elig:
            if t[2] == s:
                _add(terms, q[t], scn.functions[(t[0], t[1])].land_per_unit)
        if terms:
            b.row(terms, -inf, site.land_ha)
    # 3. demand without overcapacity
    for i, ind in scn.industries.items():
        terms = {q[t]: 1.0 for t in elig if t[0] == i and t[1] == "production"}
        b.row(terms, ind.demand, (1.0 + ind.overcapacity) * ind.demand)
    # 4. support received (equality)
    for t in elig:
        i, f, s2 = t
        if f not in PRED:
            continue
        terms = {j: 1.0 for j in into[t]}
        _add(terms, q[t], -scn.functions[(i, f)].support_ratio)
        b.row(terms, 0.0, 0.0)
    # 5. support given
    for f, p in PRED.items():
        for t in elig:
            i, fp, s = t
            if fp != p:
                continue
            terms = {j: 1.0 for j in out_of[(i, f, s)]}
            if terms:
                _add(terms, q[t], -1.0)
                b.row(terms, -inf, 0.0)
    # 6. hosting
    for t in elig:
        i, _, s = t
        b.row({x[t]: 1.0, y[(i, scn.sites[s].region)]: -1.0}, -inf, 0.0)
    for (i, r), yj in y.items():
        terms = {yj: 1.0}
        for t in elig:
            if t[0] == i and scn.sites[t[2]].region == r:
                _add(terms, x[t], -1.0)
        b.row(terms, -inf, 0.0)
    # 7. anti-duplication and min hosts
    for i, ind in scn.industries.items():
        hosts = {y[(i, r)]: 1.0 for r in scn.regions}
        if ind.max_hosts is not None:
            terms = dict(hosts)
            if i in u:
                terms[u[i]] = -1.0
            b.row(terms, -inf, ind.max_hosts)
        if ind.min_hosts > 0:
            b.row(hosts, ind.min_hosts, inf)
    # 8. regional focus
    for r, reg in scn.regions.items():
        if reg.max_new_industries is not None:
            terms = {
                y[(i, r)]: 1.0
                for i, ind in scn.industries.items()
                if ind.category in FOCUS_CATEGORIES
            }
            b.row(terms, -inf, reg.max_new_industries)
    # 9. energy budget
    for r, reg in scn.regions.items():
        if reg.energy_budget is not None:
            terms = {}
            for t in elig:
                if scn.sites[t[2]].region == r:
                    _add(terms, q[t], scn.functions[(t[0], t[1])].energy_per_unit)
            b.row(terms, -inf, reg.energy_budget)

    # ------------------------------------------------------------------ solve
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    lp = b.lp()
    h.passModel(lp)
    highspy.Highs.resetGlobalScheduler(True)  # HiGHS >= 1.16: one thread scheduler per process
    h.run()
    ms = h.getModelStatus()
    MS = highspy.HighsModelStatus
    if ms in (MS.kInfeasible, MS.kUnboundedOrInfeasible):
        return ReferenceResult("infeasible", None, {}, {})
    status = "optimal" if ms in (MS.kOptimal, MS.kModelEmpty) else "other"
    feasible = int(highspy.SolutionStatus.kSolutionStatusFeasible)
    if int(h.getInfo().primal_solution_status) != feasible:
        return ReferenceResult(status, None, {}, {})

    # Polish: fix the rounded binaries and re-solve the LP for exact x.
    values = list(h.getSolution().col_value)
    objective = float(h.getInfo().objective_function_value)
    ints = [j for j, is_int in enumerate(b.integer) if is_int]
    if ints:
        rounded = np.array([float(round(values[j])) for j in ints])
        idx = np.array(ints, dtype=np.int32)
        h.changeColsBounds(len(ints), idx, rounded, rounded)
        h.changeColsIntegrality(
            len(ints), idx, np.array([highspy.HighsVarType.kContinuous] * len(ints))
        )
        h.setOptionValue("time_limit", math.inf)
        highspy.Highs.resetGlobalScheduler(True)  # HiGHS >= 1.16: one thread scheduler per process
        h.run()
        if h.getModelStatus() == MS.kOptimal:
            values = list(h.getSolution().col_value)
            objective = float(h.getInfo().objective_function_value)

    opened = {t: float(values[q[t]]) for t in elig if values[x[t]] > 0.5}
    flows = {lk: float(values[j]) for lk, j in g.items() if values[j] > FLOW_EPS}
    return ReferenceResult(status, objective, opened, flows)
