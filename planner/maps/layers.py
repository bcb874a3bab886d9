"""The map's layers: regions, opened sites, one per function, one per industry, metro districts.

A national map (:func:`planner.maps.geometry.national_view`) also gets the standard map's base
(:func:`china_base`): the provincial-level units outside the scenario in grey and the dashes of
the South China Sea line, always shown (not in the layer control).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import folium
from shapely.geometry import mapping

from planner.maps import text
from planner.maps.controls import HtmlPopup
from planner.maps.geometry import (
    dash_lines,
    metro_cities,
    metro_view,
    outside_provinces,
    region_points,
    region_shapes,
    regions_are_districts,
)
from planner.maps.lang import map_text
from planner.maps.metrics import (
    industries_hosted,
    industry_categories,
    most_hosted,
    site_functions,
    site_industries,
)
from planner.maps.rundata import RunData
from planner.maps.style import (
    CATEGORY_LABELS,
    COUNT_OFFSET,
    DASH_COLOUR,
    FUNCTION_COLOURS,
    FUNCTION_RADII,
    FUNCTIONS,
    LINK_DASHES,
    OUTSIDE_COLOUR,
    OUTSIDE_LABEL,
    SITE_RADIUS,
    UNCLASSIFIED_COLOUR,
    ZONE_COLOURS,
    hosted_colour,
    industry_colours,
    link_weight,
)

REGIONS_LAYER = "Regions: industries hosted 承接产业数"
"""Name of the layer of region shapes (and points) shaded by the number of industries hosted."""

SITES_LAYER = "Opened sites 园区"
"""Name of the layer with one marker per opened site."""

METRO_LAYER = "Metro districts by ring 圈层"
"""Name of the layer of metro districts coloured by ring."""


def function_layer(function: str, lang: str = "en") -> str:
    """Name of the layer of one function (a ring per site hosting it)."""
    return map_text("Function: {name}", lang, name=text.function_label(function, lang))


def industry_layer(run: RunData, industry: str, lang: str = "en") -> str:
    """Name of the layer of one industry (its chain links and a badge per site hosting it)."""
    return map_text("Industry: {name}", lang, name=run.industry_name(industry, lang))


def css_token(value: str) -> str:
    """`value` made safe for a CSS class name."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", str(value))


