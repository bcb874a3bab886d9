"""Near-optimal alternatives: `planner run SCENARIO --alternatives N --within P`.

After the optimum (cost z*), up to N further plans are sought whose cost is at most
z* (1 + P/100), each with an x pattern (the set of opened industry-function-site triples;
for a scenario with periods, docs/model.md version 2, the triples opened in each period, so
the alternatives are distinct plans over the whole transition and the bound is on the
discounted total) that differs from every plan found before: a no-good cut
    sum over open t of (1 - x_t) + sum over closed t of x_t >= 1
is added for each plan found. Two methods:

- `next-best` (the command line's): minimise the cost again; the plans come out cheapest
  first, so they are the N best distinct x patterns within the bound.
- `diverse` (modelling to generate alternatives, Hop-Skip-Jump): minimise the number of
  triples opened in any earlier plan (ties broken by cost), then, with that pattern fixed,
  minimise the cost. The plans come out as different from the earlier ones as the bound allows.

Layout: `OUT/` is the optimum's run folder; `OUT/alt-1/`, `OUT/alt-2/`, ... are the alternatives'
run folders (cheapest first for next-best); `OUT/alternatives.csv` lists them with their cost
and distance to the optimum; `OUT/selection_frequency.csv` gives, for each site and each opened
triple, in how many of the plans (optimum included) it is chosen. Everything is written in one
atomic step.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyomo.environ as pyo

from planner.research.common import (
    add_no_good,
    drop,
    hamming,
    jaccard,
    objective,
    only_model_constraints,
    set_constraint,
)
from planner.results import Plan
from planner.run import Built, RunOutcome, read_plan, solve_scenario, write_outcome
from planner.runfolder import atomic_folder, now, write_csv
from planner.scenario import Scenario
from planner.scenario.schema import SolverOptions
from planner.solve import SolveResult, solve
from planner.solve.polish import Opening, first_share, fixed_x, solve_polished, time_left, x_pattern, x_vars
from planner.solve.watch import SolveWatch
from planner.transition import TransitionPlan

METHODS = ("next-best", "diverse")
ALTERNATIVE_COLUMNS = ["rank", "folder", "status", "objective", "increase", "increase_pct", "within_bound",
                       "n_opened", "hamming_to_optimum", "jaccard_to_optimum", "min_hamming_to_others",
                       "opened_vs_optimum", "closed_vs_optimum", "solve_seconds", "violations"]
FREQUENCY_COLUMNS = ["level", "industry", "function", "site", "region", "zone", "plans", "share", "in_optimum"]
BOUND_TOL = 1e-9
"""A plan may exceed the cost bound by this much (relative) and still count as within it."""


def parse_percent(text: str | float) -> float:
    """`5`, `5%` or `2.5 %` -> 5.0, 5.0, 2.5 (percent); raises ValueError for anything else or a negative."""
    try:
        value = float(str(text).strip().removesuffix("%").strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"--within must be a non-negative percentage, got {text!r}")
    return value


@dataclass
class Found:
    """One plan: the solve result, the plan, its violations and x pattern."""

    result: SolveResult
    plan: Plan | TransitionPlan
    violations: list[str]
    pattern: frozenset[Opening]
    """Opened triples; (industry, function, site, period) for a scenario with periods."""
    started: str


@dataclass(frozen=True)
class AlternativesOutcome:
    """What `run_alternatives` produced."""

    optimum: RunOutcome
    """The optimum's run (its folder is OUT)."""
    alternatives: list[RunOutcome] = field(default_factory=list)
    """The alternatives' runs (OUT/alt-1, ...)."""
    table: pd.DataFrame | None = None
    """alternatives.csv."""
    frequency: pd.DataFrame | None = None
    """selection_frequency.csv."""
    cost_bound: float | None = None
    """z* (1 + P/100)."""
    stopped: str = ""
    """Why fewer than N alternatives were found (empty when all were)."""


def _folder(rank: int) -> str:
    return "." if rank == 0 else f"alt-{rank}"


def _name(t: Opening) -> str:
    return "/".join(map(str, t))


