"""Maps of a plan, drawn from a run folder with folium."""

from __future__ import annotations

import json
from pathlib import Path

import folium
import pandas as pd

ZONE_COLOURS = {"center": "#d7301f", "inner": "#fc8d59", "outer": "#4575b4"}
"""Marker colour per zone type."""


def plan_map(run_dir: Path) -> folium.Map:
    """A folium map of the plan in `run_dir`: opened sites by zone and the chain links."""
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    sites = pd.read_csv(run_dir / "inputs" / "sites.csv").set_index("id")
    assignments = pd.read_csv(run_dir / "assignments.csv")
    links = pd.read_csv(run_dir / "links.csv")
    fmap = folium.Map(location=[sites["lat"].mean(), sites["lon"].mean()], zoom_start=6, tiles="OpenStreetMap")
    title = f"{summary.get('title') or summary.get('scenario')}: {summary['status']}, objective {summary['objective']:,.0f}"
    fmap.get_root().html.add_child(folium.Element(f"<h4 style='margin:4px'>{title}</h4>"))
    for site, rows in assignments.groupby("site"):
        lines = "<br>".join(f"{r.industry} {r.function}: {r.capacity:,.1f}" for r in rows.itertuples())
        folium.CircleMarker(
            [sites.at[site, "lat"], sites.at[site, "lon"]], radius=8, color=ZONE_COLOURS[sites.at[site, "zone"]],
            fill=True, tooltip=site, popup=folium.Popup(f"<b>{site}</b><br>{lines}", max_width=300)).add_to(fmap)
    top = links["amount"].max() if len(links) else 1.0
    for link in links.itertuples():
        ends = [[sites.at[s, "lat"], sites.at[s, "lon"]] for s in (link.from_site, link.to_site)]
        folium.PolyLine(ends, weight=1 + 5 * link.amount / top, opacity=0.6,
                        tooltip=f"{link.industry} {link.function}: {link.amount:,.1f}").add_to(fmap)
    return fmap


def write_map(path: Path) -> None:
    """Write map.html at `path`, drawn from the run folder it lies in."""
    plan_map(path.parent).save(str(path))