def _feature(geometry: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": mapping(geometry), "properties": {}}


def _shape(geometry: Any, style: dict[str, Any], tooltip: str, popup: str) -> folium.GeoJson:
    shape = folium.GeoJson(_feature(geometry), style_function=lambda _f, s=style: s,
                           highlight_function=lambda _f: {"weight": 3}, tooltip=folium.Tooltip(tooltip))
    HtmlPopup(popup).add_to(shape)
    return shape


def regions_group(run: RunData, lang: str = "en") -> folium.FeatureGroup:
    """Region shapes from :mod:`planner.geodata` by adcode, shaded by industries hosted; other regions as points."""
    group = folium.FeatureGroup(name=map_text(REGIONS_LAYER, lang))
    hosted, most = industries_hosted(run), most_hosted(run)
    for region, row in region_shapes(run).iterrows():
        style = {"fillColor": hosted_colour(int(hosted[region]), most), "fillOpacity": 0.45,
                 "color": "#555555", "weight": 1.5}
        _shape(row.geometry, style, text.region_tooltip(run, region, lang),
               text.region_popup(run, region, lang)).add_to(group)
    for region in region_points(run):
        folium.CircleMarker(
            [float(run.regions.at[region, "lat"]), float(run.regions.at[region, "lon"])], radius=14,
            color="#555555", weight=1.5, fill=True, fill_color=hosted_colour(int(hosted[region]), most),
            fill_opacity=0.7, class_name="pl-region pl-region-point", tooltip=text.region_tooltip(run, region, lang),
        ).add_child(HtmlPopup(text.region_popup(run, region, lang))).add_to(group)
    return group


def _count_marker(run: RunData, site: str, industries: int, lang: str = "en") -> folium.Marker:
    """The number of industries placed at `site`, in a small box next to it; the popup lists them."""
    dx, dy = COUNT_OFFSET
    icon = folium.DivIcon(html=f"<div class='pl-count'>{industries}</div>", icon_size=(22, 16),
                          icon_anchor=(-dx + 11, dy + 8), class_name="pl-count-icon")
    tooltip = text.count_tooltip(run, site, industries, lang)
    marker = folium.Marker(run.site_point(site), icon=icon, tooltip=tooltip)
    return marker.add_child(HtmlPopup(text.site_popup(run, site, lang), 520))


def sites_group(run: RunData, lang: str = "en") -> folium.FeatureGroup:
    """One marker per opened site, coloured by zone, its popup listing functions, capacities, land and cost,
    and next to it the number of industries placed there (one box per site, not one badge per industry)."""
    group = folium.FeatureGroup(name=map_text(SITES_LAYER, lang))
    per_site: dict[str, int] = {}
    for site, _ in site_industries(run):
        per_site[site] = per_site.get(site, 0) + 1
    for site in run.opened_sites:
        zone = str(run.sites.at[site, "zone"])
        folium.CircleMarker(
            run.site_point(site), radius=SITE_RADIUS, color="#222222", weight=1.5, fill=True,
            fill_color=ZONE_COLOURS.get(zone, "#999999"), fill_opacity=0.95,
            class_name=f"pl-site pl-zone-{css_token(zone)}", tooltip=text.site_tooltip(run, site, lang),
        ).add_child(HtmlPopup(text.site_popup(run, site, lang), 520)).add_to(group)
    for site in run.opened_sites:
        if per_site.get(site):
            _count_marker(run, site, per_site[site], lang).add_to(group)
    return group


def function_groups(run: RunData, lang: str = "en") -> list[folium.FeatureGroup]:
    """One layer per function: a ring around each site hosting it (rings nest: R&D inside, production outside)."""
    pairs = site_functions(run)
    groups = []
    for function in FUNCTIONS:
        group = folium.FeatureGroup(name=function_layer(function, lang))
        for site, _ in (p for p in pairs if p[1] == function):
            folium.CircleMarker(
                run.site_point(site), radius=FUNCTION_RADII[function], color=FUNCTION_COLOURS[function],
                weight=2.5, fill=False, class_name=f"pl-fn pl-fn-{function}",
                tooltip=text.function_tooltip(run, site, function, lang),
            ).add_child(HtmlPopup(text.site_popup(run, site, lang), 520)).add_to(group)
        groups.append(group)
    return groups


def _link(run: RunData, link: Any, colour: str, largest: float, lang: str = "en") -> folium.MacroElement:
    weight = link_weight(float(link["amount"]), largest)
    tooltip = text.link_tooltip(run, link, lang)
    classes = f"pl-link pl-link-{link['function']} pl-ind-{css_token(link['industry'])}"
    ends = [run.site_point(str(link["from_site"])), run.site_point(str(link["to_site"]))]
    if link["from_site"] == link["to_site"]:  # support inside one site: a dashed loop around it
        return folium.CircleMarker(ends[0], radius=FUNCTION_RADII["production"] + 4 + weight / 2, color=colour,
                                   weight=weight, opacity=0.8, fill=False, dash_array="2 4",
                                   class_name=classes + " pl-link-local", tooltip=tooltip)
    return folium.PolyLine(ends, color=colour, weight=weight, opacity=0.8, dash_array=LINK_DASHES.get(link["function"]),
                           class_name=classes, tooltip=tooltip)


def industry_groups(run: RunData, lang: str = "en") -> list[folium.FeatureGroup]:
    """One layer per industry: its chain links (R&D -> pilot -> production, width by amount)."""
    colours = industry_colours(run.industry_ids)
    largest = float(run.links["amount"].max()) if len(run.links) else 0.0
    groups = []
    for industry in run.industry_ids:
        group = folium.FeatureGroup(name=industry_layer(run, industry, lang))
        for _, link in run.links[run.links["industry"] == industry].iterrows():
            _link(run, link, colours[industry], largest, lang).add_to(group)
        groups.append(group)
    return groups


def metro_group(run: RunData, lang: str = "en") -> folium.FeatureGroup | None:
    """Districts of the metros hosting sites, coloured by ring, listing the functions placed in each.

    Only for a metro scenario (:func:`planner.maps.geometry.metro_cities`), as in the static image.
    """
    view = metro_view(run)
    if view is None or not metro_cities(run, view):
        return None
    group = folium.FeatureGroup(name=map_text(METRO_LAYER, lang))
    for code, unit in view.units.iterrows():
        sites = [s for s, u in view.site_unit.items() if u == code]
        ring = str(unit["ring"] or "")
        style = {"fillColor": ZONE_COLOURS.get(ring, UNCLASSIFIED_COLOUR), "fillOpacity": 0.35 if ring else 0.25,
                 "color": "#222222" if sites else "#777777", "weight": 2.5 if sites else 0.8}
        name = str(unit["name_zh"]) if lang == "zh" else f"{unit['name_zh']} {unit['name']}"
        _shape(unit.geometry, style, text.unit_tooltip(run, name, ring, sites, lang),
               text.unit_popup(run, name, ring, sites, lang)).add_to(group)
    return group


@dataclass(frozen=True)
class PlanLayers:
    """The layers of a plan (bottom first) and their sections in the layer control."""

    groups: list[folium.FeatureGroup]
    """Every layer, bottom first."""
    sections: list[tuple[str, list[folium.FeatureGroup], bool]]
    """(heading, its layers, folded at first) in the order the layer control lists them."""


FOLD_INDUSTRIES_ABOVE = 12
"""With more industries than this, the layer control shows each category folded (click to open)."""

PLAN_SECTION = "Plan 规划"
"""Heading of the section of regions, metro districts and sites in the layer control."""

FUNCTIONS_SECTION = "Functions 环节"
"""Heading of the section of function layers in the layer control."""

INDUSTRIES_SECTION = "Industries 产业"
"""Heading (or prefix of the headings by category) of the industry layers in the layer control."""


def plan_layers(run: RunData, lang: str = "en") -> PlanLayers:
    """The plan's layers and their layer-control sections: plan, functions, industries by category; names in
    `lang`. Where the regions are the metro's districts (each region's sites in one district: Beijing's, Shanghai's
    scenarios), the districts by ring start shown and the regions' shading hidden: drawn over each other on the same
    districts, their colours would blend into neither legend's."""
    regions, metro, sites = regions_group(run, lang), metro_group(run, lang), sites_group(run, lang)
    if metro and regions_are_districts(run):
        regions.show = False
    industries = industry_groups(run, lang)
    functions = function_groups(run, lang)
    industries_section = map_text(INDUSTRIES_SECTION, lang)
    by_id = dict(zip(run.industry_ids, industries, strict=True))
    categories = industry_categories(run)
    fold = len(industries) > FOLD_INDUSTRIES_ABOVE
    if len(categories) > 1:
        industry_sections = [(f"{industries_section} · {map_text(CATEGORY_LABELS.get(c, c), lang)}",
                              [by_id[i] for i in members], fold) for c, members in categories.items()]
    else:
        industry_sections = [(industries_section, industries, fold)]
    plan = [regions, *([metro] if metro else []), sites]
    sections = [(map_text(PLAN_SECTION, lang), plan, False), (map_text(FUNCTIONS_SECTION, lang), functions, False),
                *industry_sections]
    return PlanLayers(groups=[regions, *([metro] if metro else []), *industries, *functions, sites],
                      sections=sections)


def plan_groups(run: RunData, lang: str = "en") -> list[folium.FeatureGroup]:
    """Every layer of a plan, bottom first."""
    return plan_layers(run, lang).groups


def china_base(run: RunData, lang: str = "en") -> list[folium.GeoJson]:
    """The standard map's base of a national map: the provincial-level units outside the scenario in grey
    (not shaded by the plan; a tooltip names them) and the dashes of the South China Sea line.

    Not in the layer control: a map of China always shows them.
    """
    outside = outside_provinces(run)
    outside_label = map_text(OUTSIDE_LABEL, lang)
    features = [{"type": "Feature", "geometry": mapping(row.geometry),
                 "properties": {"name": (f"{row['name_zh']} · {outside_label}" if lang == "zh"
                                         else f"{row['name_zh']} {row['name']} · {outside_label}")}}
                for _, row in outside.iterrows()]
    style = {"fillColor": OUTSIDE_COLOUR, "fillOpacity": 0.8, "color": "#999999", "weight": 1}
    layers = []
    if features:
        layers.append(folium.GeoJson({"type": "FeatureCollection", "features": features}, name="outside",
                                     style_function=lambda _f: style, control=False,
                                     tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False)))
    dashes = {"type": "FeatureCollection",
              "features": [{"type": "Feature", "geometry": mapping(g), "properties": {}}
                           for g in dash_lines().geometry]}
    layers.append(folium.GeoJson(dashes, name="dashes", control=False,
                                 style_function=lambda _f: {"color": DASH_COLOUR, "weight": 2.5, "opacity": 0.9}))
    return layers
