"""`planner compare RUN_DIR...`: runs side by side, whether they agree on the optimum, how their plans differ.

Two runs *agree on the optimum within their gaps* when the intervals [best bound, objective]
they report overlap (each interval holds the optimum of a minimisation if the solver is right),
up to a small tolerance for floating point. Runs of the *same model* (same tables as the model
saw them, same settings and rules; the solver section and the names do not count) should agree;
runs of different models usually do not.

Runs with periods (docs/model.md version 2) are compared per period and overall: their objective is the
discounted total over the periods; `periods.csv` lists each run's cost (undiscounted and discounted) and capacity
kept, built, retired and converted per period; plan differences are per period. A run with periods and a run
without are not the same kind of plan: their objectives are not compared (verdict unknown), and their plans are
compared on the last period of the one with periods (its target).
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.formatting import number, percent, seconds
from planner.maps.lang import compare_text, kpi_label, value
from planner.maps.markup import TABLE_CSS, escape, html_table
from planner.research.common import RESTRICTIONS, RunRecord, default_out, read_run
from planner.runfolder import atomic_folder, write_csv
from planner.runfolder.read import read_table, solver_label

REL_TOL = 1e-6
"""Intervals may miss each other by this much, relative to max(1, |objective|), and still agree."""

CAPACITY_TOL = 1e-6
"""Capacities closer than this (relative to max(1, |capacity|)) are the same."""

RUN_COLUMNS = ["run", "path", "scenario", "model", "status", "objective", "best_bound", "mip_gap", "build_seconds",
               "handover_seconds", "solve_seconds", "solver", "solver_version", "time_limit", "mip_gap_option",
               "threads", "seed", "n_variables", "n_binaries", "n_constraints", "n_opened", "violations",
               "interrupted"]
AGREEMENT_COLUMNS = ["run_a", "run_b", "same_model", "status_a", "status_b", "objective_a", "objective_b",
                     "bound_a", "bound_b", "difference", "relative_difference", "slack", "verdict", "reason"]
DIFF_COLUMNS = ["base", "run", "industry", "function", "site", "region", "zone", "capacity_base", "capacity_run",
                "delta", "change"]
MOVED_COLUMNS = ["base", "run", "industry", "function", "sites_base", "sites_run", "left", "arrived"]
KPI_COLUMNS = ["base", "run", "kpi", "value_base", "value_run", "delta"]
PERIOD_COLUMNS = ["run", "period", "discount_factor", "cost", "cost_discounted", "in_use", "stock_kept", "built",
                  "retired", "converted_in", "converted_out"]
"""Columns of periods.csv: per run and period (`overall`: the discounted totals), cost in 10k yuan, capacity in
units."""
INPUT_TABLES = ("regions", "sites", "industries", "functions")


def model_fingerprint(run: RunRecord) -> str:
    """A short hash of what defines the model of a run: its input tables (as the model saw them),
    settings and rules. Runs of the same scenario under other solvers or names share it."""
    spec = run.manifest.get("scenario") or {}
    digest = hashlib.sha256()
    digest.update(json.dumps({k: spec.get(k) for k in ("settings", "rules")}, sort_keys=True).encode())
    if run.restricted:  # the scenario with a restriction (RESTRICTIONS): a model of its own
        digest.update(json.dumps({k: run.summary.get(k) for k in RESTRICTIONS}, sort_keys=True, default=str).encode())
    for name in INPUT_TABLES:
        path = run.path / "inputs" / f"{name}.csv"
        if path.is_file():
            digest.update(name.encode() + hashlib.sha256(path.read_bytes()).digest())
        else:  # an incomplete folder: fall back on the hashes of the original inputs
            digest.update(json.dumps(sorted((run.manifest.get("inputs") or {}).values())).encode())
    return digest.hexdigest()[:12]


def _labels(runs: list[RunRecord]) -> list[str]:
    names = [r.path.name or str(r.path) for r in runs]
    if len(set(names)) == len(names):
        return names
    return [str(r.path) for r in runs]


def run_row(label: str, run: RunRecord, model: str) -> dict[str, Any]:
    """One row of the runs table."""
    s, solver = run.summary, run.solver
    options = solver.get("options") or {}
    return {
        "run": label, "path": str(run.path), "scenario": s.get("scenario"), "model": model,
        "status": s.get("status"), "objective": s.get("objective"), "best_bound": s.get("best_bound"),
        "mip_gap": s.get("mip_gap"), "build_seconds": s.get("build_seconds"),
        "handover_seconds": s.get("handover_seconds"), "solve_seconds": s.get("solve_seconds"),
        "solver": solver.get("name"), "solver_version": solver.get("version"),
        "time_limit": options.get("time_limit"), "mip_gap_option": options.get("mip_gap"),
        "threads": options.get("threads"), "seed": options.get("seed"),
        "n_variables": s.get("n_variables"), "n_binaries": s.get("n_binaries"),
        "n_constraints": s.get("n_constraints"),
        "n_opened": len(run.last_period()) if run.assignments is not None else None,  # with periods: the last's
        "violations": len(s.get("violations") or []), "interrupted": s.get("interrupted"),
    }


def agreement(a: RunRecord, b: RunRecord, rel_tol: float = REL_TOL, lang: str = "en") -> dict[str, Any]:
    """Whether two runs agree on the optimum within their gaps: verdict `agree`, `disagree` or `unknown`.

    With plans on both sides: agree when [bound_a, objective_a] and [bound_b, objective_b] overlap
    (a missing bound counts as -infinity). Both infeasible: agree. One infeasible, one with a plan:
    disagree. Anything else (no solution within the limits, an error): unknown. The reason in `lang`.
    """
    def tr(words: str, **values: object) -> str:
        return compare_text(words, lang, **values)

    out: dict[str, Any] = {"status_a": a.status, "status_b": b.status, "objective_a": a.objective,
                           "objective_b": b.objective, "bound_a": a.best_bound, "bound_b": b.best_bound,
                           "difference": None, "relative_difference": None, "slack": None}
    if a.objective is not None and b.objective is not None:
        low = max(a.best_bound if a.best_bound is not None else -math.inf,
                  b.best_bound if b.best_bound is not None else -math.inf)
        high = min(a.objective, b.objective)
        tol = rel_tol * max(1.0, abs(high))
        slack = high - low
        out |= {"difference": b.objective - a.objective,
                "relative_difference": (b.objective - a.objective) / max(abs(a.objective), 1e-10),
                "slack": slack if math.isfinite(slack) else None}
        if slack >= -tol:
            unbounded = [r.path.name for r in (a, b) if r.best_bound is None]
            if len(unbounded) == 2:
                detail = tr("neither run reports a bound: nothing contradicts, but nothing is proven")
            elif unbounded:
                detail = tr("{run} reports no bound; its plan costs no less than the other's bound, so the optimum "
                            "lies in [{low}, {high}] for both", run=unbounded[0], low=f"{low:.10g}",
                            high=f"{high:.10g}")
            else:
                detail = tr("the optimum lies in [{low}, {high}] for both", low=f"{low:.10g}", high=f"{high:.10g}")
            return out | {"verdict": "agree", "reason": detail}
        worse, better = (a, b) if a.objective > b.objective else (b, a)
        return out | {"verdict": "disagree",
                      "reason": tr("{worse} found {objective} with bound {bound}, but {better} has a plan costing "
                                   "{cost}", worse=worse.path.name, objective=f"{worse.objective:.10g}",
                                   bound=worse.best_bound, better=better.path.name, cost=f"{better.objective:.10g}")
                      if worse.best_bound is not None and worse.best_bound > better.objective + tol else
                      tr("the intervals [bound, objective] do not overlap (gap {gap})", gap=f"{-slack:.6g}")}
    if a.status == "infeasible" and b.status == "infeasible":
        return out | {"verdict": "agree", "reason": tr("both infeasible")}
    if "infeasible" in (a.status, b.status) and (a.objective is not None or b.objective is not None):
        return out | {"verdict": "disagree", "reason": tr("one is infeasible, the other has a plan")}
    return out | {"verdict": "unknown", "reason": tr("statuses {a} and {b}: no optimum to compare",
                                                     a=value(str(a.status), lang), b=value(str(b.status), lang))}


def comparable_plans(base: RunRecord, run: RunRecord) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """The assignments of two runs as they can be compared, and whether per period: both with periods, every period
    (a `period` column); otherwise the last period of a run with periods against the other's plan."""
    if base.periods and run.periods:
        return base.assignments, run.assignments, True
    return base.last_period(), run.last_period(), False


