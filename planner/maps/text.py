"""Tooltips, popups and summaries (Chinese and English names, capacity, land, cost) as HTML."""

from __future__ import annotations

from typing import Any

import pandas as pd

from planner.maps.lang import map_text, value
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


def function_label(function: str, lang: str = "en") -> str:
    """A function's name in `lang` (``en``: English and Chinese)."""
    return map_text(FUNCTION_LABELS.get(function, function), lang)


def zone_label(zone: str, lang: str = "en", missing: str | None = None) -> str:
    """A zone's (or metro ring's) name in `lang`; `missing` (else the code) for a zone without a label."""
    return map_text(ZONE_LABELS[zone], lang) if zone in ZONE_LABELS else (zone if missing is None else missing)


def _codes(functions: list[str], lang: str) -> str:
    """Functions as codes joined by '/' (``zh``: their Chinese names)."""
    return "/".join(value(f, lang) for f in functions)


def placement_table(run: RunData, rows: pd.DataFrame, with_site: bool = False, lang: str = "en") -> str:
    """An HTML table of functions placed: industry, function, capacity, land and cost."""
    titles = [*(["site"] if with_site else []), "industry 产业", "function 环节", "capacity", "land ha", "cost"]
    head = "<tr>" + "".join(f"<th>{escape(map_text(t, lang))}</th>" for t in titles) + "</tr>"
    body = []
    for r in _function_order(rows):
        cost = sum(float(getattr(r, c)) for c in COST_COLUMNS)
        body.append("<tr>" + (f"<td>{escape(str(r.site))}</td>" if with_site else "")
                    + f"<td>{escape(run.industry_name(r.industry, lang))}</td>"
                    f"<td>{escape(function_label(str(r.function), lang))}</td>"
                    f"<td class='n'>{fmt(r.capacity, 2)}</td><td class='n'>{fmt(r.land_ha, 2)}</td>"
                    f"<td class='n'>{fmt(cost)}</td></tr>")
    return f"<table class='pl-table'>{head}{''.join(body)}</table>"


def _costs_line(rows: pd.DataFrame, lang: str = "en") -> str:
    parts = [f"{value(c.split('_')[0], lang)} {fmt(float(rows[c].sum()))}" for c in COST_COLUMNS]
    total = float(rows[list(COST_COLUMNS)].sum().sum())
    return map_text("cost {total} (10k yuan: {parts})", lang, total=fmt(total), parts=map_text(", ", lang).join(parts))


def site_tooltip(run: RunData, site: str, lang: str = "en") -> str:
    """One line: site, region, zone and the functions placed there."""
    rows = run.assignments[run.assignments["site"] == site]
    region = str(run.sites.at[site, "region"])
    placed = "; ".join(f"{run.industries.at[i, 'name_zh']} {_codes(fs, lang)}"
                       for i, fs in hosted_industries(run, rows).items())
    zone = zone_label(str(run.sites.at[site, "zone"]), lang, "")
    return escape(f"{site} · {run.region_name(region, lang)} · {zone} · {placed}")


def site_popup(run: RunData, site: str, lang: str = "en") -> str:
    """Site, region, zone, land used / available, costs and the table of functions placed."""
    row = run.sites.loc[site]
    rows = run.assignments[run.assignments["site"] == site]
    zone = zone_label(str(row["zone"]), lang)
    land = map_text("land used {used} of {land} ha ({share} %), land price {price} yuan/m²", lang,
                    used=fmt(row["land_used_ha"], 2), land=fmt(row["land_ha"]),
                    share=fmt(100 * float(row["share_used"])), price=fmt(row["land_price"], 0))
    return (f"<div class='pl-pop'><b>{escape(str(site))}</b> · {escape(run.region_name(str(row['region']), lang))}"
            f"{escape(map_text(' · zone {zone}', lang, zone=zone))}<br>{escape(land)}<br>"
            f"{escape(_costs_line(rows, lang))}{placement_table(run, rows, lang=lang)}</div>")


def function_tooltip(run: RunData, site: str, function: str, lang: str = "en") -> str:
    """One line: what of `function` sits at `site`, with capacities."""
    rows = run.assignments[(run.assignments["site"] == site) & (run.assignments["function"] == function)]
    what = "; ".join(f"{run.industry_name(r.industry, lang)} {fmt(r.capacity, 2)}" for r in rows.itertuples())
    return escape(f"{site} · {function_label(function, lang)}: {what}")


def count_tooltip(run: RunData, site: str, industries: int, lang: str = "en") -> str:
    """One line: how many industries `site` hosts (the popup lists them)."""
    return escape(map_text("{site}: {n} industries 产业 (click for the list)", lang, site=site, n=industries))


def industry_tooltip(run: RunData, site: str, industry: str, lang: str = "en") -> str:
    """One line: the functions of `industry` at `site`, capacity and land."""
    rows = run.assignments[(run.assignments["site"] == site) & (run.assignments["industry"] == industry)]
    what = "; ".join(map_text("{what} ({land} ha)", lang, what=f"{function_label(r.function, lang)} "
                              f"{fmt(r.capacity, 2)}", land=fmt(r.land_ha, 2)) for r in _function_order(rows))
    return escape(f"{run.industry_name(industry, lang)} @ {site}: {what}")


