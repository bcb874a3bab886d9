"""One self-contained HTML report of a run for a planning document: :func:`report`.

A run with a plan gets its costs, division of labour, hosts, land use and maps; a run without one
(infeasible, no solution within the limits) gets what happened: status, solver, times and, when
infeasible, the conflicting constraints of its ``infeasibility.txt``.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from planner import __version__
from planner.formatting import percent, seconds
from planner.maps import fonts
from planner.maps.controls import FONT_STACK
from planner.maps.htmlout import render_html
from planner.maps.images import run_figure
from planner.maps.interactive import run_map
from planner.maps.lang import FACTS_ZH, header, text, value
from planner.maps.markup import TABLE_CSS, escape, html_table
from planner.maps.metrics import (
    capacity_table,
    cost_table,
    division_of_labour,
    hosts_table,
    land_table,
)
from planner.maps.period_report import periods_html
from planner.maps.periods import PeriodRuns, load_plan
from planner.maps.rundata import (
    PLAN_STATUSES,
    RunData,
    read_scenario,
    run_title,
)
from planner.maps.style import FUNCTION_LABELS, ZONE_LABELS, fmt
from planner.maps.text import restriction
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
pre.diagnosis {{ font-family: inherit; white-space: pre-wrap; background: #f7f7f7; border: 1px solid #ccc; \
padding: 8px 12px; }}
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


def _table(frame: pd.DataFrame, digits: int = 2, index: bool = False, lang: str = "en") -> str:
    """`frame` as a report table, its headers and codes (cost terms, zones) in `lang`."""
    shown = frame.rename(columns=lambda c: header(c, lang))
    if lang == "zh":
        for column in shown.columns:
            if not pd.api.types.is_numeric_dtype(shown[column]) and column in (header("term", lang),
                                                                               header("zone", lang)):
                shown[column] = shown[column].map(lambda v: value(v, lang) if isinstance(v, str) else v)
    return html_table(shown, index=index, digits=digits)


def _function_by_zone(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A function x zone table with labels in `lang` (en: English and Chinese), the functions as its first column."""
    if lang == "zh":
        out = frame.rename(columns=lambda z: value(z, lang)).rename_axis(index=None, columns=None)
        out.insert(0, text("function_zone", lang), [value(f, lang) for f in frame.index])
        return out
    out = frame.rename(columns=ZONE_LABELS).rename_axis(index=None, columns=None)
    out.insert(0, text("function_zone", lang), [FUNCTION_LABELS.get(f, f) for f in frame.index])
    return out


def _division(run: RunData, lang: str = "en") -> str:
    shares = _function_by_zone(100 * division_of_labour(run), lang)
    capacity = _function_by_zone(capacity_table(run), lang)
    return (f"<p>{text('division_shares', lang)}</p>" + _table(shares, 1)
            + f"<p>{text('division_capacity', lang)}</p>" + _table(capacity, 2))


def _png_base64(run: RunData, periods: PeriodRuns | None, lang: str = "en") -> str:
    """The plan's image as base64 PNG; a run with periods: the periods side by side, without the chart of
    production per region (the report's section ``periods`` has it)."""
    buffer = io.BytesIO()
    with fonts.cjk_context():
        run_figure(run, periods, lang, chart=False).savefig(buffer, format="png", bbox_inches="tight", pad_inches=0.2)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _solver_name(manifest: dict[str, Any]) -> str:
    """The solver and its version as recorded in the manifest, e.g. `highs 1.15.1` ("" when not recorded)."""
    return solver_label(manifest.get("solver") or {})


def _solver_line(run: RunData, manifest: dict[str, Any], lang: str = "en") -> str:
    s = run.summary
    line = text("solver_line", lang, solver=_solver_name(manifest) or text("unknown", lang),
                bound=fmt(s.get("best_bound"), 2), gap=percent(s.get("mip_gap"), missing=text("unknown", lang)),
                seconds=seconds(s.get("solve_seconds")))
    return escape(line)


