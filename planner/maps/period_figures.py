"""Static images of a run with periods: the periods side by side and production per region over time.

:func:`periods_figure` draws one map panel per period (regions, sites and chain links as in
:func:`planner.maps.static.figure`, with rings where capacity was built, converted in place or retired) above a
chart of each region's production capacity over the periods (regions.csv). 先立后破 shows in the chart: a
triangle marks a period in which a region retired production, and its line does not drop before the region's new
production stands. :func:`production_chart` draws the chart alone (the report shows it on its own too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, MaxNLocator

from planner.maps.geometry import NATIONAL_FRAME, national_view, view_bounds
from planner.maps.lang import VALUES_ZH, figure_text
from planner.maps.periods import (
    CHANGE_COLOURS,
    SHOWN,
    PeriodRuns,
    period_text,
    period_totals,
    production_by_region,
    site_change,
    site_moves,
)
from planner.maps.rundata import RunData
from planner.maps.static import (
    LEGEND_FONT,
    _aspect,
    _blank,
    _context,
    _dashes,
    _Entry,
    _frame,
    _Label,
    _layout,
    _legend,
    _legend_blocks,
    _place_labels,
    _regions,
    _sites_and_links,
    _south_china_sea,
    image_industry_colours,
    outside_in_frame,
)
from planner.maps.style import fmt

if TYPE_CHECKING:
    import pandas as pd

RING_SIZES: dict[str, float] = {"built": 110.0, "converted": 190.0, "retired": 290.0}
"""Marker size (points², as scatter's ``s``) of the ring drawn around a site for each change in a period."""

CHART_MARKERS = ("o", "s", "D", "P")
"""Markers of the production chart's lines, one per ten regions (the triangle marks a retirement)."""

PANEL_LABELS = 12
"""Above this many opened sites, a period's panel labels only the sites where something changed in that period."""

PANEL_WIDTH = 4.6
"""Width (inches) of each period's map panel."""

CHART_HEIGHT = 2.8
"""Height (inches) of the production chart."""

CHART_GID = "pl-production-chart"
"""``gid`` of the production chart's axes (``Axes.get_gid``)."""

PANEL_GID = "pl-period-panel"
"""``gid`` of each period's map panel."""


def _change_rings(ax: Axes, run: RunData, moves: dict[str, dict[str, float]]) -> None:
    """A ring around each site for what changed there: green built, purple converted, grey dashed retired."""
    for site, row in moves.items():
        if site not in run.sites.index:
            continue
        lat, lon = run.site_point(site)
        amounts = {"built": row["built"], "converted": row["converted_in"] + row["converted_out"],
                   "retired": row["retired"]}
        for change, amount in amounts.items():
            if amount > SHOWN:
                ax.scatter([lon], [lat], s=RING_SIZES[change], facecolors="none", edgecolors=CHANGE_COLOURS[change],
                           linewidths=1.6, linestyle="--" if change == "retired" else "-", zorder=4.5,
                           gid=f"pl-{change}-ring")


def _labelled_sites(run: RunData, moves: pd.DataFrame) -> set[str] | None:
    """The sites a period's panel labels: every opened site (None) when there are at most
    :data:`PANEL_LABELS`, else only those where something changed in the period (and their regions), so a
    province of 39 sites stays readable at a third of the image's width."""
    if len(run.opened_sites) <= PANEL_LABELS:
        return None
    return {str(site) for site, row in moves.iterrows() if site_change(row) != ["kept"]}


def _panel(ax: Axes, periods: PeriodRuns, period: int, bounds: list[list[float]], colours: dict[str, str],
           national: bool, lang: str) -> list[_Label]:
    """One period's map: regions, chain links, sites and their change rings, titled with the period's moves."""
    run = periods.runs[period]
    labels: list[_Label] = []
    moves = site_moves(periods.transition, period)
    sites = _labelled_sites(run, moves)
    regions = None if sites is None else {str(run.sites.at[s, "region"]) for s in sites if s in run.sites.index}
    _context(ax, run, bounds)
    _regions(ax, run, labels, lang, regions)
    if national:
        _dashes(ax, 1.0)
    _sites_and_links(ax, run, bounds, colours, labels, sites)
    _change_rings(ax, run, moves.to_dict("index"))
    _frame(ax, bounds, lang)
    if national:
        _south_china_sea(ax, run)
    totals = period_totals(periods.transition, period)
    ax.set_title(period_text("panel", lang, period=period, built=fmt(totals["built"]),
                             retired=fmt(totals["retired"]), converted=fmt(totals["converted_in"])), fontsize=9)
    ax.set_gid(PANEL_GID)
    return labels


def production_chart(ax: Axes, periods: PeriodRuns, lang: str = "en") -> None:
    """Production capacity of each region over the periods, one line per region (regions with none left out);
    a triangle where a region retired production in a period."""
    table = production_by_region(periods.regions)
    table = table.loc[:, (table > SHOWN).any()]
    retired = periods.regions.pivot_table(index="period", columns="region", values="retired", aggfunc="sum") \
        if "retired" in periods.regions else None
    names = periods.regions.drop_duplicates("region").set_index("region")
    handles: list[Line2D] = []
    marked = False
    palette = matplotlib.colormaps["tab10"].colors
    for k, region in enumerate(table.columns):
        run = periods.last
        label = (str(names.at[region, "name_zh"]) if lang == "zh" and "name_zh" in names
                 else run.region_name(region) if region in run.regions.index else str(region))
        # ten colours, then the same colours with the next marker: no two of 40 regions look alike
        line, = ax.plot(table.index, table[region], marker=CHART_MARKERS[k // len(palette) % len(CHART_MARKERS)],
                        color=palette[k % len(palette)], linewidth=1.8, label=label)
        handles.append(line)
        if retired is not None and region in retired:
            when = [t for t in table.index if float(retired.at[t, region]) > SHOWN]
            marked = marked or bool(when)
            ax.scatter(when, [table.at[t, region] for t in when], marker="v", s=70, color=line.get_color(),
                       edgecolors="#222222", zorder=5)
    ax.xaxis.set_major_locator(FixedLocator([float(t) for t in table.index]))
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0f}")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(lambda v, _: fmt(v, 0))
    top = float(table.max().max()) if table.size else 0.0
    ax.set_ylim(0, top * 1.1 if top > 0 else 1.0)  # room above the highest point and its triangle
    ax.set_xlabel(period_text("chart_x", lang), fontsize=8)
    ax.set_ylabel(period_text("chart_y", lang), fontsize=8)
    ax.set_title(period_text("chart_title", lang), fontsize=10)
    ax.tick_params(labelsize=7)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    # the labels given as they are: a region named "_x" is data, not a label matplotlib should leave out
    labels = [h.get_label() for h in handles]
    if marked:  # the triangle explained only where one is drawn
        handles.append(Line2D([], [], marker="v", linestyle="", color="#888888", markeredgecolor="#222222"))
        labels.append(period_text("retired", lang).split(" (")[0].split("（")[0])
    ax.legend(handles, labels, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_gid(CHART_GID)


def _period_legend(lang: str) -> list[_Entry]:
    def ring(change: str) -> Line2D:
        return Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor="none",
                      markeredgecolor=CHANGE_COLOURS[change], markeredgewidth=1.6)

    entries = [_Entry(_blank(), period_text("section", lang), True)]
    entries += [_Entry(ring(c), period_text(c, lang)) for c in ("built", "converted", "retired")]
    return entries


def periods_figure(periods: PeriodRuns, lang: str = "en", chart: bool = True) -> Figure:
    """The periods side by side (a map panel each) above the chart of production per region over the periods
    (without the chart when not `chart`)."""
    last = periods.last
    national = national_view(last)
    bounds = NATIONAL_FRAME if national else view_bounds(last)
    count = len(periods.periods)
    width = max(PANEL_WIDTH * count, 9.0)
    colours = image_industry_colours(last)
    blocks = [*_legend_blocks(last, colours, None, [], bool(outside_in_frame(last, bounds)), lang),
              _period_legend(lang)]
    columns = _layout(blocks, width - 0.5)
    legend_height = max(len(c) for c in columns) * LEGEND_FONT * 1.5 / 72 + 0.2
    map_height = min(max((width - 0.6 * count) / count * _aspect(bounds), 3.0), 6.0)
    rows = [map_height, CHART_HEIGHT] if chart else [map_height]
    fig = Figure(figsize=(width, sum(rows) + 1.4 + legend_height), dpi=150, layout="constrained")
    grid = fig.add_gridspec(len(rows), count, height_ratios=rows)
    axes = [fig.add_subplot(grid[0, k]) for k in range(count)]
    panels = []
    for ax, period in zip(axes, periods.periods, strict=True):
        labels = _panel(ax, periods, period, bounds, colours, national, lang)
        points = [periods.runs[period].site_point(s)[::-1] for s in periods.runs[period].opened_sites]
        panels.append((ax, labels, points))
    if chart:
        production_chart(fig.add_subplot(grid[1, :]), periods, lang)
    status = VALUES_ZH.get(last.status, last.status) if lang == "zh" else last.status
    fig.suptitle(f"{last.title}\n" + figure_text("status {status}, objective {objective} (10k yuan)", lang,
                                                  status=status, objective=fmt(last.objective, 2)), fontsize=11)
    _legend(fig, columns)
    _place_labels(fig, panels)
    return fig
