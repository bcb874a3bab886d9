"""A neighbourhood's small MIP as a model of its own: the columns it fixes, and those they force to zero, taken out.

RENS and the swaps fix most of the model's decisions and leave HiGHS the rest. Handed the whole model with those
bounds, HiGHS copies and presolves all of it: at 300 x 100 (1.2 M columns) a small MIP took about 1.7 GB of its own.
Here the small MIP gets only the columns left free and the rows they appear in, the fixed columns' part of each row
moved into its bounds. A fixed column also forces others to zero: a capacity held at zero by its closed site
(`q <= U x`), then the support it would give or receive (`g`). Those go too: a row whose free columns all have
lower bound zero and coefficients of one sign, and whose bound leaves them nothing (`sum <= 0`), holds each at zero.
Every plan of the small MIP, with the fixed values, is a plan of the whole model, and the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from planner.solve.covers import Cut

TOLERANCE = 1e-9
"""How far a row's bound may be passed by the fixed columns alone (and still leave its free columns nothing)."""


@dataclass(frozen=True)
class Submodel:
    """The small MIP (`lp`, a highspy.HighsLp) over the `kept` columns of the whole model, the rest at `fixed`."""

    lp: Any
    kept: np.ndarray
    """Positions in the whole model of the small MIP's columns, in its order."""
    fixed: np.ndarray
    """Every column's value in the whole model where it is fixed (0 where kept)."""
    nonzeros: int
    """Nonzeros of its matrix."""

    def whole(self, values: np.ndarray) -> np.ndarray:
        """The whole model's column values of the small MIP's `values`."""
        out = self.fixed.copy()
        out[self.kept] = values
        return out

    def positions(self) -> np.ndarray:
        """Each whole-model column's position in the small MIP (-1: fixed)."""
        position = np.full(len(self.fixed), -1)
        position[self.kept] = np.arange(len(self.kept))
        return position

    def cuts(self, cuts: list[Cut]) -> list[Cut]:
        """`cuts` of the whole model over the small MIP's columns, the fixed columns' part moved into the bound."""
        position = self.positions()
        out = []
        for cut in cuts:
            inside = position[cut.columns] >= 0
            if inside.any():
                out.append(Cut(position[cut.columns[inside]], cut.rhs - float(self.fixed[cut.columns[~inside]].sum())))
        return out

    def start(self, columns: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A start given over the whole model's `columns`, over the small MIP's."""
        position = self.positions()
        inside = position[columns] >= 0
        return position[columns[inside]].astype(np.int32), values[inside]


def forced_zero(rows: sp.csr_matrix, row_lower: np.ndarray, row_upper: np.ndarray, col_lower: np.ndarray,
                fixed: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The columns that `fixed` at `values` force to zero (fixed ones included: the mask of every column fixed), found
    row by row until none is added."""
    fixed = fixed.copy()
    held = np.where(fixed, values, 0.0)
    coo = rows.tocoo()
    row, col, coef = coo.row, coo.col, coo.data
    at_zero = col_lower[col] == 0  # a column that must be above zero makes such a row infeasible: left to HiGHS
    while True:
        activity = rows @ held
        free = ~fixed[col]
        count = np.bincount(row[free], minlength=rows.shape[0])
        up = np.bincount(row[free & (coef > 0) & at_zero], minlength=rows.shape[0])
        down = np.bincount(row[free & (coef < 0) & at_zero], minlength=rows.shape[0])
        empty = ((count > 0) & (count == up) & (row_upper - activity <= TOLERANCE)) \
            | ((count > 0) & (count == down) & (row_lower - activity >= -TOLERANCE))
        zero = np.unique(col[free & empty[row]])
        if not len(zero):
            return fixed
        fixed[zero] = True
        held[zero] = 0.0


def submodel(model: Any, rows: sp.csr_matrix, fix: np.ndarray, values: np.ndarray) -> Submodel | None:
    """The small MIP of `model` (a highspy.HighsLp; `rows` its matrix by rows) with the `fix` columns at `values`;
    None when those values alone break a row that has no free column left (the neighbourhood has no plan)."""
    import highspy

    lower, upper = np.asarray(model.row_lower_), np.asarray(model.row_upper_)
    fixed = forced_zero(rows, lower, upper, np.asarray(model.col_lower_), fix, values)
    held = np.where(fix, values, 0.0)  # the columns forced to zero are at zero
    activity = rows @ held
    kept = np.flatnonzero(~fixed)
    inner = rows[:, kept]
    used = np.diff(inner.indptr) > 0
    scale = np.maximum(1.0, np.abs(activity))
    broken = ~used & ((activity < lower - TOLERANCE * scale) | (activity > upper + TOLERANCE * scale))
    if broken.any():
        return None
    inner = inner[used].tocsc()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(kept), int(used.sum())
    cost = np.asarray(model.col_cost_)
    lp.col_cost_, lp.offset_ = cost[kept], float(model.offset_ + cost @ held)
    lp.col_lower_, lp.col_upper_ = np.asarray(model.col_lower_)[kept], np.asarray(model.col_upper_)[kept]
    lp.row_lower_, lp.row_upper_ = (lower - activity)[used], (upper - activity)[used]
    lp.sense_ = model.sense_
    kinds = model.integrality_  # a copy of HiGHS's list each time it is read
    if len(kinds):
        lp.integrality_ = [kinds[j] for j in kept]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = inner.indptr, inner.indices, inner.data
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    return Submodel(lp, kept, held, inner.nnz)
