"""Swaps: after RENS, re-solve together the industries that share a full site, the others held at the plan.

RENS's plan packs each site's cheap land with whole functions; the optimum often packs a few full sites
differently, industries trading places between them (measured on the 100 x 100 benchmark, seed 1: ten
industries moved between eleven regions, 0.08 % of the objective). A neighbourhood (large neighbourhood search,
Shaw 1998) belongs to one row that is full, or nearly, in the plan and shares something among industries'
capacities (a site's land): every industry with a column in that row that the plan or the relaxation uses. Its
small MIP frees those industries' integer decisions everywhere and holds every other industry's at the plan, so
the freed ones can trade places at the full site and anywhere else. The fullest rows come first, then pairs of
them (two full sites whose industries trade); once a neighbourhood finds a better plan, the new plan's
neighbourhoods not tried yet come next. Each small MIP is solved to a tenth of the run's gap (GAP_SHARE): solved
only to the run's gap it would stop at the plan it starts from, whose root bound is usually within that gap.

Neighbourhoods of regret take turns with those (one of each, across plans too): the industries whose columns cost
the most in the plan above what they cost in the relaxation, WINDOW at a time, freed everywhere, while every other
industry may move only within what the plan or the relaxation uses (its other decisions held at 0, as in RINS,
Danna et al. 2005). On the 100 x 100 benchmark the optimum differs from the plan by moves the relaxation already
makes, but for one or two industries it does not: seed 3's optimum (2,313,852.8) moves industry ind003, the plan's
largest regret (6,156 against 1,640 for the next), to sites the relaxation leaves empty. From RENS's plan
(2,317,967.3), the first neighbourhood of regret found that optimum in 12 s; with every industry within what the
plan or the relaxation uses, the best was 2,317,916.3.

Any plan found is a plan of the whole model (the other columns stay as in a plan of it), so the optimum and the
bound of the main solve are unchanged; the best plan is its start. When the swaps run and for how long is the
caller's (planner.solve.rens: SWAP_FROM, SWAP_SHARE, SWAP_RATIO, MAIN_SHARE; or beside the main solve, as long
as it runs: planner.solve.alongside); each neighbourhood takes at most EACH_SHARE of that budget.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import zip_longest
from typing import Generic, Protocol, TypeVar

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
WINDOW = 3
"""Industries freed together in a neighbourhood of regret. On the 100 x 100 benchmark, seed 2, the three of most
regret found 2,163,725.6 from RENS's 2,165,217.2 (50 s), the first one or two alone 2,163,970.8 (30 to 48 s)."""
MIN_SECONDS = 1.0
"""No neighbourhood is tried with less time than this left: a small MIP of a large model (solved apart, a second
to start and stop) would end before its root."""


class Plan(Protocol):
    """What the search needs of a plan."""

    objective: float | None
    """Its cost (None: no plan)."""
    solution: np.ndarray
    """Every column's value."""
    interrupted: bool
    """Ctrl-C stopped the solve that found it."""


P = TypeVar("P", bound=Plan)


@dataclass(frozen=True)
class Swapped(Generic[P]):
    """What the search did."""

    best: P
    """The best plan (the start when no neighbourhood found a better one)."""
    tried: int
    """Neighbourhoods solved."""
    improved: int
    """Those that found a better plan."""
    interrupted: bool
    """Ctrl-C stopped it."""


def neighbourhoods(rows: sp.csr_matrix, lower: np.ndarray, upper: np.ndarray, plan: np.ndarray,
                   relaxed: np.ndarray, owners: np.ndarray, integer: np.ndarray) -> list[np.ndarray]:
    """The industries (codes of `owners`, one per column, -1 for none) to free together, in the order to try them.

    `rows` is the matrix by rows with its bounds `lower` and `upper`; `plan` and `relaxed` are the plan's and
    the relaxation's column values; `integer` marks the integer columns. One neighbourhood per full row that
    shares something among industries' continuous columns (a site's land, a region's energy), the fullest row's
    first; each only once, and none of every industry (that is the whole model).
    """
    used = used_columns(plan, relaxed)
    full = _full_rows(rows, lower, upper, plan)
    joining = full[_industries_per_row(rows[full], used & ~integer, owners) > 1]
    groups = {group.tobytes(): group for group in (_industries(rows, r, used, owners) for r in joining)}
    return [group for group in groups.values() if _not_all(group, owners)]


