"""The plan of a version 2 scenario (periods, stock) read back from its solved model, and its run folder tables.

docs/scenario.md "Version 2": every version 1 table gains a `period` column; `transition.csv` holds, per site,
industry, function and period, the capacity kept from stock, built, retired, converted in and out and in use;
`regions.csv` the production capacity of each region in each period; summary.json reports every version 1
figure per period under `periods` and the discounted totals at its top level.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import pyomo.environ as pyo
from pyomo.common.collections import ComponentMap

from planner.models.transition import TRANSITION_COST_TERMS, TransitionSets
from planner.results import Plan, _values, extract_plan, summary_kpis
from planner.runfolder import write_csv
from planner.scenario.scenario import Scenario
from planner.scenario.schema import SolverOptions
from planner.solve import SolveResult, solve
from planner.solve.deadline import deadline
from planner.solve.polish import first_share, polish
from planner.solve.relaxfix import relax_and_fix

EPS = 1e-6
"""Amounts at or below this are not listed in transition.csv."""
TRANSITION_COLUMNS = ["period", "industry", "function", "site", "region", "zone", "previous", "stock_kept", "built",
                      "retired", "converted_in", "converted_out", "capacity"]
"""Columns of transition.csv."""
REGION_COLUMNS = ["period", "region", "name_zh", "production", "stock_kept", "built", "retired", "converted_in",
                  "converted_out"]
"""Columns of regions.csv (production only)."""
MOVES = ("stock_kept", "built", "retired", "converted_in", "converted_out")
"""The capacity movements reported per period."""


@dataclass(frozen=True)
class TransitionPlan:
    """The plan of every period with what changed between them."""

    plans: dict[int, Plan]
    """Each period's version 1 plan (its costs undiscounted; land and setup on what is new in the period)."""
    transition: pd.DataFrame
    """TRANSITION_COLUMNS."""
    regions: pd.DataFrame
    """REGION_COLUMNS."""
    costs: dict[str, float]
    """Discounted, weighted total of each objective term; they add up to the objective."""
    costs_unweighted: dict[str, float]
    """Discounted total of each term before its weight."""
    discount: dict[int, float]
    """δ_t of each period."""
    scenarios: dict[int, Scenario]
    """The scenario of each period (demand D_it, caps H'_i and L'_r)."""

    @property
    def last(self) -> Plan:
        """The plan of the last period (the target of the transition)."""
        return self.plans[list(self.plans)[-1]]

    def stacked(self, table: str) -> pd.DataFrame:
        """A version 1 table (assignments, links, sites) of every period, `period` as its first column."""
        frames = [getattr(plan, table).assign(period=t) for t, plan in self.plans.items()]
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        return frame[["period", *[c for c in frame.columns if c != "period"]]]


def _value(var: Any) -> float:
    return max(float(var.value or 0.0), 0.0) if var is not None else 0.0


def extract_transition_plan(scenario: Scenario, ts: TransitionSets, model: pyo.ConcreteModel) -> TransitionPlan:
    """Read the solution loaded into the version 2 `model` as a TransitionPlan."""
    weights = scenario.settings.weights
    plans = {}
    for t in ts.periods:
        block = model.period[t]
        plan = extract_plan(ts.scenarios[t], ts.ix, block)
        plans[t] = _new_costs_only(scenario, ts, model, t, plan, weights)
    transition = _transition_table(scenario, ts, model)
    unweighted = dict(zip(TRANSITION_COST_TERMS,
                          _values([getattr(model, f"cost_{term}") for term in TRANSITION_COST_TERMS]), strict=True))
    costs = {term: getattr(weights, term) * value for term, value in unweighted.items()}
    return TransitionPlan(plans, transition, _region_table(scenario, ts, transition), costs, unweighted,
                          dict(ts.discount), dict(ts.scenarios))


def _new_costs_only(scenario: Scenario, ts: TransitionSets, model: pyo.ConcreteModel, t: int, plan: Plan,
                    weights: Any) -> Plan:
    """`plan` with land cost on the capacity built in period t, setup cost on openings, and the retire and upgrade
    terms."""
    spec, sites = scenario.functions, scenario.sites
    frame = plan.assignments.copy()
    frame["land_cost"] = [sites[s].land_price * spec[i, f].land_per_unit * _value(model.build[i, f, s, t])
                          if (i, f, s, t) in model.build else 0.0
                          for i, f, s in zip(frame["industry"], frame["function"], frame["site"], strict=True)]
    frame["setup_cost"] = [spec[i, f].setup_cost * round(_value(model.open[i, f, s, t]))
                           for i, f, s in zip(frame["industry"], frame["function"], frame["site"], strict=True)]
    block = model.period[t]
    unweighted = dict(zip(TRANSITION_COST_TERMS,
                          _values([getattr(block, f"cost_{term}") for term in TRANSITION_COST_TERMS]), strict=True))
    costs = {term: getattr(weights, term) * value for term, value in unweighted.items()}
    return dataclasses.replace(plan, assignments=frame, costs=costs, costs_unweighted=unweighted)