def link_tooltip(run: RunData, link: pd.Series, lang: str = "en") -> str:
    """One line: industry, link type, ends, amount, distance and linkage cost τ·amount·km."""
    cost = run.linkage_cost * float(link["amount"]) * float(link["distance_km"])
    kind = map_text(LINK_LABELS.get(str(link["function"]), str(link["function"])), lang)
    return escape(map_text("{industry}: {kind} {a} → {b}, amount {amount}, {km} km, linkage cost {cost} (10k yuan)",
                           lang, industry=run.industry_name(str(link["industry"]), lang), kind=kind,
                           a=link["from_site"], b=link["to_site"], amount=fmt(link["amount"], 2),
                           km=fmt(link["distance_km"]), cost=fmt(cost)))


def region_tooltip(run: RunData, region: str, lang: str = "en") -> str:
    """One line: region, tier, number of industries hosted."""
    rows = run.assignments[run.assignments["region"] == region]
    hosted = hosted_industries(run, rows)
    tier = run.regions.at[region, "tier"] if "tier" in run.regions else ""
    return escape(map_text("{name} ({region}, tier {tier}): hosts {n} industries 产业", lang,
                           name=run.region_name(region, lang), region=region, tier=tier, n=len(hosted)))


def region_popup(run: RunData, region: str, lang: str = "en") -> str:
    """Region, industries hosted with their functions, land used and costs."""
    rows = run.assignments[run.assignments["region"] == region]
    hosted = hosted_industries(run, rows)
    comma = map_text(", ", lang)
    items = "".join(f"<li>{escape(run.industry_name(i, lang))}: "
                    f"{escape(comma.join(function_label(f, lang) for f in fs))}</li>" for i, fs in hosted.items())
    hosts = map_text("hosts {n} industries 产业, land used {land} ha, ", lang, n=len(hosted),
                     land=fmt(float(rows["land_ha"].sum()), 2))
    return (f"<div class='pl-pop'><b>{escape(run.region_name(region, lang))}</b> ({escape(str(region))})<br>"
            f"{escape(hosts)}{escape(_costs_line(rows, lang))}<ul>{items}</ul></div>")


def unit_tooltip(run: RunData, name: str, ring: str, sites: list[str], lang: str = "en") -> str:
    """One line for a metro district: its ring and the functions placed in it."""
    rows = run.assignments[run.assignments["site"].isin(sites)]
    placed = "; ".join(f"{run.industries.at[i, 'name_zh']} {_codes(fs, lang)}"
                       for i, fs in hosted_industries(run, rows).items()) or map_text("nothing placed", lang)
    ring_label = zone_label(ring, lang, map_text("not classified", lang))
    return escape(map_text("{name} · ring {ring} · {placed}", lang, name=name, ring=ring_label, placed=placed))


def unit_popup(run: RunData, name: str, ring: str, sites: list[str], lang: str = "en") -> str:
    """A metro district: its ring, its sites and the table of functions placed in it."""
    rows = run.assignments[run.assignments["site"].isin(sites)]
    table = (placement_table(run, rows, with_site=True, lang=lang) if len(rows)
             else f"<br>{escape(map_text('nothing placed', lang))}")
    ring_label = zone_label(ring, lang, map_text("not classified", lang))
    listed = map_text(", ", lang).join(sites) or map_text("none", lang)
    return (f"<div class='pl-pop'><b>{escape(name)}</b>{escape(map_text(' · ring {ring}', lang, ring=ring_label))}"
            f"<br>{escape(map_text('sites: {sites}', lang, sites=listed))}{table}</div>")


def restriction(summary: dict[str, Any], lang: str = "en") -> str:
    """What a plan written by ``run --alternatives`` (``alternative``) or ``pareto`` (``pareto``) is, as a sentence
    in `lang`: its status and bound hold for the scenario with its restriction, not for the scenario alone ("" for
    a run of the scenario itself)."""
    alternative, point = summary.get("alternative"), summary.get("pareto")
    if alternative:
        rank, optimum = alternative.get("rank"), fmt(alternative.get("optimum"), 2)
        increase = f"{float(alternative.get('increase_pct') or 0.0):.3f}"
        if lang == "zh":
            return (f"此为备选方案 {rank}：比最优值 {optimum} 高 {increase} %，是与此前各方案布局不同的方案中最优的"
                    "（其状态与下界仅针对这一限定）。")
        return (f"This is alternative plan {rank}: {increase} % above the optimum {optimum}, the best plan whose "
                "layout differs from those before it (its status and bound hold for that restriction only).")
    if point:
        first, second = value(str(point.get("first")), lang), value(str(point.get("second")), lang)
        if lang == "zh":
            return (f"此为{first}与{second}之间帕累托前沿上的第 {point.get('point')} 点"
                    "（其状态与下界仅针对该点的限定）。")
        return (f"This is point {point.get('point')} of the Pareto frontier between {first} and {second} (its status "
                "and bound hold for that point's restriction only).")
    return ""