def plan_differences(base_label: str, base: RunRecord, label: str, run: RunRecord) -> pd.DataFrame:
    """Per (industry, function, site), and period when both runs have periods: capacity in both plans and the change
    (opened, closed, resized)."""
    a, b, per_period = comparable_plans(base, run)
    keys = ["period"] * per_period + ["industry", "function", "site"]
    cols = [*keys, "region", "zone", "capacity"]
    merged = pd.merge(a[cols], b[cols], on=keys, how="outer", suffixes=("_base", "_run"), sort=False)
    rows = []
    for r in merged.itertuples(index=False):
        a = r.capacity_base if pd.notna(r.capacity_base) else None
        b = r.capacity_run if pd.notna(r.capacity_run) else None
        if a is None:
            change = "opened"
        elif b is None:
            change = "closed"
        elif abs(b - a) > CAPACITY_TOL * max(1.0, abs(a)):
            change = "resized"
        else:
            continue
        rows.append({"base": base_label, "run": label, **({"period": int(r.period)} if per_period else {}),
                     "industry": r.industry, "function": r.function,
                     "site": r.site, "region": r.region_base if a is not None else r.region_run,
                     "zone": r.zone_base if a is not None else r.zone_run, "capacity_base": a or 0.0,
                     "capacity_run": b or 0.0, "delta": (b or 0.0) - (a or 0.0), "change": change})
    return pd.DataFrame(rows, columns=_with_period(DIFF_COLUMNS, per_period))


