"""The period view of an interactive map of a run with periods: one layer per period, shown one at a time.

Each period's layer (:func:`period_groups`) holds a marker per site that holds or held capacity in that period,
its outline saying what changed there (built, converted in place, retired; hollow and grey when everything
there was retired), a grey dashed ring where capacity was retired, and the period's chain links. Its popup
lists per industry and function what was there before, kept from stock, built, retired, converted and in use.
:class:`PeriodStepper` keeps one period layer shown at a time and steps through them (◀ ▶).
"""

from __future__ import annotations

import folium
import pandas as pd
from folium import MacroElement
from folium.template import Template

from planner.maps.controls import HtmlPopup
from planner.maps.lang import map_text, value
from planner.maps.layers import css_token
from planner.maps.markup import escape
from planner.maps.periods import (
    CHANGE_COLOURS,
    MOVE_TITLES,
    MOVES,
    SHOWN,
    PeriodRuns,
    period_text,
    site_change,
    site_moves,
)
from planner.maps.rundata import RunData
from planner.maps.style import FUNCTION_LABELS, FUNCTION_RADII, FUNCTIONS, SITE_RADIUS, ZONE_COLOURS, fmt

RETIRED_RADIUS = FUNCTION_RADII["production"] + 5
"""Radius (pixels) of the grey dashed ring around a site where capacity was retired."""

CONVERTED_RADIUS = SITE_RADIUS + 5
"""Radius (pixels) of the purple ring around a site where capacity was converted in place (upgraded)."""

PERIOD_CSS = """<style>
.pl-stepper { display: flex; align-items: center; gap: 6px; }
.pl-stepper button { font: inherit; padding: 0 6px; cursor: pointer; }
.pl-stepper .pl-period { font-weight: bold; min-width: 3em; text-align: center; }
.pl-pop table.pl-moves td, .pl-pop table.pl-moves th { font-size: 11px; padding: 1px 3px; line-height: 1.25; }
</style>"""
"""Style of the period control."""


def period_layer(period: int, lang: str = "en") -> str:
    """Name of the layer of one period."""
    return period_text("layer", lang, period=period)


def _move_cell(value: float) -> str:
    return f"<td class='n'>{fmt(value, 2) if value > SHOWN else '–'}</td>"


def moves_popup(run: RunData, transition: pd.DataFrame, period: int, site: str, lang: str = "en") -> str:
    """A site in a period: per industry and function, capacity before, kept from stock, built, retired, converted
    in and out and in use (words in `lang`)."""
    rows = transition[(transition["period"] == period) & (transition["site"] == site)]
    order = {f: k for k, f in enumerate(FUNCTIONS)}
    rows = rows.assign(_f=rows["function"].map(order)).sort_values(["industry", "_f"], kind="stable")
    titles = MOVE_TITLES.get(lang, MOVE_TITLES["en"])
    head = "".join(f"<th>{escape(title)}</th>" for title in (
        map_text("industry 产业", lang), map_text("function 环节", lang),
        *(titles[c] for c in ("previous", *MOVES, "capacity"))))
    head = f"<tr>{head}</tr>"
    body = "".join(
        "<tr><td>" + escape(run.industry_name(r.industry, lang) if r.industry in run.industries.index else r.industry)
        + f"</td><td>{escape(map_text(FUNCTION_LABELS.get(r.function, str(r.function)), lang))}</td>"
        + "".join(_move_cell(float(getattr(r, c))) for c in ("previous", *MOVES, "capacity")) + "</tr>"
        for r in rows.itertuples())
    zone = str(run.sites.at[site, "zone"]) if site in run.sites.index else ""
    region = str(run.sites.at[site, "region"]) if site in run.sites.index else ""
    where = f" · {escape(run.region_name(region, lang))}" if region in run.regions.index else ""
    zone_words = escape(map_text(" · zone {zone}", lang, zone=value(zone, lang)))
    return (f"<div class='pl-pop'><b>{escape(site)}</b>{where}{zone_words} · "
            f"<b>{escape(period_layer(period, lang))}</b><table class='pl-table pl-moves'>{head}{body}</table></div>")


def _tooltip(site: str, period: int, moves: pd.Series, lang: str = "en") -> str:
    titles = MOVE_TITLES.get(lang, MOVE_TITLES["en"])
    parts = [f"{titles[c]} {fmt(float(moves[c]), 1)}" for c in ("built", "retired", "converted_in")
             if float(moves[c]) > SHOWN]
    return escape(f"{site} · {period}: {titles['capacity']} {fmt(float(moves['capacity']), 1)}"
                  + (f"; {', '.join(parts)}" if parts else f"; {period_text('nothing', lang)}"))


def _site_marker(run: RunData, site: str, period: int, moves: pd.Series, popup: str,
                 lang: str = "en") -> folium.CircleMarker:
    """The site's marker in a period: fill by zone, a green outline where capacity was built, hollow grey when all
    was retired."""
    changes = site_change(moves)
    closed = "closed" in changes
    first = "retired" if closed else "built" if "built" in changes else "kept"
    zone = str(run.sites.at[site, "zone"]) if site in run.sites.index else ""
    classes = " ".join(["pl-psite", *(f"pl-change-{c}" for c in changes), f"pl-zone-{css_token(zone)}"])
    return folium.CircleMarker(
        run.site_point(site), radius=SITE_RADIUS + 1, color=CHANGE_COLOURS[first], weight=1.5 if first == "kept" else 3,
        fill=not closed, fill_color=None if closed else ZONE_COLOURS.get(zone, "#999999"), fill_opacity=0.95,
        dash_array="3 3" if closed else None, class_name=classes, tooltip=_tooltip(site, period, moves, lang),
    ).add_child(HtmlPopup(popup, 640))


