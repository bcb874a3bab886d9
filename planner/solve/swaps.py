"""Swaps: after RENS, re-solve together the industries that share a full site, the others held at the plan.

RENS's plan packs each site's cheap land with whole functions; the optimum often packs a few full sites
differently, industries trading places between them (measured on the 100 x 100 benchmark, seed 1: ten
industries moved between eleven regions, 0.08 % of the objective). A neighbourhood (large neighbourhood search,
Shaw 1998) belongs to one row that is full, or nearly, in the plan and shares something among industries'
capacities (a site's land): every industry with a column in that row that the plan or the relaxation uses. Its
small MIP frees those industries' integer decisions everywhere and holds every other industry's at the plan, so
the freed ones can trade places at the full site and anywhere else. The fullest rows come first; after a pass that
changed the plan, the new plan's rows not tried yet. Each small MIP is solved to a tenth of the run's gap
(GAP_SHARE): solved only to the run's gap it would stop at the plan it starts from, whose root bound is usually
within that gap.

Any plan found is a plan of the whole model (the other columns stay as in a plan of it), so the optimum and the
bound of the main solve are unchanged; the best plan is its start. The budget is the caller's
(planner.solve.rens.SWAP_SHARE, SWAP_RATIO); each neighbourhood takes at most EACH_SHARE of it.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import scipy.sparse as sp

FULL = 0.1
"""A row is full when its activity in the plan is within this share of its bound (of 1 when the bound is 0): whole
functions leave a site's land a little short of its bound."""
GAP_SHARE = 0.1
"""Each small MIP is solved to this share of the run's relative gap."""
BETTER = 1e-6
"""A plan is better when it costs less by more than this share."""
USED = 1e-6
"""A column is used by a plan or the relaxation above this value."""
EACH_SHARE = 1 / 3
"""Share of the swaps' budget one neighbourhood may take, so that a slow one leaves time for others."""


def neighbourhoods(rows: sp.csr_matrix, lower: np.ndarray, upper: np.ndarray, plan: np.ndarray,
                   relaxed: np.ndarray, owners: np.ndarray, integer: np.ndarray) -> list[np.ndarray]:
    """The industries (codes of `owners`, one per column, -1 for none) to free together, in the order to try them.

    `rows` is the matrix by rows with its bounds `lower` and `upper`; `plan` and `relaxed` are the plan's and
    the relaxation's column values; `integer` marks the integer columns. One neighbourhood per full row that
    shares something among industries' continuous columns (a site's land, a region's energy), the fullest row's
    first; each only once, and none of every industry (that is the whole model).
    """
    used = (np.abs(plan) > USED) | (np.abs(relaxed) > USED)
    full = _full_rows(rows, lower, upper, plan)
    joining = full[_industries_per_row(rows[full], used & ~integer, owners) > 1]
    every = len(np.unique(owners[owners >= 0]))
    groups = {group.tobytes(): group for group in (_industries(rows, r, used, owners) for r in joining)
              if len(group) < every}
    return list(groups.values())


def _full_rows(rows: sp.csr_matrix, lower: np.ndarray, upper: np.ndarray, plan: np.ndarray) -> np.ndarray:
    """The rows at (or within FULL of) a finite bound in `plan`, the fullest first."""
    activity = rows @ plan
    slack = np.minimum(np.where(np.isfinite(upper), upper - activity, np.inf),
                       np.where(np.isfinite(lower), activity - lower, np.inf))
    share = slack / np.maximum(np.abs(np.where(np.isfinite(upper), upper, lower)), 1.0)
    full = np.flatnonzero(share <= FULL)
    return full[np.argsort(share[full], kind="stable")]


def _industries_per_row(rows: sp.csr_matrix, columns: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """How many industries have a column of `columns` (a mask) in each of `rows`."""
    kept = columns & (owners >= 0)
    owner = sp.csr_array((np.ones(int(kept.sum())), (np.flatnonzero(kept), owners[kept])),
                         shape=(len(owners), int(owners.max()) + 1))
    return np.diff(((abs(rows) @ owner) > 0).tocsr().indptr)


def _industries(rows: sp.csr_matrix, row: int, used: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """The industries with a column in `row` that is `used`."""
    columns = rows.indices[rows.indptr[row]:rows.indptr[row + 1]]
    found = owners[columns[used[columns]]]
    return np.unique(found[found >= 0])


def free_industries(owners: np.ndarray, decisions: np.ndarray, group: np.ndarray) -> np.ndarray:
    """The columns to hold at the plan: the `decisions` of every industry not in `group`."""
    return decisions & ~np.isin(owners, group)


def search(solve_small: Any, rows: sp.csr_matrix, lower: np.ndarray, upper: np.ndarray, plan: Any,
           relaxed: np.ndarray, owners: np.ndarray, integer: np.ndarray, ends: float) -> tuple[Any, int, int]:
    """Try the neighbourhoods of `plan` in turn, each from the best plan so far, until `ends` (time.perf_counter):
    the best plan found (`plan` if none), the neighbourhoods tried and how many of them found a better plan.

    `solve_small(fix, start, budget)` solves the small MIP with the `fix` columns held at `start`'s values from
    `start`, within `budget` seconds, and returns a plan like `start` (objective None: none found); `plan` has
    `objective`, `solution` (every column's value) and `interrupted`. The columns held are the integer ones
    (`integer`) of the industries outside the neighbourhood.
    """
    best, tried, improved = plan, 0, 0
    budget = ends - time.perf_counter()
    decisions = integer & (owners >= 0)
    done: set[bytes] = set()
    while True:  # the neighbourhoods of the best plan not tried yet, then their pairs; again when the plan changed
        singles = neighbourhoods(rows, lower, upper, best.solution, relaxed, owners, integer)
        pairs = (np.union1d(a, b) for k, a in enumerate(singles) for b in singles[k + 1:])
        todo = (group for group in (*singles, *pairs) if group.tobytes() not in done)
        before = best
        for group in todo:
            left = ends - time.perf_counter()
            if left <= 0:
                return best, tried, improved
            done.add(group.tobytes())
            found = solve_small(free_industries(owners, decisions, group), best, min(left, EACH_SHARE * budget))
            tried += 1
            if found.objective is not None and found.objective < best.objective - BETTER * abs(best.objective):
                best, improved = found, improved + 1
            if found.interrupted:
                return best, tried, improved
            if best is not before:
                break  # the plan changed: its own neighbourhoods next
        if best is before:
            break
    return best, tried, improved
