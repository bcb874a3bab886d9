"""Numbers the map, the image and the report show, computed from a run folder's tables."""

from __future__ import annotations

import pandas as pd

from planner.maps.rundata import RunData
from planner.maps.style import FUNCTIONS, ZONES
from planner.maps.text import COST_COLUMNS


def industries_hosted(run: RunData) -> pd.Series:
    """Region id -> number of industries with any function in that region (0 for none)."""
    counts = run.assignments.groupby("region")["industry"].nunique()
    return counts.reindex(run.regions.index, fill_value=0).astype(int)


def most_hosted(run: RunData) -> int:
    """The largest number of industries any region hosts."""
    hosted = industries_hosted(run)
    return int(hosted.max()) if len(hosted) else 0


def site_functions(run: RunData) -> list[tuple[str, str]]:
    """Distinct (site, function) pairs placed, by site order then function order."""
    pairs = set(zip(run.assignments["site"], run.assignments["function"], strict=False))
    return [(s, f) for s in run.opened_sites for f in FUNCTIONS if (s, f) in pairs]


def site_industries(run: RunData) -> list[tuple[str, str]]:
    """Distinct (site, industry) pairs placed, by site order then industry order."""
    pairs = set(zip(run.assignments["site"], run.assignments["industry"], strict=False))
    return [(s, i) for s in run.opened_sites for i in run.industry_ids if (s, i) in pairs]


def division_of_labour(run: RunData) -> pd.DataFrame:
    """Function x zone capacity shares (rows rd, pilot, production; columns center, inner, outer).

    From ``summary.json`` when it has them, else computed from ``assignments.csv``.
    """
    shares = run.summary.get("division_of_labour")
    if shares:
        frame = pd.DataFrame(shares).T
    else:
        cap = run.assignments.pivot_table(index="function", columns="zone", values="capacity", aggfunc="sum")
        frame = cap.div(cap.sum(axis=1), axis=0)
    return frame.reindex(index=list(FUNCTIONS), columns=list(ZONES)).fillna(0.0)


def capacity_table(run: RunData) -> pd.DataFrame:
    """Function x zone capacity placed (sum over industries)."""
    cap = run.assignments.pivot_table(index="function", columns="zone", values="capacity", aggfunc="sum")
    return cap.reindex(index=list(FUNCTIONS), columns=list(ZONES)).fillna(0.0)


def hosts_table(run: RunData) -> pd.DataFrame:
    """Per industry: names, host regions (count and names), max_hosts, extra hosts."""
    extra = run.summary.get("extra_hosts") or {}
    rows = []
    for ind in run.industry_ids:
        regions = [r for r in run.regions.index if ((run.assignments["industry"] == ind)
                                                     & (run.assignments["region"] == r)).any()]
        max_hosts = run.industries.at[ind, "max_hosts"] if "max_hosts" in run.industries else None
        rows.append({"industry": ind, "产业": run.industries.at[ind, "name_zh"], "name": run.industries.at[ind, "name"],
                     "hosts": len(regions), "host regions": ", ".join(run.region_name(r) for r in regions),
                     "max_hosts": "" if max_hosts is None or pd.isna(max_hosts) else int(float(max_hosts)),
                     "extra hosts": extra.get(ind, 0)})
    return pd.DataFrame(rows)


def land_table(run: RunData) -> pd.DataFrame:
    """Per site: region, zone, land available and used (ha), share used, functions placed and cost."""
    cost = run.assignments.groupby("site")[list(COST_COLUMNS)].sum().sum(axis=1)
    count = run.assignments.groupby("site").size()
    frame = pd.DataFrame({
        "site": run.sites.index,
        "region": [run.region_name(r) for r in run.sites["region"]],
        "zone": run.sites["zone"].to_numpy(),
        "land ha": run.sites["land_ha"].to_numpy(),
        "used ha": run.sites["land_used_ha"].to_numpy(),
        "share used %": 100 * run.sites["share_used"].to_numpy(),
        "functions": count.reindex(run.sites.index, fill_value=0).to_numpy(),
        "cost (10k yuan)": cost.reindex(run.sites.index, fill_value=0.0).to_numpy(),
    })
    return frame


def cost_table(run: RunData) -> pd.DataFrame:
    """Objective terms: weighted and unweighted value (10k yuan) and share of the objective."""
    weighted = run.summary.get("costs") or {}
    raw = run.summary.get("costs_unweighted") or {}
    total = sum(float(v) for v in weighted.values()) or 1.0
    return pd.DataFrame([{"term": k, "weighted": float(v), "unweighted": float(raw.get(k, v)),
                          "share %": 100 * float(v) / total} for k, v in weighted.items()])