def _with_period(columns: list[str], per_period: bool) -> list[str]:
    """`columns` with `period` after `run` when the rows are per period."""
    return [*columns[:2], "period", *columns[2:]] if per_period else columns


def moved_functions(base_label: str, base: RunRecord, label: str, run: RunRecord) -> pd.DataFrame:
    """Per (industry, function), and period when both runs have periods, whose set of sites changed: the sites
    before and after."""
    base_plan, run_plan, per_period = comparable_plans(base, run)

    def sites(frame: pd.DataFrame) -> dict[tuple[Any, ...], list[str]]:
        out: dict[tuple[Any, ...], list[str]] = {}
        periods = frame["period"] if per_period else [None] * len(frame)
        for t, i, f, s in zip(periods, frame["industry"], frame["function"], frame["site"], strict=False):
            out.setdefault((i, f, *([int(t)] if per_period else [])), []).append(s)
        return out

    a, b = sites(base_plan), sites(run_plan)
    rows = []
    for key in sorted(dict.fromkeys([*a, *b]), key=lambda k: k[2:]) if per_period else dict.fromkeys([*a, *b]):
        before, after = a.get(key, []), b.get(key, [])
        if set(before) != set(after):
            rows.append({"base": base_label, "run": label, **({"period": key[2]} if per_period else {}),
                         "industry": key[0], "function": key[1],
                         "sites_base": " ".join(before), "sites_run": " ".join(after),
                         "left": " ".join(s for s in before if s not in after),
                         "arrived": " ".join(s for s in after if s not in before)})
    return pd.DataFrame(rows, columns=_with_period(MOVED_COLUMNS, per_period))


def flat_kpis(run: RunRecord) -> dict[str, float | None]:
    """The numeric KPIs of summary.json flattened to `group.key[.key]` names (a run with periods: its discounted
    totals and `periods.<year>.<group>...` of every period), plus land and openings (of the last period)."""
    s = run.summary
    out: dict[str, float | None] = {"objective": s.get("objective"), "best_bound": s.get("best_bound"),
                                    "mip_gap": s.get("mip_gap")}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}", v)
        elif value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
            out[prefix] = value

    for group in ("costs", "costs_unweighted", "division_of_labour", "hosts", "extra_hosts", "flow_radius_km",
                  "periods"):
        if isinstance(s.get(group), dict):
            walk(group, s[group])
    plan = run.last_period()  # a run with periods: its last period's
    if plan is not None:
        out["opened_functions"] = float(len(plan))
        out["opened_sites"] = float(plan["site"].nunique())
        out["land_used_ha"] = float(plan["land_ha"].sum())
    return out


def period_rows(label: str, run: RunRecord) -> list[dict[str, Any]]:
    """The rows of periods.csv for one run: per period its cost (undiscounted and discounted) and capacity moves,
    then `overall` with the discounted total (the objective). A run without periods gives the one row `overall`."""
    rows = []
    for period, figures in (run.summary.get("periods") or {}).items():
        cost = sum((figures.get("costs") or {}).values())
        factor = figures.get("discount_factor", 1.0)
        capacity = figures.get("capacity") or {}
        rows.append({"run": label, "period": str(period), "discount_factor": factor, "cost": cost,
                     "cost_discounted": cost * factor, "in_use": capacity.get("in_use"),
                     **{move: capacity.get(move) for move in PERIOD_COLUMNS[6:]}})
    rows.append({"run": label, "period": "overall", "discount_factor": None, "cost": None,
                 "cost_discounted": run.objective, "in_use": None})
    return rows


