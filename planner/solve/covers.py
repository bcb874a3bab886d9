"""Knapsack cover cuts for the root relaxation (Balas 1975; Wolsey, Integer Programming, 2nd ed., section 9.3).

A row  sum_j w_j z_j + sum_k a_k v_k <= b  with binary z_j, w_j > 0, and every other term with
a_k > 0 on a column with lower bound l_k >= 0 is a knapsack on the z_j with capacity
b - sum_k a_k l_k. In the layout model these are the land rows by counts of whole functions
(`reform.land_count`; the counts of classes of one are its binaries). For a cover C
(sum_C w_j > capacity), sum_{E(C)} z_j <= |C| - 1 holds for every integer plan, where the
extended cover E(C) adds every item at least as large as the largest in C. `separate` finds, per
knapsack, one cover the relaxed solution violates (greedy on (1 - z_j) / w_j, then on z_j), made
minimal by dropping the items of least z_j that it does not need.

Cutting off the relaxation's fractional packing of whole functions into cheap sites raises its
bound and makes the RENS start (planner.solve.rens) see a packing closer to an integer one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

MIN_VIOLATION = 1e-3
"""How far the relaxed solution must exceed a cut's right-hand side for the cut to be added."""
EXCESS = 1e-6
"""How far (relative to max(1, capacity)) a cover must exceed the capacity: more than the solver's
feasibility tolerance, so that no cut removes a plan the solver would accept."""


@dataclass(frozen=True)
class Knapsack:
    """The binary part of one knapsack row."""

    columns: np.ndarray
    """Binary columns of the row."""
    weights: np.ndarray
    """Their coefficients (all positive)."""
    capacity: float
    """The row's upper bound less the least value of its other terms."""


@dataclass(frozen=True)
class Cut:
    """sum of `columns` <= `rhs`."""

    columns: np.ndarray
    rhs: float


def by_rows(lp: object) -> sp.csr_matrix | None:
    """The constraint matrix of a highspy HighsLp by rows (None: a format planner does not read)."""
    import highspy

    a, shape = lp.a_matrix_, (lp.num_row_, lp.num_col_)
    parts = (np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_))
    if a.format_ == highspy.MatrixFormat.kRowwise:
        return sp.csr_matrix(parts, shape=shape)
    if a.format_ == highspy.MatrixFormat.kColwise:
        return sp.csc_matrix(parts, shape=shape).tocsr()
    return None


def knapsacks(lp: object) -> list[Knapsack]:
    """The knapsack rows of a highspy HighsLp whose binary items do not all fit (so a cover exists)."""
    matrix = by_rows(lp) if len(lp.integrality_) else None
    if matrix is None:
        return []
    n_rows = lp.num_row_
    lower, upper = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
    binary = np.array([int(kind) == 1 for kind in lp.integrality_]) & (lower == 0) & (upper == 1)
    row, col = np.repeat(np.arange(n_rows), np.diff(matrix.indptr)), matrix.indices
    positive = matrix.data > 0
    item = binary[col] & positive
    other = ~binary[col] & positive & (lower[col] >= 0)
    bad = np.bincount(row, weights=~(item | other), minlength=n_rows) > 0
    items = np.bincount(row, weights=item, minlength=n_rows)
    total = np.bincount(row, weights=np.where(item, matrix.data, 0.0), minlength=n_rows)
    least = np.bincount(row, weights=np.where(other, matrix.data * lower[col], 0.0), minlength=n_rows)
    capacity = np.asarray(lp.row_upper_) - least
    rows = np.flatnonzero(~bad & (items >= 2) & np.isfinite(capacity) & (total > capacity + _excess(capacity)))
    out = []
    for r in rows:
        span = slice(matrix.indptr[r], matrix.indptr[r + 1])
        keep = item[span]
        out.append(Knapsack(col[span][keep].astype(np.int32), matrix.data[span][keep], float(capacity[r])))
    return out


def _excess(capacity: np.ndarray | float) -> np.ndarray | float:
    """The least amount by which a cover exceeds `capacity` (EXCESS, relative)."""
    return EXCESS * np.maximum(1.0, np.abs(capacity))


def separate(sacks: list[Knapsack], z: np.ndarray) -> list[Cut]:
    """One extended cover inequality per knapsack that the relaxed solution `z` violates, if found."""
    cuts = []
    for sack in sacks:
        w, values = sack.weights, z[sack.columns]
        limit = sack.capacity + _excess(sack.capacity)
        for key in ((1 - values) / w, -values):
            order = np.argsort(key, kind="stable")
            size = int(np.searchsorted(np.cumsum(w[order]), limit, side="right")) + 1
            if size > len(order):
                continue
            cover = _minimal(order[:size], w, values, limit)
            extended = np.union1d(cover, np.flatnonzero(w >= w[cover].max()))
            if values[extended].sum() > len(cover) - 1 + MIN_VIOLATION:
                cuts.append(Cut(sack.columns[extended], float(len(cover) - 1)))
                break
    return cuts


def _minimal(cover: np.ndarray, w: np.ndarray, values: np.ndarray, limit: float) -> np.ndarray:
    """`cover` without the items of least value it can do without (its weight stays above `limit`)."""
    keep = np.ones(len(cover), dtype=bool)
    total = w[cover].sum()
    for n in np.argsort(values[cover], kind="stable"):
        if total - w[cover[n]] > limit:
            keep[n] = False
            total -= w[cover[n]]
    return cover[keep]
