"""`planner importance RUN_DIR`: replacement importance of each opened site.

For every site the plan of RUN_DIR opens, the site is closed (every x at that site fixed to 0,
which is the same model as a `lock_out: {site: S}` rule) and the scenario re-solved with the
run's solver options. The importance is the increase of the optimum:
    importance(S) = z*(without S) - z*(run)
`infinite` (reported as `inf`, status `infeasible`) when no plan exists without the site. A site
that a `lock_in` rule opens cannot be closed; it is reported as `locked_in`.
With a non-zero mip_gap both optima are known only within their gaps (the table gives the gap).

For a run with periods or stock (docs/model.md version 2) the site is closed in every period (its stock, if any,
is then retired in the first period; under 先立后破 its region must build the production retired first), and the
importance is the increase of the discounted total; `functions` lists what the site hosts in any period and
`land_used_ha` the most land it uses in one period.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.maps.markup import LayerControl, escape
from planner.research.common import RunRecord, read_run
from planner.run import build
from planner.runfolder import atomic_folder, check_output, write_csv
from planner.runfolder.read import RunFolderError, read_table
from planner.scenario import load_scenario
from planner.scenario.schema import SolverOptions
from planner.solve import check_solver_name, solve
from planner.solve.polish import fixed_x, x_vars

COLUMNS = ["site", "region", "zone", "functions", "land_used_ha", "status", "objective_without", "importance",
           "importance_pct", "mip_gap_without", "solve_seconds", "note"]
LAYER_NAME = "替代重要性 Replacement importance"
"""Name of the map layer with one circle per opened site, sized by its importance."""


@dataclass(frozen=True)
class Importance:
    """The importance table of a run."""

    run: RunRecord
    table: pd.DataFrame
    """One row per opened site (COLUMNS), most important first."""
    options: SolverOptions


def run_options(run: RunRecord, **changes: Any) -> SolverOptions:
    """The solver options the run used (manifest.json), with the non-None `changes` applied."""
    check_solver_name(changes.get("name"))
    recorded = dict(run.solver.get("options") or {})
    recorded.setdefault("name", run.solver.get("name") or "highs")
    return SolverOptions.model_validate(recorded | {k: v for k, v in changes.items() if v is not None})


def site_importance(run_dir: Path | str | RunRecord, *, sites: list[str] | None = None,
                    progress: Callable[[str], None] = lambda message: None, **solver_changes: Any) -> Importance:
    """The replacement importance of each opened site of the run (a folder, or one already read) or of `sites`."""
    run = run_dir if isinstance(run_dir, RunRecord) else read_run(run_dir)
    if not run.has_plan:
        raise RunFolderError(f"{run.path} has no plan (status {run.status}): nothing to close")
    if run.restricted:
        raise RunFolderError(f"{run.path} is {run.restricted}, optimal only with its restriction: closing a site "
                             "re-solves the scenario without it, so the importance would be against another plan; "
                             "run importance on the scenario's own run folder")
    if not run.scenario_yaml.is_file():
        raise RunFolderError(f"{run.scenario_yaml} is missing: not a complete run folder")
    scenario = load_scenario(run.scenario_yaml)
    options = run_options(run, **solver_changes)
    built = build(scenario)
    model, ix = built.model, built.index
    base = run.objective
    opened = run.assignments
    unknown = sorted(set(opened["site"]) - set(scenario.sites))
    if unknown:
        raise RunFolderError(f"{run.path / 'assignments.csv'} names sites that are not in its scenario: "
                             f"{', '.join(unknown)}")
    order = [s for s in scenario.sites if s in set(opened["site"])] if sites is None else list(sites)
    rows = []
    for n, s in enumerate(order, start=1):
        if s not in scenario.sites:
            raise RunFolderError(f"site {s!r} is not in the scenario of {run.path}")
        site = scenario.sites[s]
        here = opened[opened["site"] == s]
        row: dict[str, Any] = {
            "site": s, "region": site.region, "zone": site.zone, "functions": _hosted(here),
            "land_used_ha": _land_used(here), "status": None, "objective_without": None,
            "importance": None, "importance_pct": None, "mip_gap_without": None, "solve_seconds": None, "note": ""}
        triples = [t for t in x_vars(model) if t[2] == s]
        locked = list(dict.fromkeys(t[:3] for t in triples if t[:3] in ix.locked_in))
        if locked:
            rows.append(row | {"status": "locked_in",
                               "note": "a lock_in rule opens " + ", ".join("/".join(t) for t in locked) + " here"})
            continue
        progress(f"Closing {s} ({n} of {len(order)})")
        with fixed_x(model, {t: 0 for t in triples}):
            result = solve(model, options)
        row |= {"status": result.status, "mip_gap_without": result.mip_gap, "solve_seconds": result.solve_seconds}
        if result.objective is not None:
            delta = result.objective - base
            row |= {"objective_without": result.objective, "importance": delta,
                    "importance_pct": 100 * delta / abs(base) if base else None}
            if result.status != "optimal":
                row["note"] = "limit reached: the plan without the site may not be optimal"
        elif result.status == "infeasible":
            row |= {"importance": math.inf, "importance_pct": math.inf,
                    "note": "no plan exists without this site"}
        else:
            row["note"] = f"no plan found within the limits ({result.message})"
        rows.append(row)
    table = pd.DataFrame(rows, columns=COLUMNS)
    rank = table["importance"].astype(float).fillna(-math.inf)
    locked_first = (table["status"] == "locked_in").astype(int)
    table = table.assign(_l=locked_first, _r=rank).sort_values(["_l", "_r"], ascending=False, kind="stable")
    return Importance(run, table.drop(columns=["_l", "_r"]).reset_index(drop=True), options)


def _hosted(here: pd.DataFrame) -> str:
    """`industry/function` of each function a site hosts (in any period), once each, in the table's order."""
    return " ".join(dict.fromkeys(f"{i}/{f}" for i, f in zip(here["industry"], here["function"], strict=False)))