def comparability(labels: list[str], runs: list[RunRecord], lang: str = "en") -> list[str]:
    """What can be compared between runs with and without periods, one sentence each in `lang` (none when all runs
    are alike)."""
    with_periods = [(lab, r) for lab, r in zip(labels, runs, strict=False) if r.periods]
    without = [lab for lab, r in zip(labels, runs, strict=False) if not r.periods]
    lines = []
    if with_periods and without:
        plans = "; ".join(f"{lab}: {', '.join(map(str, r.periods))}" for lab, r in with_periods)
        lines.append(compare_text(
            "{periodic} {verb} over periods ({plans}) and {once} {verb_once} once: their objectives are not "
            "comparable (a discounted total over the periods against the cost of one plan); their plans are compared "
            "on the last period of the runs with periods", lang, periodic=", ".join(lab for lab, _ in with_periods),
            verb=_verb(len(with_periods)), plans=plans, once=", ".join(without), verb_once=_verb(len(without))))
    kinds = {tuple(r.periods) for _, r in with_periods}
    if len(kinds) > 1:
        common = sorted(set.intersection(*(set(k) for k in kinds)))
        lines.append(compare_text("the runs with periods plan over different periods: their plans and figures are "
                                  "compared for the periods they share ({common}) and overall", lang,
                                  common=", ".join(map(str, common)) or compare_text("none", lang)))
    return lines


def _verb(n: int) -> str:
    return "plans" if n == 1 else "plan"


def kpi_deltas(base_label: str, base: RunRecord, label: str, run: RunRecord) -> pd.DataFrame:
    """Every KPI of both runs and the difference (run - base)."""
    a, b = flat_kpis(base), flat_kpis(run)
    rows = []
    for key in dict.fromkeys([*a, *b]):
        va, vb = a.get(key), b.get(key)
        delta = vb - va if va is not None and vb is not None else None
        rows.append({"base": base_label, "run": label, "kpi": key, "value_base": va, "value_run": vb, "delta": delta})
    return pd.DataFrame(rows, columns=KPI_COLUMNS).astype({"value_base": float, "value_run": float, "delta": float})


