"""A static image of a plan (geopandas + matplotlib) with Chinese labels: :func:`png`."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from planner import geodata
from planner.maps import fonts
from planner.maps.geometry import MetroView, metro_view, region_points, region_shapes, view_bounds
from planner.maps.metrics import industries_hosted, most_hosted
from planner.maps.rundata import RunData, load_run
from planner.maps.style import (
    FUNCTIONS,
    UNCLASSIFIED_COLOUR,
    ZONE_COLOURS,
    ZONE_LABELS,
    ZONES,
    fmt,
    hosted_colour,
    industry_colours,
    link_weight,
)

SHORT_FUNCTION = {"rd": "研发", "pilot": "中试", "production": "量产"}
"""Chinese short name of each function, for site labels."""


def _frame(ax: Axes, bounds: list[list[float]]) -> None:
    (south, west), (north, east) = bounds
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
    ax.tick_params(labelsize=7)
    ax.set_xlabel("")
    ax.set_ylabel("")


def _context(ax: Axes, bounds: list[list[float]]) -> None:
    (south, west), (north, east) = bounds
    provinces = geodata.provinces().cx[west:east, south:north]
    provinces.plot(ax=ax, facecolor="#f2f2f2", edgecolor="#bbbbbb", linewidth=0.5)


def _site_label(run: RunData, site: str) -> str:
    functions = run.assignments.loc[run.assignments["site"] == site, "function"]
    return f"{site} " + "·".join(SHORT_FUNCTION[f] for f in FUNCTIONS if f in set(functions))


def _offset(run: RunData, industry: str, ends: tuple[tuple[float, float], ...], step: float) -> list[float]:
    """Lon/lat of a link's ends shifted sideways by the industry's slot, so parallel links stay apart."""
    (lat1, lon1), (lat2, lon2) = ends
    slot = run.industry_ids.index(industry) - (len(run.industry_ids) - 1) / 2
    length = math.hypot(lon2 - lon1, lat2 - lat1) or 1.0
    dx, dy = -(lat2 - lat1) / length * step * slot, (lon2 - lon1) / length * step * slot
    return [lon1 + dx, lat1 + dy, lon2 + dx, lat2 + dy]


def _sites_and_links(ax: Axes, run: RunData, bounds: list[list[float]]) -> None:
    colours = industry_colours(run.industry_ids)
    largest = float(run.links["amount"].max()) if len(run.links) else 0.0
    step = 0.004 * max(bounds[1][0] - bounds[0][0], bounds[1][1] - bounds[0][1])
    for link in run.links.itertuples():
        ends = (run.site_point(link.from_site), run.site_point(link.to_site))
        lon1, lat1, lon2, lat2 = _offset(run, link.industry, ends, step)
        width = 0.4 * link_weight(float(link.amount), largest)
        style = "--" if link.function == "pilot" else "-"
        if link.from_site == link.to_site:
            ax.scatter([lon1], [lat1], s=220, facecolors="none", edgecolors=colours[link.industry],
                       linewidths=width, linestyle=":", zorder=3)
        else:
            ax.plot([lon1, lon2], [lat1, lat2], style, color=colours[link.industry], linewidth=width, alpha=0.8,
                    zorder=3)
    closed = [s for s in run.sites.index if s not in set(run.opened_sites)]
    ax.scatter(run.sites.loc[closed, "lon"], run.sites.loc[closed, "lat"], s=14, facecolors="white",
               edgecolors="#777777", linewidths=0.8, zorder=4)
    for site in run.opened_sites:
        lat, lon = run.site_point(site)
        ax.scatter([lon], [lat], s=60, color=ZONE_COLOURS.get(str(run.sites.at[site, "zone"]), "#999999"),
                   edgecolors="#222222", linewidths=0.8, zorder=5)
        ax.annotate(_site_label(run, site), (lon, lat), xytext=(5, 4), textcoords="offset points", fontsize=7,
                    zorder=6, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})


def _regions(ax: Axes, run: RunData) -> None:
    hosted, most = industries_hosted(run), most_hosted(run)
    shapes = region_shapes(run)
    if len(shapes):
        shapes.plot(ax=ax, color=[hosted_colour(int(hosted[r]), most) for r in shapes.index],
                    edgecolor="#555555", linewidth=0.8, alpha=0.7)
    for region in region_points(run):
        ax.scatter([run.regions.at[region, "lon"]], [run.regions.at[region, "lat"]], s=500,
                   color=hosted_colour(int(hosted[region]), most), edgecolors="#555555", zorder=2)
    for region, row in run.regions.iterrows():
        ax.annotate(f"{run.region_name(region)}\n{int(hosted[region])} 产业", (row["lon"], row["lat"]),
                    xytext=(0, -16), textcoords="offset points", ha="center", va="top", fontsize=8,
                    color="#333333", zorder=6)


def _metro(ax: Axes, run: RunData, view: MetroView, bounds: list[list[float]]) -> None:
    units = gpd.GeoDataFrame(view.units, geometry="geometry", crs=geodata.CRS)
    colours = [ZONE_COLOURS.get(str(r), UNCLASSIFIED_COLOUR) for r in units["ring"]]
    units.plot(ax=ax, color=colours, alpha=0.45, edgecolor="#666666", linewidth=0.4)
    hosting = units.loc[sorted(set(view.site_unit.values()))]
    hosting.plot(ax=ax, facecolor="none", edgecolor="#222222", linewidth=1.2)
    for _, unit in hosting.iterrows():
        point = unit.geometry.representative_point()
        ax.annotate(str(unit["name_zh"]), (point.x, point.y), fontsize=7, ha="center", color="#222222", zorder=6)
    _sites_and_links(ax, run, bounds)


def _legend(fig: Figure, run: RunData, metro: bool) -> None:
    colours = industry_colours(run.industry_ids)
    handles: list[Artist] = [Line2D([], [], marker="o", linestyle="", markerfacecolor=ZONE_COLOURS[z], markeredgecolor="#222",
                      label=f"site {ZONE_LABELS[z]}") for z in ZONES]
    handles += [Line2D([], [], color=colours[i], linewidth=2, label=run.industry_name(i)) for i in run.industry_ids]
    handles += [Line2D([], [], color="#555", linestyle="--", label="研发→中试 R&D → pilot"),
                Line2D([], [], color="#555", label="中试→量产 pilot → production")]
    most = most_hosted(run)
    handles += [Patch(color=hosted_colour(n, most), label=f"region hosts {n} 产业") for n in range(most + 1)]
    if metro:
        handles += [Patch(color=ZONE_COLOURS[z], alpha=0.45, label=f"ring 圈层 {ZONE_LABELS[z]}") for z in ZONES]
        handles.append(Patch(color=UNCLASSIFIED_COLOUR, alpha=0.45, label="ring not classified 未分类"))
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=7, frameon=False)


def figure(run: RunData) -> Figure:
    """The matplotlib figure of a plan: regions and chain, and (when present) the metro districts by ring."""
    view = metro_view(run)
    panels = 2 if view is not None else 1
    fig = Figure(figsize=(7.5 * panels, 7.8), dpi=150)
    axes = fig.subplots(1, panels, squeeze=False)[0]
    bounds = view_bounds(run)
    _context(axes[0], bounds)
    _regions(axes[0], run)
    _sites_and_links(axes[0], run, bounds)
    _frame(axes[0], bounds)
    axes[0].set_title("区域分工 Regions and chain links", fontsize=10)
    if view is not None:
        (west, south, east, north) = view.units.total_bounds
        metro_bounds = [[south - 0.05, west - 0.05], [north + 0.05, east + 0.05]]
        _metro(axes[1], run, view, metro_bounds)
        _frame(axes[1], metro_bounds)
        axes[1].set_title("都市圈层 Metro districts by ring", fontsize=10)
    fig.suptitle(f"{run.title}\nstatus {run.status}, objective {fmt(run.objective, 2)} (10k yuan)", fontsize=11)
    _legend(fig, run, view is not None)
    fig.subplots_adjust(left=0.05, right=0.98, top=0.88, bottom=0.2, wspace=0.12)
    return fig


def png(run_dir: Path, path: Path) -> None:
    """Write a PNG image of the plan in `run_dir` to `path` (Chinese labels in Noto Sans SC)."""
    run = load_run(Path(run_dir))
    with fonts.cjk_context():
        figure(run).savefig(Path(path), format="png", bbox_inches="tight", pad_inches=0.2)
