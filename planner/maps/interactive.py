"""The interactive folium maps of a run: :func:`plan_map`, :func:`dual_map`, :func:`write_map`."""

from __future__ import annotations

from pathlib import Path

import folium
from folium import Element
from folium.plugins import DualMap

from planner.maps.controls import (
    FarClass,
    HtmlControl,
    LayerSections,
    PopupInView,
    add_page_style,
    legend_html,
    page_header,
    title_html,
)
from planner.maps.geometry import CHINA_BOUNDS, metro_cities, national_view, outside_provinces, view_bounds
from planner.maps.htmlout import save_html
from planner.maps.layers import METRO_LAYER, REGIONS_LAYER, PlanLayers, china_base, plan_layers
from planner.maps.markup import LayerControl
from planner.maps.period_layers import PERIOD_CSS, PeriodStepper, period_groups, period_legend_html
from planner.maps.periods import PeriodRuns, load_plan, period_text
from planner.maps.rundata import RunData

DEFAULT_TILES = "OpenStreetMap"
"""Base tiles by default (any name folium knows; ``"none"`` for a plain background)."""

LEFT_PANEL_PX = 290
"""Width (pixels) of the title and legend column on the left: the map fits the plan to its right."""

TITLE_PX = 110
"""Height (pixels) of the title box at the top of a half of a dual map, whose legend starts folded: the plans are
fitted below it, across the whole width (a half is 550 px wide in the comparison page at 1366 px)."""

COUNTS_FROM_ZOOM = 6
"""Zoom level from which the sites' industry counts show (below it a province's sites nearly coincide)."""

_PLAIN_CSS = "<style>.leaflet-container { background: #eef1f4; }</style>"


def tiles_option(tiles: str | None) -> str | None:
    """folium's ``tiles`` argument for a command-line value: ``"none"`` (or empty) means no tiles."""
    if tiles is None or tiles.strip().lower() in ("", "none"):
        return None
    if "{" not in tiles and tiles.lower() != "openstreetmap":  # a name, not a URL template
        import xyzservices

        try:
            xyzservices.providers.query_name(tiles)
        except ValueError:
            raise ValueError(f"unknown tile name {tiles!r}: use a name such as OpenStreetMap or "
                             "OpenTopoMap, or none") from None
    return tiles


def _leaflet_only(target: folium.Map) -> None:
    """Load only Leaflet itself: the plan uses no jQuery, Bootstrap or Font Awesome."""
    target.default_js = [(n, u) for n, u in folium.Map.default_js if n == "leaflet"]
    target.default_css = [(n, u) for n, u in folium.Map.default_css if n == "leaflet_css"]


def map_bounds(run: RunData) -> list[list[float]]:
    """[[south, west], [north, east]] a map of `run` opens on: all of China for a national view."""
    return CHINA_BOUNDS if national_view(run) else view_bounds(run)


def draw_plan(target: folium.Map, run: RunData, heading: str | None = None, collapsed: bool = True,
              narrow: bool = False, lang: str = "en", periods: PeriodRuns | None = None) -> list[folium.FeatureGroup]:
    """Add the plan's layers, a layer control, the title and the legend to `target`; return the layers.

    A national view (:func:`planner.maps.geometry.national_view`) also gets the standard map's
    base: the provincial-level units outside the scenario in grey and the South China Sea line.
    The layer control starts collapsed (it opens on hover) and lists the layers in sections.
    On a `narrow` map (a half of :func:`dual_map`) the legend starts folded. Words in `lang`
    (:mod:`planner.maps.lang`). A run with periods (`periods`, :func:`planner.maps.periods.load_plan`) also gets
    a layer per period and the period control.
    """
    _leaflet_only(target)
    add_page_style(target)
    national = national_view(run)
    if national:
        for base in china_base(run, lang):
            base.add_to(target)
    layers = plan_layers(run, lang)
    sections = layers.sections
    for group in layers.groups:
        group.add_to(target)
    if periods is not None:
        sections, stepper = period_view(target, periods, layers, lang)
    control = LayerControl(collapsed=collapsed, position="topright")
    control.add_to(target)
    LayerSections(control, sections).add_to(target)
    if periods is not None:
        stepper.add_to(target)
    outside = national and len(outside_provinces(run)) > 0
    FarClass(COUNTS_FROM_ZOOM).add_to(target)
    PopupInView().add_to(target)
    legend = legend_html(run, bool(metro_cities(run)), outside, folded=narrow, lang=lang)
    if periods is not None:  # the period view's block first
        legend = legend.replace("</summary>", "</summary>" + period_legend_html(lang), 1)
    HtmlControl(legend, position="bottomleft", css_class="pl-box pl-legend").add_to(target)
    HtmlControl(title_html(run, heading, lang), position="topleft", css_class="pl-box pl-title").add_to(target)
    if not narrow:  # a dual map fits both plans itself
        target.fit_bounds(map_bounds(run), padding_top_left=(LEFT_PANEL_PX, 0))
    return layers.groups


