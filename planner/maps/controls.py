"""The map's title box and legend, as Leaflet controls (so each map of a DualMap gets its own)."""

from __future__ import annotations

import folium
from folium import Element, MacroElement
from folium.template import Template

from planner.maps.lang import map_text, value
from planner.maps.markup import escape
from planner.maps.metrics import most_hosted
from planner.maps.periods import period_text
from planner.maps.rundata import RunData
from planner.maps.style import (
    FUNCTION_COLOURS,
    FUNCTION_LABELS,
    FUNCTIONS,
    LINK_DASHES,
    LINK_LABELS,
    OUTSIDE_COLOUR,
    OUTSIDE_LABEL,
    UNCLASSIFIED_COLOUR,
    UNCLASSIFIED_LABEL,
    fmt,
    hosted_swatches,
    industry_colours,
    zone_swatches,
)
from planner.maps.text import restriction

FONT_STACK = '"Planner CJK", "Helvetica Neue", Arial, Helvetica, sans-serif'
"""CSS font stack. "Planner CJK" is the embedded subset of Noto Sans SC (see :mod:`planner.maps.fonts`),
limited by ``unicode-range`` to the page's non-ASCII characters, so Latin text keeps the sans-serif
after it. It comes first: Chromium was seen to draw boxes when it came after Arial."""