def regret_windows(plan: np.ndarray, relaxed: np.ndarray, cost: np.ndarray, owners: np.ndarray) -> list[np.ndarray]:
    """The industries (codes of `owners`) by regret, WINDOW at a time, the most first: an industry's regret is what
    its columns cost in the `plan` above what they cost in the `relaxed` solution (`cost`: each column's). Industries
    of no regret are left out, and so is a window of every industry."""
    kept = owners >= 0
    regret = np.bincount(owners[kept], weights=(cost * (plan - relaxed))[kept], minlength=int(owners.max()) + 1)
    order = np.argsort(-regret, kind="stable")
    order = order[regret[order] > 0]
    windows = (np.sort(order[k:k + WINDOW]) for k in range(0, len(order), WINDOW))
    return [window for window in windows if _not_all(window, owners)]


def pairs(singles: list[np.ndarray], owners: np.ndarray) -> list[np.ndarray]:
    """The unions of two of `singles`, but none of every industry."""
    unions = (np.union1d(a, b) for k, a in enumerate(singles) for b in singles[k + 1:])
    return [group for group in unions if _not_all(group, owners)]


def _not_all(group: np.ndarray, owners: np.ndarray) -> bool:
    """Whether `group` leaves out an industry of `owners`."""
    return len(group) < len(np.unique(owners[owners >= 0]))


def _full_rows(rows: sp.csr_matrix, lower: np.ndarray, upper: np.ndarray, plan: np.ndarray) -> np.ndarray:
    """The inequality rows at (or within FULL of) a finite bound in `plan`, the fullest first."""
    activity = rows @ plan
    share = np.minimum(_slack_share(upper - activity, upper), _slack_share(activity - lower, lower))
    full = np.flatnonzero((share <= FULL) & (lower < upper))
    return full[np.argsort(share[full], kind="stable")]


def _slack_share(slack: np.ndarray, bound: np.ndarray) -> np.ndarray:
    """`slack` to a `bound` as a share of it (of 1 when it is smaller); infinite where the bound is."""
    finite = np.isfinite(bound)
    return np.where(finite, slack / np.maximum(np.abs(np.where(finite, bound, 1.0)), 1.0), np.inf)


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


def held_columns(owners: np.ndarray, decisions: np.ndarray, group: np.ndarray) -> np.ndarray:
    """The columns to hold at the plan: the `decisions` of every industry not in `group`."""
    return decisions & ~np.isin(owners, group)


def used_columns(plan: np.ndarray, relaxed: np.ndarray) -> np.ndarray:
    """The columns the plan or the relaxation uses."""
    return (np.abs(plan) > USED) | (np.abs(relaxed) > USED)


@dataclass(frozen=True)
class Neighbourhood:
    """Industries to free together, and whether the others may move within what the plan or the relaxation uses
    (a neighbourhood of regret) or are held at the plan."""

    group: np.ndarray
    """Codes of the industries freed everywhere."""
    within_used: bool = False
    """The other industries' decisions are held only where neither the plan nor the relaxation uses them."""

    def key(self) -> bytes:
        """What tells it from the others, to try it once."""
        return bytes([self.within_used]) + self.group.tobytes()

    def held(self, owners: np.ndarray, decisions: np.ndarray, used: np.ndarray) -> np.ndarray:
        """The columns its small MIP holds at the plan (`used`: the columns the plan or the relaxation uses)."""
        held = held_columns(owners, decisions, self.group)
        return held & ~used if self.within_used else held


