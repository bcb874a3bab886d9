"""Index sets of docs/model.md: eligible triples, scale bounds, links within the chain radius."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from pyomo.common.gc_manager import PauseGC

from planner.scenario.eligibility import Triple, capable, rule_matches
from planner.scenario.scenario import Scenario
from planner.scenario.schema import FUNCTIONS, PREDECESSOR

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius used for haversine distances (docs/model.md)."""

Link = tuple[str, str, str, str]
"""(industry, supported function, from site, to site)."""


def haversine_km(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    """Great-circle distance in km between points given in degrees (broadcasting)."""
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


@dataclass(frozen=True)
class IndexSets:
    """The sparse sets and bounds the model is built over."""

    triples: tuple[Triple, ...]
    """Eligible (i, f, s): capabilities meet requirements and no lock_out matches."""
    upper: dict[Triple, float]
    """U_ifs = min(M_if, A_s / a_if)."""
    links: dict[Link, float]
    """L_if with the distance d(s, s') of each pair, for f in pilot and production."""
    hosting: tuple[tuple[str, str], ...]
    """(i, r) pairs where region r has at least one eligible triple of industry i."""
    locked_in: frozenset[Triple]
    """Eligible triples fixed open by lock_in rules."""
    tight: dict[Triple, float]
    """Bounds <= U that keep the optimum (see `_tight_upper`); the model uses these."""
    need: dict[tuple[str, str], float]
    """(i, f) -> the least total capacity of f every feasible plan has (see `least_capacity`); 0 = none."""


def index_sets(scenario: Scenario) -> IndexSets:
    """Derive the eligible triples, their bounds, the links and the hosting pairs.

    With Python's cyclic garbage collector paused: it would scan the many new tuples over and over.
    """
    with PauseGC():
        return _index_sets(scenario)


def _index_sets(scenario: Scenario) -> IndexSets:
    """`index_sets` itself."""
    locked_out = {t for _, hits in rule_matches(scenario, "lock_out") for t in hits}
    triples = tuple(
        (i, f, s)
        for i in scenario.industries
        for f in FUNCTIONS
        for s in scenario.sites
        if (i, f, s) not in locked_out and capable(scenario, i, f, s)
    )
    upper = {}
    for i, f, s in triples:
        spec = scenario.functions[i, f]
        bound = scenario.sites[s].land_ha / spec.land_per_unit
        upper[i, f, s] = bound if spec.max_scale is None else min(spec.max_scale, bound)
    eligible = set(triples)
    locked_in = frozenset(t for _, hits in rule_matches(scenario, "lock_in") for t in hits if t in eligible)
    hosting = tuple(dict.fromkeys((i, scenario.sites[s].region) for i, _, s in triples))
    links = _links(scenario, triples)
    return IndexSets(triples, upper, links, hosting, locked_in, _tight_upper(scenario, upper, links),
                     least_capacity(scenario))


def least_capacity(scenario: Scenario) -> dict[tuple[str, str], float]:
    """The least total capacity of each function in any feasible plan.

    Production is at least D_i (constraint 3); the support received equals ρ times the capacity
    supported and is given by pred(f) sites (constraints 4 and 5), so pilot capacity is at least
    ρ_production D_i and R&D capacity at least ρ_pilot times that.
    """
    need = {}
    for i, industry in scenario.industries.items():
        capacity = industry.demand
        for f in reversed(FUNCTIONS):
            need[i, f] = capacity
            capacity *= scenario.functions[i, f].support_ratio or 0.0
    return need


def _tight_upper(scenario: Scenario, upper: dict[Triple, float], links: dict[Link, float]) -> dict[Triple, float]:
    """Capacity bounds no larger than U that some optimal plan always respects.

    Production at one site never exceeds max(min_scale, D): while total production is above D, a
    site above both can shrink to them and the demand is still met. A pilot or R&D site never
    needs more than its min_scale or the most support it can give: ρ of the next function times
    the most capacity of that function it can reach. Pilot supports at most P = (1 + θ) D
    production in all; and in a plan where every site holds only what it must (min_scale or the
    support it gives), all pilot capacity together is at most ρ_production P plus min_scale for
    each pilot site. Every cost coefficient is non-negative, so any optimal plan above these
    bounds can shrink to them (with the support it receives) without costing more.
    """
    tight = {}
    reach: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for i, f, a, b in links:
        reach[i, PREDECESSOR[f], a].append(b)
    for f in ("production", "pilot", "rd"):
        for (i, g, s), u in upper.items():
            if g != f:
                continue
            spec = scenario.functions[i, f]
            most = (1 + scenario.industries[i].overcapacity) * scenario.industries[i].demand
            if f == "production":
                need = scenario.industries[i].demand
            else:
                nxt = FUNCTIONS[FUNCTIONS.index(f) + 1]
                ratio = scenario.functions[i, nxt].support_ratio or 0.0
                targets = reach[i, f, s]
                reachable = sum(tight[i, nxt, b] for b in targets)
                if nxt == "production":
                    need = ratio * min(most, reachable)
                else:  # pilot sites hold what production needs, plus at most min_scale each
                    pilot_total = (scenario.functions[i, "production"].support_ratio or 0.0) * most
                    need = ratio * min(reachable, pilot_total + scenario.functions[i, nxt].min_scale * len(targets))
            tight[i, f, s] = min(u, max(spec.min_scale, need))
    return tight


def _links(scenario: Scenario, triples: tuple[Triple, ...]) -> dict[Link, float]:
    """Pairs (s, s') of eligible pred(f) and f sites within the chain radius, with distances."""
    site_ids = list(scenario.sites)
    position = {s: n for n, s in enumerate(site_ids)}
    lon = np.array([scenario.sites[s].lon for s in site_ids])
    lat = np.array([scenario.sites[s].lat for s in site_ids])
    at: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, f, s in triples:
        at[i, f].append(position[s])
    radius = scenario.settings.chain_radius_km
    links: dict[Link, float] = {}
    for (i, f), targets in at.items():
        if f not in PREDECESSOR or not at.get((i, PREDECESSOR[f])):
            continue
        sources = np.array(at[i, PREDECESSOR[f]])
        tgt = np.array(targets)
        dist = haversine_km(lon[sources][:, None], lat[sources][:, None], lon[tgt][None, :], lat[tgt][None, :])
        dist[sources[:, None] == tgt[None, :]] = 0.0
        rows, cols = np.nonzero(dist <= radius) if radius is not None else np.nonzero(np.ones_like(dist, bool))
        for a, b, d in zip(sources[rows].tolist(), tgt[cols].tolist(), dist[rows, cols].tolist(), strict=False):
            links[i, f, site_ids[a], site_ids[b]] = d
    return links
