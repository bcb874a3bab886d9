"""A static image of a plan (geopandas + matplotlib) with Chinese labels: :func:`png`.

The image has a panel of regions, sites and chain links and, when the scenario is a metro
scenario (:func:`planner.maps.geometry.metro_cities`), a second panel of that city's districts coloured by ring.
Only regions and districts that host something are labelled. The legend is one compact
multi-column block below the panels; with more than :data:`GROUP_INDUSTRIES_ABOVE`
industries they are listed by category, one colour family per category.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import geopandas as gpd
from matplotlib import colormaps, colors, patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Wedge
from matplotlib.text import Annotation, Text
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import Bbox, ScaledTranslation

from planner import geodata
from planner.maps import fonts
from planner.maps.geometry import (
    NATIONAL_FRAME,
    SOUTH_CHINA_SEA_FRAME,
    MetroView,
    dash_lines,
    metro_cities,
    metro_view,
    national_view,
    outside_provinces,
    region_points,
    region_shapes,
    view_bounds,
)
from planner.maps.lang import VALUES_ZH, figure_text
from planner.maps.metrics import industries_hosted, industry_categories, most_hosted
from planner.maps.rundata import RunData, load_run
from planner.maps.style import (
    CATEGORY_LABELS,
    DASH_COLOUR,
    FUNCTIONS,
    LINK_LABELS,
    OUTSIDE_COLOUR,
    OUTSIDE_LABEL,
    UNCLASSIFIED_COLOUR,
    UNCLASSIFIED_LABEL,
    ZONE_COLOURS,
    ZONES,
    fmt,
    hosted_colour,
    hosted_swatches,
    industry_colours,
    link_weight,
    zone_swatches,
)

SHORT_FUNCTION = {"rd": "研发", "pilot": "中试", "production": "量产"}
"""Chinese short name of each function, for site labels."""

GROUP_INDUSTRIES_ABOVE = 12
"""With more industries than this, the legend lists them by category, one colour family each."""

CATEGORY_FAMILIES: dict[str, str] = {"future": "Purples", "emerging": "Reds", "traditional": "YlOrBr"}
"""Matplotlib colour map whose shades colour the industries of a category."""

SPARE_FAMILIES: tuple[str, ...] = ("Greens", "Blues", "Greys", "PuRd", "Oranges")
"""Colour maps for further categories, in order of first appearance."""


SAME_SITE_RING = (0.1, 0.035)
"""Outer radius and width (inches) of the ring of same-site links around a site."""

LEGEND_FONT = 7.0
"""Font size (points) of the legend."""

_HALO = [patheffects.withStroke(linewidth=2.5, foreground="white")]
"""A white outline that keeps labels readable over fills and links."""

NATIONAL_WIDTH = 12.0
"""Width (inches) of the image of a national view: the whole territory leaves the eastern sites close together."""

INSET_WIDTH = 0.18
"""Width of the South China Sea inset, as a share of the national panel's width."""

INSET_LABEL = "south-china-sea-inset"
"""Label (``Axes.get_label``) of the South China Sea inset of a national image."""

OUTSIDE_GID = "pl-outside"
"""``gid`` of the collection of provincial-level units outside the scenario."""

DASH_GID = "pl-dashes"
"""``gid`` of the collection of the dashes of the South China Sea line."""


# --- which panels ----------------------------------------------------------------------------


def metro_bounds(view: MetroView, cities: list[str], margin: float = 0.05) -> list[list[float]]:
    """[[south, west], [north, east]] around the districts of `cities`, in degrees."""
    west, south, east, north = view.units[view.units["city"].isin(cities)].total_bounds
    return [[south - margin, west - margin], [north + margin, east + margin]]


def city_name(code: str) -> str:
    """Chinese name of a city of :func:`planner.geodata.districts` (a municipality: its province)."""
    units = geodata.districts().set_index("adcode")
    if code in units.index:
        return str(units.at[code, "name_zh"])
    provinces = geodata.provinces().set_index("adcode")
    province = code[:2] + "0000"
    return str(provinces.at[province, "name_zh"]) if province in provinces.index else code


# --- labels and colours ----------------------------------------------------------------------


def labelled_regions(run: RunData) -> list[str]:
    """Regions that get a label on the map: those hosting at least one industry."""
    hosted = industries_hosted(run)
    return [r for r in run.regions.index if int(hosted[r]) > 0]