def tries(rows: sp.csr_matrix, lower: np.ndarray, upper: np.ndarray, plan: np.ndarray, relaxed: np.ndarray,
          owners: np.ndarray, integer: np.ndarray, cost: np.ndarray | None, regret_first: bool = True,
          done: frozenset[bytes] | set[bytes] = frozenset()) -> list[Neighbourhood]:
    """The neighbourhoods of `plan` not `done` (their keys) in the order to try them: one of regret (none without
    `cost`) and one of a full row (`neighbourhoods`) in turn, of regret first with `regret_first`, then the pairs
    of full rows (`pairs`)."""
    singles = neighbourhoods(rows, lower, upper, plan, relaxed, owners, integer)
    regret = [] if cost is None else regret_windows(plan, relaxed, cost, owners)
    kinds = [[Neighbourhood(group, True) for group in regret], [Neighbourhood(group) for group in singles]]
    turns = zip_longest(*([near for near in kind if near.key() not in done] for kind in
                          (kinds if regret_first else kinds[::-1])))
    return [*(near for turn in turns for near in turn if near is not None),
            *(near for near in map(Neighbourhood, pairs(singles, owners)) if near.key() not in done)]


def search(solve_small: Callable[[np.ndarray, P, float], P], rows: sp.csr_matrix, lower: np.ndarray,
           upper: np.ndarray, plan: P, relaxed: np.ndarray, owners: np.ndarray, integer: np.ndarray,
           ends: float, stop: Callable[[], bool] = lambda: False, newer: Callable[[P], P] = lambda best: best,
           each: float | None = None, cost: np.ndarray | None = None) -> Swapped[P]:
    """Try the neighbourhoods of `plan` in turn, each from the best plan so far, until `ends` (time.perf_counter).

    `solve_small(held, start, budget)` solves the small MIP with the `held` columns at `start`'s values, from
    `start`, within `budget` seconds, and returns a plan like `start` (objective None: none found). The columns
    held are the integer ones (`integer`) of the industries outside the neighbourhood; in a neighbourhood of regret
    (with `cost`, each column's: `tries`), only those neither the plan nor the relaxation uses. One neighbourhood takes
    at most `each` seconds (default EACH_SHARE of the time to `ends`). Ctrl-C, or `stop()` turning true, stops
    the search with the best plan found. `newer(best)` returns `best` or a better plan found elsewhere (the main
    solve's, when the swaps run alongside it); the search goes on from that one's neighbourhoods.
    """
    best, tried, improved = plan, 0, 0
    each = EACH_SHARE * (ends - time.perf_counter()) if each is None else each
    decisions = integer & (owners >= 0)
    done: set[bytes] = set()
    regret_next = True  # the kinds take turns, across plans too
    try:
        while True:  # the neighbourhoods of the best plan not tried yet; anew once it changes
            best = newer(best)
            used = used_columns(best.solution, relaxed)
            before = best
            for near in tries(rows, lower, upper, best.solution, relaxed, owners, integer, cost, regret_next, done):
                if near.key() in done:  # a pair that is also a single
                    continue
                left = ends - time.perf_counter()
                if left < MIN_SECONDS or stop():
                    return Swapped(best, tried, improved, False)
                done.add(near.key())
                regret_next = not near.within_used
                found = solve_small(near.held(owners, decisions, used), best, min(left, each))
                tried += 1
                if found.objective is not None and found.objective < best.objective - BETTER * abs(best.objective):
                    best, improved = found, improved + 1
                if found.interrupted:
                    return Swapped(best, tried, improved, True)
                if best is not before or newer(best) is not best:
                    break
            if best is before and newer(best) is best:
                return Swapped(best, tried, improved, False)
    except KeyboardInterrupt:
        return Swapped(best, tried, improved, True)
