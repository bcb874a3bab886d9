"""The standard form of a linear Pyomo model, read straight from its linear expressions.

Pyomo's `LinearStandardFormCompiler` walks every expression with a general visitor. The
layout model writes every row as one `LinearExpression` of constant coefficients times
variables (see `models/layout.py`), so its rows can be read term by term instead, in less
than half the time (0.3 s against 0.7 s at 138k columns). The result is the compiler's
(`mixed_form=True`, `set_sense=minimize`): the same rows in the same order (a ranged row as
its <= row then its >= row), the same columns in the same order, and fixed variables moved
into the bounds (a row left without variables is dropped when it holds; the compiler may
keep it empty). A model with anything else (another expression type, a Param coefficient,
several objectives, other components) raises `Unsupported`; `standard_form` then uses the
compiler itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.common.gc_manager import PauseGC
from pyomo.core.expr.numeric_expr import (
    LinearExpression,
    MonomialTermExpression,
    NegationExpression,
    ProductExpression,
    SumExpression,
)
from pyomo.core.expr.numvalue import native_numeric_types, native_types
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler
from pyomo.repn.util import ordered_active_constraints

INF = float("inf")
_PRODUCTS = (MonomialTermExpression, ProductExpression, NegationExpression)
_KNOWN = {pyo.Block, pyo.Set, pyo.RangeSet, pyo.Param, pyo.Var, pyo.Expression, pyo.Constraint, pyo.Objective}
"""Component types the reader understands; the compiler also reports any others."""


class Unsupported(Exception):
    """The model has an expression or component the fast reader does not handle."""


@dataclass(frozen=True)
class StandardForm:
    """min c x + offset  s.t.  row_lower <= A x <= row_upper, over `columns` (their own bounds)."""

    columns: list[Any]
    """The Pyomo variables, one per column."""
    c: np.ndarray
    offset: float
    A: sp.csc_array
    row_lower: np.ndarray
    """-inf where a row has no lower bound."""
    row_upper: np.ndarray
    """+inf where a row has no upper bound."""
    objective: Any = None
    """The objective whose costs `c` and `offset` are (negated when it maximises)."""


def standard_form(model: pyo.ConcreteModel) -> StandardForm:
    """The active objective and constraints of `model` in standard form (minimising)."""
    try:
        with PauseGC():
            return read_linear(model)
    except Unsupported:
        return compile_pyomo(model)


def compile_pyomo(model: pyo.ConcreteModel) -> StandardForm:
    """The standard form through Pyomo's `LinearStandardFormCompiler` (any linear model)."""
    repn = LinearStandardFormCompiler().write(model, mixed_form=True, set_sense=pyo.minimize)
    n = len(repn.columns)
    sense = np.array([s for _, s in repn.rows], dtype=int)
    rhs = np.asarray(repn.rhs, dtype=float)
    return StandardForm(list(repn.columns), repn.c.toarray()[0] if repn.c.shape[0] else np.zeros(n),
                        float(repn.c_offset[0]) if len(repn.c_offset) else 0.0, sp.csc_array(repn.A),
                        np.where(sense <= 0, rhs, -INF), np.where(sense >= 0, rhs, INF),
                        repn.objectives[0] if repn.objectives else None)


class _Terms:
    """Flat lists of (coefficient, variable) terms, one segment per row, and each row's constant."""

    def __init__(self) -> None:
        self.coefs: list[float] = []
        self.variables: list[Any] = []
        self.starts: list[int] = [0]
        self.constants: list[float] = []

    def add_row(self, expr: Any) -> None:
        """Append the terms of the linear expression `expr` as one row."""
        self.constants.append(_collect(expr, self.coefs, self.variables))
        self.starts.append(len(self.variables))


def _collect(expr: Any, coefs: list[float], variables: list[Any]) -> float:
    """Append the terms of `expr` to `coefs` and `variables`; return its constant.

    Reads LinearExpression, sums, constant multiples, negations, named expressions, variables
    and numbers; raises Unsupported for anything else.
    """
    cls = expr.__class__
    if cls is LinearExpression:
        const = 0
        for arg in expr.args:
            cls = arg.__class__
            if cls is MonomialTermExpression:
                c, v = arg._args_
                if c.__class__ not in native_numeric_types:
                    raise Unsupported(str(arg))
                coefs.append(c)
                variables.append(v)
            elif cls in native_numeric_types:
                const += arg
            elif arg.is_variable_type():
                coefs.append(1)
                variables.append(arg)
            else:
                raise Unsupported(str(arg))
        return const
    if cls in native_numeric_types:
        return expr
    if cls in native_types:
        raise Unsupported(repr(expr))
    if expr.is_variable_type():
        coefs.append(1)
        variables.append(expr)
        return 0
    if cls is MonomialTermExpression:
        return _collect(LinearExpression([expr]), coefs, variables)
    if cls is ProductExpression or cls is NegationExpression:
        return _scaled(expr, coefs, variables)
    if isinstance(expr, SumExpression):
        return sum(_collect(arg, coefs, variables) for arg in expr.args)
    if expr.is_named_expression_type():
        return _collect(expr.expr, coefs, variables)
    raise Unsupported(str(expr))


