"""The periods of a version 2 run (docs/scenario.md "Version 2") as the maps, the image and the report show them.

A run with periods has ``transition.csv`` (per site, industry, function and period: capacity kept from stock,
built, retired, converted in and out, in use) and ``regions.csv`` (production per region and period). This
module reads them (:func:`load_periods`), sums them per site and period (:func:`site_moves`), says what a site
did in a period (:func:`site_change`), and holds the words of the period views (:data:`PERIOD_TEXT`, one place,
English with the Chinese terms and Chinese).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planner.maps.rundata import RunData, load_run, load_runs, run_periods
from planner.runfolder.read import RunFolderError, read_summary, read_table

TRANSITION = "transition.csv"
"""The run folder's table of capacity movements per site, industry, function and period."""

REGIONS = "regions.csv"
"""The run folder's table of production per region and period."""

MOVES: tuple[str, ...] = ("stock_kept", "built", "retired", "converted_in", "converted_out")
"""Capacity movements of transition.csv, in the order tables list them."""

SHOWN = 1e-6
"""Amounts at or below this count as nothing."""

REMAINDER = 1e-3
"""A row's build, retirement or conversion below this share of its capacity (before or after) is a rounding
remainder, not a decision, and marks nothing on the maps: a stock rounded up to four decimals (pilot and R&D
stock derived from production) leaves such remainders, which a plan may retire at no cost."""

CHANGE_COLOURS: dict[str, str] = {"built": "#1a9850", "converted": "#7b3294", "retired": "#8c8c8c", "kept": "#222222"}
"""Colour of a site's marker outline (built, kept), or of the ring around it (converted, retired: dashed), by what
changed there in a period."""

PERIOD_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "section": "Periods 分期",
        "layer": "Period {period} {period}年",
        "stepper": "Period 分期",
        "legend": "Periods 分期: what changed at a site",
        "built": "new capacity built 新建 (green outline)",
        "converted": "converted in place 改造升级 (purple ring)",
        "retired": "capacity retired 退出 (grey dashed ring)",
        "closed": "all retired 全部退出 (hollow grey)",
        "kept": "kept or unchanged 保留",
        "title": "Periods {periods}: step through them with the period control (◀ ▶) 分期查看",
        "target": "regions, functions and industries: the last period, {period} 末期",
        "chart_title": "Production per region over the periods 各地区量产产能",
        "chart_y": "production capacity 量产产能 (units)",
        "chart_x": "period 分期 (year)",
        "panel": "{period}: built {built}, retired {retired}, converted {converted}",
        "periods_heading": "Periods 分期",
        "period_heading": "Period {period} {period}年",
        "period_line": "In use {in_use}, kept from stock {kept}, built {built}, retired {retired}, converted "
                       "{converted} (capacity units); cost {cost} (10k yuan, undiscounted).",
        "sites_changed": "Sites and what changed there 各园区变化:",
        "regions_table": "Production per region 各地区量产产能:",
        "chart_alt": "production per region over the periods",
        "nothing": "nothing changed",
    },
    "zh": {
        "section": "分期",
        "layer": "{period}年",
        "stepper": "分期",
        "legend": "分期：园区变化",
        "built": "新建（绿色轮廓）",
        "converted": "改造升级（紫色环）",
        "retired": "退出（灰色虚线环）",
        "closed": "全部退出（空心灰色）",
        "kept": "保留",
        "title": "分期 {periods}：用分期控件（◀ ▶）逐期查看",
        "target": "地区、环节与产业图层：末期 {period}",
        "chart_title": "各地区量产产能",
        "chart_y": "量产产能（单位）",
        "chart_x": "分期（年）",
        "panel": "{period}：新建 {built}，退出 {retired}，改造 {converted}",
        "periods_heading": "分期",
        "period_heading": "{period}年",
        "period_line": "在用 {in_use}，保留存量 {kept}，新建 {built}，退出 {retired}，改造 {converted}（产能单位）；"
                       "成本 {cost}（万元，未折现）。",
        "sites_changed": "各园区变化：",
        "regions_table": "各地区量产产能：",
        "chart_alt": "各地区量产产能随分期的变化",
        "nothing": "无变化",
    },
}
"""The words of the period views (interactive map, image, report) per language, in one place."""

MOVE_TITLES: dict[str, dict[str, str]] = {
    "en": {"site": "site", "region": "region", "zone": "zone", "previous": "previous 期初",
           "stock_kept": "kept from stock 保留存量",
           "built": "built 新建", "retired": "retired 退出", "converted_in": "converted in 改造转入",
           "converted_out": "converted out 改造转出", "capacity": "in use 在用", "production": "production 量产产能",
           "name_zh": "name 名称"},
    "zh": {"site": "园区", "region": "地区", "zone": "区位", "previous": "期初", "stock_kept": "保留存量",
           "built": "新建", "retired": "退出", "converted_in": "改造转入", "converted_out": "改造转出",
           "capacity": "在用", "production": "量产产能", "name_zh": "名称"},
}
"""Titles of the columns of the period tables (transition.csv, regions.csv) in the report, per language."""