def _land_used(here: pd.DataFrame) -> float:
    """The land a site's functions use: in all, or in the period that uses most (a run with periods)."""
    if "period" not in here.columns:
        return float(here["land_ha"].sum())
    return float(here.groupby("period")["land_ha"].sum().max()) if len(here) else 0.0


def importance_layer(result: Importance) -> Any:
    """A folium FeatureGroup: one circle per opened site, its area proportional to the importance
    (red: the scenario is infeasible without the site; grey: locked in)."""
    import folium

    sites = read_table(result.run.path / "inputs" / "sites.csv", ["id", "lon", "lat"],
                       dtype={"id": str}).set_index("id")
    finite = [v for v in result.table["importance"] if v is not None and math.isfinite(v) and v > 0]
    largest = max(finite, default=1.0)
    group = folium.FeatureGroup(name=LAYER_NAME)
    for row in result.table.itertuples(index=False):
        value = row.importance
        if row.status == "locked_in":
            colour, radius, text = "#777777", 10.0, "locked in"
        elif value is not None and math.isinf(value):
            colour, radius, text = "#c62828", 30.0, "infeasible without it"
        elif value is not None and not pd.isna(value):
            colour, radius = "#6a1b9a", 4.0 + 24.0 * math.sqrt(max(value, 0.0) / largest)
            text = f"+{value:,.2f} (10k yuan), {row.importance_pct:+.3f} %"
        else:
            colour, radius, text = "#9a6700", 6.0, "unknown (no plan within the limits)"
        tip = escape(f"{row.site} ({row.region}, {row.zone}): importance {text}; hosts {row.functions}")
        folium.CircleMarker([float(sites.loc[row.site, "lat"]), float(sites.loc[row.site, "lon"])], radius=radius,
                            color=colour, weight=2, fill=True, fill_color=colour, fill_opacity=0.35,
                            tooltip=tip).add_to(group)
    return group


def _add_before_control(fmap: Any, layer: Any) -> None:
    """Add `layer` to `fmap` ahead of its layer control, so that the control lists it (its script refers
    to the layer's variable, which must be defined first)."""
    import folium

    layer.add_to(fmap)
    children = fmap._children  # branca keeps children in render order
    keys = [k for k in children if k != layer.get_name()]
    at = next((n for n, k in enumerate(keys) if isinstance(children[k], folium.LayerControl)), len(keys))
    order = keys[:at] + [layer.get_name()] + keys[at:]
    reordered = {k: children[k] for k in order}
    children.clear()
    children.update(reordered)


def write_importance(result: Importance, out: Path, force: bool = False) -> str:
    """Write OUT/importance.csv and OUT/importance.html (the plan map with the importance layer);
    return a note on how the map was drawn."""
    import folium

    with atomic_folder(out, force) as tmp:
        write_csv(tmp / "importance.csv", result.table)
        note = "the plan map with the layer '" + LAYER_NAME + "'"
        try:
            from planner.maps import plan_map, save_html
        except ImportError:
            plan_map = save_html = None  # type: ignore[assignment]
        if plan_map is not None:
            fmap = plan_map(result.run.path)
            _add_before_control(fmap, importance_layer(result))
            try:
                save_html(fmap, tmp / "importance.html", offline=True)
            except Exception:  # no offline assets: load them from the CDN
                save_html(fmap, tmp / "importance.html", offline=False)
        else:
            sites = read_table(result.run.path / "inputs" / "sites.csv", ["lon", "lat"])
            fmap = folium.Map(location=[sites["lat"].mean(), sites["lon"].mean()], zoom_start=7)
            importance_layer(result).add_to(fmap)
            LayerControl().add_to(fmap)
            fmap.save(str(tmp / "importance.html"))
            note = "planner.maps is not available: a plain map with the importance layer only"
    return note


def importance(run_dir: Path | str, out: Path | str | None = None, *, force: bool = False,
               progress: Callable[[str], None] = lambda message: None,
               **solver_changes: Any) -> tuple[Importance, Path, str]:
    """Compute and write the importance of the opened sites of a run (default OUT: RUN_DIR/importance)."""
    run = read_run(run_dir)  # a folder that is not a run is named as such, before its output is checked
    target = Path(out) if out is not None else Path(run_dir) / "importance"
    check_output(target, force)  # before the solves
    result = site_importance(run, progress=progress, **solver_changes)
    note = write_importance(result, target, force)
    return result, target, note