def _transition_table(scenario: Scenario, ts: TransitionSets, model: pyo.ConcreteModel) -> pd.DataFrame:
    """Per triple and period: capacity at the start, kept from stock, built, retired, converted in and out, in use.

    `stock_kept` is the existing stock still standing, counting retirements and conversions against the oldest
    capacity (the stock) first.
    """
    into: dict[tuple[str, str], list[str]] = {}
    out_of: dict[tuple[str, str], list[str]] = {}
    for i, s in ts.conversions:
        into.setdefault((i, s), []).append(i)
        out_of.setdefault((scenario.industries[i].upgrades, s), []).append(i)  # type: ignore[arg-type]
    rows = []
    for i, f, s in ts.ix.triples:
        site = scenario.sites[s]
        previous = kept = ts.stock.get((i, f, s), 0.0)
        for t in ts.periods:
            built = _value(model.build[i, f, s, t]) if (i, f, s, t) in model.build else 0.0
            retired = _value(model.retire[i, f, s, t])
            c_in = sum(_value(model.convert[k, s, t]) for k in into.get((i, s), [])) if f == "production" else 0.0
            c_out = sum(_value(model.convert[k, s, t]) for k in out_of.get((i, s), [])) if f == "production" else 0.0
            capacity = _value(model.period[t].q[i, f, s])
            kept = max(kept - retired - c_out, 0.0)
            if max(previous, built, retired, c_in, c_out, capacity) > EPS:
                rows.append({"period": t, "industry": i, "function": f, "site": s, "region": site.region,
                             "zone": site.zone, "previous": previous, "stock_kept": kept, "built": built,
                             "retired": retired, "converted_in": c_in, "converted_out": c_out, "capacity": capacity})
            previous = capacity
    frame = pd.DataFrame(rows, columns=TRANSITION_COLUMNS)
    return frame.sort_values(["period", "industry", "function", "site"], kind="stable", ignore_index=True)


def _region_table(scenario: Scenario, ts: TransitionSets, transition: pd.DataFrame) -> pd.DataFrame:
    """Production capacity per region and period, with what was kept, built, retired and converted."""
    production = transition[transition["function"] == "production"]
    rows = []
    for t in ts.periods:
        here = production[production["period"] == t]
        for r, region in scenario.regions.items():
            part = here[here["region"] == r]
            rows.append({"period": t, "region": r, "name_zh": region.name_zh,
                         "production": float(part["capacity"].sum()),
                         **{move: float(part[move].sum()) for move in MOVES}})
    return pd.DataFrame(rows, columns=REGION_COLUMNS)


def transition_kpis(scenario: Scenario, plan: TransitionPlan) -> dict[str, Any]:
    """The plan part of summary.json for a version 2 run.

    Top level: the discounted totals (`costs`, `costs_unweighted`, adding up to the objective) and version 1's
    other figures for the last period; `periods`: every version 1 figure of each period (costs undiscounted)
    with its discount factor and its capacity kept, built, retired, converted and in use.
    """
    last = list(plan.plans)[-1]
    out = summary_kpis(plan.scenarios[last], plan.last)
    out |= {"costs": plan.costs, "costs_unweighted": plan.costs_unweighted}
    st = scenario.settings
    out["transition"] = {"mode": st.transition, "lag": st.transition_lag, "discount_rate": st.discount_rate,
                         "stock_rows": len(scenario.stock)}
    periods = {}
    for t, p in plan.plans.items():
        rows = plan.transition[plan.transition["period"] == t]
        figures = summary_kpis(plan.scenarios[t], p)
        figures["discount_factor"] = plan.discount[t]
        figures["capacity"] = ({move: float(rows[move].sum()) for move in MOVES}
                               | {"in_use": float(rows["capacity"].sum())})
        periods[str(t)] = figures
    out["periods"] = periods
    return out


