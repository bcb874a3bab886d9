"""One self-contained HTML report of a run for a planning document: :func:`report`.

A run with a plan gets its costs, division of labour, hosts, land use and maps; a run without one
(infeasible, no solution within the limits) gets what happened: status, solver, times and, when
infeasible, the conflicting constraints of its ``infeasibility.txt``.
"""

from __future__ import annotations

import base64
import io
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from planner import __version__
from planner.formatting import percent, seconds
from planner.maps import fonts
from planner.maps.controls import FONT_STACK
from planner.maps.htmlout import render_html
from planner.maps.interactive import plan_map
from planner.maps.markup import TABLE_CSS, escape, html_table
from planner.maps.metrics import (
    capacity_table,
    cost_table,
    division_of_labour,
    hosts_table,
    land_table,
)
from planner.maps.rundata import (
    PLAN_STATUSES,
    RunData,
    load_run,
    read_scenario,
    run_title,
)
from planner.maps.static import figure
from planner.maps.style import FUNCTION_LABELS, ZONE_LABELS, fmt
from planner.runfolder.read import (
    RunFolderError,
    read_manifest,
    read_summary,
    solver_label,
)

REPORT_CSS = f"""
body {{ font-family: {FONT_STACK}; margin: 24px auto; max-width: 1100px; color: #222; font-size: 14px; }}
h1 {{ font-size: 22px; margin-bottom: 4px; }} h2 {{ font-size: 17px; margin-top: 26px; border-bottom: 1px solid #ccc; }}
.meta {{ color: #555; }}
.map-frame {{ width: 100%; height: 640px; border: 1px solid #ccc; }}
img.static-map {{ width: 100%; height: auto; border: 1px solid #ccc; }}
table.facts th {{ font-weight: normal; }}
table.facts td {{ text-align: left; }}
pre.diagnosis {{ font-family: inherit; white-space: pre-wrap; background: #f7f7f7; border: 1px solid #ccc; padding: 8px 12px; }}
@media print {{
  body {{ margin: 0; max-width: none; font-size: 11px; }}
  .screen-only {{ display: none !important; }}
  section, table.data tr, figure, pre {{ break-inside: avoid; page-break-inside: avoid; }}
  thead {{ display: table-header-group; }}
  h2 {{ break-after: avoid; page-break-after: avoid; }}
  a {{ color: inherit; text-decoration: none; }}
}}
"""
"""Screen and print style of the report (its tables: :data:`planner.maps.markup.TABLE_CSS`)."""


def _table(frame: pd.DataFrame, digits: int = 2, index: bool = False) -> str:
    return html_table(frame, index=index, digits=digits)


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


def _solver_name(manifest: dict[str, Any]) -> str:
    """The solver and its version as recorded in the manifest, e.g. `highs 1.15.1` ("" when not recorded)."""
    return solver_label(manifest.get("solver") or {})


def _solver_line(run: RunData, manifest: dict[str, Any]) -> str:
    solver = _solver_name(manifest)
    s = run.summary
    gap = percent(s.get("mip_gap"), missing="unknown")
    return escape(f"{'solver ' + solver if solver else ''}; bound {fmt(s.get('best_bound'), 2)}, gap {gap}; "
                  f"solved in {seconds(s.get('solve_seconds'))} s")


def _stop_reason(summary: dict[str, Any], manifest: dict[str, Any]) -> str:
    """Why a solve that found a plan ended before proving it optimal ("" for an optimal plan)."""
    if summary.get("status") != "feasible":
        return ""
    gap = summary.get("mip_gap")
    within = f" It is within {percent(gap)} of the best bound." if gap is not None else ""
    if summary.get("interrupted"):
        return "The solve was stopped by Ctrl-C before it could prove this plan optimal." + within
    limit = ((manifest.get("solver") or {}).get("options") or {}).get("time_limit")
    at = f"its time limit of {limit:g} s" if limit is not None else "a limit"
    return f"The solve stopped at {at} before it could prove this plan optimal." + within


def _header(title: str, summary: dict[str, Any], run_dir: Path, outcome: str) -> str:
    """Title, scenario, run folder, description and `outcome` (HTML: the status line)."""
    description = read_scenario(run_dir).get("description") or ""
    return f"""<header>
<h1>{escape(title)}</h1>
<p class="meta">scenario <b>{escape(str(summary.get('scenario', '')))}</b> · run folder {escape(run_dir.name)}</p>
<p class="description">{escape(str(description)) or '<i>No description in the scenario.</i>'}</p>
<p>{outcome}</p>
</header>"""


def _footer() -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f'<footer class="meta"><p>Written by planner {escape(__version__)} on {when}.</p></footer>'