@dataclass(frozen=True)
class Comparison:
    """The comparison of several runs."""

    runs: list[RunRecord]
    labels: list[str]
    table: pd.DataFrame
    """One row per run (RUN_COLUMNS)."""
    agreement: pd.DataFrame
    """One row per pair of runs (AGREEMENT_COLUMNS)."""
    differences: pd.DataFrame
    """Per triple that changed, each run against the base (the first run with a plan)."""
    moved: pd.DataFrame
    """Per (industry, function) whose sites changed, each run against the base."""
    kpis: pd.DataFrame
    """Every KPI of each run against the base."""
    periods: pd.DataFrame = dataclasses.field(default_factory=lambda: pd.DataFrame(columns=PERIOD_COLUMNS))
    """Per run and period, cost and capacity (PERIOD_COLUMNS); empty unless a run has periods."""

    @property
    def has_periods(self) -> bool:
        """Whether any run plans over periods (docs/model.md version 2)."""
        return any(r.periods for r in self.runs)
    rel_tol: float = REL_TOL
    """Relative tolerance of the agreement test."""

    @property
    def base(self) -> str | None:
        """Label of the run the plans are compared against (the first with a plan)."""
        return next((lab for lab, r in zip(self.labels, self.runs, strict=False) if r.has_plan), None)

    def model_groups(self) -> dict[str, list[str]]:
        """Model fingerprint -> labels of the runs of that model."""
        groups: dict[str, list[str]] = {}
        for lab, model in zip(self.table["run"], self.table["model"], strict=False):
            groups.setdefault(model, []).append(lab)
        return groups

    def same_model_agree(self) -> bool | None:
        """True when every pair of runs of the same model agrees, False when one pair disagrees, None if
        no pair of the same model could be judged."""
        pairs = self.agreement[self.agreement["same_model"]]
        judged = pairs[pairs["verdict"] != "unknown"]
        if (judged["verdict"] == "disagree").any():
            return False
        return True if len(judged) else None

    def all_agree(self) -> bool:
        """Whether every pair of runs agrees on the optimum within the gaps."""
        return bool(len(self.agreement)) and bool((self.agreement["verdict"] == "agree").all())

    def agreement_in(self, lang: str = "en") -> pd.DataFrame:
        """:attr:`agreement` with its reasons in `lang` (the CSV keeps them in English)."""
        if lang == "en" or not len(self.agreement):
            return self.agreement
        runs = dict(zip(self.labels, self.runs, strict=False))
        out = self.agreement.copy()
        out["reason"] = [agreement(runs[a], runs[b], self.rel_tol, lang)["reason"]
                         for a, b in zip(out["run_a"], out["run_b"], strict=False)]
        return out

    def verdict_lines(self, lang: str = "en") -> list[str]:
        """The findings, one sentence each, in `lang`."""
        return [line for _, line in self.verdicts(lang)]

    def verdicts(self, lang: str = "en") -> list[tuple[str, str]]:
        """The findings as (verdict: agree, disagree or unknown; the sentence in `lang`)."""
        def tr(words: str, **values: object) -> str:
            return compare_text(words, lang, **values)

        table = self.agreement_in(lang)
        lines: list[tuple[str, str]] = [("unknown", line) for line in comparability(self.labels, self.runs, lang)]
        rows = {lab: r for lab, r in zip(self.labels, self.runs, strict=False)}
        for model, labels in self.model_groups().items():
            runs = [rows[lab] for lab in labels]
            solvers = tr(", ").join(f"{lab} ({solver_label(r.solver)})" for lab, r in zip(labels, runs, strict=False))
            if len(labels) == 1:
                lines.append(("unknown", tr("model {model}: one run, {solvers}", model=model, solvers=solvers)))
                continue
            pairs = table[(table["run_a"].isin(labels)) & (table["run_b"].isin(labels))]
            verdicts = set(pairs["verdict"])
            if verdicts == {"agree"}:
                plans = [r for r in runs if r.objective is not None]
                if plans:
                    low = max((r.best_bound for r in plans if r.best_bound is not None), default=-math.inf)
                    high = min(r.objective for r in plans)
                    where = tr("the optimum is in [{low}, {high}]", low=f"{low:.10g}", high=f"{high:.10g}")
                else:
                    where = tr("all infeasible")
                lines.append(("agree", tr("model {model}: the {n} runs AGREE on the optimum within their gaps "
                                          "({where}): {solvers}", model=model, n=len(labels), where=where,
                                          solvers=solvers)))
            elif "disagree" in verdicts:
                bad = pairs[pairs["verdict"] == "disagree"]
                details = tr("; ").join(tr("{a} vs {b}: {why}", a=a, b=b, why=why)
                                        for a, b, why in zip(bad["run_a"], bad["run_b"], bad["reason"], strict=False))
                lines.append(("disagree", tr("model {model}: the runs DISAGREE on the optimum ({details}): {solvers}",
                                             model=model, details=details, solvers=solvers)))
            else:
                lines.append(("unknown", tr("model {model}: agreement unknown (not every run has an optimum): "
                                            "{solvers}", model=model, solvers=solvers)))
        if len(self.model_groups()) > 1:
            cross = table[~table["same_model"]]
            disagree = int((cross["verdict"] == "disagree").sum())
            lines.append(("disagree" if disagree else "unknown",
                          tr("the runs are of {n} different models; {agree} of {pairs} pairs across models happen to "
                             "agree, {disagree} DISAGREE", n=len(self.model_groups()),
                             agree=int((cross["verdict"] == "agree").sum()), pairs=len(cross), disagree=disagree)))
        return lines


