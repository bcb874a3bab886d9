"""The sweep's results: one row per member read from its run folder, written as Parquet and CSV, and a plot."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from planner.models.layout import COST_TERMS
from planner.runfolder import write_csv
from planner.scenario.schema import FUNCTIONS, PREDECESSOR, ZONES
from planner.sweep.columns import RUN_COLUMNS, SUMMARY_KEYS, kpi_columns
from planner.sweep.spec import Value

PLOTTED = ("objective", "cost_land", "cost_linkage", "hosts_total", "share_rd_center", "share_production_outer")
"""KPIs drawn in kpis.png against each parameter."""

PLOTTED_UNITS = {"objective": "objective (10k yuan)", "cost_land": "land cost (10k yuan)",
                 "cost_linkage": "linkage cost (10k yuan)", "hosts_total": "host regions (count)",
                 "share_rd_center": "R&D in center (share, 0-1)",
                 "share_production_outer": "production outer (share, 0-1)"}
"""The y-axis label of each plotted KPI, with its unit."""

INTEGER_KPIS = frozenset({"hosts_total"})
"""Plotted KPIs that are counts: their axis has integer ticks."""

COST_KPIS = frozenset({"objective", "cost_land", "cost_linkage"})
"""Plotted KPIs in 10k yuan: their ticks have thousands separators."""


def member_row(name: str, parameters: dict[str, Value], folder: Path, *, status: str | None = None,
               message: str = "", skipped: bool = False, digest: str | None = None) -> dict[str, Any]:
    """One row: the member, its parameters, how it ended, its MIP start, and the KPIs from its summary.json (if any)."""
    row: dict[str, Any] = {"member": name, **parameters}
    summary: dict[str, Any] = {}
    if status != "error":
        try:
            summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            summary = {}
    start = summary.get("mip_start") or {}
    row |= {"status": status or summary.get("status", "error"), "message": message, "skipped": skipped,
            "input_hash": digest, "folder": folder.name,
            "model_reused": bool(summary.get("model_reused")), "costs_rewritten": bool(summary.get("costs_rewritten")),
            "start_values": start.get("values"),
            "start_accepted": start.get("accepted")}
    for key in SUMMARY_KEYS:
        row[key] = summary.get(key)
    costs = summary.get("costs") or {}
    for term in (*COST_TERMS, *(t for t in costs if t not in COST_TERMS)):  # a run with periods adds retire, upgrade
        row[f"cost_{term}"] = costs.get(term)
    hosts, extra = summary.get("hosts"), summary.get("extra_hosts")
    row["hosts_total"] = sum(hosts.values()) if hosts else None
    row["extra_hosts_total"] = sum(extra.values()) if extra else None
    shares = summary.get("division_of_labour") or {}
    for f in FUNCTIONS:
        for z in ZONES:
            row[f"share_{f}_{z}"] = (shares.get(f) or {}).get(z)
    radius = summary.get("flow_radius_km") or {}
    for f, p in PREDECESSOR.items():
        values = [r.get(f"{p}->{f}") for r in radius.values() if r and r.get(f"{p}->{f}") is not None]
        row[f"flow_radius_{p}_{f}_km"] = sum(values) / len(values) if values else None
    return row | period_kpis(summary)


PERIOD_MOVES = ("in_use", "built", "retired", "converted_in")
"""Capacity figures of each period in the results of a sweep of scenarios with periods (`<figure>_<year>`)."""


def period_kpis(summary: dict[str, Any]) -> dict[str, Any]:
    """The per-period KPIs of a run with periods (docs/model.md version 2): `cost_<year>` (the period's cost,
    undiscounted) and the capacity `in_use_<year>`, `built_<year>`, `retired_<year>`, `converted_in_<year>`; nothing
    for a run without periods. The top-level KPIs of such a run are its discounted totals and its last period's."""
    out: dict[str, Any] = {}
    for year, figures in (summary.get("periods") or {}).items():
        out[f"cost_{year}"] = sum((figures.get("costs") or {}).values())
        capacity = figures.get("capacity") or {}
        out |= {f"{move}_{year}": capacity.get(move) for move in PERIOD_MOVES}
    return out