def industry_groups(run: RunData) -> dict[str, list[str]]:
    """Category -> its industries, known categories first ("" for none)."""
    return industry_categories(run)


def grouped(run: RunData) -> bool:
    """Whether the image lists industries by category (more than :data:`GROUP_INDUSTRIES_ABOVE`)."""
    return len(run.industry_ids) > GROUP_INDUSTRIES_ABOVE and len(industry_groups(run)) > 1


def image_industry_colours(run: RunData) -> dict[str, str]:
    """Colour of each industry's links: distinct colours, or shades of one family per category."""
    if not grouped(run):
        return industry_colours(run.industry_ids)
    spare = iter(SPARE_FAMILIES)
    out: dict[str, str] = {}
    for category, members in industry_groups(run).items():
        family = colormaps[CATEGORY_FAMILIES.get(category) or next(spare, "Greys")]
        for k, ind in enumerate(members):
            out[ind] = colors.to_hex(family(0.45 + 0.5 * k / max(len(members) - 1, 1)))
    return out




# --- drawing ---------------------------------------------------------------------------------


def _frame(ax: Axes, bounds: list[list[float]], lang: str = "en") -> None:
    (south, west), (north, east) = bounds
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
    ax.tick_params(labelsize=7)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}°E"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}°N"))
    ax.set_xlabel(figure_text("longitude 经度 (°E, WGS84)", lang), fontsize=7)
    ax.set_ylabel(figure_text("latitude 纬度 (°N, WGS84)", lang), fontsize=7)


def _context(ax: Axes, run: RunData, bounds: list[list[float]]) -> None:
    """Provincial-level units in the frame: the run's own light, the others grey (not shaded by the plan)."""
    (south, west), (north, east) = bounds
    provinces = geodata.provinces().cx[west:east, south:north]
    outside = provinces["adcode"].isin(outside_provinces(run).index)
    if (~outside).any():
        provinces[~outside].plot(ax=ax, facecolor="#f2f2f2", edgecolor="#bbbbbb", linewidth=0.5)
    if outside.any():
        provinces[outside].plot(ax=ax, facecolor=OUTSIDE_COLOUR, edgecolor="#aaaaaa", linewidth=0.5,
                                gid=OUTSIDE_GID)


def outside_in_frame(run: RunData, bounds: list[list[float]]) -> list[str]:
    """Adcodes of the provincial-level units outside the scenario that a panel showing `bounds` draws."""
    (south, west), (north, east) = bounds
    return sorted(outside_provinces(run).cx[west:east, south:north].index)


def _dashes(ax: Axes, linewidth: float) -> None:
    """The dashes of the South China Sea line."""
    dash_lines().plot(ax=ax, color=DASH_COLOUR, linewidth=linewidth, gid=DASH_GID, zorder=2)


def _inset_rect(main: list[list[float]], inset: list[list[float]], width: float) -> list[float]:
    """[x, y, w, h] in the main panel's axes fraction of an inset `width` wide in its lower right corner."""
    height = width * _aspect(inset) / _aspect(main)
    return [1 - width, 0.0, width, height]


def _south_china_sea(ax: Axes, run: RunData) -> Axes:
    """The inset of the South China Sea islands and the dashed line (南海诸岛) in the lower right of `ax`."""
    inset = ax.inset_axes(_inset_rect(NATIONAL_FRAME, SOUTH_CHINA_SEA_FRAME, INSET_WIDTH), zorder=7)
    inset.set_label(INSET_LABEL)
    _context(inset, run, SOUTH_CHINA_SEA_FRAME)
    _region_fills(inset, run)
    _dashes(inset, 1.0)
    _frame(inset, SOUTH_CHINA_SEA_FRAME)
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_xlabel("")
    inset.set_ylabel("")
    inset.set_facecolor("white")
    for spine in inset.spines.values():
        spine.set_linewidth(0.8)
        spine.set_edgecolor("#333333")
    inset.text(0.96, 0.03, "南海诸岛", transform=inset.transAxes, ha="right", va="bottom", fontsize=7,
               color="#222222", path_effects=_HALO)
    return inset


def _site_label(run: RunData, site: str) -> str:
    functions = run.assignments.loc[run.assignments["site"] == site, "function"]
    return f"{site} " + "·".join(SHORT_FUNCTION[f] for f in FUNCTIONS if f in set(functions))