def transition_files(plan: TransitionPlan, draw_map: Callable[[Path], None]) -> dict[str, Callable[[Path], None]]:
    """The files of a version 2 run folder: version 1's tables with a `period` column, transition.csv, regions.csv
    and the map (writers in the order they must run).

    The map (`draw_map`, reading the run folder) is drawn last, from the tables of every period: a layer per
    period (planner.maps.period_layers).
    """
    return {
        "assignments.csv": partial(write_csv, frame=plan.stacked("assignments")),
        "links.csv": partial(write_csv, frame=plan.stacked("links")),
        "sites.csv": partial(write_csv, frame=plan.stacked("sites")),
        "transition.csv": partial(write_csv, frame=plan.transition),
        "regions.csv": partial(write_csv, frame=plan.regions),
        "map.html": draw_map,
    }


def solve_transition(model: pyo.ConcreteModel, options: SolverOptions,
                     progress: Callable[[str], None] = lambda message: None) -> SolveResult:
    """Solve the version 2 `model`, then polish its plan as version 1's is (planner.polish): every period's x
    rounded and fixed, the rest re-solved as a linear programme within what the MIP left of the time limit.
    The MIP gets a RENS start unless it has the period start (then RENS's cover cuts only, as any solve with a
    start, unless the memory limit leaves the MIP out: planner.solve.highs). Both solves keep to one deadline
    (planner.solve.deadline).
    """
    with deadline(options.time_limit):
        return _solve_and_polish(model, options, progress)


def _solve_and_polish(model: pyo.ConcreteModel, options: SolverOptions,
                      progress: Callable[[str], None]) -> SolveResult:
    """With `solver.period_start`, a start built period by period (`period_start`); the MIP within what is left
    of all but the polish's share of the time limit; then version 1's polish (every period's x rounded and fixed
    by :func:`planner.solve.polish.polish`) within what they left."""
    began = time.perf_counter()
    start = period_start(model, options, progress) if options.period_start else None
    spent = time.perf_counter() - began
    mip = first_share(options)  # with the period start: RENS's cover cuts only, as a rule (planner.solve.highs)
    if mip.time_limit is not None:
        mip = mip.model_copy(update={"time_limit": max(mip.time_limit - spent, 0.0)})
    result = solve(model, mip, mip_start=start, progress=progress)
    result = dataclasses.replace(result, options=options.model_dump(), solve_seconds=result.solve_seconds + spent)
    return polish(model, options, result)


def period_start(model: pyo.ConcreteModel, options: SolverOptions,
                 progress: Callable[[str], None]) -> ComponentMap | None:
    """`solver.period_start`: a start for the version 2 `model` built period by period (planner.solve.relaxfix),
    the free integer variables of each period a stage; None when a stage found no plan. The stages, each a small
    MIP of its own, run without RENS and its cover cuts."""
    stages = [[v for v in model.period[t].component_data_objects(pyo.Var) if v.is_integer() and not v.fixed]
              for t in model.period]
    return relax_and_fix(model, stages, options.model_copy(update={"heuristic": False}), progress)


INFEASIBLE = """The plan over the periods has no feasible solution.

No single cause could be isolated (planner's checks before solving and its elastic filter over the periods found
none). Constraints that often conflict in a plan with periods:
- 先立后破 (settings.transition: build_first): a region must retire production (a phase_out rule, or stock above
  what the demand of a period allows) but cannot build new production there early enough (transition_lag);
- phase_out rules that remove every site an industry's production or its support could use;
- stock above (1 + overcapacity) x the demand of the first period, where retiring it is not allowed;
- the hosting caps (max_hosts, max_new_industries) raised to the regions already holding stock (H'_i, L'_r).
"""
"""The text of infeasibility.txt for an infeasible version 2 run."""


def periods_tables(summary: dict[str, Any]) -> list[Any]:
    """The console tables of a version 2 run: per period the capacity in use, kept from stock, built, retired and
    converted with its cost (undiscounted); then per period the division of labour (each function's share of its
    capacity in center / inner / outer)."""
    from rich.table import Table

    moves = Table("period", "in use", "kept", "built", "retired", "converted", "cost",
                  title="Periods (capacity units; cost in 10k yuan, undiscounted)")
    labour = Table("period", "rd", "pilot", "production", title="Division of labour per period (% center/inner/outer)")
    for period, figures in summary["periods"].items():
        capacity = figures["capacity"]
        moves.add_row(period,
                      *(f"{capacity[k]:,.1f}" for k in ("in_use", "stock_kept", "built", "retired", "converted_in")),
                      f"{sum(figures['costs'].values()):,.2f}")
        labour.add_row(period, *("/".join(f"{100 * figures['division_of_labour'][f][z]:.0f}"
                                          for z in ("center", "inner", "outer"))
                                 for f in ("rd", "pilot", "production")))
    return [moves, labour]