def alternatives_table(found: list[Found], optimum: float, bound: float) -> pd.DataFrame:
    """One row per plan (rank 0 = the optimum): cost, increase and how much it differs."""
    base = found[0].pattern
    rows = []
    for k, f in enumerate(found):
        others = [hamming(f.pattern, g.pattern) for j, g in enumerate(found) if j != k]
        value = f.result.objective
        rows.append({
            "rank": k, "folder": _folder(k), "status": f.result.status, "objective": value,
            "increase": value - optimum, "increase_pct": 100 * (value - optimum) / abs(optimum) if optimum else 0.0,
            "within_bound": bool(value <= bound + BOUND_TOL * max(1.0, abs(bound))),
            "n_opened": len(f.pattern), "hamming_to_optimum": hamming(f.pattern, base),
            "jaccard_to_optimum": jaccard(f.pattern, base), "min_hamming_to_others": min(others) if others else None,
            "opened_vs_optimum": " ".join(sorted(_name(t) for t in f.pattern - base)),
            "closed_vs_optimum": " ".join(sorted(_name(t) for t in base - f.pattern)),
            "solve_seconds": f.result.solve_seconds, "violations": len(f.violations),
        })
    return pd.DataFrame(rows, columns=ALTERNATIVE_COLUMNS)


def selection_frequency(scenario: Scenario, found: list[Found]) -> pd.DataFrame:
    """How often each site (any function) and each opened triple is chosen across the plans.

    With periods (openings keyed by period), the function rows are per period (a `period` column after `site`;
    empty on the site rows, which count a site used in any period)."""
    n = len(found)
    optimum = found[0].pattern
    periods = any(len(t) > 3 for f in found for t in f.pattern)
    rows = []
    for s, site in scenario.sites.items():
        hits = sum(1 for f in found if any(t[2] == s for t in f.pattern))
        rows.append({"level": "site", "industry": "", "function": "", "site": s, "period": "", "region": site.region,
                     "zone": site.zone, "plans": hits, "share": hits / n,
                     "in_optimum": any(t[2] == s for t in optimum)})
    chosen = dict.fromkeys(t for f in found for t in f.pattern)
    for t in sorted(chosen, key=_order(scenario)):
        hits = sum(1 for f in found if t in f.pattern)
        site = scenario.sites[t[2]]
        rows.append({"level": "function", "industry": t[0], "function": t[1], "site": t[2],
                     "period": t[3] if len(t) > 3 else "", "region": site.region,
                     "zone": site.zone, "plans": hits, "share": hits / n, "in_optimum": t in optimum})
    columns = [*FREQUENCY_COLUMNS[:4], "period", *FREQUENCY_COLUMNS[4:]] if periods else FREQUENCY_COLUMNS
    return pd.DataFrame(rows).reindex(columns=columns)


def _order(scenario: Scenario) -> Callable[[Opening], tuple[int, ...]]:
    """Sort key of openings in the scenario's order (industries, functions, sites as in the tables; then period)."""
    from planner.scenario.schema import FUNCTIONS

    ind = {i: n for n, i in enumerate(scenario.industries)}
    fun = {f: n for n, f in enumerate(FUNCTIONS)}
    sit = {s: n for n, s in enumerate(scenario.sites)}
    return lambda t: (ind[t[0]], fun[t[1]], sit[t[2]], *t[3:])