def _scaled(expr: Any, coefs: list[float], variables: list[Any]) -> float:
    """`_collect` for constants times an expression (or its negation).

    As in Pyomo's compiler, a chain of factors is multiplied innermost first and then applied
    to each coefficient of the expression under it once, so the coefficients agree to the bit.
    """
    factors = []
    while expr.__class__ in _PRODUCTS or (expr.__class__ not in native_types and expr.is_named_expression_type()):
        if expr.__class__ is NegationExpression:
            factors.append(-1)
            expr = expr.args[0]
        elif expr.__class__ in _PRODUCTS:
            factor, inner = expr.args
            if factor.__class__ not in native_numeric_types:
                factor, inner = inner, factor
            if factor.__class__ not in native_numeric_types:
                raise Unsupported(str(expr))
            if expr.__class__ is MonomialTermExpression:
                break
            factors.append(factor)
            expr = inner
        else:
            expr = expr.expr
    multiplier = 1
    for factor in reversed(factors):
        multiplier *= factor
    start = len(coefs)
    const = _collect(expr, coefs, variables)
    if multiplier != 1:
        coefs[start:] = [multiplier * c for c in coefs[start:]]
    return multiplier * const


def linear_values(exprs: list[Any]) -> np.ndarray:
    """The value of each linear expression at the variables' loaded values (NaN where a variable has none).

    Read term by term as the standard form is, then summed with numpy: much faster than Pyomo's
    evaluation of each expression. Raises Unsupported for anything but linear terms.
    """
    terms = _Terms()
    for expr in exprs:
        terms.add_row(expr)
    values = np.fromiter((np.nan if v.value is None else v.value for v in terms.variables), dtype=float,
                         count=len(terms.variables))
    rows = np.repeat(np.arange(len(exprs)), np.diff(terms.starts))
    return np.bincount(rows, weights=np.asarray(terms.coefs, dtype=float) * values,
                       minlength=len(exprs)) + terms.constants


def with_objective(form: StandardForm, objective: Any) -> StandardForm:
    """`form` with the costs of `objective`, a new objective over the same variables and rows.

    Its terms are read as `read_linear` reads them: fixed variables move into the offset. The columns
    keep their order; `read_linear` of the model with the new objective gives the same result when
    the objective uses the Var components in the same order of first use as the old one (the layout's
    cost terms always do). Raises Unsupported when `objective` is not linear or uses an unfixed
    variable that is not a column.
    """
    terms = _Terms()
    terms.add_row(objective.expr)
    coefs = np.asarray(terms.coefs, dtype=float)
    found = column_positions(form, terms.variables)
    inside = found >= 0
    outside = [v for v, n in zip(terms.variables, found, strict=False) if n < 0]
    if any(not v.fixed for v in outside):
        raise Unsupported("an objective over variables that are not columns")
    offset = terms.constants[0] + float(coefs[~inside] @ np.array([v.value for v in outside], dtype=float))
    row = sp.csr_array((coefs[inside], found[inside], [0, int(inside.sum())]), shape=(1, len(form.columns)))
    row.sum_duplicates()
    c = row.toarray()[0]
    maximise = objective.sense == pyo.maximize
    return replace(form, c=-c if maximise else c, offset=-offset if maximise else offset, objective=objective)


def read_linear(model: pyo.ConcreteModel) -> StandardForm:
    """The standard form read term by term; raises Unsupported outside the fast path."""
    other = {comp.ctype for comp in model.component_objects(active=True, descend_into=True)} - _KNOWN
    if other:
        raise Unsupported(", ".join(sorted(kind.__name__ for kind in other)))
    objectives = list(model.component_data_objects(pyo.Objective, active=True))
    if len(objectives) != 1:
        raise Unsupported(f"{len(objectives)} active objectives")
    terms, lower, upper = _Terms(), [], []
    terms.add_row(objectives[0].expr)
    for con in ordered_active_constraints(model, LinearStandardFormCompiler.CONFIG()):
        lb, body, ub = con.to_bounded_expression(evaluate_bounds=True)
        if lb is None and ub is None:
            continue
        terms.add_row(body)
        lower.append(-INF if lb is None else lb)
        upper.append(INF if ub is None else ub)
    form = _assemble(model, terms, np.array(lower, dtype=float), np.array(upper, dtype=float),
                     objectives[0].sense == pyo.maximize)
    return replace(form, objective=objectives[0])