def _link_slots(run: RunData) -> dict[int, tuple[int, int]]:
    """Link row -> (its slot, links in its bundle): links joining the same two sites form a bundle."""
    order = {ind: k for k, ind in enumerate(run.industry_ids)}
    bundles: dict[tuple[str, ...], list[tuple[int, int, int]]] = {}
    for row, link in zip(run.links.index, run.links.itertuples(), strict=False):
        key = tuple(sorted((str(link.from_site), str(link.to_site))))
        bundles.setdefault(key, []).append((order.get(link.industry, 0), FUNCTIONS.index(link.function)
                                            if link.function in FUNCTIONS else 0, row))
    slots: dict[int, tuple[int, int]] = {}
    for members in bundles.values():
        for k, (_, _, row) in enumerate(sorted(members)):
            slots[row] = (k, len(members))
    return slots


def _sites_and_links(ax: Axes, run: RunData, bounds: list[list[float]], colours: dict[str, str],
                     labels: list[_Label], labelled: Collection[str] | None = None) -> None:
    """The chain links, then every site (grey when not opened), each opened site labelled (only those in
    `labelled` when given)."""
    largest = float(run.links["amount"].max()) if len(run.links) else 0.0
    span = max(bounds[1][0] - bounds[0][0], bounds[1][1] - bounds[0][1])
    slots = _link_slots(run)
    for row, link in zip(run.links.index, run.links.itertuples(), strict=False):
        slot, size = slots[row]
        lat1, lon1 = run.site_point(link.from_site)
        lat2, lon2 = run.site_point(link.to_site)
        if link.from_site == link.to_site:
            # pilot and production at one site: an arc of a ring around the site, one per link
            gap = 6.0 if size > 1 else 0.0
            start = 90 + 360 * slot / size
            at_site = ScaledTranslation(lon1, lat1, ax.transData)  # type: ignore[arg-type]  # the documented idiom
            ring = Wedge((0, 0), SAME_SITE_RING[0], start + gap / 2, start + 360 / size - gap / 2,
                         width=SAME_SITE_RING[1], facecolor=colours[link.industry], edgecolor="none", alpha=0.9,
                         transform=ax.figure.dpi_scale_trans + at_site, zorder=4)  # inches around the site
            ax.add_patch(ring)
            continue
        width = 0.4 * link_weight(float(link.amount), largest)
        # parallel links apart; a bundle is at most 3 % of the view wide
        step = min(0.004 * span, 0.03 * span / max(size - 1, 1))
        shift = step * (slot - (size - 1) / 2)
        if str(link.from_site) > str(link.to_site):
            shift = -shift  # the same side whichever way a link of the pair runs
        length = math.hypot(lon2 - lon1, lat2 - lat1) or 1.0
        dx, dy = -(lat2 - lat1) / length * shift, (lon2 - lon1) / length * shift
        style = "--" if link.function == "pilot" else "-"
        ax.plot([lon1 + dx, lon2 + dx], [lat1 + dy, lat2 + dy], style, color=colours[link.industry],
                linewidth=width, alpha=0.85, zorder=3, solid_capstyle="butt")
    opened = set(run.opened_sites)
    closed = [s for s in run.sites.index if s not in opened]
    ax.scatter(run.sites.loc[closed, "lon"], run.sites.loc[closed, "lat"], s=9, facecolors="white",
               edgecolors="#999999", linewidths=0.6, zorder=4)
    for site in run.opened_sites:
        lat, lon = run.site_point(site)
        ax.scatter([lon], [lat], s=60, color=ZONE_COLOURS.get(str(run.sites.at[site, "zone"]), "#999999"),
                   edgecolors="#222222", linewidths=0.8, zorder=5)
        if labelled is not None and site not in labelled:
            continue
        text = ax.annotate(_site_label(run, site), (lon, lat), xytext=(6, 5), textcoords="offset points",
                           fontsize=7, zorder=7, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                                       "alpha": 0.8},
                           arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.6, "shrinkA": 0,
                                       "shrinkB": 3})
        labels.append(_Label(text, "site"))