def _stop_reason(summary: dict[str, Any], manifest: dict[str, Any], lang: str = "en") -> str:
    """Why a solve that found a plan ended before proving it optimal ("" for an optimal plan)."""
    if summary.get("status") != "feasible":
        return ""
    gap = summary.get("mip_gap")
    options = (manifest.get("solver") or {}).get("options") or {}
    limit = options.get("time_limit")
    left_out = (summary.get("heuristic") or {}).get("mip_left_out")
    memory = options.get("memory_limit")
    if lang == "zh":
        within = f"与最优界的差距在 {percent(gap)} 以内。" if gap is not None else ""
        if summary.get("interrupted"):
            return "求解被 Ctrl-C 中止，尚未证明此方案最优。" + within
        if left_out:
            return (f"整个模型的 MIP 超出{f' {memory:g} GB 的' if memory else ''}内存上限而未求解，"
                    "此方案（RENS 及交换所得）未经证明最优。" + within)
        at = f"达到 {limit:g} 秒的时间上限" if limit is not None else "达到求解上限"
        return f"求解{at}，尚未证明此方案最优。" + within
    within = f" It is within {percent(gap)} of the best bound." if gap is not None else ""
    if summary.get("interrupted"):
        return "The solve was stopped by Ctrl-C before it could prove this plan optimal." + within
    if left_out:
        of = f" of {memory:g} GB" if memory else ""
        return (f"HiGHS's MIP of the whole model was left out at the memory limit{of}, so this plan (RENS's and the "
                "swaps') is not proved optimal." + within)
    at = f"its time limit of {limit:g} s" if limit is not None else "a limit"
    return f"The solve stopped at {at} before it could prove this plan optimal." + within


def _header(title: str, summary: dict[str, Any], run_dir: Path, outcome: str, lang: str = "en") -> str:
    """Title, scenario, run folder, description and `outcome` (HTML: the status line)."""
    description = read_scenario(run_dir).get("description") or ""
    return f"""<header>
<h1>{escape(title)}</h1>
<p class="meta">{text('scenario', lang)} <b>{escape(str(summary.get('scenario', '')))}</b> · \
{text('run_folder', lang)} {escape(run_dir.name)}</p>
<p class="description">{escape(str(description)) or f"<i>{text('no_description', lang)}</i>"}</p>
<p>{outcome}</p>
</header>"""


def _footer(lang: str = "en") -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f'<footer class="meta"><p>{escape(text("footer", lang, version=__version__, when=when))}</p></footer>'


