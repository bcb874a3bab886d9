"""The plan read back from a solved model: tables and the KPIs of docs/model.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyomo.environ as pyo

from planner.models.layout import COST_TERMS, OPEN
from planner.models.sets import IndexSets
from planner.runfolder.format import ASSIGNMENT_COLUMNS, LINK_COLUMNS, SITE_COLUMNS
from planner.scenario.scenario import Scenario
from planner.scenario.schema import FUNCTIONS, PREDECESSOR, ZONES
from planner.solve.standard_form import Unsupported, linear_values

FLOW_EPS = 1e-9
"""Support flows at or below this amount are not listed."""



def link_type(function: str) -> str:
    """The name of the link that supports `function`, for example `rd->pilot`."""
    return f"{PREDECESSOR[function]}->{function}"


@dataclass(frozen=True)
class Plan:
    """An assignment of functions to sites with its costs and indicators."""

    assignments: pd.DataFrame
    """One row per opened (industry, function, site); columns ASSIGNMENT_COLUMNS."""
    links: pd.DataFrame
    """One row per positive support flow; columns LINK_COLUMNS."""
    sites: pd.DataFrame
    """Land use per site; columns SITE_COLUMNS."""
    costs: dict[str, float]
    """Weighted contribution of each objective term; they add up to the objective."""
    costs_unweighted: dict[str, float]
    """Each objective term before its weight."""

    def division_of_labour(self) -> dict[str, dict[str, float]]:
        """Function -> zone -> share of the function's total capacity."""
        out = {}
        for f in FUNCTIONS:
            rows = self.assignments[self.assignments["function"] == f]
            total = rows["capacity"].sum()
            by_zone = rows.groupby("zone")["capacity"].sum()
            out[f] = {z: (float(by_zone.get(z, 0.0) / total) if total > 0 else 0.0) for z in ZONES}
        return out

    def hosts(self, industries: list[str]) -> dict[str, int]:
        """Industry -> number of regions hosting any of its functions."""
        counts = self.assignments.groupby("industry")["region"].nunique()
        return {i: int(counts.get(i, 0)) for i in industries}

    def flow_radius_km(self, industries: list[str]) -> dict[str, dict[str, float | None]]:
        """Industry -> link type -> capacity-weighted mean support distance (None without flow)."""
        out: dict[str, dict[str, float | None]] = {}
        for i in industries:
            out[i] = {}
            for f in PREDECESSOR:
                rows = self.links[(self.links["industry"] == i) & (self.links["function"] == f)]
                amount = rows["amount"].sum()
                mean = float((rows["amount"] * rows["distance_km"]).sum() / amount) if amount > 0 else None
                out[i][link_type(f)] = mean
        return out


def extract_plan(scenario: Scenario, ix: IndexSets, model: pyo.ConcreteModel) -> Plan:
    """Read the solution loaded into `model` as a Plan."""
    sc = scenario
    rows = []
    for i, f, s in ix.triples:
        if (model.x[i, f, s].value or 0.0) <= OPEN:
            continue
        spec, site = sc.functions[i, f], sc.sites[s]
        q = max(model.q[i, f, s].value or 0.0, 0.0)
        rows.append({
            "industry": i, "function": f, "site": s, "region": site.region, "zone": site.zone,
            "capacity": q, "land_ha": spec.land_per_unit * q,
            "land_cost": site.land_price * spec.land_per_unit * q, "setup_cost": spec.setup_cost,
            "operating_cost": site.cost_factor * spec.unit_cost * q,
        })
    assignments = pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS)
    links = pd.DataFrame(
        [{"industry": i, "function": f, "from_site": s, "to_site": s2, "amount": model.g[link].value, "distance_km": d}
         for link, d in ix.links.items() for i, f, s, s2 in [link] if (model.g[link].value or 0.0) > FLOW_EPS],
        columns=LINK_COLUMNS)
    used = assignments.groupby("site")["land_ha"].sum()
    sites = pd.DataFrame(
        [{"site": s, "region": site.region, "zone": site.zone, "land_ha": site.land_ha,
          "land_used_ha": float(used.get(s, 0.0)), "share_used": float(used.get(s, 0.0)) / site.land_ha}
         for s, site in sc.sites.items()],
        columns=SITE_COLUMNS)
    unweighted = dict(zip(COST_TERMS, _values([getattr(model, f"cost_{t}") for t in COST_TERMS]), strict=False))
    weights = sc.settings.weights
    costs = {t: getattr(weights, t) * v for t, v in unweighted.items()}
    return Plan(assignments, links, sites, costs, unweighted)


def _values(expressions: list[Any]) -> list[float]:
    """The values of linear expressions at the loaded solution, read term by term (Pyomo's own evaluation otherwise)."""
    try:
        return [float(v) for v in linear_values([e.expr for e in expressions])]
    except Unsupported:
        return [float(pyo.value(e)) for e in expressions]


def summary_kpis(scenario: Scenario, plan: Plan) -> dict[str, Any]:
    """The plan part of summary.json: costs, division of labour, hosts, extra hosts, flow radius."""
    industries = list(scenario.industries)
    hosts = plan.hosts(industries)
    extra = {i: max(0, hosts[i] - ind.max_hosts) if ind.max_hosts is not None else 0
             for i, ind in scenario.industries.items()}
    return {
        "costs": plan.costs,
        "costs_unweighted": plan.costs_unweighted,
        "division_of_labour": plan.division_of_labour(),
        "hosts": hosts,
        "extra_hosts": extra,
        "flow_radius_km": plan.flow_radius_km(industries),
    }