def _region_fills(ax: Axes, run: RunData) -> None:
    """The run's region shapes shaded by the number of industries they host."""
    hosted, most = industries_hosted(run), most_hosted(run)
    shapes = region_shapes(run)
    if len(shapes):
        hosting = shapes.index.isin(labelled_regions(run))
        for mask, edge, width in ((~hosting, "#aaaaaa", 0.5), (hosting, "#555555", 0.8)):
            if mask.any():
                part = shapes[mask]
                part.plot(ax=ax, color=[hosted_colour(int(hosted[r]), most) for r in part.index],
                          edgecolor=edge, linewidth=width, alpha=0.7)


def _regions(ax: Axes, run: RunData, labels: list[_Label], lang: str = "en",
             labelled: Collection[str] | None = None) -> None:
    """The regions, shaded and dotted by the industries they host; each hosting region labelled (only those in
    `labelled` when given)."""
    hosted, most = industries_hosted(run), most_hosted(run)
    _region_fills(ax, run)
    for region in region_points(run):
        ax.scatter([run.regions.at[region, "lon"]], [run.regions.at[region, "lat"]], s=500,
                   color=hosted_colour(int(hosted[region]), most), edgecolors="#555555", zorder=2)
    for region in labelled_regions(run):
        if labelled is not None and region not in labelled:
            continue
        row = run.regions.loc[region]
        name = str(row.get("name_zh") or region) if lang == "zh" else run.region_name(region)
        text = ax.annotate(f"{name}\n{int(hosted[region])} 产业", (row["lon"], row["lat"]),
                           xytext=(0, -9), textcoords="offset points", ha="center", va="top", fontsize=8,
                           color="#333333", zorder=6, path_effects=_HALO,
                           arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.6, "shrinkA": 0,
                                       "shrinkB": 2})
        labels.append(_Label(text, "region"))


def _metro(ax: Axes, run: RunData, view: MetroView, cities: list[str], bounds: list[list[float]],
           colours: dict[str, str], labels: list[_Label]) -> None:
    units = gpd.GeoDataFrame(view.units, geometry="geometry", crs=geodata.CRS)
    fills = [ZONE_COLOURS.get(str(r), UNCLASSIFIED_COLOUR) for r in units["ring"]]
    units.plot(ax=ax, color=fills, alpha=0.45, edgecolor="#666666", linewidth=0.4)
    opened = set(run.opened_sites)
    hosting = units.loc[sorted({u for s, u in view.site_unit.items() if s in opened})]
    hosting = hosting[hosting["city"].isin(cities)]  # other cities' units are context only
    if len(hosting):
        hosting.plot(ax=ax, facecolor="none", edgecolor="#222222", linewidth=1.2)
    for _, unit in hosting.iterrows():
        point = unit.geometry.representative_point()
        text = ax.annotate(str(unit["name_zh"]), (point.x, point.y), xytext=(0, 0), textcoords="offset points",
                           fontsize=7, ha="center", va="center", color="#222222", zorder=6, path_effects=_HALO,
                           arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.6, "shrinkA": 0,
                                       "shrinkB": 2})
        labels.append(_Label(text, "unit"))
    _sites_and_links(ax, run, bounds, colours, labels)


# --- label placement -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Label:
    text: Annotation
    kind: str
    """"site", "region" (a region hosting something) or "unit" (a metro district hosting a site)."""


HAlign = Literal["left", "center", "right"]
VAlign = Literal["bottom", "center", "top"]
Spot = tuple[float, float, HAlign, VAlign]
"""A label's offset from its anchor (points) and its alignment."""


def _ring(dx: float, dy: float, far: float, steps: tuple[float, ...] | None = None) -> list[Spot]:
    """Offsets (points) around an anchor with the alignment that keeps the text on that side, at 1, between and
    `far` times (dx, dy), or at each of `steps` times."""
    out: list[Spot] = []
    for k in steps or (1.0, (1 + far) / 2, far):
        for x, y in ((dx, dy), (dx, -dy), (-dx, dy), (-dx, -dy), (0, dy * 1.6), (0, -dy * 1.6), (dx * 1.6, 0),
                     (-dx * 1.6, 0)):
            ha: HAlign = "left" if x > 0 else "right" if x < 0 else "center"
            va: VAlign = "bottom" if y > 0 else "top" if y < 0 else "center"
            out.append((x * k, y * k, ha, va))
    return out


CANDIDATES: dict[str, list[Spot]] = {
    "site": _ring(6, 5, 2.8),
    "region": [(0, -9, "center", "top"), *_ring(7, 7, 2.5)],
    "unit": [(0, 0, "center", "center"), *_ring(6, 6, 2.2)],
}
"""Positions tried for each kind of label, preferred first."""