def _variables(model: pyo.ConcreteModel) -> tuple[list[Any], np.ndarray]:
    """Every variable of `model` in component order, and the number of its Var component."""
    components = list(model.component_objects(pyo.Var, descend_into=True))
    every = [v for comp in components for v in comp.values()]
    return every, np.repeat(np.arange(len(components)), [len(comp) for comp in components])


def _assemble(model: pyo.ConcreteModel, terms: _Terms, lower: np.ndarray, upper: np.ndarray, maximise: bool
              ) -> StandardForm:
    """Columns, matrix and bounds from the rows' terms (row 0: the objective)."""
    every, component = _variables(model)
    index = _positions(every, terms.variables)
    fixed = np.fromiter((v.fixed for v in every), dtype=bool, count=len(every))
    value = np.array([v.value for v, f in zip(every, fixed, strict=False) if f], dtype=float)
    full = sp.csr_array((np.asarray(terms.coefs, dtype=float), index.copy(), np.asarray(terms.starts)),
                        shape=(len(terms.starts) - 1, len(every)))
    full.sum_duplicates()
    full.eliminate_zeros()
    constants = np.asarray(terms.constants, dtype=float) + full[:, fixed] @ value
    columns = _column_order(component, index, fixed, full)
    A = sp.csr_array(full.tocsc()[:, columns])
    lower, upper = lower - constants[1:], upper - constants[1:]
    c, offset = A[[0]].toarray()[0], float(constants[0])
    return _row_form(A[1:], lower, upper, [every[n] for n in columns], -c if maximise else c,
                     -offset if maximise else offset)


def column_positions(form: StandardForm, variables: list[Any]) -> np.ndarray:
    """The column of each of `variables` in `form` (-1 for a variable that is not a column)."""
    return _indexer(form.columns, variables)


def _indexer(every: list[Any], variables: list[Any]) -> np.ndarray:
    """The position in `every` of each of `variables` (-1 if not there), matched by identity.

    (A pandas index of the ids: a dict is slower.)
    """
    ids = pd.Index(np.fromiter(map(id, every), dtype=np.int64, count=len(every)))
    return ids.get_indexer(np.fromiter(map(id, variables), dtype=np.int64, count=len(variables)))


def _positions(every: list[Any], variables: list[Any]) -> np.ndarray:
    """The position in `every` of each of `variables`; raises Unsupported for a variable that is not there."""
    found = _indexer(every, variables)
    if (found < 0).any():
        raise Unsupported("a variable outside the model")
    return found


def _column_order(component: np.ndarray, index: np.ndarray, fixed: np.ndarray, full: sp.csr_array) -> np.ndarray:
    """The compiler's columns: Var components in order of first use by an unfixed variable, each in its own order.

    Fixed variables and variables with no non-zero coefficient are left out.
    """
    used = component[index[~fixed[index]]]
    n = component.max(initial=-1) + 1
    first = np.array([np.argmax(hit) if (hit := used == k).any() else len(used) for k in range(n)], dtype=np.int64)
    rank = np.argsort(np.argsort(first, kind="stable"), kind="stable")  # components in order of first use
    rank[first == len(used)] = n  # never used: no columns
    nonzero = np.zeros(len(component), dtype=bool)
    nonzero[full.indices] = True
    candidates = np.flatnonzero(~fixed & nonzero & (rank[component] < n))
    return candidates[np.argsort(rank[component[candidates]], kind="stable")]


def _row_form(A: sp.csr_array, lower: np.ndarray, upper: np.ndarray, columns: list[Any], c: np.ndarray,
              offset: float) -> StandardForm:
    """The standard form with the rows as the compiler writes them.

    A ranged row (lower < upper, both finite) becomes its <= row then its >= row; a row left
    without variables (all fixed) is dropped when it holds, and kept empty when it does not,
    so that the solver reports the model infeasible.
    """
    holds = (np.diff(A.indptr) == 0) & (lower <= 0) & (upper >= 0)
    keep = np.flatnonzero(~holds)
    ranged = np.isfinite(lower[keep]) & np.isfinite(upper[keep]) & (lower[keep] != upper[keep])
    rows = np.repeat(keep, 1 + ranged)
    second = np.zeros(len(rows), dtype=bool)
    second[np.cumsum(1 + ranged)[ranged] - 1] = True
    first = np.repeat(ranged, 1 + ranged) & ~second
    return StandardForm(columns, c, offset, sp.csc_array(A[rows]), np.where(first, -INF, lower[rows]),
                        np.where(second, INF, upper[rows]))
