"""Tooltips, popups and summaries (Chinese and English names, capacity, land, cost) as HTML."""

from __future__ import annotations

from typing import Any

import pandas as pd

from planner.maps.markup import escape
from planner.maps.rundata import RunData
from planner.maps.style import FUNCTION_LABELS, FUNCTIONS, LINK_LABELS, ZONE_LABELS, fmt

COST_COLUMNS = ("land_cost", "setup_cost", "operating_cost")
"""Cost columns of ``assignments.csv`` (10k yuan, unweighted)."""


def _function_order(frame: pd.DataFrame) -> list[Any]:
    """The rows of `frame` (``assignments.csv``) as named tuples, by industry then chain order."""
    order = {f: k for k, f in enumerate(FUNCTIONS)}
    return sorted(frame.itertuples(index=False), key=lambda r: (str(r.industry), order.get(r.function, 9)))


def hosted_industries(run: RunData, rows: pd.DataFrame) -> dict[str, list[str]]:
    """Industry -> functions placed, for some rows of ``assignments.csv``, industries in table order."""
    out: dict[str, list[str]] = {}
    for r in _function_order(rows):
        functions = out.setdefault(str(r.industry), [])
        if r.function not in functions:
            functions.append(str(r.function))
    rank = {i: k for k, i in enumerate(run.industry_ids)}
    return dict(sorted(out.items(), key=lambda item: rank.get(item[0], len(rank))))


def placement_table(run: RunData, rows: pd.DataFrame, with_site: bool = False) -> str:
    """An HTML table of functions placed: industry, function, capacity, land and cost."""
    head = "<tr>" + ("<th>site</th>" if with_site else "") + \
        "<th>industry 产业</th><th>function 环节</th><th>capacity</th><th>land ha</th><th>cost</th></tr>"
    body = []
    for r in _function_order(rows):
        cost = sum(float(getattr(r, c)) for c in COST_COLUMNS)
        body.append("<tr>" + (f"<td>{escape(str(r.site))}</td>" if with_site else "")
                    + f"<td>{escape(run.industry_name(r.industry))}</td>"
                    f"<td>{escape(FUNCTION_LABELS.get(r.function, str(r.function)))}</td>"
                    f"<td class='n'>{fmt(r.capacity, 2)}</td><td class='n'>{fmt(r.land_ha, 2)}</td>"
                    f"<td class='n'>{fmt(cost)}</td></tr>")
    return f"<table class='pl-table'>{head}{''.join(body)}</table>"


def _costs_line(rows: pd.DataFrame) -> str:
    parts = [f"{c.split('_')[0]} {fmt(float(rows[c].sum()))}" for c in COST_COLUMNS]
    total = float(rows[list(COST_COLUMNS)].sum().sum())
    return f"cost {fmt(total)} (10k yuan: {', '.join(parts)})"


def site_tooltip(run: RunData, site: str) -> str:
    """One line: site, region, zone and the functions placed there."""
    rows = run.assignments[run.assignments["site"] == site]
    region = str(run.sites.at[site, "region"])
    placed = "; ".join(f"{run.industries.at[i, 'name_zh']} {'/'.join(fs)}"
                       for i, fs in hosted_industries(run, rows).items())
    zone = ZONE_LABELS.get(str(run.sites.at[site, "zone"]), "")
    return escape(f"{site} · {run.region_name(region)} · {zone} · {placed}")


def site_popup(run: RunData, site: str) -> str:
    """Site, region, zone, land used / available, costs and the table of functions placed."""
    row = run.sites.loc[site]
    rows = run.assignments[run.assignments["site"] == site]
    zone = ZONE_LABELS.get(str(row["zone"]), str(row["zone"]))
    return (f"<div class='pl-pop'><b>{escape(str(site))}</b> · {escape(run.region_name(str(row['region'])))}"
            f" · zone {escape(zone)}<br>"
            f"land used {fmt(row['land_used_ha'], 2)} of {fmt(row['land_ha'])} ha "
            f"({fmt(100 * float(row['share_used']))} %), land price {fmt(row['land_price'], 0)} yuan/m²<br>"
            f"{escape(_costs_line(rows))}{placement_table(run, rows)}</div>")