FARTHER: dict[str, list[Spot]] = {
    "site": _ring(6, 5, 0, steps=(3.6, 4.6, 5.8, 7.2)),
    "region": _ring(7, 7, 0, steps=(3.2, 4.2, 5.4, 6.8)),
    "unit": _ring(6, 6, 0, steps=(3.0, 4.0, 5.2, 6.6)),
}
"""Positions tried, with a leader line, when every one of :data:`CANDIDATES` overlaps something."""

PRIORITY = ("site", "region", "unit")
"""Labels placed first keep their preferred position."""


def _text_box(text: Annotation, renderer: RendererBase, pad: float) -> Bbox:
    text.update_positions(renderer)
    box = Text.get_window_extent(text, renderer)
    return Bbox.from_extents(box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad)


def _move(text: Annotation, spot: Spot) -> None:
    text.xyann = spot[:2]
    text.set_horizontalalignment(spot[2])
    text.set_verticalalignment(spot[3])


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _outside(box: Bbox, frame: Bbox) -> float:
    return box.width * box.height - _overlap(box, frame)


def _distance(box: Bbox, x: float, y: float) -> float:
    return math.hypot(max(box.x0 - x, 0, x - box.x1), max(box.y0 - y, 0, y - box.y1))


def _misleading(box: Bbox, anchor: tuple[float, float], marks: list[tuple[float, float]]) -> bool:
    """Whether a label's box lies nearer another site marker than its own anchor (it would be misread)."""
    own = _distance(box, *anchor)
    return any(_distance(box, x, y) + 2 < own for x, y in marks if math.hypot(x - anchor[0], y - anchor[1]) > 2)


def _place_labels(fig: Figure, panels: list[tuple[Axes, list[_Label], list[tuple[float, float]]]]) -> None:
    """Move labels so they overlap neither each other nor the site markers (greedy, by :data:`PRIORITY`).

    Lays the figure out first and then fixes the layout, so the positions checked are those drawn.
    """
    canvas = FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    renderer = canvas.get_renderer()
    scale = fig.dpi / 72
    for ax, labels, points in panels:
        frame = ax.get_window_extent(renderer)
        marks = [(float(x), float(y)) for x, y in ax.transData.transform(points) if frame.contains(x, y)] \
            if points else []
        taken = [Bbox.from_extents(x - 5 * scale, y - 5 * scale, x + 5 * scale, y + 5 * scale) for x, y in marks]
        insets = [inset.get_window_extent(renderer) for inset in ax.child_axes]  # the South China Sea
        for label in sorted(labels, key=lambda lab: PRIORITY.index(lab.kind)):
            x, y = ax.transData.transform(label.text.xy)
            anchor = (float(x), float(y))
            if not frame.contains(*anchor):
                continue  # not drawn (annotation_clip)
            best: tuple[float, Spot, Bbox] | None = None
            for candidate in CANDIDATES[label.kind] + FARTHER[label.kind]:
                _move(label.text, candidate)
                box = _text_box(label.text, renderer, 1.5 * scale)
                covered = sum(_overlap(box, t) for t in taken)
                score = covered + (2 * box.width * box.height if covered else 0) + 4 * _outside(box, frame)
                score += 8 * sum(_overlap(box, inset) for inset in insets)  # an inset hides what lies below
                if _misleading(box, anchor, marks):
                    score += box.width * box.height
                if best is None or score < best[0]:
                    best = (score, candidate, box)
                if score == 0:
                    break
            assert best is not None
            _move(label.text, best[1])
            if label.text.arrow_patch is not None:  # a leader line only to a label moved away
                label.text.arrow_patch.set_visible(math.hypot(best[1][0], best[1][1]) > 12)
            taken.append(best[2])


# --- legend ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    handle: Artist
    label: str
    heading: bool = False


def _blank(label: str = "") -> Line2D:
    return Line2D([], [], linestyle="", marker="", label=label)