MAP_CSS = f"""<style>
body .leaflet-container, .pl-box {{ font-family: {FONT_STACK}; }}
.pl-box {{ background: rgba(255,255,255,0.92); padding: 6px 9px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); font-size: 12px; line-height: 1.35; max-width: 360px; }}
.pl-title b {{ font-size: 14px; }}
.pl-legend {{ max-height: 40vh; overflow-y: auto; }}
.pl-legend summary {{ cursor: pointer; font-weight: bold; }}
.pl-legend h4 {{ margin: 6px 0 2px; font-size: 12px; }}
.pl-sw {{ display: inline-block; width: 12px; height: 12px; margin-right: 5px; vertical-align: -2px;
  border: 1px solid #555; }}
.pl-dot {{ border-radius: 50%; }}
.pl-ring {{ border-radius: 50%; background: transparent; border-width: 2px; }}
.pl-line {{ display: inline-block; width: 26px; margin-right: 5px; vertical-align: 3px; }}
.pl-count {{ min-width: 14px; height: 14px; padding: 0 3px; border-radius: 7px; border: 1px solid #333;
  background: rgba(255,255,255,0.95); color: #222; font-size: 10px; line-height: 14px; text-align: center;
  font-weight: bold; box-shadow: 0 1px 2px rgba(0,0,0,0.3); display: inline-block; }}
.pl-count-icon {{ background: none; border: none; }}
.pl-far .pl-count-icon {{ display: none; }}
.leaflet-control-layers {{ font-family: {FONT_STACK}; font-size: 12px; }}
.leaflet-control-layers-overlays label {{ margin: 1px 0; }}
.pl-layer-section {{ margin: 6px 0 2px; padding-top: 4px; border-top: 1px solid #ddd; font-weight: bold;
  cursor: pointer; user-select: none; white-space: nowrap; }}
.pl-layer-section:first-child {{ border-top: none; margin-top: 0; padding-top: 0; }}
.pl-layer-section::before {{ content: "\\25BE\\00a0"; }}
.pl-layer-section.pl-folded::before {{ content: "\\25B8\\00a0"; }}
.pl-legend details details summary {{ font-weight: bold; margin-top: 6px; }}
.leaflet-control-scale-line {{ font-size: 10px; padding: 0 3px; white-space: nowrap; }}
.pl-box.pl-aside {{ opacity: 0.15; pointer-events: none; }}
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


class LayerSections(MacroElement):
    """Section headings in a Leaflet layer control: the overlays listed under a heading each, in order.

    `sections` is a list of (heading, the layers' folium objects, folded at first); a click on a
    heading folds or unfolds its layers. The headings are set as text (never parsed as HTML), and
    they survive Leaflet rebuilding the list (its ``_update`` is wrapped). Uses Leaflet 1.9's
    ``_overlaysList``, ``_update`` and the inputs' ``layerId`` (the version XStatic-Leaflet and
    folium 0.20 load); tests/maps/test_browser.py checks it in Chromium. A plain layer list,
    collapsed, is what remains if they change.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var control = {{ this.control.get_name() }};
            var sections = [
                {%- for heading, names, folded in this.sections %}
                {title: {{ heading|tojson }}, folded: {{ folded|tojson }},
                 layers: [{% for name in names %}{{ name }}{% if not loop.last %}, {% endif %}{% endfor %}]},
                {%- endfor %}
            ];
            function decorate(ctl) {
                var list = ctl._overlaysList;
                var labels = Array.prototype.slice.call(list.children).filter(function (el) {
                    return el.tagName === "LABEL";
                });
                var where = {};
                sections.forEach(function (section, k) {
                    section.layers.forEach(function (layer) { where[L.stamp(layer)] = k; });
                });
                var buckets = sections.map(function () { return []; });
                var rest = [];
                labels.forEach(function (label) {
                    var input = label.querySelector("input");
                    var k = input ? where[input.layerId] : undefined;
                    (k === undefined ? rest : buckets[k]).push(label);
                });
                while (list.firstChild) { list.removeChild(list.firstChild); }
                sections.forEach(function (section, k) {
                    if (!buckets[k].length) { return; }
                    var heading = L.DomUtil.create("div", "pl-layer-section", list);
                    heading.textContent = section.title + " (" + buckets[k].length + ")";
                    var members = buckets[k];
                    function show() {
                        heading.classList.toggle("pl-folded", section.folded);
                        members.forEach(function (label) { label.style.display = section.folded ? "none" : ""; });
                    }
                    L.DomEvent.on(heading, "click", function (e) {
                        L.DomEvent.stop(e);
                        section.folded = !section.folded;
                        show();
                    });
                    members.forEach(function (label) { list.appendChild(label); });
                    show();
                });
                rest.forEach(function (label) { list.appendChild(label); });
            }
            var update = control._update;
            control._update = function () {
                var out = update.apply(this, arguments);
                decorate(this);
                return out;
            };
            decorate(control);
        })();
        {% endmacro %}
    """)

    def __init__(self, control: folium.LayerControl,
                 sections: list[tuple[str, list[folium.FeatureGroup], bool]]) -> None:
        super().__init__()
        self._name = "LayerSections"
        self.control = control
        self.sections = [(heading, [layer.get_name() for layer in layers], folded)
                         for heading, layers, folded in sections]


class PopupInView(MacroElement):
    """Keeps an open popup clear of the title and legend on the left of its parent map.

    Leaflet draws its controls above its popups, so a popup that opens under the legend is hidden. Once the popup
    is open (and Leaflet's own pan into view has ended), the map is moved right until the popup clears the boxes it
    overlaps; where the map is too narrow for that, those boxes fade (class ``pl-aside``) until it closes.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            function boxes() {
                return Array.prototype.slice.call(map.getContainer().querySelectorAll(".leaflet-left .pl-box"));
            }
            function under(pop) {
                return boxes().filter(function (box) {
                    var r = box.getBoundingClientRect();
                    return r.right > pop.left && r.left < pop.right && r.bottom > pop.top && r.top < pop.bottom;
                });
            }
            function clear(popup) {
                var element = popup.getElement();
                if (!element || !map.hasLayer(popup)) { return; }
                var pop = element.getBoundingClientRect();
                var hidden = under(pop);
                if (!hidden.length) { return; }
                var edge = Math.max.apply(null, hidden.map(function (b) { return b.getBoundingClientRect().right; }));
                var dx = edge + 10 - pop.left;
                if (pop.right + dx <= map.getContainer().getBoundingClientRect().right - 5) {
                    map.panBy([-dx, 0]);
                } else {
                    hidden.forEach(function (box) { box.classList.add("pl-aside"); });
                }
            }
            map.on("popupopen", function (e) { setTimeout(function () { clear(e.popup); }, 300); });
            map.on("popupclose", function () {
                boxes().forEach(function (box) { box.classList.remove("pl-aside"); });
            });
        })();
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "PopupInView"


class FarClass(MacroElement):
    """Marks its map's container with the class ``pl-far`` while zoomed out below `min_zoom`.

    The style sheet hides the sites' industry counts then: at a national zoom a province's sites
    lie a few pixels apart and their counts would pile up (the regions' shading summarises them).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            function mark() { map.getContainer().classList.toggle("pl-far", map.getZoom() < {{ this.min_zoom }}); }
            map.on("zoomend", mark);
            map.whenReady(mark);
        })();
        {% endmacro %}
    """)

    def __init__(self, min_zoom: int) -> None:
        super().__init__()
        self._name = "FarClass"
        self.min_zoom = int(min_zoom)


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