def compare_runs(run_dirs: Iterable[Path | str], rel_tol: float = REL_TOL) -> Comparison:
    """Compare run folders: runs table, pairwise agreement, plan and KPI differences against the base."""
    paths = [Path(p) for p in run_dirs]
    if not paths:
        raise ValueError("no run folders to compare")
    twice = sorted({str(p) for p in paths if sum(q.resolve() == p.resolve() for q in paths) > 1})
    if twice:
        raise ValueError(f"the same run folder is given twice: {', '.join(twice)}")
    runs = [read_run(p) for p in paths]
    labels = _labels(runs)
    models = [model_fingerprint(r) for r in runs]
    table = pd.DataFrame([run_row(lab, r, m) for lab, r, m in zip(labels, runs, models, strict=False)],
                         columns=RUN_COLUMNS)
    pairs = []
    for (la, a, ma), (lb, b, mb) in itertools.combinations(zip(labels, runs, models, strict=False), 2):
        verdict = agreement(a, b, rel_tol)
        if bool(a.periods) != bool(b.periods):
            verdict |= {"verdict": "unknown", "reason": "one run plans over periods, the other once: their objectives "
                                                        "are not comparable"}
        pairs.append({"run_a": la, "run_b": lb, "same_model": ma == mb} | verdict)
    agree = pd.DataFrame(pairs, columns=AGREEMENT_COLUMNS)
    agree["same_model"] = agree["same_model"].astype(bool)
    with_plan = [(lab, r) for lab, r in zip(labels, runs, strict=False) if r.has_plan]
    diffs, moved, kpis = [], [], []
    if with_plan:
        base_label, base = with_plan[0]
        for lab, r in with_plan[1:]:
            diffs.append(plan_differences(base_label, base, lab, r))
            moved.append(moved_functions(base_label, base, lab, r))
        for lab, r in zip(labels, runs, strict=False):
            if lab != base_label:
                kpis.append(kpi_deltas(base_label, base, lab, r))

    def cat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)

    per_period = len(with_plan) > 1 and all(r.periods for _, r in with_plan)
    periods = pd.DataFrame([row for lab, r in zip(labels, runs, strict=False) for row in period_rows(lab, r)],
                           columns=PERIOD_COLUMNS) if any(r.periods for r in runs) else None
    return Comparison(runs, labels, table, agree, cat(diffs, _with_period(DIFF_COLUMNS, per_period)),
                      cat(moved, _with_period(MOVED_COLUMNS, per_period)), cat(kpis, KPI_COLUMNS),
                      **({"periods": periods} if periods is not None else {}), rel_tol=rel_tol)


# ------------------------------------------------------------------------------------------ writing

_CSS = """body{font-family:"Planner CJK",system-ui,"Noto Sans SC","Microsoft YaHei",sans-serif;margin:2em auto;
max-width:1100px;color:#222}.agree{color:#1a7f37;font-weight:bold}.disagree{color:#c62828;font-weight:bold}
.unknown{color:#9a6700}iframe{width:100%;height:640px;border:1px solid #ccc}.note{color:#555;font-size:13px}
@media print{body{margin:0;max-width:none;font-size:10pt}iframe{display:none}}"""

RUN_OUTCOME = ["run", "scenario", "model", "status", "objective", "best_bound", "mip_gap", "build_seconds",
               "handover_seconds", "solve_seconds", "n_opened", "violations"]
"""Columns of the runs table shown first on the page (the outcome); the rest follow in a second table."""

CODE_COLUMNS = frozenset({"status", "status_a", "status_b", "function", "zone", "verdict", "change", "period"})
"""Columns of codes (statuses, functions, zones, verdicts, changes, `overall` among the periods) shown in the page's
language."""

AGREEMENT_VERDICT = ["run_a", "run_b", "same_model", "status_a", "status_b", "verdict", "reason"]
"""Columns of the agreement table shown first on the page; its numbers follow in a second table."""

_PAGE_FORMATS: dict[str, Any] = {
    **{c: lambda v: number(v, 2) for c in ("objective", "best_bound", "objective_a", "objective_b", "bound_a",
                                            "bound_b", "difference", "slack", "cost", "cost_discounted", "in_use",
                                            "stock_kept", "built", "retired", "converted_in", "converted_out")},
    "discount_factor": lambda v: format(v, ".4f"),
    **{c: lambda v: percent(v) for c in ("mip_gap", "relative_difference")},
    **{c: lambda v: seconds(v) for c in ("build_seconds", "handover_seconds", "solve_seconds", "time_limit")},
    "mip_gap_option": lambda v: format(v, "g"),
    **{c: lambda v: number(v, 0) for c in ("threads", "seed", "n_variables", "n_binaries", "n_constraints",
                                           "n_opened", "violations")},
}
"""How a column of the page shows its numbers (the CSV files keep them as computed)."""

_PAGE_HEADERS = {"mip_gap": "gap (%)", "relative_difference": "relative difference (%)",
                 "build_seconds": "build (s)", "handover_seconds": "hand-over (s)", "solve_seconds": "solve (s)",
                 "time_limit": "time limit (s)", "mip_gap_option": "gap option", "objective": "objective (10k yuan)",
                 "best_bound": "best bound (10k yuan)"}
"""Headers of the page where a column name alone hides its unit."""


