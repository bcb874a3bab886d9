"""The map's title box and legend, as Leaflet controls (so each map of a DualMap gets its own)."""

from __future__ import annotations


import folium
from folium import Element, MacroElement
from folium.template import Template

from planner.maps.metrics import most_hosted
from planner.maps.markup import escape
from planner.maps.rundata import RunData
from planner.maps.style import (
    FUNCTION_COLOURS,
    FUNCTION_LABELS,
    FUNCTIONS,
    LINK_DASHES,
    LINK_LABELS,
    UNCLASSIFIED_COLOUR,
    ZONE_COLOURS,
    ZONE_LABELS,
    ZONES,
    fmt,
    hosted_colour,
    industry_colours,
)

FONT_STACK = '"Planner CJK", "Helvetica Neue", Arial, Helvetica, sans-serif'
"""CSS font stack. "Planner CJK" is the embedded subset of Noto Sans SC (see :mod:`planner.maps.fonts`),
limited by ``unicode-range`` to the page's non-ASCII characters, so Latin text keeps the sans-serif
after it. It comes first: Chromium was seen to draw boxes when it came after Arial."""

MAP_CSS = f"""<style>
body .leaflet-container, .pl-box {{ font-family: {FONT_STACK}; }}
.pl-box {{ background: rgba(255,255,255,0.92); padding: 6px 9px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); font-size: 12px; line-height: 1.35; max-width: 360px; }}
.pl-title b {{ font-size: 14px; }}
.pl-legend {{ max-height: 45vh; overflow-y: auto; }}
.pl-legend summary {{ cursor: pointer; font-weight: bold; }}
.pl-legend h4 {{ margin: 6px 0 2px; font-size: 12px; }}
.pl-sw {{ display: inline-block; width: 12px; height: 12px; margin-right: 5px; vertical-align: -2px;
  border: 1px solid #555; }}
.pl-dot {{ border-radius: 50%; }}
.pl-ring {{ border-radius: 50%; background: transparent; border-width: 2px; }}
.pl-line {{ display: inline-block; width: 26px; margin-right: 5px; vertical-align: 3px; }}
.pl-badge {{ width: 100%; height: 100%; border-radius: 3px; border: 1px solid #222; box-sizing: border-box; }}
.pl-pop table.pl-table {{ border-collapse: collapse; margin-top: 4px; }}
.pl-pop td, .pl-pop th {{ border-bottom: 1px solid #ddd; padding: 1px 5px; text-align: left; }}
.pl-pop td.n {{ text-align: right; }}
.pl-pop ul {{ margin: 3px 0; padding-left: 16px; }}
</style>"""
"""Style sheet of the title, legend, popups and badges (one per page)."""


class HtmlControl(MacroElement):
    """A Leaflet control showing fixed HTML at a corner of its parent map."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function () {
                var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            control.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, html: str, position: str = "topright", css_class: str = "pl-box") -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.html = html
        self.position = position
        self.css_class = css_class


class HtmlPopup(MacroElement):
    """A popup with fixed HTML bound to its parent layer (folium's Popup needs jQuery; this does not)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindPopup({{ this.html|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
    """)

    def __init__(self, html: str, max_width: int = 480) -> None:
        super().__init__()
        self._name = "HtmlPopup"
        self.html = html
        self.options = {"maxWidth": max_width}


def page_header(target: folium.Map) -> Element:
    """The ``<head>`` of the page (folium Figure) that `target` is drawn on."""
    root = target.get_root()
    if not isinstance(root, folium.Figure):
        raise TypeError(f"{target!r} is not on a page")
    return root.header


def add_page_style(target: folium.Map) -> None:
    """Add :data:`MAP_CSS` to the page of `target` (once per page)."""
    page_header(target).add_child(Element(MAP_CSS), name="planner_map_css")


def title_html(run: RunData, heading: str | None = None) -> str:
    """Scenario title, status and objective."""
    lead = f"<i>{escape(heading)}</i><br>" if heading else ""
    return (f"{lead}<b>{escape(run.title)}</b><br>status <b>{escape(run.status)}</b>, "
            f"objective <b>{fmt(run.objective, 2)}</b> (10k yuan) · {len(run.opened_sites)} sites opened, "
            f"{len(run.assignments)} functions placed, {len(run.links)} links")


def _row(swatch: str, label: str) -> str:
    return f"<div>{swatch}{escape(label)}</div>"


def legend_html(run: RunData, metro: bool) -> str:
    """Legend: zones, functions, link types, industries, region shading and (metro) rings."""
    parts = ["<details open><summary>Legend 图例</summary><h4>Sites by zone 区位</h4>"]
    parts += [_row(f"<span class='pl-sw pl-dot' style='background:{ZONE_COLOURS[z]}'></span>", ZONE_LABELS[z])
              for z in ZONES]
    parts.append("<h4>Functions 环节 (rings)</h4>")
    parts += [_row(f"<span class='pl-sw pl-ring' style='border-color:{FUNCTION_COLOURS[f]}'></span>",
                   FUNCTION_LABELS[f]) for f in FUNCTIONS]
    parts.append("<h4>Chain links 链接 (width ∝ amount)</h4>")
    for f, dash in LINK_DASHES.items():
        style = "dashed" if dash else "solid"
        parts.append(_row(f"<span class='pl-line' style='border-top:3px {style} #555'></span>", LINK_LABELS[f]))
    parts.append("<h4>Industries 产业 (links, badges)</h4>")
    colours = industry_colours(run.industry_ids)
    parts += [_row(f"<span class='pl-sw' style='background:{colours[i]}'></span>", run.industry_name(i))
              for i in run.industry_ids]
    most = most_hosted(run)
    parts.append("<h4>Regions: industries hosted 承接产业数</h4>")
    parts += [_row(f"<span class='pl-sw' style='background:{hosted_colour(n, most)}'></span>", str(n))
              for n in range(most + 1)]
    if metro:
        parts.append("<h4>Metro districts by ring 圈层</h4>")
        parts += [_row(f"<span class='pl-sw' style='background:{ZONE_COLOURS[z]};opacity:.6'></span>",
                       ZONE_LABELS[z]) for z in ZONES]
        parts.append(_row(f"<span class='pl-sw' style='background:{UNCLASSIFIED_COLOUR}'></span>",
                          "not classified 未分类"))
    parts.append("</details>")
    return "".join(parts)
