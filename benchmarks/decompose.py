"""A decomposition by industry on the Dask cluster (issue 22, goal 6), measured against the whole model.

Only three rows of MODEL.md join industries: land (2, with the reformulation's counts of models/layout.py),
regional focus (8) and energy (9). Price them (Lagrangian relaxation) and the model falls apart into one small
MIP per industry, which Dask's workers can solve side by side:

1. the whole model's linear relaxation gives the prices: the row duals y of the rows that hold columns of two
   industries or more (or a count, which is shared by the industries of a site);
2. each industry's MIP, over its own columns and rows, at the costs c - A'y; the counts' MIP apart;
3. the sum of their bounds plus y's share of the rows' bounds is a lower bound of the whole model (weak duality),
   at least the relaxation's;
4. the industries' plans together may break the priced rows; an elastic solve over the counts names the rows
   they break, and the repair re-solves the industries that use those rows, the others fixed.

For each size (SIZES, seed 1 unless --seed): the seconds of the model, the relaxation and the industries' MIPs on
1 and 2 workers (`planner.sweep.runner.dask_client`, single-thread workers), the relaxation's and the
decomposition's bounds, the rows the plans break, and the repair (time limit REPAIR_SECONDS).

    python benchmarks/run.py --decompose                   # 100 x 100, seed 1
    python benchmarks/run.py --decompose --sizes 300x100 --seed 1
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from benchmarks.generate import generate
from planner.solve.watch import new_highs

SIZES: tuple[tuple[int, int], ...] = ((100, 100),)
"""The sizes measured (regions x industries)."""
WORKERS: tuple[int, ...] = (1, 2)
"""The Dask workers the industries' MIPs are solved on, one measurement each."""
GROUP_GAP = 1e-5
"""Relative gap of each industry's MIP (its bound, not its plan, enters the lower bound)."""
GROUP_SECONDS = 60.0
"""Time limit of each industry's MIP."""
REPAIR_SECONDS = 60.0
"""Time limit of the repair MIP."""


@dataclass(frozen=True)
class Split:
    """The whole model in standard form, its columns by industry and the rows that join industries."""

    A: sp.csr_array
    cost: np.ndarray
    offset: float
    lower: np.ndarray
    upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    integer: np.ndarray
    group: np.ndarray
    """Industry number of each column; -1 for a column of no one industry (the reformulation's counts)."""
    coupling: np.ndarray
    """Rows with columns of two industries or more, or a shared column."""
    owner: np.ndarray
    """Industry number of each row that is not a coupling row (-2 for coupling rows)."""


def split_by_industry(scenario: Path) -> tuple[Split, float]:
    """Build `scenario`'s model, hand it over as planner does, and split it by industry; with the seconds taken."""
    from planner.run import build
    from planner.scenario import load_scenario
    from planner.solve.highs import _to_highs

    began = time.perf_counter()
    sc = load_scenario(scenario)
    model = build(sc).model
    h, form, _ = _to_highs(model)
    lp = h.getLp()
    number = {i: k for k, i in enumerate(sc.industries)}
    group = np.array([number.get(v.index()[0] if isinstance(v.index(), tuple) else v.index(), -1)
                      for v in form.columns])
    A = sp.csr_array(form.A)
    rows = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))
    of = group[A.indices]
    low = np.full(A.shape[0], np.iinfo(np.int64).max)
    high = np.full(A.shape[0], -1)
    np.minimum.at(low, rows, np.where(of < 0, -1, of))
    np.maximum.at(high, rows, of)
    coupling = (low != high) | (low < 0)
    integer = np.array([int(k) == 1 for k in lp.integrality_], dtype=bool)
    split = Split(A, np.asarray(lp.col_cost_), float(lp.offset_), np.asarray(lp.col_lower_),
                  np.asarray(lp.col_upper_), np.asarray(lp.row_lower_), np.asarray(lp.row_upper_), integer, group,
                  coupling, np.where(coupling, -2, low))
    return split, time.perf_counter() - began


def relaxation(split: Split) -> tuple[float, np.ndarray, float]:
    """The whole model's linear relaxation: objective, row duals and seconds."""
    began = time.perf_counter()
    h = _highs(_problem(split, np.arange(len(split.cost)), np.arange(len(split.row_lower)), split.cost, integer=False),
               seconds=np.inf)
    h.run()
    return h.getInfo().objective_function_value, np.asarray(h.getSolution().row_dual), time.perf_counter() - began