def period_text(key: str, lang: str = "en", **values: object) -> str:
    """The period views' words `key` in `lang` (English with the Chinese terms by default), `values` filled in."""
    words = PERIOD_TEXT.get(lang, PERIOD_TEXT["en"])[key]
    return words.format(**values) if values else words


@dataclass(frozen=True)
class PeriodRuns:
    """A run with periods: the plan of each period and the tables of what changed between them."""

    periods: list[int]
    runs: dict[int, RunData]
    """The plan of each period (:func:`planner.maps.rundata.load_run` with that period)."""
    transition: pd.DataFrame
    """transition.csv."""
    regions: pd.DataFrame
    """regions.csv."""

    @property
    def last(self) -> RunData:
        """The plan of the last period."""
        return self.runs[self.periods[-1]]


def has_periods(run_dir: Path) -> bool:
    """Whether the run folder `run_dir` is a run with periods (summary.json ``periods`` and transition.csv)."""
    try:
        summary = read_summary(Path(run_dir))
    except RunFolderError:
        return False
    return bool(run_periods(summary)) and (Path(run_dir) / TRANSITION).is_file()


def load_periods(run_dir: Path) -> PeriodRuns:
    """Read a run folder with periods; :class:`RunFolderError` when it has no plan or no transition tables."""
    run_dir = Path(run_dir)
    periods = run_periods(read_summary(run_dir))
    plans = load_runs(run_dir, [*periods[:-1], None])  # None: the last period, as load_run gives it
    if not periods:
        raise RunFolderError(f"{run_dir / 'summary.json'} has no periods: not a run with periods")
    transition = read_table(run_dir / TRANSITION, ["period", "industry", "function", "site", "region", "capacity",
                                                   *MOVES])
    regions = read_table(run_dir / REGIONS, ["period", "region", "production", *MOVES])
    runs = {t: plans[t] for t in periods[:-1]} | {periods[-1]: plans[None]}
    return PeriodRuns(periods, runs, transition, regions)


def load_plan(run_dir: Path) -> tuple[RunData, PeriodRuns | None]:
    """Read the run folder `run_dir` once: its plan (a run with periods: the last period's) and, for a run with
    periods, its :class:`PeriodRuns` (else None); :class:`RunFolderError` when it has no plan."""
    if has_periods(run_dir):
        periods = load_periods(run_dir)
        return periods.last, periods
    return load_run(Path(run_dir)), None


def site_moves(transition: pd.DataFrame, period: int) -> pd.DataFrame:
    """Per site in `period`: previous, kept, built, retired, converted in and out and in use (sums over its rows;
    a row's movements below :data:`REMAINDER` of its capacity left out)."""
    rows = transition[transition["period"] == period].copy()
    scale = rows[["previous", "capacity"]].max(axis=1) if "previous" in rows else rows["capacity"]
    for move in ("built", "retired", "converted_in", "converted_out"):
        rows.loc[rows[move] < REMAINDER * scale, move] = 0.0
    columns = ["previous", *MOVES, "capacity"] if "previous" in rows else [*MOVES, "capacity"]
    return rows.groupby("site", sort=False)[columns].sum()


def site_change(moves: pd.Series) -> list[str]:
    """What a site did in a period, from its :func:`site_moves` row: any of built, converted, retired (in that
    order), ``closed`` when it holds nothing after retiring, else ``kept``."""
    changes = [c for c, amount in (("built", moves["built"]),
                                   ("converted", moves["converted_in"] + moves["converted_out"]),
                                   ("retired", moves["retired"])) if amount > SHOWN]
    if moves["capacity"] <= SHOWN and (moves["retired"] > SHOWN or moves["converted_out"] > SHOWN):
        changes.append("closed")
    return changes or ["kept"]


def period_totals(transition: pd.DataFrame, period: int) -> dict[str, float]:
    """Capacity in use, kept, built, retired and converted (in) in `period`, over every site."""
    rows = transition[transition["period"] == period]
    return {"in_use": float(rows["capacity"].sum()), **{m: float(rows[m].sum()) for m in MOVES}}


def production_by_region(regions: pd.DataFrame) -> pd.DataFrame:
    """Production capacity, periods x regions (regions.csv pivoted; regions in the order of the table)."""
    order = list(dict.fromkeys(regions["region"]))
    table = regions.pivot_table(index="period", columns="region", values="production", aggfunc="sum")
    return table[order].sort_index()
