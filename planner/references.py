"""Warnings about rows nothing refers to and capability columns that match nothing (docs/scenario.md,
`planner validate`)."""

from __future__ import annotations

from collections.abc import Iterable

from planner.models.sets import IndexSets
from planner.scenario.scenario import Scenario

SHOWN = 5
"""How many ids a warning about many rows names before it says how many more there are."""


def reference_warnings(scenario: Scenario, ix: IndexSets) -> list[str]:
    """Rows nothing refers to (regions without a site, sites no function can use) and `req_<k>` columns without a
    `cap_<k>` column in any site, one warning each, naming the table, the rows and the column."""
    return [*unused_regions(scenario), *unused_sites(scenario, ix), *unmatched_requirements(scenario)]


def unused_regions(scenario: Scenario) -> list[str]:
    """A warning naming the regions that no site lies in: nothing can be planned there and the map leaves them out."""
    used = {site.region for site in scenario.sites.values()}
    unused = [r for r in scenario.regions if r not in used]
    if not unused:
        return []
    return [f"regions: {_rows(unused)} no site in sites; nothing is planned there and maps leave "
            f"{'them' if len(unused) > 1 else 'it'} out"]


def unused_sites(scenario: Scenario, ix: IndexSets) -> list[str]:
    """A warning naming the sites no function of any industry is eligible for (capabilities or lock_out rules)."""
    used = {s for _, _, s in ix.triples}
    unused = [s for s in scenario.sites if s not in used]
    if not unused or not scenario.industries:
        return []
    return [f"sites: {_rows(unused)} no function eligible for {'them' if len(unused) > 1 else 'it'} "
            "(capability requirements or lock_out rules); nothing can be planned there"]


def unmatched_requirements(scenario: Scenario) -> list[str]:
    """One warning per `req_<k>` column of functions with no `cap_<k>` column in sites (a misspelling?): every site
    counts as 0 for it."""
    required = dict.fromkeys(k for spec in scenario.functions.values() for k in spec.requirements)
    have = ", ".join(f"cap_{k}" for k in scenario.capabilities) or "no cap_ column"
    return [f"functions column req_{k}: no site has a cap_{k} column (sites have {have}), so every site counts "
            f"as 0 for it" for k in required if k not in scenario.capabilities]


def _rows(ids: Iterable[str]) -> str:
    """`3 rows have` / `1 row has`, with the first `SHOWN` ids, for a warning."""
    ids = list(ids)
    shown = ", ".join(ids[:SHOWN]) + (f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else "")
    return f"{len(ids)} row{'s' if len(ids) > 1 else ''} ({shown}) {'have' if len(ids) > 1 else 'has'}"
