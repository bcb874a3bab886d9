"""`planner pareto SCENARIO --between FIRST SECOND --points K`: the trade-off between two cost terms.

Epsilon-constraint method on the unweighted cost terms of docs/model.md (land, setup, operating,
linkage, duplication; for a scenario with periods or stock, version 2, also retire and upgrade, each the discounted
total over the periods):

1. the two ends: the plan with the least SECOND (then the least FIRST among those) and the plan
   with the least FIRST (then the least SECOND); they bound SECOND to [lo, hi];
2. K values eps_k evenly spaced from lo to hi (the ends included); for each:
   minimise FIRST subject to SECOND <= eps_k; then, FIRST held at that optimum, minimise SECOND
   (so the point is not weakly dominated); then, both held, minimise the full objective of the
   scenario, which fixes the other terms of the plan sensibly.
3. points that repeat an earlier one, or are dominated by another (possible only within the
   solver's gap), are dropped and listed as such; the rest are ordered by FIRST ascending (so
   SECOND descending).

Writes OUT/pareto.csv, OUT/pareto.png, OUT/pareto.json and a run folder OUT/point-k per kept
point (numbered in the order of the table), in one atomic step.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyomo.environ as pyo

from planner.models.layout import COST_TERMS
from planner.models.transition import TRANSITION_COST_TERMS
from planner.numerics import scenario_warnings
from planner.research.common import NoPlan, drop, objective, only_model_constraints, set_constraint
from planner.results import Plan
from planner.run import EXIT_CODES, Built, RunOutcome, build, read_plan, solver_options, write_outcome
from planner.runfolder import atomic_folder, check_output, now, write_csv, write_json
from planner.scenario import Scenario, load_scenario
from planner.scenario.schema import SolverOptions
from planner.solve import SolveResult
from planner.solve.polish import solve_polished
from planner.transition import TransitionPlan

HOLD_SLACK = 1e-7
"""A term held at its optimum may exceed it by this much (relative to max(1, |value|))."""
DOMINANCE_TOL = 1e-6
"""Differences below this (relative to max(1, |value|)) do not count in dominance and repeats."""


@dataclass
class Point:
    """One solved epsilon point."""

    epsilon: float | None
    result: SolveResult
    first: float | None = None
    second: float | None = None
    plan: Plan | TransitionPlan | None = None
    violations: list[str] = dataclasses.field(default_factory=list)
    started: str = ""
    kept: bool = True
    note: str = ""


@dataclass(frozen=True)
class ParetoOutcome:
    """What `pareto` produced."""

    first: str
    second: str
    table: pd.DataFrame
    """pareto.csv: one row per point solved, kept ones first in frontier order."""
    out: Path
    runs: list[RunOutcome]
    """The run folders of the kept points, in table order."""
    message: str


def _slack(value: float) -> float:
    return HOLD_SLACK * max(1.0, abs(value))


def lexicographic(model: pyo.ConcreteModel, options: Any, first: Any, second: Any) -> tuple[SolveResult, float]:
    """Minimise `first`, then `second` with `first` held, then the full objective with both held.

    Each stage is polished (x rounded and fixed, the rest re-solved) so that the values held are exact
    for the plan's pattern. Returns the last solve's result (the plan loaded into the model) and the total solve time.
    """
    seconds = 0.0
    held: list[tuple[str, Any, float]] = []

    def hold(factor: float) -> None:
        for name, expr, value in held:
            set_constraint(model, f"research_hold_{name}", expr <= value + factor * _slack(value))

    def stage_solve(expr: Any | None) -> SolveResult:
        nonlocal seconds
        for factor in (1.0, 100.0):  # a hold too tight for the solver's tolerances gets one wider retry
            hold(factor)
            if expr is None:
                result = solve_polished(model, options)
            else:
                with objective(model, "research_stage", expr) as stage:
                    result = solve_polished(model, options, stage)
            seconds += result.solve_seconds
            if result.status != "infeasible" or not held:
                break
        return result

    try:
        for name, expr in (("first", first), ("second", second)):
            result = stage_solve(expr)
            if result.objective is None:
                return result, seconds
            held.append((name, expr, float(pyo.value(expr))))
        return stage_solve(None), seconds
    finally:
        drop(model, "research_hold_first", "research_hold_second")


def dominates(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether point `a` dominates `b` (no worse in both, better in one, beyond DOMINANCE_TOL)."""
    tol = [DOMINANCE_TOL * max(1.0, abs(v)) for v in b]
    no_worse = all(x <= y + t for x, y, t in zip(a, b, tol, strict=False))
    better = any(x < y - t for x, y, t in zip(a, b, tol, strict=False))
    return no_worse and better