def function_tooltip(run: RunData, site: str, function: str) -> str:
    """One line: what of `function` sits at `site`, with capacities."""
    rows = run.assignments[(run.assignments["site"] == site) & (run.assignments["function"] == function)]
    what = "; ".join(f"{run.industry_name(r.industry)} {fmt(r.capacity, 2)}" for r in rows.itertuples())
    return escape(f"{site} · {FUNCTION_LABELS.get(function, function)}: {what}")


def count_tooltip(run: RunData, site: str, industries: int) -> str:
    """One line: how many industries `site` hosts (the popup lists them)."""
    return escape(f"{site}: {industries} industries 产业 (click for the list)")


def industry_tooltip(run: RunData, site: str, industry: str) -> str:
    """One line: the functions of `industry` at `site`, capacity and land."""
    rows = run.assignments[(run.assignments["site"] == site) & (run.assignments["industry"] == industry)]
    what = "; ".join(f"{FUNCTION_LABELS.get(r.function, r.function)} {fmt(r.capacity, 2)} ({fmt(r.land_ha, 2)} ha)"
                     for r in _function_order(rows))
    return escape(f"{run.industry_name(industry)} @ {site}: {what}")


def link_tooltip(run: RunData, link: pd.Series) -> str:
    """One line: industry, link type, ends, amount, distance and linkage cost τ·amount·km."""
    cost = run.linkage_cost * float(link["amount"]) * float(link["distance_km"])
    kind = LINK_LABELS.get(str(link["function"]), str(link["function"]))
    return escape(f"{run.industry_name(str(link['industry']))}: {kind} {link['from_site']} → {link['to_site']}, "
                  f"amount {fmt(link['amount'], 2)}, {fmt(link['distance_km'])} km, "
                  f"linkage cost {fmt(cost)} (10k yuan)")


def region_tooltip(run: RunData, region: str) -> str:
    """One line: region, tier, number of industries hosted."""
    rows = run.assignments[run.assignments["region"] == region]
    hosted = hosted_industries(run, rows)
    tier = run.regions.at[region, "tier"] if "tier" in run.regions else ""
    return escape(f"{run.region_name(region)} ({region}, tier {tier}): hosts {len(hosted)} industries 产业")


def region_popup(run: RunData, region: str) -> str:
    """Region, industries hosted with their functions, land used and costs."""
    rows = run.assignments[run.assignments["region"] == region]
    hosted = hosted_industries(run, rows)
    items = "".join(f"<li>{escape(run.industry_name(i))}: {escape(', '.join(FUNCTION_LABELS[f] for f in fs))}</li>"
                    for i, fs in hosted.items())
    return (f"<div class='pl-pop'><b>{escape(run.region_name(region))}</b> ({escape(str(region))})<br>"
            f"hosts {len(hosted)} industries 产业, land used {fmt(float(rows['land_ha'].sum()), 2)} ha, "
            f"{escape(_costs_line(rows))}<ul>{items}</ul></div>")


def unit_tooltip(run: RunData, name: str, ring: str, sites: list[str]) -> str:
    """One line for a metro district: its ring and the functions placed in it."""
    rows = run.assignments[run.assignments["site"].isin(sites)]
    placed = "; ".join(f"{run.industries.at[i, 'name_zh']} {'/'.join(fs)}"
                       for i, fs in hosted_industries(run, rows).items()) or "nothing placed"
    return escape(f"{name} · ring {ZONE_LABELS.get(ring, 'not classified')} · {placed}")


def unit_popup(run: RunData, name: str, ring: str, sites: list[str]) -> str:
    """A metro district: its ring, its sites and the table of functions placed in it."""
    rows = run.assignments[run.assignments["site"].isin(sites)]
    table = placement_table(run, rows, with_site=True) if len(rows) else "<br>nothing placed"
    return (f"<div class='pl-pop'><b>{escape(name)}</b> · ring {escape(ZONE_LABELS.get(ring, 'not classified'))}"
            f"<br>sites: {escape(', '.join(sites) or 'none')}{table}</div>")