def title_html(run: RunData, heading: str | None = None, lang: str = "en") -> str:
    """Scenario title, status and objective, in `lang`."""
    lead = f"<i>{escape(heading)}</i><br>" if heading else ""
    periods = list(run.summary.get("periods") or [])
    shown = (f"<br><b>{escape(period_text('title', lang, periods=', '.join(map(str, periods))))}</b>"
             f"<br>{escape(period_text('target', lang, period=periods[-1]))}" if periods else "")
    outcome = map_text("status <b>{status}</b>, objective <b>{objective}</b> (10k yuan) · {sites} sites opened, "
                       "{functions} functions placed, {links} links", lang, status=escape(value(run.status, lang)),
                       objective=fmt(run.objective, 2), sites=len(run.opened_sites), functions=len(run.assignments),
                       links=len(run.links))
    restricted = restriction(run.summary, lang)
    return f"{lead}<b>{escape(run.title)}</b><br>{outcome}{shown}" + (f"<br><i>{escape(restricted)}</i>"
                                                                     if restricted else "")


def _row(swatch: str, label: str) -> str:
    return f"<div>{swatch}{escape(label)}</div>"


def _heading(words: str, lang: str, **values: object) -> str:
    """A heading of the legend in `lang`."""
    return f"<h4>{escape(map_text(words, lang, **values))}</h4>"


FOLD_LEGEND_INDUSTRIES_ABOVE = 12
"""With more industries than this, the legend's list of industries starts folded (click to open)."""


def legend_html(run: RunData, metro: bool, outside: bool = False, folded: bool = False, lang: str = "en") -> str:
    """Legend: zones, functions, link types, industries, region shading, (metro) rings and, with
    `outside`, the grey of the provincial-level units outside the scenario; with `folded` it starts
    closed (a click on its heading opens it), as on the narrow halves of a side-by-side map; words in `lang`."""
    def tr(words: str) -> str:
        return map_text(words, lang)

    parts = [f"<details{'' if folded else ' open'}><summary>{escape(tr('Legend 图例'))}</summary>"
             + _heading("Sites by zone 区位", lang)]
    parts += [_row(f"<span class='pl-sw pl-dot' style='background:{colour}'></span>", tr(label))
              for colour, label in zone_swatches()]
    parts.append(_heading("Functions 环节 (rings)", lang))
    parts += [_row(f"<span class='pl-sw pl-ring' style='border-color:{FUNCTION_COLOURS[f]}'></span>",
                   tr(FUNCTION_LABELS[f])) for f in FUNCTIONS]
    parts.append(_heading("Chain links 链接 (width ∝ amount)", lang))
    for f, dash in LINK_DASHES.items():
        style = "dashed" if dash else "solid"
        parts.append(_row(f"<span class='pl-line' style='border-top:3px {style} #555'></span>", tr(LINK_LABELS[f])))
    parts.append(_row("<span class='pl-count' style='margin-right:5px'>3</span>",
                      tr("industries at a site 园区产业数 (zoomed in)")))
    colours = industry_colours(run.industry_ids)
    folded = len(run.industry_ids) > FOLD_LEGEND_INDUSTRIES_ABOVE
    parts.append(f"<details{'' if folded else ' open'}><summary>"
                 f"{escape(map_text('Industries 产业 (links) ({n})', lang, n=len(run.industry_ids)))}</summary>")
    parts += [_row(f"<span class='pl-sw' style='background:{colours[i]}'></span>", run.industry_name(i, lang))
              for i in run.industry_ids]
    parts.append("</details>")
    most = most_hosted(run)
    parts.append(_heading("Regions: industries hosted 承接产业数", lang))
    parts += [_row(f"<span class='pl-sw' style='background:{colour}'></span>", str(n))
              for colour, n in hosted_swatches(most)]
    if outside:
        parts.append(_row(f"<span class='pl-sw' style='background:{OUTSIDE_COLOUR}'></span>", tr(OUTSIDE_LABEL)))
    if metro:
        parts.append(_heading("Metro districts by ring 圈层", lang))
        parts += [_row(f"<span class='pl-sw' style='background:{colour};opacity:.6'></span>", tr(label))
                  for colour, label in zone_swatches()]
        parts.append(_row(f"<span class='pl-sw' style='background:{UNCLASSIFIED_COLOUR}'></span>",
                          tr(UNCLASSIFIED_LABEL)))
    parts.append("</details>")
    return "".join(parts)