def same(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two points coincide within DOMINANCE_TOL."""
    return all(abs(x - y) <= DOMINANCE_TOL * max(1.0, abs(y)) for x, y in zip(a, b, strict=False))


def filter_frontier(points: list[Point]) -> list[Point]:
    """Mark repeats and dominated points (kept=False, with a note); return the kept ones, FIRST ascending."""
    solved = [p for p in points if p.first is not None]
    for n, p in enumerate(solved):
        for m, q in enumerate(solved):
            if m < n and q.kept and same((q.first, q.second), (p.first, p.second)):
                p.kept, p.note = False, f"the same costs as the point kept before it (epsilon {q.epsilon:.10g})"
                break
            if m != n and dominates((q.first, q.second), (p.first, p.second)):
                p.kept, p.note = False, (f"dominated by the point at epsilon {q.epsilon:.10g} "
                                         f"({q.first:.10g}, {q.second:.10g}); dropped")
                break
    for p in points:
        if p.first is None:
            p.kept, p.note = False, f"no plan: {p.result.status} ({p.result.message})"
    return sorted((p for p in points if p.kept), key=lambda p: (p.first, -p.second))


def plot(table: pd.DataFrame, first: str, second: str, title: str, path: Path) -> None:
    """pareto.png: the kept points joined in order, dropped ones as grey crosses."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    try:
        from planner.maps.fonts import cjk_context  # Chinese titles in Noto Sans SC
    except ImportError:
        from contextlib import nullcontext as cjk_context  # type: ignore[assignment]
        title = title.encode("ascii", "replace").decode()
    with cjk_context():
        _draw(plt, table, first, second, title, path)


def _draw(plt: Any, table: pd.DataFrame, first: str, second: str, title: str, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(7, 5), dpi=120)
    kept = table[table["kept"]]
    dropped = table[~table["kept"] & table[first].notna()]
    ax.plot(kept[first], kept[second], "-o", color="#1565c0", label="Pareto points (non-dominated)")
    for row in kept.itertuples(index=False):
        ax.annotate(str(row.point), (getattr(row, first), getattr(row, second)), textcoords="offset points",
                    xytext=(5, 5), fontsize=9)
    if len(dropped):
        ax.plot(dropped[first], dropped[second], "x", color="#9e9e9e", label="repeated or dominated (dropped)")
    ax.set_xlabel(f"{first} cost (10k yuan, unweighted)")
    ax.set_ylabel(f"{second} cost (10k yuan, unweighted)")
    import textwrap

    from matplotlib.ticker import FuncFormatter

    ax.set_title("\n".join(textwrap.wrap(title, 60) + [f"trade-off: {first} vs {second}"]), fontsize=9)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    thousands = FuncFormatter(lambda v, _: f"{v:,.0f}")
    ax.xaxis.set_major_formatter(thousands)
    ax.yaxis.set_major_formatter(thousands)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def pareto(
    scenario_path: Path | str,
    first: str,
    second: str,
    points: int = 5,
    out: Path | str | None = None,
    *,
    force: bool = False,
    progress: Callable[[str], None] = lambda message: None,
    **solver_changes: Any,
) -> ParetoOutcome:
    """Trace the frontier between the cost terms `first` and `second` over `points` epsilon values."""
    _check_request(first, second, points)
    progress("Reading the scenario")
    scenario = load_scenario(scenario_path)
    _check_terms(scenario, first, second)
    out = Path(out) if out is not None else \
        Path("runs") / f"{scenario.name}-pareto-{first}-{second}-{datetime.now():%Y%m%d-%H%M%S}"
    options = solver_options(scenario, **solver_changes)
    check_output(out, force)
    progress("Building the model")
    built = build(scenario)
    base = {"scenario": scenario.name, "title": scenario.title, "warnings": scenario_warnings(scenario, built.index),
            "build_seconds": built.seconds, **built.size}
    frontier = _trace(scenario, built, options, first, second, points, progress)
    kept = filter_frontier(frontier.solved)
    dropped = [p for p in frontier.solved if not p.kept]
    message = frontier.message or (f"{len(kept)} non-dominated points between {first} and {second}"
                                   + (f"; {len(dropped)} dropped (repeated or dominated)" if dropped else ""))
    table = _frontier_table(kept, dropped, first, second)
    runs = []
    progress("Writing the run folders")
    with atomic_folder(out, force) as tmp:
        write_csv(tmp / "pareto.csv", table)
        write_json(tmp / "pareto.json", {
            "scenario": scenario.name, "first": first, "second": second, "points_requested": points,
            "kept": len(kept), "dropped": len(dropped), "second_range": [frontier.lo, frontier.hi], "message": message,
            "solver": options.model_dump(), "terms": "unweighted cost terms (cost_<term> of docs/model.md)"})
        plot(table, first, second, scenario.title, tmp / "pareto.png")
        for n, p in enumerate(kept, start=1):
            extra = {"pareto": {"point": n, "first": first, "second": second, "epsilon": p.epsilon,
                                first: p.first, second: p.second}}
            done = write_outcome(tmp / f"point-{n}", False, scenario, p.result, base | extra, p.plan, p.violations,
                                 p.started, None)
            runs.append(RunOutcome(done.status, out / f"point-{n}", done.summary, done.violations))
    return ParetoOutcome(first, second, table, out, runs, message)


def _check_request(first: str, second: str, points: int) -> None:
    """Refuse (ValueError, in the words of the command line) unknown or equal cost terms and fewer than 2 points."""
    for term in (first, second):
        if term not in TRANSITION_COST_TERMS:
            raise ValueError(f"unknown cost term {term!r}; known: {', '.join(TRANSITION_COST_TERMS)}")
    if first == second:
        raise ValueError("--between needs two different cost terms")
    if points < 2:
        raise ValueError("--points must be at least 2 (the two ends of the frontier)")


def _check_terms(scenario: Scenario, first: str, second: str) -> None:
    """Refuse (ValueError) `retire` and `upgrade` for a scenario without periods or stock: version 1 has no such
    terms."""
    if scenario.is_version2:
        return
    for term in (first, second):
        if term not in COST_TERMS:
            raise ValueError(f"cost term {term!r} exists only in a scenario with periods or stock (docs/model.md "
                             f"version 2); {scenario.name} has neither; its terms: {', '.join(COST_TERMS)}")


@dataclass
class _Frontier:
    """The points solved along the frontier, the range of the second term, and a message when there is no trade-off."""

    solved: list[Point]
    lo: float
    hi: float
    message: str


def _trace(scenario: Scenario, built: Built, options: SolverOptions, first: str, second: str,
           points: int, progress: Callable[[str], None]) -> _Frontier:
    """Solve the two ends of the frontier, then the `points` - 2 epsilon points between them (none without a
    trade-off) on `built.model`; NoPlan when an end has no plan."""
    m = built.model
    t1, t2 = getattr(m, f"cost_{first}"), getattr(m, f"cost_{second}")

    def record(epsilon: float | None, result: SolveResult, seconds: float, started: str) -> Point:
        result = dataclasses.replace(result, solve_seconds=seconds)
        p = Point(epsilon, result, started=started)
        if result.objective is not None:
            p.first, p.second = float(pyo.value(t1)), float(pyo.value(t2))
            with only_model_constraints(m):
                p.plan, p.violations = read_plan(scenario, built)
        return p

    progress(f"End of the frontier with the least {second}")
    started = now()
    low = record(None, *lexicographic(m, options, t2, t1), started)
    progress(f"End of the frontier with the least {first}")
    started = now()
    high = record(None, *lexicographic(m, options, t1, t2), started)
    if low.first is None or high.first is None:
        bad, least = (low, second) if low.first is None else (high, first)
        raise NoPlan(EXIT_CODES[bad.result.status], f"no plan at the end of the frontier with the least {least}: "
                     f"{bad.result.status} ({bad.result.message}); `planner run` on the scenario says why")
    lo, hi = low.second, max(high.second, low.second)
    low.epsilon, high.epsilon = lo, hi
    solved = [low]
    message = ""
    if hi - lo <= DOMINANCE_TOL * max(1.0, abs(hi)):
        message = f"no trade-off: one plan minimises both {first} and {second}"
        high.kept, high.note = False, "repeats the other end: no trade-off"
        solved.append(high)
        return _Frontier(solved, lo, hi, message)
    for k in range(1, points - 1):
        eps = lo + (hi - lo) * k / (points - 1)
        progress(f"Point {k + 1} of {points}: {second} <= {eps:,.2f}")
        set_constraint(m, "research_epsilon", t2 <= eps)
        started = now()
        try:
            solved.append(record(eps, *lexicographic(m, options, t1, t2), started))
        finally:
            drop(m, "research_epsilon")
    solved.append(high)
    return _Frontier(solved, lo, hi, message)


def _frontier_table(kept: list[Point], dropped: list[Point], first: str, second: str) -> pd.DataFrame:
    """pareto.csv: the kept points (numbered, with their folders), then the dropped ones."""
    rows = []
    for n, p in enumerate(kept, start=1):
        rows.append({"point": n, "folder": f"point-{n}", "epsilon": p.epsilon, first: p.first, second: p.second,
                     "objective": p.result.objective, "status": p.result.status, "kept": True, "note": p.note,
                     "solve_seconds": p.result.solve_seconds, "violations": len(p.violations)})
    for p in dropped:
        rows.append({"point": None, "folder": None, "epsilon": p.epsilon, first: p.first, second: p.second,
                     "objective": p.result.objective, "status": p.result.status, "kept": False, "note": p.note,
                     "solve_seconds": p.result.solve_seconds, "violations": len(p.violations)})
    table = pd.DataFrame(rows, columns=["point", "folder", "epsilon", first, second, "objective", "status", "kept",
                                        "note", "solve_seconds", "violations"])
    table["point"] = table["point"].astype("Int64")
    return table


def is_frontier(values: list[tuple[float, float]]) -> bool:
    """Whether the points are ordered by the first value ascending, the second strictly descending, and none
    dominates another (within DOMINANCE_TOL)."""
    ordered = all(a[0] <= b[0] + DOMINANCE_TOL * max(1.0, abs(b[0])) and a[1] > b[1] for a, b in zip(values,
                                                                                                     values[1:],
                                                                                                     strict=False))
    return ordered and not any(dominates(a, b) for a in values for b in values if a is not b)


__all__ = ["ParetoOutcome", "dominates", "filter_frontier", "is_frontier", "lexicographic", "pareto"]