def _page(title: str, body: str) -> str:
    """The whole HTML page: `body` with the report's style and the subset of the Chinese font its text needs."""
    page = (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{TABLE_CSS}{REPORT_CSS}</style></head>\n<body>{body}</body></html>\n")
    css = fonts.font_face_css(fonts.page_characters(re.sub(r'srcdoc="[^"]*"', "", body) + title))
    return page.replace("</head>", f"<style>{css}</style></head>", 1) if css else page


def report_html(run_dir: Path, tiles: str | None = "none", lang: str = "en") -> str:
    """The report of the run in `run_dir` as one HTML page (no external script or style sheet), its headings,
    labels and table headers in `lang` (``en``: English with the Chinese terms; ``zh``: Chinese).

    A run without a plan gets the report of :func:`no_plan_html`.
    """
    run_dir = Path(run_dir)
    if read_summary(run_dir).get("status") not in PLAN_STATUSES:
        return no_plan_html(run_dir, lang)
    run, periods = load_plan(run_dir)
    map_page = render_html(run_map(run, periods, tiles=tiles, lang=lang), offline=True)
    manifest = read_manifest(run.run_dir)
    remarks = " ".join(part for part in (_stop_reason(run.summary, manifest, lang), restriction(run.summary, lang))
                       if part)
    image = _png_base64(run, periods, lang)
    outcome = (text("status_line", lang, status=escape(value(run.status, lang)), objective=fmt(run.objective, 2))
               + (f" {escape(remarks)}" if remarks else "")
               + f'\n<span class="meta">{_solver_line(run, manifest, lang)}</span>')
    heading = _last_period_heading(periods, lang)
    land = land_table(run) if periods is None else land_table(run).rename(columns={
        "cost (10k yuan)": "cost in the period (10k yuan, undiscounted)"})
    body = f"""{_header(run.title, run.summary, run.run_dir, outcome, lang)}
<section id="costs"><h2>{text('costs' if periods is None else 'costs_periods', lang)}</h2>\
{_table(cost_table(run), lang=lang)}</section>
<section id="division"><h2>{heading('division')}</h2>{_division(run, lang)}</section>
<section id="hosts"><h2>{heading('hosts')}</h2>{_table(hosts_table(run), 0, lang=lang)}</section>
<section id="land"><h2>{heading('land')}</h2>{_table(land, lang=lang)}</section>
{periods_html(periods, run.summary, lang) if periods is not None else ""}
<section id="map" class="screen-only"><h2>{text('interactive', lang)}</h2>
<iframe class="map-frame" title="{text('interactive', lang)}" srcdoc="{escape(map_page)}"></iframe></section>
<section id="static-map"><h2>{text('static', lang)}</h2>
<figure><img class="static-map" alt="{text('map_alt', lang)}" src="data:image/png;base64,{image}">\
</figure></section>
{_notes(run.summary, lang)}
{_footer(lang)}"""
    return _page(run.title, body)


def _last_period_heading(periods: PeriodRuns | None, lang: str) -> Callable[[str], str]:
    """The heading of a section of the report by its key: in a run with `periods`, the sections that show one
    plan show the last period's, and say so."""
    if periods is None:
        return lambda key: text(key, lang)
    return lambda key: text("last_period", lang, heading=text(key, lang), year=periods.periods[-1])


NO_PLAN = {"infeasible": text("no_plan_infeasible"), "no_solution": text("no_plan_no_solution")}
"""What the report of a run without a plan says, by status (``en``; :mod:`planner.maps.lang` has each language's)."""
INTERRUPTED = text("no_plan_interrupted")


def _meaning(summary: dict[str, Any], lang: str = "en") -> str:
    """What a run without a plan means, in `lang`."""
    status = str(summary.get("status"))
    if summary.get("interrupted"):
        return text("no_plan_interrupted", lang)
    if status in NO_PLAN:
        return text(f"no_plan_{status}", lang)
    return text("no_plan_other", lang, status=value(status, lang))


def _facts(summary: dict[str, Any], manifest: dict[str, Any], lang: str = "en") -> list[tuple[str, str]]:
    """(item, value) rows on how the run went: status, solver and its options, times, model size (what is recorded);
    the values in `lang`."""
    options = (manifest.get("solver") or {}).get("options") or {}

    def shown(value: Any, form: str) -> str | None:
        return None if value is None else format(value, form)

    built = summary.get("n_variables") is not None  # else the checks before solving found the conflict
    solver = _solver_name(manifest) or None
    rows = [
        ("status", value(str(summary.get("status")), lang)),
        ("solver", solver if built or solver is None else text("not_run", lang, solver=solver)),
        ("time limit (s)", (shown(options.get("time_limit"), "g") or text("no_limit", lang)) if options else None),
        ("MIP gap", shown(options.get("mip_gap"), "g")),
        ("threads", (shown(options.get("threads"), "d") or text("solver_default", lang)) if options else None),
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


def no_plan_html(run_dir: Path, lang: str = "en") -> str:
    """The report of a run without a plan as one HTML page: title, status, what it means, solver, options, times,
    notes and, for an infeasible run, its ``infeasibility.txt`` (RunFolderError when that file is missing).
    Headings, explanations and the facts in `lang`; the diagnosis and the notes are quoted as planner recorded them
    (English), under a line saying so in ``zh``."""
    run_dir = Path(run_dir)
    summary, manifest = read_summary(run_dir), read_manifest(run_dir)
    status = str(summary.get("status"))
    diagnosis = ""
    if status == "infeasible":
        path = run_dir / "infeasibility.txt"
        if not path.is_file():
            raise RunFolderError(f"{path} is missing: not a complete run folder (status: infeasible)")
        diagnosis = (f'<section id="infeasibility"><h2>{text("why", lang)}</h2>\n{_as_recorded(lang)}'
                     f'<pre class="diagnosis">{escape(path.read_text(encoding="utf-8").strip())}</pre></section>')
    meaning = _meaning(summary, lang)
    named = FACTS_ZH if lang == "zh" else {}
    facts = "".join(f"<tr><th>{escape(named.get(item, item))}</th><td>{escape(shown)}</td></tr>"
                    for item, shown in _facts(summary, manifest, lang))
    title = run_title(summary, run_dir)
    solver = _solver_name(manifest) if summary.get("n_variables") is not None else ""
    outcome = text("no_plan_line", lang, status=escape(value(status, lang))) + (
        f' <span class="meta">{text("solver", lang)} {escape(solver)}</span>' if solver else "")
    body = f"""{_header(title, summary, run_dir, outcome, lang)}
<section id="outcome"><h2>{text("outcome", lang)}</h2><p>{escape(meaning)}</p>
<table class="data facts">{facts}</table></section>
{diagnosis}
{_notes(summary, lang)}
{_footer(lang)}"""
    return _page(title, body)


def _notes(summary: dict[str, Any], lang: str) -> str:
    """The run's warnings and solver notes as a section of the report ("" when it has none)."""
    notes = [*(summary.get("warnings") or []), *(summary.get("solver_notes") or [])]
    listed = "".join(f"<li>{escape(str(note))}</li>" for note in notes)
    return f'<section id="notes"><h2>{text("notes", lang)}</h2>{_as_recorded(lang)}<ul>{listed}</ul></section>' \
        if listed else ""


def _as_recorded(lang: str) -> str:
    """The line before text quoted as planner recorded it (none in ``en``, which it is written in)."""
    said = text("as_recorded", lang)
    return f'<p class="meta">{escape(said)}</p>' if said else ""


def report(run_dir: Path, path: Path, lang: str = "en") -> None:
    """Write the report of the run in `run_dir` to `path`: one self-contained HTML file that prints to PDF (for a
    run without a plan: what happened, see :func:`no_plan_html`); headings, labels and table headers in `lang`."""
    Path(path).write_text(report_html(Path(run_dir), lang=lang), encoding="utf-8")