def _period_links(run: RunData, group: folium.FeatureGroup) -> None:
    """The period's chain links, thin grey (the industry layers colour the last period's)."""
    for link in run.links.itertuples():
        if link.from_site == link.to_site:
            continue
        folium.PolyLine([run.site_point(str(link.from_site)), run.site_point(str(link.to_site))], color="#666666",
                        weight=1.5, opacity=0.6, dash_array="6 6" if link.function == "pilot" else None,
                        class_name=f"pl-plink pl-ind-{css_token(link.industry)}").add_to(group)


def period_group(periods: PeriodRuns, period: int, show: bool, lang: str = "en") -> folium.FeatureGroup:
    """The layer of one period: its links, a grey dashed ring where capacity was retired, a marker per site."""
    run = periods.runs[period]
    group = folium.FeatureGroup(name=period_layer(period, lang), show=show)
    _period_links(run, group)
    moves = site_moves(periods.transition, period)
    for site, row in moves.iterrows():
        site = str(site)
        if site not in run.sites.index:
            continue
        popup = moves_popup(run, periods.transition, period, site, lang)
        for change, radius, dash in (("retired", RETIRED_RADIUS, "4 3"), ("converted", CONVERTED_RADIUS, None)):
            amount = row["retired"] if change == "retired" else row["converted_in"] + row["converted_out"]
            if float(amount) > SHOWN:
                folium.CircleMarker(run.site_point(site), radius=radius, color=CHANGE_COLOURS[change], weight=2.5,
                                    fill=False, dash_array=dash, class_name=f"pl-{change}-ring",
                                    tooltip=_tooltip(site, period, row, lang)
                                    ).add_child(HtmlPopup(popup, 640)).add_to(group)
        _site_marker(run, site, period, row, popup, lang).add_to(group)
    return group


def period_groups(periods: PeriodRuns, lang: str = "en") -> list[folium.FeatureGroup]:
    """One layer per period, the first shown."""
    return [period_group(periods, t, show=k == 0, lang=lang) for k, t in enumerate(periods.periods)]


def period_legend_html(lang: str = "en") -> str:
    """The legend's block of the period view: the marker outlines and the retired ring."""
    def row(style: str, key: str) -> str:
        return (f"<div><span class='pl-sw pl-dot' style='box-sizing:border-box;{style}'></span>"
                f"{escape(period_text(key, lang))}</div>")

    return (f"<h4>{escape(period_text('legend', lang))}</h4>"
            + row(f"background:#fff;border:3px solid {CHANGE_COLOURS['built']}", "built")
            + row(f"background:transparent;border:2.5px solid {CHANGE_COLOURS['converted']}", "converted")
            + row(f"background:transparent;border:2.5px dashed {CHANGE_COLOURS['retired']}", "retired")
            + row(f"background:transparent;border:3px dashed {CHANGE_COLOURS['retired']}", "closed")
            + row(f"background:#fff;border:1.5px solid {CHANGE_COLOURS['kept']}", "kept"))


class PeriodStepper(MacroElement):
    """A control (◀ period ▶) that shows one period's layer at a time; checking a period in the layer control
    hides the others too."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var layers = [{% for name in this.layers %}{{ name }}{% if not loop.last %}, {% endif %}{% endfor %}];
            var periods = {{ this.periods|tojson }};
            var control = L.control({position: "topright"});
            var label;
            function current() {
                for (var k = layers.length - 1; k >= 0; k--) { if (map.hasLayer(layers[k])) { return k; } }
                return -1;
            }
            function only(k) {
                layers.forEach(function (layer, j) {
                    if (j !== k && map.hasLayer(layer)) { map.removeLayer(layer); }
                });
                if (k >= 0 && !map.hasLayer(layers[k])) { map.addLayer(layers[k]); }
                label.textContent = k >= 0 ? String(periods[k]) : "–";
            }
            control.onAdd = function () {
                var div = L.DomUtil.create("div", "pl-box pl-stepper");
                var title = L.DomUtil.create("b", "", div);
                title.textContent = {{ this.title|tojson }};
                var prev = L.DomUtil.create("button", "pl-prev", div);
                prev.type = "button"; prev.textContent = "◀"; prev.title = {{ this.buttons[0]|tojson }};
                label = L.DomUtil.create("span", "pl-period", div);
                var next = L.DomUtil.create("button", "pl-next", div);
                next.type = "button"; next.textContent = "▶"; next.title = {{ this.buttons[1]|tojson }};
                L.DomEvent.on(prev, "click", function (e) { L.DomEvent.stop(e); only(Math.max(current() - 1, 0)); });
                L.DomEvent.on(next, "click", function (e) {
                    L.DomEvent.stop(e); only(Math.min(current() + 1, layers.length - 1));
                });
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            control.addTo(map);
            map.on("overlayadd", function (e) {
                var k = layers.indexOf(e.layer);
                if (k >= 0) { setTimeout(function () { only(k); }, 0); }  // after the layer control's own click
            });
            map.on("overlayremove", function (e) {
                if (layers.indexOf(e.layer) >= 0) { setTimeout(function () { only(current()); }, 0); }
            });
            only(current());
        })();
        {% endmacro %}
    """)

    def __init__(self, layers: list[folium.FeatureGroup], periods: list[int], lang: str = "en") -> None:
        super().__init__()
        self._name = "PeriodStepper"
        self.layers = [layer.get_name() for layer in layers]
        self.periods = [int(p) for p in periods]
        self.title = period_text("stepper", lang)
        self.buttons = (map_text("previous period", lang), map_text("next period", lang))
