"""Knapsack cover cuts for the root relaxation (Balas 1975; Wolsey, Integer Programming, 2nd ed., section 9.3).

A row  sum_j w_j z_j + (other terms) <= b  with binary z_j, w_j > 0 and other terms that cannot be
negative (positive coefficients on columns with a lower bound of 0 or more) is a knapsack on the
z_j. In the layout model these are the land rows by counts of whole functions (`reform.land_count`).
For a cover C (sum_C w_j > b), sum_{E(C)} z_j <= |C| - 1 holds for every integer plan, where the
extended cover E(C) adds every item at least as large as the largest in C. `separate` finds, per
knapsack, one cover the relaxed solution violates (greedy on (1 - z_j) / w_j, then on z_j).

Cutting off the relaxation's fractional packing of whole functions into cheap sites raises its
bound and makes the RENS start (planner.heuristics) see a packing closer to an integer one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

MIN_VIOLATION = 1e-3
"""How far the relaxed solution must exceed a cut's right-hand side for the cut to be added."""


@dataclass(frozen=True)
class Knapsack:
    """The binary part of one knapsack row."""

    columns: np.ndarray
    """Binary columns of the row."""
    weights: np.ndarray
    """Their coefficients (all positive)."""
    capacity: float
    """The row's upper bound."""


@dataclass(frozen=True)
class Cut:
    """sum of `columns` <= `rhs`."""

    columns: np.ndarray
    rhs: float


def knapsacks(lp: object) -> list[Knapsack]:
    """The knapsack rows of a highspy HighsLp whose binary items do not all fit (so a cover exists)."""
    n_rows, n_cols = lp.num_row_, lp.num_col_
    if not len(lp.integrality_):
        return []
    import highspy

    a = lp.a_matrix_
    parts = (np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_))
    matrix = sp.csr_matrix(parts, shape=(n_rows, n_cols)) if a.format_ == highspy.MatrixFormat.kRowwise \
        else sp.csc_matrix(parts, shape=(n_rows, n_cols)).tocsr()
    lower, upper = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
    binary = np.array([int(kind) == 1 for kind in lp.integrality_]) & (lower == 0) & (upper == 1)
    row = np.repeat(np.arange(n_rows), np.diff(matrix.indptr))
    positive = matrix.data > 0
    item = binary[matrix.indices] & positive
    droppable = ~binary[matrix.indices] & positive & (lower[matrix.indices] >= 0)
    bad = np.bincount(row, weights=~(item | droppable), minlength=n_rows) > 0
    items = np.bincount(row, weights=item, minlength=n_rows)
    total = np.bincount(row, weights=np.where(item, matrix.data, 0.0), minlength=n_rows)
    capacity = np.asarray(lp.row_upper_)
    rows = np.flatnonzero(~bad & (items >= 2) & np.isfinite(capacity) & (total > capacity + 1e-9))
    out = []
    for r in rows:
        span = slice(matrix.indptr[r], matrix.indptr[r + 1])
        keep = item[span]
        out.append(Knapsack(matrix.indices[span][keep].astype(np.int32), matrix.data[span][keep], float(capacity[r])))
    return out


def separate(sacks: list[Knapsack], z: np.ndarray) -> list[Cut]:
    """One extended cover inequality per knapsack that the relaxed solution `z` violates, if found."""
    cuts = []
    for sack in sacks:
        w, values = sack.weights, z[sack.columns]
        for key in ((1 - values) / w, -values):
            order = np.argsort(key, kind="stable")
            size = int(np.searchsorted(np.cumsum(w[order]), sack.capacity + 1e-9, side="right")) + 1
            if size > len(order):
                continue
            cover = order[:size]
            extended = np.union1d(cover, np.flatnonzero(w >= w[cover].max()))
            if values[extended].sum() > size - 1 + MIN_VIOLATION:
                cuts.append(Cut(sack.columns[extended], float(size - 1)))
                break
    return cuts