def period_view(target: folium.Map, periods: PeriodRuns, layers: PlanLayers, lang: str = "en"
                ) -> tuple[list[tuple[str, list[folium.FeatureGroup], bool]], PeriodStepper]:
    """Add the layers of each period to `target` (a run with periods); return the layer control's sections (the
    periods first) and the period control to add after the layer control.

    The last period's sites, function rings and industry links stay listed but start hidden: the period layers
    show each period's sites and links.
    """
    for group in layers.groups:
        if group.layer_name not in (REGIONS_LAYER, METRO_LAYER):
            group.show = False
    groups = period_groups(periods, lang)
    for group in groups:
        group.add_to(target)
    page_header(target).add_child(Element(PERIOD_CSS), name="planner_period_css")
    return ([(period_text("section", lang), groups, False), *layers.sections],
            PeriodStepper(groups, periods.periods, lang))


def _new_map(run: RunData, tiles: str | None) -> folium.Map:
    (south, west), (north, east) = map_bounds(run)
    fmap = folium.Map(location=[(south + north) / 2, (west + east) / 2], zoom_start=7,
                      tiles=tiles_option(tiles), control_scale=True,
                      zoom_snap=0.5 if national_view(run) else 1)  # China fills a 1920 x 1080 screen
    if tiles_option(tiles) is None:
        page_header(fmap).add_child(Element(_PLAIN_CSS), name="planner_plain_css")
    return fmap


def plan_map(run_dir: Path, *, tiles: str | None = DEFAULT_TILES, heading: str | None = None,
             lang: str = "en") -> folium.Map:
    """A folium map of the plan in `run_dir`.

    Regions shaded by the number of industries they host (boundaries from
    :mod:`planner.geodata` by adcode, points where there is none), a marker per opened
    site coloured by zone, a ring per function placed, chain links per industry (width by
    amount), metro districts coloured by ring when the sites carry district adcodes, a
    layer control, the title (scenario, status, objective) and a legend.
    `tiles` is any tile name folium knows, or ``"none"``/None for a plain background; `lang` the language of
    its words (``en``: English with the Chinese terms; ``zh``: Chinese).
    Raises :class:`planner.maps.RunFolderError` when `run_dir` has no plan.
    """
    run, periods = load_plan(Path(run_dir))
    return run_map(run, periods, tiles=tiles, heading=heading, lang=lang)


def run_map(run: RunData, periods: PeriodRuns | None = None, *, tiles: str | None = DEFAULT_TILES,
            heading: str | None = None, lang: str = "en") -> folium.Map:
    """:func:`plan_map` of a run already read (:func:`planner.maps.periods.load_plan`)."""
    fmap = _new_map(run, tiles)
    draw_plan(fmap, run, heading, lang=lang, periods=periods)
    return fmap


def dual_map(run_a: Path, run_b: Path, *, tiles: str | None = DEFAULT_TILES, lang: str = "en") -> DualMap:
    """Two runs side by side (left `run_a`, right `run_b`), panning and zooming together; words in `lang`."""
    (first, first_periods), (second, second_periods) = load_plan(Path(run_a)), load_plan(Path(run_b))
    (s1, w1), (n1, e1) = map_bounds(first)
    (s2, w2), (n2, e2) = map_bounds(second)
    bounds = [[min(s1, s2), min(w1, w2)], [max(n1, n2), max(e1, e2)]]
    dual = DualMap(location=[(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2],
                   zoom_start=7, tiles=tiles_option(tiles), control_scale=True,
                   zoom_snap=0.5 if national_view(first) or national_view(second) else 1)
    if tiles_option(tiles) is None:
        page_header(dual.m1).add_child(Element(_PLAIN_CSS), name="planner_plain_css")
    for side, run, periods, label in ((dual.m1, first, first_periods, f"A: {Path(run_a).name}"),
                                      (dual.m2, second, second_periods, f"B: {Path(run_b).name}")):
        draw_plan(side, run, heading=label, collapsed=True, narrow=True, lang=lang, periods=periods)
        side.fit_bounds(bounds, padding_top_left=(0, TITLE_PX))
    return dual


def write_map(path: Path, *, offline: bool = True, tiles: str | None = DEFAULT_TILES, lang: str = "en") -> None:
    """Write the map of the run folder `path` lies in to `path`.

    Called by ``planner run`` with ``<run folder>/map.html``. By default the page is
    self-contained (Leaflet inlined, no network needed but for the base tiles); words in `lang`.
    """
    path = Path(path)
    save_html(plan_map(path.parent, tiles=tiles, lang=lang), path, offline=offline)
