"""The fast standard form reader against Pyomo's LinearStandardFormCompiler on the layout model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import pytest

from benchmarks.generate import generate
from planner.models import build_model, index_sets
from planner.run import build, solver_options
from planner.scenario import load_scenario
from planner.solve import solve
from planner.solve.standard_form import (
    StandardForm,
    Unsupported,
    compile_pyomo,
    linear_values,
    read_linear,
    standard_form,
    with_objective,
)
from tests.reference.generator import write_random_scenario


def _without_empty_rows(form: StandardForm) -> StandardForm:
    """`form` without rows that have no variable and hold (the compiler may keep them after fixing)."""
    csr = form.A.tocsr()
    keep = ~((np.diff(csr.indptr) == 0) & (form.row_lower <= 0) & (form.row_upper >= 0))
    return StandardForm(form.columns, form.c, form.offset, csr[keep].tocsc(), form.row_lower[keep],
                        form.row_upper[keep])


def assert_same(fast: StandardForm, compiled: StandardForm, same_model: bool = True) -> None:
    """The same columns (in order; the same variables when `same_model`), costs, matrix and row bounds."""
    compiled = _without_empty_rows(compiled)
    assert [v.name for v in fast.columns] == [v.name for v in compiled.columns]
    assert not same_model or all(a is b for a, b in zip(fast.columns, compiled.columns, strict=False))
    np.testing.assert_array_equal(fast.c, compiled.c)
    assert fast.offset == pytest.approx(compiled.offset, rel=1e-12, abs=1e-9)
    for part in ("indptr", "indices", "data"):
        np.testing.assert_array_equal(getattr(fast.A, part), getattr(compiled.A, part))
    np.testing.assert_allclose(fast.row_lower, compiled.row_lower, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fast.row_upper, compiled.row_upper, rtol=1e-12, atol=1e-12)


def _model(yaml: Path) -> pyo.ConcreteModel:
    sc = load_scenario(yaml)
    return build_model(sc, index_sets(sc))


def test_tiny_hard_duplication_fixes_u(tiny):
    model = _model(tiny.yaml)
    assert all(v.fixed for v in model.u.values())
    assert_same(read_linear(model), compile_pyomo(model))


def test_lock_in_soft_duplication_and_zero_weights(tiny):
    tiny.replace("scenario.yaml", "duplication: hard", "duplication: soft\n  duplication_penalty: 1000\n"
                 "  weights: {land: 1, setup: 0, operating: 2.5, linkage: 0, duplication: 1}")
    tiny.append("scenario.yaml", "rules:\n  - lock_in: {site: B-outer, industry: steel, function: production}\n")
    model = _model(tiny.yaml)
    assert any(v.fixed for v in model.x.values()) and not any(v.fixed for v in model.u.values())
    assert_same(read_linear(model), compile_pyomo(model))


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_random_scenarios(tmp_path, seed):
    model = _model(write_random_scenario(tmp_path, seed=seed, n_regions=4, n_industries=4, soft=seed % 2 == 0))
    assert_same(read_linear(model), compile_pyomo(model))


def test_generated_benchmark_scenario(tmp_path):
    model = _model(generate(8, 6, 1, tmp_path / "8x6"))
    assert_same(read_linear(model), compile_pyomo(model))


def test_polish_fixes_every_x(tiny):
    sc = load_scenario(tiny.yaml)
    model = build(sc).model
    assert solve(model, solver_options(sc)).status == "optimal"
    for v in model.x.values():
        v.fix(round(v.value))
    assert_same(read_linear(model), compile_pyomo(model))


def test_other_expressions_go_through_the_compiler(tiny):
    model = _model(tiny.yaml)
    model.p = pyo.Param(initialize=2.0, mutable=True)
    first = next(iter(model.q.values()))
    model.extra = pyo.Constraint(expr=model.p * first <= 1e9)
    with pytest.raises(Unsupported):
        read_linear(model)
    form = standard_form(model)
    assert_same(form, compile_pyomo(model))


def test_objective_read_back_from_the_costs(tmp_path):
    sc = load_scenario(write_random_scenario(tmp_path, seed=3, n_regions=4, n_industries=4, soft=True))
    model = build(sc).model
    result = solve(model, solver_options(sc))
    assert result.status == "optimal"
    assert result.objective == pytest.approx(pyo.value(model.objective), rel=1e-12)


def test_linear_values_are_pyomo_s_values(tiny):
    sc = load_scenario(tiny.yaml)
    model = build(sc).model
    assert solve(model, solver_options(sc)).status == "optimal"
    bodies = [con.body for con in model.component_data_objects(pyo.Constraint, active=True)]
    bodies += [getattr(model, f"cost_{term}").expr for term in ("land", "setup", "operating", "linkage")]
    np.testing.assert_allclose(linear_values(bodies), [pyo.value(b) for b in bodies], rtol=1e-12, atol=1e-9)
    first = next(iter(model.q.values()))
    first.set_value(None)
    values = linear_values([first + 1, 2 * next(iter(model.x.values())) + 3])
    assert np.isnan(values[0]) and values[1] in (3.0, 5.0)
    model.p = pyo.Param(initialize=2.0, mutable=True)
    with pytest.raises(Unsupported):
        linear_values([model.p * first])


def test_a_new_objective_over_the_same_columns(tiny):
    tiny.append("scenario.yaml", "rules:\n  - lock_in: {site: B-outer, industry: steel, function: production}\n")
    model = _model(tiny.yaml)
    form = read_linear(model)
    locked = model.x["steel", "production", "B-outer"]
    assert locked.fixed
    model.objective.deactivate()
    # the variable components in the order of the layout's objective, as the compiler orders columns by first use
    model.other = pyo.Objective(expr=3 * sum(model.q.values()) - 2.5 * locked + 1.5 * model.x["ai", "rd", "A-center"]
                                + 7 * next(iter(model.g.values())) + 4, sense=pyo.maximize)
    assert_same(with_objective(form, model.other), read_linear(model))
    assert with_objective(form, model.other).objective is model.other
    model.other.deactivate()
    model.p = pyo.Param(initialize=2.0, mutable=True)
    model.by_param = pyo.Objective(expr=model.p * next(iter(model.q.values())))
    with pytest.raises(Unsupported):
        with_objective(form, model.by_param)