def priced(split: Split, duals: np.ndarray) -> tuple[np.ndarray, float]:
    """The Lagrangian costs c - A'y over the coupling rows, and the constant y's bounds add (weak duality).

    A dual keeps its sign only where the row has the bound it prices (y > 0 a lower, y < 0 an upper bound).
    """
    y = np.where(split.coupling, duals, 0.0)
    y[(y > 0) & ~np.isfinite(split.row_lower)] = 0.0
    y[(y < 0) & ~np.isfinite(split.row_upper)] = 0.0
    constant = float(y @ np.where(y > 0, split.row_lower, np.where(y < 0, split.row_upper, 0.0)))
    return split.cost - split.A.T @ y, constant + split.offset


def _problem(split: Split, columns: np.ndarray, rows: np.ndarray, cost: np.ndarray, integer: bool = True,
        shift: np.ndarray | None = None) -> dict[str, Any]:
    """The problem over `columns` and `rows` (row bounds less `shift`, the activity of columns fixed elsewhere)."""
    sub = sp.csc_array(split.A[rows][:, columns])
    shift = np.zeros(len(rows)) if shift is None else shift
    return {"cost": cost[columns], "lower": split.lower[columns], "upper": split.upper[columns],
            "row_lower": split.row_lower[rows] - shift, "row_upper": split.row_upper[rows] - shift,
            "start": sub.indptr, "index": sub.indices, "value": sub.data,
            "integer": split.integer[columns] if integer else np.zeros(len(columns), dtype=bool)}


def _highs(problem: dict[str, Any], gap: float = GROUP_GAP, seconds: float = GROUP_SECONDS) -> Any:
    """A one-thread highspy.Highs holding `problem`, silent (planner.solve.watch.new_highs, the one maker of them)."""
    import highspy

    h = new_highs()
    for key, value in {"output_flag": False, "threads": 1, "mip_rel_gap": gap, "time_limit": seconds}.items():
        h.setOptionValue(key, value)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(problem["cost"]), len(problem["row_lower"])
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = problem["cost"], problem["lower"], problem["upper"]
    lp.row_lower_, lp.row_upper_ = problem["row_lower"], problem["row_upper"]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = problem["start"], problem["index"], problem["value"]
    if problem["integer"].any():
        kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
        lp.integrality_ = [kinds[int(k)] for k in problem["integer"]]
    h.passModel(lp)
    return h


def solve_group(problem: dict[str, Any]) -> tuple[float, np.ndarray | None]:
    """One industry's priced MIP (on a Dask worker): its bound, and its plan if it has one."""
    h = _highs(problem)
    h.run()
    info = h.getInfo()
    plan = np.asarray(h.getSolution().col_value) if info.primal_solution_status == 2 else None
    bound = info.mip_dual_bound if problem["integer"].any() else info.objective_function_value
    return float(bound), plan


def lagrangian(client: Any, split: Split, cost: np.ndarray, constant: float) -> tuple[float, np.ndarray, float]:
    """Every industry's priced MIP (and the counts' apart) on `client`'s workers: the lower bound, the plans
    side by side, and the seconds."""
    began = time.perf_counter()
    groups = range(-1, int(split.group.max()) + 1)
    columns = [np.flatnonzero(split.group == g) for g in groups]
    problems = [_problem(split, cols, np.flatnonzero(split.owner == g), cost)
                for g, cols in zip(groups, columns, strict=True)]
    results = client.gather(client.map(solve_group, client.scatter(problems), pure=False))
    plan = np.zeros(len(cost))
    for cols, (_, values) in zip(columns, results, strict=True):
        if values is not None:
            plan[cols] = values
    return constant + sum(bound for bound, _ in results), plan, time.perf_counter() - began


def broken_rows(split: Split, plan: np.ndarray) -> np.ndarray:
    """The coupling rows `plan` breaks: the shared columns (counts) set by an elastic MIP with every industry's
    columns fixed (written into `plan`), each row free to break at unit cost."""
    shared, fixed = np.flatnonzero(split.group < 0), np.flatnonzero(split.group >= 0)
    rows = np.flatnonzero(split.coupling)
    k = len(rows)
    within = split.A[rows]
    problem = _problem(split, shared, rows, split.cost, shift=within[:, fixed] @ plan[fixed])
    slack = sp.csc_array(sp.hstack([sp.csc_array(within[:, shared]), sp.eye_array(k), -sp.eye_array(k)]))
    problem.update(cost=np.r_[np.zeros(len(shared)), np.ones(2 * k)], lower=np.r_[problem["lower"], np.zeros(2 * k)],
                   upper=np.r_[problem["upper"], np.full(2 * k, np.inf)], start=slack.indptr, index=slack.indices,
                   value=slack.data, integer=np.r_[problem["integer"], np.zeros(2 * k, dtype=bool)])
    h = _highs(problem, gap=1e-6)
    h.run()
    values = np.asarray(h.getSolution().col_value)
    plan[shared] = values[:len(shared)]
    return rows[values[len(shared):len(shared) + k] + values[len(shared) + k:] > 1e-7]


