"""Numerical warnings: data whose magnitudes make the solver's arithmetic unreliable."""

from __future__ import annotations

from collections.abc import Iterable

from planner.models.sets import IndexSets
from planner.scenario.scenario import Scenario

LARGE = 1e9
"""A value above this is reported as very large."""
SPREAD = 1e8
"""Non-zero values of one column spanning more than this ratio are reported as badly scaled."""
LARGE_BOUND = 1e8
"""A capacity bound U above this is reported as a very large bound."""


def numerical_warnings(scenario: Scenario, ix: IndexSets) -> list[str]:
    """Warnings naming the table, the row (by id) and the column of badly scaled or very large data."""
    sc = scenario
    tables: dict[str, Iterable[tuple[str, object]]] = {
        "regions": ((r.id, r) for r in sc.regions.values()),
        "sites": ((s.id, s) for s in sc.sites.values()),
        "industries": ((i.id, i) for i in sc.industries.values()),
        "functions": ((f"{f.industry} {f.function}", f) for f in sc.functions.values()),
    }
    found = []
    for table, rows in tables.items():
        columns: dict[str, list[tuple[float, str]]] = {}
        for key, row in rows:
            for column, value in row.model_dump().items():
                if isinstance(value, dict):
                    prefix = "cap_" if table == "sites" else "req_"
                    items = [(f"{prefix}{k}", v) for k, v in value.items()]
                else:
                    items = [(column, value)]
                for name, v in items:
                    if (isinstance(v, (int, float)) and not isinstance(v, bool) and v != 0
                            and name not in ("lon", "lat")):
                        columns.setdefault(name, []).append((abs(float(v)), key))
        for column, values in columns.items():
            top, top_key = max(values)
            low, low_key = min(values)
            if top > LARGE:
                found.append(f"{table} column {column}: {top:g} ({top_key}) is very large; consider other units")
            if top / low > SPREAD:
                found.append(f"{table} column {column}: values span {low:g} ({low_key}) to {top:g} ({top_key}); "
                             f"such a spread can make the solver inaccurate")
    big = [(u, t) for t, u in ix.upper.items() if u > LARGE_BOUND]
    if big:
        u, (i, f, s) = max(big)
        found.append(f"capacity bound {u:g} for {i} {f} at {s} (sites column land_ha / functions column "
                     f"land_per_unit) is very large; {len(big)} bound(s) exceed {LARGE_BOUND:g}")
    return found