def _legend_blocks(run: RunData, colours: dict[str, str], view: MetroView | None,
                   cities: list[str], outside: bool = False, lang: str = "en") -> list[list[_Entry]]:
    def tr(words: str, **values: object) -> str:
        return figure_text(words, lang, **values)

    sites = [_Entry(_blank(), tr("站点 Sites"), True)]
    sites += [_Entry(Line2D([], [], marker="o", linestyle="", markersize=6, markerfacecolor=colour,
                            markeredgecolor="#222222"), tr(label)) for colour, label in zone_swatches()]
    if len(run.opened_sites) < len(run.sites):
        sites.append(_Entry(Line2D([], [], marker="o", linestyle="", markersize=3.5, markerfacecolor="white",
                                   markeredgecolor="#999999"), tr("not opened 未启用")))
    links = [_Entry(_blank(), tr("联系 Links"), True),
             _Entry(Line2D([], [], color="#555555", linestyle="--", linewidth=1.2), tr(LINK_LABELS["pilot"])),
             _Entry(Line2D([], [], color="#555555", linewidth=1.2), tr(LINK_LABELS["production"]))]
    if (run.links["from_site"] == run.links["to_site"]).any():
        links.append(_Entry(Line2D([], [], marker="o", linestyle="", markersize=7, markerfacecolor="none",
                                   markeredgecolor="#888888", markeredgewidth=2.2), tr("same site 同址 (ring)")))
    most = most_hosted(run)
    regions = [_Entry(_blank(), tr("区域 Regions hosting"), True)]
    regions += [_Entry(Patch(facecolor=colour, edgecolor="#aaaaaa", linewidth=0.5),
                       tr("{n} 产业 industries", n=n)) for colour, n in hosted_swatches(most)]
    if outside:
        regions.append(_Entry(Patch(facecolor=OUTSIDE_COLOUR, edgecolor="#aaaaaa", linewidth=0.5), tr(OUTSIDE_LABEL)))
    blocks = [sites, links, regions]
    if view is not None and cities:
        rings = [_Entry(_blank(), tr("圈层 Rings"), True)]
        rings += [_Entry(Patch(color=colour, alpha=0.45), tr(label)) for colour, label in zone_swatches()]
        shown = view.units[view.units["city"].isin(cities)]
        if (~shown["ring"].isin(ZONES)).any() or len(shown) < len(view.units):
            rings.append(_Entry(Patch(color=UNCLASSIFIED_COLOUR, alpha=0.45), tr(UNCLASSIFIED_LABEL)))
        blocks.append(rings)
    if grouped(run):
        for category, members in industry_groups(run).items():
            heading = tr(CATEGORY_LABELS.get(category, category))
            block = [_Entry(_blank(), f"{heading} ({len(members)})", True)]
            block += [_Entry(Line2D([], [], color=colours[i], linewidth=2.5), str(run.industries.at[i, "name_zh"]))
                      for i in members]
            blocks.append(block)
    else:
        block = [_Entry(_blank(), tr("产业 Industries"), True)]
        block += [_Entry(Line2D([], [], color=colours[i], linewidth=2.5),
                         str(run.industries.at[i, "name_zh"]) if lang == "zh" else run.industry_name(i))
                  for i in run.industry_ids]
        blocks.append(block)
    return blocks


def _columns(blocks: list[list[_Entry]], rows: int) -> list[list[_Entry]]:
    """Blocks packed top to bottom into columns of at most `rows` entries; a long block continues."""
    columns: list[list[_Entry]] = []
    current: list[_Entry] = []
    for block in blocks:
        if current and len(current) + len(block) > rows:
            columns.append(current)
            current = []
        for start in range(0, len(block), rows):
            if current and len(current) + len(block[start:start + rows]) > rows:
                columns.append(current)
                current = []
            current = current + block[start:start + rows]
    if current:
        columns.append(current)
    return columns


def _text_width(text: str) -> float:
    """Rough width (inches) of `text` in the legend font."""
    return sum(1.0 if ord(c) >= fonts.CJK_START else 0.56 for c in text) * LEGEND_FONT / 72


def _column_width(column: list[_Entry]) -> float:
    return max(_text_width(e.label) for e in column) + 3.4 * LEGEND_FONT / 72


def _layout(blocks: list[list[_Entry]], width: float) -> list[list[_Entry]]:
    """The columns of fewest rows whose estimated width fits `width` inches."""
    rows = max(len(b) for b in blocks if len(b) <= 16)  # blocks this long are not split when it fits
    total = sum(len(b) for b in blocks)
    columns = _columns(blocks, rows)
    while rows < total and sum(map(_column_width, columns)) > width:
        rows += 1
        columns = _columns(blocks, rows)
    return columns


