"""The report's part for a run with periods: production per region over time and a section per period.

:func:`periods_html` gives a section ``periods`` with the chart of production per region over the periods
(:func:`planner.maps.period_figures.production_chart`) and, per period, a section ``period-<year>`` with its
totals and cost, its production per region and the sites where something was kept, built, retired or converted.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from planner.maps import fonts
from planner.maps.lang import value
from planner.maps.markup import escape, html_table
from planner.maps.period_figures import production_chart
from planner.maps.periods import MOVE_TITLES, MOVES, PeriodRuns, period_text, period_totals, site_moves
from planner.maps.style import fmt

CHART_SIZE = (9.0, 3.6)
"""Size (inches) of the report's chart of production per region."""


def chart_png(periods: PeriodRuns, lang: str = "en") -> bytes:
    """The chart of production per region over the periods as PNG bytes."""
    fig = Figure(figsize=CHART_SIZE, dpi=150, layout="constrained")
    with fonts.cjk_context():
        production_chart(fig.add_subplot(), periods, lang)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", bbox_inches="tight", pad_inches=0.15)
    return buffer.getvalue()


def _titled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.rename(columns=lambda c: MOVE_TITLES.get(lang, MOVE_TITLES["en"]).get(c, c))


def _sites_table(periods: PeriodRuns, period: int, lang: str) -> str:
    """The sites of `period` with their capacity before, kept, built, retired, converted and in use."""
    run = periods.runs[period]
    moves = site_moves(periods.transition, period)
    order = {s: k for k, s in enumerate(run.sites.index)}
    moves = moves.loc[sorted(moves.index, key=lambda s: order.get(s, len(order)))]
    moves.insert(0, "zone", [value(str(run.sites.at[s, "zone"]), lang) if s in run.sites.index else ""
                             for s in moves.index])
    moves.insert(0, "region", [str(run.sites.at[s, "region"]) if s in run.sites.index else "" for s in moves.index])
    return html_table(_titled(moves.rename_axis("site").reset_index(), lang))


def _regions_table(periods: PeriodRuns, period: int, lang: str) -> str:
    """The regions' production in `period`: before it (`previous`, by the balance of MODEL.md's constraint 11: what
    stands now, less what was built and converted in, plus what was retired and converted out), the moves of the
    period, and what stands at its end, as the sites table has them."""
    rows = periods.regions[periods.regions["period"] == period].copy()
    rows["previous"] = (rows["production"] - rows["built"] + rows["retired"] - rows["converted_in"]
                        + rows["converted_out"]).clip(lower=0.0)
    names = ["name_zh"] if "name_zh" in rows.columns else []
    columns = ["region", *names, "previous", *MOVES, "production"]
    return html_table(_titled(rows[columns], lang))


def _period_section(periods: PeriodRuns, period: int, summary: dict[str, Any], lang: str) -> str:
    totals = period_totals(periods.transition, period)
    figures = (summary.get("periods") or {}).get(str(period)) or {}
    cost = sum((figures.get("costs") or {}).values()) if figures.get("costs") else None
    line = period_text("period_line", lang, in_use=fmt(totals["in_use"]), kept=fmt(totals["stock_kept"]),
                       built=fmt(totals["built"]), retired=fmt(totals["retired"]),
                       converted=fmt(totals["converted_in"]), cost=fmt(cost, 2))
    heading = escape(period_text("period_heading", lang, period=period))
    regions, sites = escape(period_text("regions_table", lang)), escape(period_text("sites_changed", lang))
    return (f'<section class="period" id="period-{period}"><h3>{heading}</h3><p>{escape(line)}</p>'
            f"<p>{regions}</p>{_regions_table(periods, period, lang)}"
            f"<p>{sites}</p>{_sites_table(periods, period, lang)}</section>")


def periods_html(periods: PeriodRuns, summary: dict[str, Any], lang: str = "en") -> str:
    """The report's section of a run with periods: the production chart, then a section per period."""
    chart = base64.b64encode(chart_png(periods, lang)).decode("ascii")
    sections = "\n".join(_period_section(periods, t, summary, lang) for t in periods.periods)
    return (f'<section id="periods"><h2>{escape(period_text("periods_heading", lang))}</h2>\n'
            f'<figure><img class="static-map production-chart" alt="{escape(period_text("chart_alt", lang))}" '
            f'src="data:image/png;base64,{chart}"></figure>\n{sections}</section>')