def _html_table(frame: pd.DataFrame, digits: int = 2, lang: str = "en") -> str:
    if frame.empty:
        return f"<p class='note'>{compare_text('(none)', lang)}</p>"
    shown = frame.copy()
    for col in shown.columns:
        if not pd.api.types.is_numeric_dtype(shown[col]) and col not in _PAGE_FORMATS:
            shown[col] = shown[col].map(lambda v: None if isinstance(v, float) and math.isnan(v) else v)
    if lang == "zh":
        if "kpi" in shown.columns:
            shown["kpi"] = shown["kpi"].map(lambda v: kpi_label(v, lang) if isinstance(v, str) else v)
        for col in [c for c in shown.columns if not pd.api.types.is_numeric_dtype(shown[c])
                    or pd.api.types.is_bool_dtype(shown[c])]:  # yes / no
            shown[col] = shown[col].map(lambda v: value(str(v), lang) if isinstance(v, (bool, np.bool_)) else v)
        for col in CODE_COLUMNS & set(shown.columns):
            shown[col] = shown[col].map(lambda v: value(v, lang) if isinstance(v, str) else v)
    formats = {_header(c, lang): f for c, f in _PAGE_FORMATS.items() if c in shown.columns}
    shown.columns = [_header(c, lang) for c in shown.columns]
    return html_table(shown, na_rep="", digits=digits, formats=formats)


def _header(column: str, lang: str = "en") -> str:
    return compare_text(_PAGE_HEADERS.get(column, column.replace("_", " ")), lang)


def report_html(cmp: Comparison, map_file: str | None, map_note: str, lang: str = "en") -> str:
    """The HTML report of a comparison; `map_file` is the side-by-side map page next to it (if any); headings and
    table headers, verdict lines and reasons in `lang` (``map_note``: given in it)."""
    def tr(words: str, **values: object) -> str:
        return compare_text(words, lang, **values)

    base = escape(str(cmp.base))
    map_title = tr("Side-by-side map")
    verdicts = "".join(f"<li class='{kind}'>{escape(line)}</li>" for kind, line in cmp.verdicts(lang))
    if len(cmp.kpis):
        scale = cmp.kpis["value_base"].abs().fillna(0).clip(lower=1.0)
        changed = ((cmp.kpis["delta"].abs() > 1e-7 * scale)
                   | (cmp.kpis["value_base"].isna() != cmp.kpis["value_run"].isna()))
        kpis = cmp.kpis[changed]
    else:
        kpis = cmp.kpis
    parts = [
        f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{tr('planner compare')}</title>",
        f"<style>{TABLE_CSS}{_CSS}</style></head><body>",
        f"<h1>{tr('Comparison of runs 方案比较')}</h1>",
        f"<h2>{tr('Verdict')}</h2><ul>{verdicts}</ul>",
        "<p class='note'>" + tr("Two runs agree on the optimum within their gaps when their intervals [best bound, "
                                "objective] overlap. 'model' is a fingerprint of the input tables, settings and rules.")
        + "</p>",
        f"<h2>{tr('Runs')}</h2>", _html_table(cmp.table[RUN_OUTCOME], lang=lang),
        f"<h2>{tr('Runs: solver and model size')}</h2>",
        _html_table(cmp.table[["run", *(c for c in RUN_COLUMNS if c not in RUN_OUTCOME and c != "path")]], lang=lang),
        *_periods_section(cmp, lang),
        f"<h2>{tr('Agreement, pair by pair')}</h2>", _html_table(cmp.agreement_in(lang)[AGREEMENT_VERDICT], lang=lang),
        f"<h2>{tr('Agreement: the numbers')}</h2>",
        _html_table(cmp.agreement[["run_a", "run_b", *(c for c in AGREEMENT_COLUMNS if c not in AGREEMENT_VERDICT)]],
                    lang=lang),
        f"<h2>{tr('Functions that moved (against {base})', base=base)}</h2>", _html_table(cmp.moved, lang=lang),
        f"<h2>{tr('Capacity changes (against {base})', base=base)}</h2>", _html_table(cmp.differences, lang=lang),
        f"<h2>{tr('KPI and cost-term differences (against {base}; unchanged ones omitted)', base=base)}</h2>",
        _html_table(kpis, lang=lang),
        f"<h2>{tr('Side-by-side map')}</h2>",
        f"<p class='note'>{escape(map_note)}</p>",
        f"<iframe src='{escape(map_file)}' title='{map_title}'></iframe>" if map_file else "",
        "</body></html>",
    ]
    page = "\n".join(parts)
    try:
        from planner.maps.fonts import embed_page_font  # the CJK glyphs the page uses, as a web font
    except ImportError:
        return page
    return embed_page_font(page)


