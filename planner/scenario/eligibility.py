"""Eligibility of docs/model.md: which sites meet a function's capability requirements, which triples a rule matches.

Used by the scenario checks (a lock_in must match eligible triples) and by the index sets of
`planner.models.sets`; it depends on the scenario alone, so the scenario code imports it directly.
"""

from __future__ import annotations

from collections.abc import Iterator

from planner.scenario.scenario import Scenario
from planner.scenario.schema import FUNCTIONS
from planner.scenario.selectors import matches

Triple = tuple[str, str, str]
"""(industry, function, site)."""


def _unmet(scenario: Scenario, industry: str, function: str, site: str) -> Iterator[tuple[str, float, float]]:
    """(capability, the site's level, the level required) for each requirement of (industry, function) the site
    fails."""
    caps = scenario.sites[site].capabilities
    for k, q in scenario.functions[industry, function].requirements.items():
        if caps.get(k, 0.0) < q:
            yield k, caps.get(k, 0.0), q


def capability_shortfall(scenario: Scenario, industry: str, function: str, site: str) -> list[str]:
    """The capability requirements site `site` fails for (industry, function), in words."""
    return [f"cap_{k} {have:g} < req_{k} {q:g}" for k, have, q in _unmet(scenario, industry, function, site)]


def capable(scenario: Scenario, industry: str, function: str, site: str) -> bool:
    """Site `site` meets every capability requirement of (industry, function): no `capability_shortfall`."""
    return next(_unmet(scenario, industry, function, site), None) is None


def rule_matches(scenario: Scenario, kind: str) -> list[tuple[int, list[Triple]]]:
    """For each rule of `kind` (lock_in or lock_out): its position and the triples it matches."""
    out = []
    for n, rule in enumerate(scenario.rules):
        selector = getattr(rule, kind)
        if selector is None:
            continue
        criteria = selector.given()
        hits = [
            (i, f, s)
            for i in scenario.industries
            for f in FUNCTIONS
            for s in scenario.sites
            if matches(criteria, scenario.triple_attributes(i, f, s))
        ]
        out.append((n, hits))
    return out