def _legend(fig: Figure, columns: list[list[_Entry]]) -> None:
    rows = max(len(c) for c in columns)
    entries = [e for column in columns for e in column + [_Entry(_blank(), "")] * (rows - len(column))]
    legend = fig.legend(handles=[e.handle for e in entries], labels=[e.label for e in entries],
                        loc="outside lower center", ncols=len(columns), fontsize=LEGEND_FONT, frameon=False,
                        columnspacing=1.4, handlelength=2.0, handletextpad=0.6, labelspacing=0.35)
    for entry, text in zip(entries, legend.get_texts(), strict=False):
        if entry.heading:  # the font has no bold face: a thin outline of its own colour stands in
            text.set_color("#111111")
            text.set_path_effects([patheffects.withStroke(linewidth=0.6, foreground="#111111")])


# --- figure ----------------------------------------------------------------------------------


def _aspect(bounds: list[list[float]]) -> float:
    """Height / width of a panel showing `bounds`."""
    (south, west), (north, east) = bounds
    return (north - south) / max(east - west, 1e-6) / math.cos(math.radians((south + north) / 2))


def figure(run: RunData, lang: str = "en") -> Figure:
    """The matplotlib figure of a plan: regions and chain, and (for a metro scenario) its districts by ring; its
    titles, labels and legend in `lang` (``en``: English with the Chinese terms; ``zh``: Chinese)."""
    view = metro_view(run)
    cities = metro_cities(run, view)
    national = national_view(run)
    bounds = NATIONAL_FRAME if national else view_bounds(run)
    frames: list[list[list[float]]] = [bounds]
    if view is not None and cities:
        frames.append(metro_bounds(view, cities))
    # one wide panel for many regions; panels as wide as makes their maps equally high
    width = NATIONAL_WIDTH if national else 10.0 if len(frames) == 1 and len(run.regions) > 12 \
        else 7.5 * len(frames)
    ratios = [1 / _aspect(b) for b in frames]
    map_height = min(max((width - 0.6 * len(frames)) / sum(ratios), 4.0), 9.0)
    colours = image_industry_colours(run)
    columns = _layout(_legend_blocks(run, colours, view, cities, bool(outside_in_frame(run, bounds)),
                                      lang), width - 0.5)
    legend_height = max(len(c) for c in columns) * LEGEND_FONT * 1.5 / 72 + 0.2
    fig = Figure(figsize=(width, map_height + 1.1 + legend_height), dpi=150, layout="constrained")
    axes = fig.subplots(1, len(frames), squeeze=False, width_ratios=ratios)[0]
    labels: list[list[_Label]] = [[] for _ in frames]
    _context(axes[0], run, bounds)
    _regions(axes[0], run, labels[0], lang)
    if national:
        _dashes(axes[0], 1.2)
    _sites_and_links(axes[0], run, bounds, colours, labels[0])
    _frame(axes[0], bounds, lang)
    if national:
        _south_china_sea(axes[0], run)
    axes[0].set_title(figure_text("区域分工 Regions and chain links", lang), fontsize=10)
    if len(frames) == 2 and view is not None:
        _metro(axes[1], run, view, cities, frames[1], colours, labels[1])
        _frame(axes[1], frames[1], lang)
        axes[1].set_title(f"{figure_text('都市圈层 Metro districts by ring', lang)}: "
                          f"{'、'.join(city_name(c) for c in cities)}",
                          fontsize=10)
    status = VALUES_ZH.get(run.status, run.status) if lang == "zh" else run.status
    fig.suptitle(f"{run.title}\n" + figure_text("status {status}, objective {objective} (10k yuan)", lang,
                                                 status=status, objective=fmt(run.objective, 2)), fontsize=11)
    _legend(fig, columns)
    points = [run.site_point(s)[::-1] for s in run.opened_sites]
    _place_labels(fig, [(ax, lab, points) for ax, lab in zip(axes, labels, strict=False)])
    return fig


def png(run_dir: Path, path: Path, lang: str = "en") -> None:
    """Write a PNG image of the plan in `run_dir` to `path` (Chinese labels in Noto Sans SC), in `lang`."""
    run = load_run(Path(run_dir))
    with fonts.cjk_context():
        figure(run, lang).savefig(Path(path), format="png", bbox_inches="tight", pad_inches=0.2)
