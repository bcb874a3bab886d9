"""One self-contained HTML report of a run for a planning document: :func:`report`."""

from __future__ import annotations

import base64
import io
import json
import re
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pandas as pd

from planner import __version__
from planner.maps import fonts
from planner.maps.controls import FONT_STACK
from planner.maps.htmlout import render_html
from planner.maps.interactive import plan_map
from planner.maps.metrics import capacity_table, cost_table, division_of_labour, hosts_table, land_table
from planner.maps.rundata import RunData, load_run
from planner.maps.static import figure
from planner.maps.style import FUNCTION_LABELS, ZONE_LABELS, fmt

REPORT_CSS = f"""
body {{ font-family: {FONT_STACK}; margin: 24px auto; max-width: 1100px; color: #222; font-size: 14px; }}
h1 {{ font-size: 22px; margin-bottom: 4px; }} h2 {{ font-size: 17px; margin-top: 26px; border-bottom: 1px solid #ccc; }}
.meta {{ color: #555; }}
table.data {{ border-collapse: collapse; margin: 8px 0; font-size: 13px; }}
table.data th, table.data td {{ border: 1px solid #ccc; padding: 3px 8px; }}
table.data th {{ background: #f0f0f0; text-align: left; }}
table.data td {{ text-align: right; }}
table.data td:first-child {{ text-align: left; }}
.map-frame {{ width: 100%; height: 640px; border: 1px solid #ccc; }}
img.static-map {{ width: 100%; height: auto; border: 1px solid #ccc; }}
@page {{ size: A4; margin: 14mm; }}
@media print {{
  body {{ margin: 0; max-width: none; font-size: 11px; }}
  .screen-only {{ display: none !important; }}
  section, table.data tr, figure {{ break-inside: avoid; page-break-inside: avoid; }}
  thead {{ display: table-header-group; }}
  h2 {{ break-after: avoid; page-break-after: avoid; }}
  a {{ color: inherit; text-decoration: none; }}
}}
"""
"""Screen and print style of the report."""


def _table(frame: pd.DataFrame, digits: int = 2, index: bool = False) -> str:
    return frame.to_html(index=index, classes="data", border=0, escape=True, na_rep="–",
                         float_format=lambda v: f"{v:,.{digits}f}")


def _function_by_zone(frame: pd.DataFrame) -> pd.DataFrame:
    """A function x zone table with English and Chinese labels, the functions as its first column."""
    out = frame.rename(columns=ZONE_LABELS).rename_axis(index=None, columns=None)
    out.insert(0, "function 环节 \\ zone 区位", [FUNCTION_LABELS.get(f, f) for f in frame.index])
    return out


def _division(run: RunData) -> str:
    shares = _function_by_zone(100 * division_of_labour(run))
    capacity = _function_by_zone(capacity_table(run))
    return ("<p>Share of each function's capacity by zone (%):</p>" + _table(shares, 1)
            + "<p>Capacity placed by function and zone:</p>" + _table(capacity, 2))


def _png_base64(run: RunData) -> str:
    buffer = io.BytesIO()
    with fonts.cjk_context():
        figure(run).savefig(buffer, format="png", bbox_inches="tight", pad_inches=0.2)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _solver_line(run: RunData) -> str:
    manifest_path = run.run_dir / "manifest.json"
    solver = ""
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        info = manifest.get("solver") or {}
        solver = f"solver {info.get('name', '')} {info.get('version', '')}".strip()
    s = run.summary
    gap = f"{100 * s['mip_gap']:.4f} %" if s.get("mip_gap") is not None else "unknown"
    return escape(f"{solver}; bound {fmt(s.get('best_bound'), 2)}, gap {gap}; "
                  f"solved in {fmt(s.get('solve_seconds'), 2)} s")


def report_html(run_dir: Path, tiles: str | None = "none") -> str:
    """The report of the run in `run_dir` as one HTML page (no external script or style sheet)."""
    run = load_run(Path(run_dir))
    description = run.scenario.get("description") or ""
    map_page = render_html(plan_map(run.run_dir, tiles=tiles), offline=True)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = f"""<header>
<h1>{escape(run.title)}</h1>
<p class="meta">scenario <b>{escape(str(run.summary.get('scenario', '')))}</b> · run folder {escape(run.run_dir.name)}</p>
<p class="description">{escape(str(description)) or '<i>No description in the scenario.</i>'}</p>
<p>Status <b>{escape(run.status)}</b>, objective <b>{fmt(run.objective, 2)}</b> (10k yuan).
<span class="meta">{_solver_line(run)}</span></p>
</header>
<section id="costs"><h2>Cost terms 成本构成 (10k yuan)</h2>{_table(cost_table(run))}</section>
<section id="division"><h2>Division of labour 分工 (function × zone)</h2>{_division(run)}</section>
<section id="hosts"><h2>Hosts per industry 各产业承接地区</h2>{_table(hosts_table(run), 0)}</section>
<section id="land"><h2>Land use per site 各园区用地 (ha)</h2>{_table(land_table(run))}</section>
<section id="map" class="screen-only"><h2>Interactive map 交互地图</h2>
<iframe class="map-frame" title="interactive map" srcdoc="{escape(map_page, quote=True)}"></iframe></section>
<section id="static-map"><h2>Map 地图</h2>
<figure><img class="static-map" alt="map of the plan" src="data:image/png;base64,{_png_base64(run)}"></figure></section>
<footer class="meta"><p>Written by planner {escape(__version__)} on {when}.</p></footer>"""
    page = (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{escape(run.title)}</title><style>{REPORT_CSS}</style></head>\n<body>{body}</body></html>\n")
    css = fonts.font_face_css(fonts.page_characters(re.sub(r'srcdoc="[^"]*"', "", body) + run.title))
    return page.replace("</head>", f"<style>{css}</style></head>", 1) if css else page


def report(run_dir: Path, path: Path) -> None:
    """Write the report of the run in `run_dir` to `path`: one self-contained HTML file that prints to PDF."""
    Path(path).write_text(report_html(Path(run_dir)), encoding="utf-8")