def _page(title: str, body: str) -> str:
    """The whole HTML page: `body` with the report's style and the subset of the Chinese font its text needs."""
    page = (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{TABLE_CSS}{REPORT_CSS}</style></head>\n<body>{body}</body></html>\n")
    css = fonts.font_face_css(fonts.page_characters(re.sub(r'srcdoc="[^"]*"', "", body) + title))
    return page.replace("</head>", f"<style>{css}</style></head>", 1) if css else page


def report_html(run_dir: Path, tiles: str | None = "none") -> str:
    """The report of the run in `run_dir` as one HTML page (no external script or style sheet).

    A run without a plan gets the report of :func:`no_plan_html`.
    """
    run_dir = Path(run_dir)
    if read_summary(run_dir).get("status") not in PLAN_STATUSES:
        return no_plan_html(run_dir)
    run = load_run(run_dir)
    map_page = render_html(plan_map(run.run_dir, tiles=tiles), offline=True)
    manifest = read_manifest(run.run_dir)
    stopped = _stop_reason(run.summary, manifest)
    outcome = (f"Status <b>{escape(run.status)}</b>, objective <b>{fmt(run.objective, 2)}</b> (10k yuan)."
               + (f" {escape(stopped)}" if stopped else "") + f'\n<span class="meta">{_solver_line(run, manifest)}</span>')
    body = f"""{_header(run.title, run.summary, run.run_dir, outcome)}
<section id="costs"><h2>Cost terms 成本构成 (10k yuan)</h2>{_table(cost_table(run))}</section>
<section id="division"><h2>Division of labour 分工 (function × zone)</h2>{_division(run)}</section>
<section id="hosts"><h2>Hosts per industry 各产业承接地区</h2>{_table(hosts_table(run), 0)}</section>
<section id="land"><h2>Land use per site 各园区用地 (ha)</h2>{_table(land_table(run))}</section>
<section id="map" class="screen-only"><h2>Interactive map 交互地图</h2>
<iframe class="map-frame" title="interactive map" srcdoc="{escape(map_page)}"></iframe></section>
<section id="static-map"><h2>Map 地图</h2>
<figure><img class="static-map" alt="map of the plan" src="data:image/png;base64,{_png_base64(run)}"></figure></section>
{_footer()}"""
    return _page(run.title, body)


NO_PLAN = {
    "infeasible": "The scenario has no feasible plan: its constraints cannot all hold at once (below, as diagnosed "
                  "in infeasibility.txt). There are no costs, division of labour or map to report.",
    "no_solution": "No plan was found within the solver's limits. There are no costs, division of labour or map to "
                   "report; a longer time limit (--time-limit) may find one.",
}
"""What the report of a run without a plan says, by status."""
INTERRUPTED = "The solve was stopped (Ctrl-C) before a plan was found. There are no costs, division of labour or map to report."


def _facts(summary: dict[str, Any], manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """(item, value) rows on how the run went: status, solver and its options, times, model size (what is recorded)."""
    options = (manifest.get("solver") or {}).get("options") or {}

    def shown(value: Any, form: str) -> str | None:
        return None if value is None else format(value, form)

    built = summary.get("n_variables") is not None  # else the checks before solving found the conflict
    solver = _solver_name(manifest) or None
    rows = [
        ("status", summary.get("status")),
        ("solver", solver if built or solver is None else f"{solver} (not run: the checks before solving found the conflict)"),
        ("time limit (s)", (shown(options.get("time_limit"), "g") or "none") if options else None),
        ("MIP gap", shown(options.get("mip_gap"), "g")),
        ("threads", (shown(options.get("threads"), "d") or "solver default") if options else None),
        ("seed", shown(options.get("seed"), "d")),
        ("started", manifest.get("started_at")),
        ("finished", manifest.get("finished_at")),
        *((("build (s)", shown(summary.get("build_seconds"), ",.2f")),
           ("hand-over (s)", shown(summary.get("handover_seconds"), ",.2f")),
           ("solve (s)", shown(summary.get("solve_seconds"), ",.2f"))) if built else ()),
        ("variables", shown(summary.get("n_variables"), ",d")),
        ("binaries", shown(summary.get("n_binaries"), ",d")),
        ("constraints", shown(summary.get("n_constraints"), ",d")),
    ]
    return [(item, str(value)) for item, value in rows if value is not None]


def no_plan_html(run_dir: Path) -> str:
    """The report of a run without a plan as one HTML page: title, status, what it means, solver, options, times,
    notes and, for an infeasible run, its ``infeasibility.txt`` (RunFolderError when that file is missing)."""
    run_dir = Path(run_dir)
    summary, manifest = read_summary(run_dir), read_manifest(run_dir)
    status = str(summary.get("status"))
    diagnosis = ""
    if status == "infeasible":
        path = run_dir / "infeasibility.txt"
        if not path.is_file():
            raise RunFolderError(f"{path} is missing: not a complete run folder (status: infeasible)")
        diagnosis = (f'<section id="infeasibility"><h2>Why there is no plan 不可行原因</h2>\n'
                     f'<pre class="diagnosis">{escape(path.read_text(encoding="utf-8").strip())}</pre></section>')
    meaning = INTERRUPTED if summary.get("interrupted") else NO_PLAN.get(status, f"The run has no plan (status {status}).")
    facts = "".join(f"<tr><th>{escape(item)}</th><td>{escape(value)}</td></tr>" for item, value in _facts(summary, manifest))
    notes = [*(summary.get("warnings") or []), *(summary.get("solver_notes") or [])]
    listed = "".join(f"<li>{escape(str(note))}</li>" for note in notes)
    title = run_title(summary, run_dir)
    solver = _solver_name(manifest) if summary.get("n_variables") is not None else ""
    outcome = f"Status <b>{escape(status)}</b>: no plan." + (f' <span class="meta">solver {escape(solver)}</span>'
                                                              if solver else "")
    body = f"""{_header(title, summary, run_dir, outcome)}
<section id="outcome"><h2>Outcome 求解结果</h2><p>{escape(meaning)}</p>
<table class="data facts">{facts}</table></section>
{diagnosis}
{f'<section id="notes"><h2>Notes 说明</h2><ul>{listed}</ul></section>' if listed else ''}
{_footer()}"""
    return _page(title, body)


def report(run_dir: Path, path: Path) -> None:
    """Write the report of the run in `run_dir` to `path`: one self-contained HTML file that prints to PDF (for a
    run without a plan: what happened, see :func:`no_plan_html`)."""
    Path(path).write_text(report_html(Path(run_dir)), encoding="utf-8")