def _periods_section(cmp: Comparison, lang: str) -> list[str]:
    """The page's per-period table (runs with periods only): each period's cost, undiscounted and discounted, and
    capacity moves; `overall` is the discounted total."""
    if not cmp.has_periods:
        return []
    note = compare_text("Per period: the cost of the period (undiscounted), the same discounted to the first period, "
                        "and the capacity in use, kept from stock, built, retired and converted; overall: the "
                        "discounted total (the objective).", lang)
    return [f"<h2>{compare_text('Periods', lang)}</h2>", f"<p class='note'>{note}</p>",
            _html_table(cmp.periods, lang=lang)]


def write_dual_map(run_a: Path, run_b: Path, path: Path, lang: str = "en") -> str:
    """Write the side-by-side map of two runs to `path`, its words in `lang`; return a note on how it was drawn."""
    try:
        from planner.maps import dual_map, save_html
    except ImportError:
        fallback_dual_map(run_a, run_b).save(str(path))
        return compare_text("planner.maps is not available: a simple fallback map (opened sites only) is shown.", lang)
    try:
        save_html(dual_map(run_a, run_b, lang=lang), path, offline=True)
    except Exception:  # offline assets missing: the page loads them from the CDN instead
        save_html(dual_map(run_a, run_b, lang=lang), path, offline=False)
    return compare_text("left: {a}, right: {b} (panning and zooming together)", lang, a=run_a.name, b=run_b.name)


def fallback_dual_map(run_a: Path, run_b: Path) -> Any:
    """Opened sites of two runs side by side, without planner.maps."""
    import folium
    from folium.plugins import DualMap

    dual = DualMap(location=[35.0, 115.0], zoom_start=6, tiles="OpenStreetMap")
    for side, run_dir in ((dual.m1, run_a), (dual.m2, run_b)):
        sites = read_table(run_dir / "inputs" / "sites.csv", ["id", "lon", "lat"]).set_index("id")
        plan = read_table(run_dir / "assignments.csv", ["site", "industry", "function", "capacity"])
        for site, rows in plan.groupby("site"):
            lon, lat = sites.loc[site, "lon"], sites.loc[site, "lat"]
            text = escape(f"{site}: " + ", ".join(f"{i} {f} {q:.1f}" for i, f, q in
                                                  zip(rows["industry"], rows["function"], rows["capacity"],
                                                      strict=False)))
            folium.CircleMarker([lat, lon], radius=6, tooltip=text, fill=True).add_to(side)
    return dual


def write_comparison(cmp: Comparison, out: Path, force: bool = False, lang: str = "en") -> Path:
    """Write the comparison folder `out` atomically: compare.csv, agreement.csv, plan_differences.csv,
    moved_functions.csv, kpi_deltas.csv, compare.html (and dual_map.html with two plans)."""
    plans = [r.path for r in cmp.runs if r.has_plan]
    with atomic_folder(out, force) as tmp:
        write_csv(tmp / "compare.csv", cmp.table)
        write_csv(tmp / "agreement.csv", cmp.agreement)
        write_csv(tmp / "plan_differences.csv", cmp.differences)
        write_csv(tmp / "moved_functions.csv", cmp.moved)
        write_csv(tmp / "kpi_deltas.csv", cmp.kpis)
        if cmp.has_periods:
            write_csv(tmp / "periods.csv", cmp.periods)
        map_file, note = None, compare_text("fewer than two runs have a plan: no map.", lang)
        if len(plans) >= 2:
            note = write_dual_map(plans[0], plans[1], tmp / "dual_map.html", lang)
            map_file = "dual_map.html"
        (tmp / "compare.html").write_text(report_html(cmp, map_file, note, lang), encoding="utf-8")
    return out


def compare(run_dirs: Iterable[Path | str], out: Path | str | None = None, force: bool = False,
            rel_tol: float = REL_TOL, lang: str = "en") -> tuple[Comparison, Path]:
    """Compare run folders and write the comparison folder (default `runs/compare-YYYYMMDD-HHMMSS`); compare.html's
    headings and table headers in `lang`."""
    cmp = compare_runs(run_dirs, rel_tol)
    target = Path(out) if out is not None else default_out("compare")
    return cmp, write_comparison(cmp, target, force, lang)