def repair(split: Split, plan: np.ndarray, rows: np.ndarray) -> dict[str, Any]:
    """Re-solve the industries with capacity in `rows` (and the counts) at the true costs, the others fixed at
    `plan`; returns the industries, the status, the objective of the whole plan, and the seconds."""
    began = time.perf_counter()
    users = np.unique(split.A[rows].tocoo().col)
    users = users[np.abs(plan[users]) > 1e-9]
    industries = set(split.group[users].tolist()) - {-1}
    free = np.isin(split.group, list(industries)) | (split.group < 0)
    columns, fixed = np.flatnonzero(free), np.flatnonzero(~free)
    touched = np.flatnonzero(np.diff(sp.csc_array(split.A[:, columns]).tocsr().indptr) > 0)
    problem = _problem(split, columns, touched, split.cost, shift=split.A[touched][:, fixed] @ plan[fixed])
    h = _highs(problem, gap=GROUP_GAP, seconds=REPAIR_SECONDS)
    h.run()
    found = h.getInfo().primal_solution_status == 2
    if found:
        plan[columns] = np.asarray(h.getSolution().col_value)
    return {"industries": len(industries), "status": h.modelStatusToString(h.getModelStatus()),
            "objective": float(split.cost @ plan) + split.offset if found else None,
            "seconds": time.perf_counter() - began}


def measure(scenario: Path, workers: tuple[int, ...] = WORKERS) -> dict[str, Any]:
    """Every step of the decomposition of `scenario`, the industries' MIPs once per number of workers."""
    from planner.sweep.runner import dask_client

    split, build_seconds = split_by_industry(scenario)
    relaxed, duals, relax_seconds = relaxation(split)
    cost, constant = priced(split, duals)
    out: dict[str, Any] = {"columns": len(split.cost), "coupling rows": int(split.coupling.sum()),
                           "priced rows": int((np.abs(np.where(split.coupling, duals, 0.0)) > 1e-9).sum()),
                           "build": build_seconds, "relaxation": relax_seconds, "relaxed": relaxed, "groups": {}}
    for n in workers:
        with dask_client(workers=n) as client:
            bound, plan, seconds = lagrangian(client, split, cost, constant)
        out["groups"][n] = seconds
    out["bound"] = bound
    rows = broken_rows(split, plan)
    out["broken rows"] = len(rows)
    out["repair"] = repair(split, plan, rows) if len(rows) else {"industries": 0, "status": "not needed",
                                                                  "objective": float(split.cost @ plan) + split.offset,
                                                                  "seconds": 0.0}
    return out


def report(size: str, m: dict[str, Any]) -> str:
    """The measurement of one size as Markdown lines."""
    groups = ", ".join(f"{n} worker{'s' * (n > 1)} {s:.1f} s" for n, s in m["groups"].items())
    r = m["repair"]
    plan = f"{r['objective']:,.1f}" if r["objective"] is not None else "none"
    return "\n".join([
        f"### {size}: {m['columns']:,} columns, {m['coupling rows']:,} coupling rows ({m['priced rows']} priced)",
        f"- model and hand-over {m['build']:.1f} s; relaxation {m['relaxation']:.1f} s, bound {m['relaxed']:,.1f}",
        f"- industries' MIPs: {groups}; decomposition's bound {m['bound']:,.1f}",
        f"- rows the plans break together: {m['broken rows']}; repair over {r['industries']} industries: "
        f"{r['status']} in {r['seconds']:.1f} s, plan {plan}"])


def run(sizes: tuple[tuple[int, int], ...], seed: int, folder: Path) -> None:
    """Measure every size and print the report."""
    for regions, industries in sizes:
        scenario = generate(regions, industries, seed, folder / f"{regions}x{industries}s{seed}")
        print(report(f"{regions} x {industries} seed {seed}", measure(scenario)), flush=True)