def results_table(rows: list[dict[str, Any]], parameters: list[str]) -> pd.DataFrame:
    """The rows as a table with typed columns: parameters first, then status and KPIs."""
    columns = ["member", *parameters, *RUN_COLUMNS, *kpi_columns()]
    extra = list(dict.fromkeys(k for row in rows for k in row if k not in columns))  # periods: retire, upgrade, years
    frame = pd.DataFrame(rows, columns=[*columns, *extra])
    frame["start_values"] = frame["start_values"].astype("Int64")
    frame["start_accepted"] = frame["start_accepted"].astype("boolean")
    for column in parameters:
        values = [v for v in frame[column] if v is not None and not (isinstance(v, float) and math.isnan(v))]
        if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            frame[column] = pd.to_numeric(frame[column])
        elif values and not all(isinstance(v, bool) for v in values):
            frame[column] = frame[column].map(lambda v: None if v is None else str(v))
    for column in [*kpi_columns(), *extra]:
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    for column in ("skipped", "model_reused", "costs_rewritten"):
        frame[column] = frame[column].astype(bool)
    return frame


def write_results(frame: pd.DataFrame, out: Path, parameters: list[str]) -> list[Path]:
    """Write results.parquet, results.csv and kpis.png into `out`; return their paths."""
    written = [out / "results.parquet", out / "results.csv", out / "kpis.png"]
    frame.to_parquet(written[0], index=False)
    write_csv(written[1], frame)
    plot_kpis(frame, parameters, written[2])
    return written


def plot_kpis(frame: pd.DataFrame, parameters: list[str], path: Path) -> None:
    """A grid of small plots: each KPI (rows) against each parameter (columns), members with a plan only."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from planner.maps.fonts import (
        cjk_context,  # labels as written (no mathtext), Chinese values drawn
    )

    with cjk_context():
        _draw_kpis(plt, frame, parameters, path)


def _whole(values: pd.Series) -> bool:
    """Whether every value is a whole number (an integer axis)."""
    return bool(len(values)) and bool((values.astype(float) % 1 == 0).all())


def _draw_kpis(plt: Any, frame: pd.DataFrame, parameters: list[str], path: Path) -> None:
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    done = frame[frame["objective"].notna()]
    axes_params = parameters or ["member"]
    fig, axes = plt.subplots(len(PLOTTED), len(axes_params), squeeze=False,
                             figsize=(3.2 * len(axes_params) + 1, 2.2 * len(PLOTTED) + 0.6))
    for col, param in enumerate(axes_params):
        x = done[param]
        numeric = pd.api.types.is_numeric_dtype(x) and not pd.api.types.is_bool_dtype(x) and not x.isna().any()
        labels = sorted({_label(v) for v in x}, key=_order) if not numeric else []
        xs = x if numeric else x.map(lambda v, labels=labels: labels.index(_label(v)))
        for row, kpi in enumerate(PLOTTED):
            ax = axes[row][col]
            y = done[kpi]
            ax.scatter(xs, y, s=14, alpha=0.7)
            means = done.assign(_x=xs).groupby("_x")[kpi].mean()
            ax.plot(means.index, means.values, color="tab:red", linewidth=1)
            ax.ticklabel_format(axis="y", useOffset=False, style="plain")
            if y.notna().any() and y.max() - y.min() <= 1e-9 * max(1.0, abs(y.max())):
                pad = 1.0 if kpi in INTEGER_KPIS else 0.05 * max(1.0, abs(y.max()))
                ax.set_ylim(y.min() - pad, y.max() + pad)
            if not numeric:
                ax.set_xticks(range(len(labels)), labels, rotation=30, fontsize=7)
            elif _whole(x):
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            if kpi in INTEGER_KPIS:
                ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            elif kpi in COST_KPIS:
                ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
            if row == len(PLOTTED) - 1:
                ax.set_xlabel(param if numeric else f"{param} (value)")
            if col == 0:
                ax.set_ylabel(PLOTTED_UNITS[kpi], fontsize=8)
            ax.tick_params(labelsize=7)
    failed = len(frame) - len(done)
    fig.suptitle(f"KPIs against the sweep parameters ({len(done)} members with a plan"
                 + (f", {failed} without" if failed else "") + "; red: mean)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _label(value: Any) -> str:
    """A parameter value as an axis label (`none` where not set)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "none"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _order(label: str) -> tuple[int, float, str]:
    """Numbers first in numeric order, then other labels, `none` last."""
    try:
        return (0, float(label), label)
    except ValueError:
        return (2 if label == "none" else 1, 0.0, label)