def search(model: pyo.ConcreteModel, scenario: Scenario, built: Built, options: Any, first: Found, n: int,
           bound: float, method: str = "next-best",
           progress: Callable[[str], None] = lambda message: None) -> tuple[list[Found], str]:
    """Up to `n` further plans within the cost `bound`, each with a new x pattern; the model (`built.model`) is left
    as it was."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; known: {', '.join(METHODS)}")
    found = [first]
    stopped = ""
    set_constraint(model, "research_budget", model.objective.expr <= bound)
    try:
        for k in range(1, n + 1):
            add_no_good(model, found[-1].pattern)
            progress(f"Looking for alternative {k} of {n} ({method})")
            started = now()
            if method == "next-best":
                result = solve_polished(model, options)
            else:
                result = _diverse(model, options, found, bound)
            if result.objective is None:
                stopped = ("no further distinct plan within the bound" if result.status == "infeasible"
                           else f"the solver ended {result.status} ({result.message})")
                break
            pattern = x_pattern(model)
            if any(pattern == f.pattern for f in found):  # cannot happen with the cuts, but never report a repeat
                stopped = "the solver returned a plan found before"
                break
            with only_model_constraints(model):
                plan, found_violations = read_plan(scenario, built)
            if result.objective > bound + BOUND_TOL * max(1.0, abs(bound)):
                found_violations.append(f"cost {result.objective:.10g} is above the bound {bound:.10g}")
            found.append(Found(result, plan, found_violations, pattern, started))
    finally:
        drop(model, "research_budget", "research_no_good", "research_no_good_index")
    return found, stopped


def _diverse(model: pyo.ConcreteModel, options: SolverOptions, found: list[Found], bound: float) -> SolveResult:
    """Hop-Skip-Jump: fewest previously used triples (ties by cost), then the cheapest plan with that pattern.

    The two solves keep to the one time limit of `options`, as in `solve_polished`: the first gets its
    `first_share` and the re-solve with the pattern fixed what the first left. With nothing left, the
    first's plan is kept (feasible, its cost, no bound) with a note. The result records `options` as given,
    the time and notes of both solves.
    """
    used = set().union(*(f.pattern for f in found))
    scale = 0.5 / max(abs(bound), 1e-9)
    x = x_vars(model)
    expr = sum(x[t] for t in x if t in used) + scale * model.objective.expr
    with objective(model, "research_hsj", expr) as hsj:
        first = dataclasses.replace(solve(model, first_share(options), objective=hsj), options=options.model_dump())
    if first.objective is None:
        return first
    left = time_left(options, first)
    if left is not None and left <= 0:
        note = ("the plan is not re-solved for the least cost with its openings fixed: "
                "the Hop-Skip-Jump solve used all the time limit")
        return dataclasses.replace(first, status="feasible", objective=pyo.value(model.objective.expr), best_bound=None,
                                   mip_gap=None, notes=(*first.notes, note))
    pattern = x_pattern(model)
    model.research_no_good.deactivate()  # constant under the fixed pattern
    try:
        with fixed_x(model, {t: int(t in pattern) for t in x_vars(model)}):
            second = solve(model, options.model_copy(update={"time_limit": left}))
    finally:
        model.research_no_good.activate()
    return dataclasses.replace(second, options=options.model_dump(),
                               solve_seconds=first.solve_seconds + second.solve_seconds,
                               notes=(*first.notes, *second.notes))


def run_alternatives(
    scenario_path: Path | str,
    out: Path | str | None = None,
    *,
    n: int,
    within: float,
    method: str = "next-best",
    force: bool = False,
    progress: Callable[[str], None] = lambda message: None,
    watch: SolveWatch | None = None,
    lang: str = "en",
    **solver_changes: Any,
) -> AlternativesOutcome:
    """Solve a scenario, then find up to `n` distinct plans within `within` percent of the optimum.

    `solver_changes` (name, time_limit, mip_gap, threads, seed), `watch` (the optimum's solve) and `lang` as for
    `planner.run.run`. The time
    limit applies to the optimum and to each alternative (its solves together). Writes OUT (the optimum),
    OUT/alt-k, OUT/alternatives.csv and OUT/selection_frequency.csv (module docstring).
    """
    if n < 1:
        raise ValueError("--alternatives must be at least 1")
    if within < 0:
        raise ValueError("--within must be non-negative")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; known: {', '.join(METHODS)}")
    solved = solve_scenario(scenario_path, out, force=force, progress=progress, command="run --alternatives",
                            watch=watch, **solver_changes)
    if solved.plan is None:
        return AlternativesOutcome(solved.write(force, lang), stopped="no optimum")
    scenario, options, out, base, result = solved.scenario, solved.options, solved.out, solved.base, solved.result
    first = Found(result, solved.plan, solved.violations, x_pattern(solved.built.model), solved.started)
    optimum = result.objective
    bound = optimum + within / 100 * abs(optimum)
    found, stopped = search(solved.built.model, scenario, solved.built, options, first, n, bound, method, progress)
    table = alternatives_table(found, optimum, bound)
    frequency = selection_frequency(scenario, found)
    meta = {"requested": n, "found": len(found) - 1, "within_percent": within, "cost_bound": bound,
            "method": method, "stopped": stopped or None}
    progress("Writing the run folders")
    outcomes = []
    with atomic_folder(out, force) as tmp:
        for k, f in enumerate(found):
            row = table.iloc[k]
            extra = ({"alternatives": meta} if k == 0 else
                     {"alternative": {"rank": k, "optimum": optimum, "increase_pct": float(row["increase_pct"]),
                                      "within_percent": within, "cost_bound": bound, "method": method,
                                      "hamming_to_optimum": int(row["hamming_to_optimum"]),
                                      "optimum_folder": ".."}})
            target = tmp if k == 0 else tmp / _folder(k)
            done = write_outcome(target, k == 0, scenario, f.result, base | extra, f.plan, f.violations, f.started,
                                 None, lang=lang)
            outcomes.append(RunOutcome(done.status, out if k == 0 else out / _folder(k), done.summary, done.violations))
        write_csv(tmp / "alternatives.csv", table)
        write_csv(tmp / "selection_frequency.csv", frequency)
    return AlternativesOutcome(outcomes[0], outcomes[1:], table, frequency, bound, stopped)
