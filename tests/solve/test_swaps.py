"""Swaps after RENS (planner/solve/swaps.py): which industries are re-solved together, and that a swap finds the
better packing of a full site, on HiGHS."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import highspy
import numpy as np
import pytest
import scipy.sparse as sp

from benchmarks.generate import generate, generate_brownfield
from planner.run import build
from planner.scenario.loader import load_scenario
from planner.solve import apart, swaps
from planner.solve import rens as rens_module
from planner.solve.highs import _neighbourhoods, _owners, _to_highs
from planner.solve.rens import Rens, rens
from planner.solve.watch import new_highs
from tests.reference.model import solve_reference

INF = highspy.kHighsInf


def test_a_neighbourhood_is_the_industries_of_a_full_row_shared_by_their_capacities() -> None:
    # columns: capacities of A and B at site 1, of C and A at site 2 (continuous), openings of A and B (binary)
    owners = np.array([0, 1, 2, 0, 0, 1])
    integer = np.array([False, False, False, False, True, True])
    rows = sp.csr_matrix(np.array([
        [1, 1, 0, 0, 0, 0],    # site 1's land, 9.5 of 10 used: full
        [0, 0, 1, 1, 0, 0],    # site 2's land, 3 of 10 used
        [0, 0, 0, 0, 1, 1],    # joins A and B by their binaries only
        [1, 0, 0, 0, -5, 0],   # A's scale at site 1: one industry
        [0, 1, 1, 0, 0, 0],    # an equation joining B and C: always at its bound, never full
        [1, 0, 1, 0, 0, 0],    # a row with no bound
    ], dtype=float))
    lower, upper = np.array([-INF, -INF, 1.0, -INF, 12.5, -INF]), np.array([10.0, 10.0, INF, 0.0, 12.5, INF])
    plan = np.array([0.0, 9.5, 3.0, 0.0, 0.0, 1.0])
    relaxed = np.array([0.4, 9.1, 3.0, 0.0, 0.08, 0.9])  # the relaxation puts some of A at site 1
    found = swaps.neighbourhoods(rows, lower, upper, plan, relaxed, owners, integer)
    assert [group.tolist() for group in found] == [[0, 1]]
    # A not at site 1 in the relaxation either: site 1's row is B's alone, no neighbourhood
    relaxed[0] = 0.0
    assert swaps.neighbourhoods(rows, lower, upper, plan, relaxed, owners, integer) == []


def test_no_neighbourhood_frees_every_industry() -> None:
    owners = np.array([0, 1, 2, -1])
    singles = [np.array([0, 1]), np.array([1, 2]), np.array([0])]
    assert [group.tolist() for group in swaps.pairs(singles, owners)] == [[0, 1]]  # {0, 1, 2} left out


def test_the_neighbourhoods_of_regret_are_the_industries_whose_plan_costs_most_above_the_relaxation() -> None:
    owners = np.array([0, 0, 1, 2, 3, 4, 5, -1])
    cost = np.array([1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 5.0])
    plan = np.array([3.0, 1.0, 0.0, 5.0, 1.0, 2.0, 4.0, 9.0])
    relaxed = np.array([1.0, 0.5, 1.0, 1.0, 1.0, 0.0, 4.0, 0.0])  # regrets 3, -1, 4, 0, 2, 0; the count has none
    found = swaps.regret_windows(plan, relaxed, cost, owners)
    assert [window.tolist() for window in found] == [[0, 2, 4]]  # 2, 0, 4 by regret, sorted; none of no regret
    assert swaps.regret_windows(plan[[0, 1, 3, 5]], relaxed[[0, 1, 3, 5]], cost[[0, 1, 3, 5]],
                                np.array([0, 0, 1, 2])) == []  # the window of every industry is the whole model


def test_a_neighbourhood_of_regret_holds_the_other_industries_only_where_nothing_uses_them() -> None:
    owners, decisions = np.array([0, 0, 1, 1, 1]), np.array([True, True, True, True, False])
    used = np.array([False, True, True, False, False])
    group = np.array([0])
    assert swaps.Neighbourhood(group).held(owners, decisions, used).tolist() == [False, False, True, True, False]
    assert swaps.Neighbourhood(group, True).held(owners, decisions, used).tolist() == [False, False, False, True,
                                                                                       False]
    assert swaps.Neighbourhood(group).key() != swaps.Neighbourhood(group, True).key()


@dataclass
class Plan:
    objective: float | None
    solution: np.ndarray
    interrupted: bool = False


def _two_industries_one_cheap_site() -> highspy.Highs:
    """Industries A (5.1 ha) and B (5 ha) each open at one of site 1 (5.2 ha at 1 a hectare) and site 2 (100 ha at
    10): only one fits site 1, and A there is cheaper (5.1 + 50) than B there (5 + 51). Industry C holds 1 ha of
    site 2, whatever the plan.

    Columns: qA1, qA2, qB1, qB2 (land used), xA1, xA2, xB1, xB2 (opened), qC2, xC2."""
    h = new_highs()  # HiGHS's thread scheduler made anew: one left by an earlier test may have other threads
    h.setOptionValue("threads", 1)
    lp = highspy.HighsLp()
    dense = np.array([
        [1, 0, 1, 0, 0, 0, 0, 0, 0, 0],         # site 1's land <= 5.2
        [0, 1, 0, 1, 0, 0, 0, 0, 1, 0],         # site 2's land <= 100
        [1, 0, 0, 0, -5.1, 0, 0, 0, 0, 0],      # qA1 = 5.1 xA1
        [0, 1, 0, 0, 0, -5.1, 0, 0, 0, 0],
        [0, 0, 1, 0, 0, 0, -5, 0, 0, 0],        # qB1 = 5 xB1
        [0, 0, 0, 1, 0, 0, 0, -5, 0, 0],
        [0, 0, 0, 0, 1, 1, 0, 0, 0, 0],         # A opens once
        [0, 0, 0, 0, 0, 0, 1, 1, 0, 0],         # B opens once
        [0, 0, 0, 0, 0, 0, 0, 0, 1, -1],        # qC2 = xC2
    ], dtype=float)
    matrix = sp.csc_matrix(dense)
    lp.num_col_, lp.num_row_ = 10, 9
    lp.col_cost_ = np.array([1.0, 10.0, 1.0, 10.0, 0, 0, 0, 0, 10.0, 0])
    lp.col_lower_, lp.col_upper_ = np.array([0.0] * 8 + [1.0, 0.0]), np.array([INF] * 4 + [1.0] * 6)
    lp.row_lower_ = np.array([-INF, -INF, 0, 0, 0, 0, 1, 1, 0])
    lp.row_upper_ = np.array([5.2, 100, 0, 0, 0, 0, 1, 1, 0])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = matrix.indptr, matrix.indices, matrix.data
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = 10, 9
    kinds = highspy.HighsVarType
    lp.integrality_ = [kinds.kContinuous] * 4 + [kinds.kInteger] * 4 + [kinds.kContinuous, kinds.kInteger]
    h.passModel(lp)
    return h


OWNERS = np.array([0, 0, 1, 1, 0, 0, 1, 1, 2, 2])
"""The industry of each column of `_two_industries_one_cheap_site`."""
INTEGER = np.array([False] * 4 + [True] * 4 + [False, True])
B_AT_SITE_1 = Plan(66.0, np.array([0, 5.1, 5, 0, 0, 1, 1, 0, 1, 1], dtype=float))  # A at site 2
RELAXED = np.array([0.2, 4.9, 5.0, 0.0, 0.04, 0.96, 1.0, 0.0, 1.0, 1.0])  # A's regret 1.8, B's and C's none


def _search(cost: np.ndarray | None = None) -> tuple[swaps.Swapped[Plan], list[list[int]]]:
    """The swaps on `_two_industries_one_cheap_site` from B_AT_SITE_1 (`cost`: with neighbourhoods of regret), and
    the columns each small MIP held."""
    h = _two_industries_one_cheap_site()
    model = h.getLp()
    held: list[list[int]] = []

    def solve_small(fix: np.ndarray, plan: Plan, budget: float) -> Plan:
        held.append(np.flatnonzero(fix).tolist())
        h.changeColsBounds(int(fix.sum()), np.flatnonzero(fix).astype(np.int32), plan.solution[fix],
                           plan.solution[fix])
        h.solve()
        found = Plan(h.getInfo().objective_function_value, np.asarray(h.getSolution().col_value))
        h.changeColsBounds(10, np.arange(10, dtype=np.int32), np.asarray(model.col_lower_),
                           np.asarray(model.col_upper_))
        return found

    done = swaps.search(solve_small, sp.csr_matrix(_dense(model)), np.asarray(model.row_lower_),
                        np.asarray(model.row_upper_), B_AT_SITE_1, RELAXED, OWNERS, INTEGER, ends=math.inf,
                        cost=cost)
    return done, held


def test_a_swap_finds_the_better_packing_of_a_full_site() -> None:
    done, held = _search()
    assert (done.tried, done.improved, done.interrupted) == (1, 1, False)
    assert held == [[9]]  # A and B free, C's opening held
    assert done.best.objective == pytest.approx(65.1) and done.best.solution[[4, 7]].tolist() == [1.0, 1.0]


def test_neighbourhoods_of_regret_and_of_full_rows_take_turns() -> None:
    done, held = _search(cost=np.array([1.0, 10.0, 1.0, 10.0, 0, 0, 0, 0, 10.0, 0]))  # the model's costs
    # A's regret first: A free, B only at site 1 (where the plan and the relaxation put it), C's opening used: no
    # better plan; then site 1's full row, A and B free: A at site 1; then B's regret in the new plan, every
    # opening used by it or the relaxation: nothing better
    assert held == [[7], [9], []]
    assert (done.tried, done.improved) == (3, 1) and done.best.objective == pytest.approx(65.1)


def _dense(model: highspy.HighsLp) -> np.ndarray:
    a = model.a_matrix_
    return sp.csc_matrix((a.value_, a.index_, a.start_), shape=(model.num_row_, model.num_col_)).toarray()


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated instance on which RENS's plan packs a full site worse than the optimum (measured)."""
    return generate(20, 30, 4, tmp_path_factory.mktemp("swaps"))


def test_swaps_after_rens_find_a_better_plan_of_the_whole_model(packed: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rens_module, "SWAP_RATIO", 100.0)  # the budget of a solve with no time limit (60 s),
    monkeypatch.setattr(swaps, "EACH_SHARE", 1.0)  # all of it for any neighbourhood, however long RENS took
    model = build(load_scenario(packed)).model
    options = {"threads": 1, "mip_rel_gap": 1e-4}
    h, form, _ = _to_highs(model)
    alone = rens(h, options, None, True, _neighbourhoods(model, form))
    h, form, _ = _to_highs(model)
    swapped = rens(h, options, None, True, _neighbourhoods(model, form), _owners(model, form))
    assert alone.swapped == 0 and swapped.swapped >= swapped.improved >= 1
    assert swapped.objective < alone.objective * (1 - 1e-5)
    optimum = solve_reference(packed, mip_gap=0.0).objective
    assert swapped.objective >= optimum * (1 - 1e-9)
    h.changeColsBounds(len(swapped.columns), swapped.columns, swapped.values, swapped.values)  # its openings, fixed
    h.solve()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert math.isclose(h.getInfo().objective_function_value, swapped.objective, rel_tol=1e-6)


def test_a_small_mip_solved_apart_gives_the_plan_solved_here(scenario_6x6: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    lp = _to_highs(build(load_scenario(scenario_6x6)).model)[0].getLp()
    integer = np.array([int(kind) == 1 for kind in lp.integrality_])
    nothing = np.zeros(lp.num_col_, dtype=bool)
    monkeypatch.setattr(apart, "APART_NONZEROS", 0)  # every small MIP asked to run apart does

    def small(in_copy: bool) -> Rens:
        return rens_module._small_mip(lp, {"threads": 1}, 60.0, [], integer, nothing, np.zeros(lp.num_col_),
                                      Rens(0.0, 0, 0), in_copy)

    here, there = small(False), small(True)
    assert here.objective is not None and there.objective == pytest.approx(here.objective, rel=1e-9)
    assert np.array_equal(there.values, here.values) and len(there.solution) == lp.num_col_


@pytest.fixture(scope="module")
def scenario_6x6(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(6, 6, 2, tmp_path_factory.mktemp("apart"))


def test_each_column_of_a_model_with_periods_has_its_industry(tmp_path: Path) -> None:
    model = build(load_scenario(generate_brownfield(6, 5, 202, tmp_path / "scenario"))).model
    _, form, _ = _to_highs(model)
    owners = _owners(model, form)
    names = sorted({v.index()[0] for v in model.period[model.period.index_set().first()].y.values()})
    for v, code in zip(form.columns, owners, strict=True):
        kind = v.parent_component().local_name
        if kind in ("split", "count"):
            assert code == -1, v.name
        else:  # x, q, y, g, u of each period; build, retire, open and convert across them
            index = v.index()
            assert names[code] == (index[0] if isinstance(index, tuple) else index), v.name


def test_ctrl_c_during_the_swaps_keeps_the_best_plan_found() -> None:
    owners, integer = np.array([0, 1, 2]), np.zeros(3, dtype=bool)
    rows = sp.csr_matrix(np.array([[1, 1, 0], [0, 1, 1]], dtype=float))  # two full sites: A and B, B and C
    lower, upper = np.full(2, -INF), np.array([2.0, 2.0])
    solution = np.ones(3)
    calls: list[int] = []

    def solve_small(held: np.ndarray, start: Plan, budget: float) -> Plan:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return Plan(start.objective - 1.0, solution)

    done = swaps.search(solve_small, rows, lower, upper, Plan(10.0, solution), solution, owners, integer, math.inf)
    assert (done.best.objective, done.tried, done.improved, done.interrupted) == (9.0, 1, 1, True)


def test_the_two_kinds_of_neighbourhood_take_turns_across_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(swaps, "WINDOW", 1)
    # industries 0 to 5, each a capacity (continuous) and an opening (integer); 0 and 1 fill one site, 2 and 3
    # another; 5 and 4 have regret (their openings cost 2 and 1, the relaxation opens neither)
    owners, integer = np.tile(np.arange(6), 2), np.repeat([False, True], 6)
    rows = sp.csr_matrix(np.array([[1, 1, 0, 0, 0, 0] + [0] * 6, [0, 0, 1, 1, 0, 0] + [0] * 6], dtype=float))
    lower, upper = np.full(2, -INF), np.full(2, 2.0)
    plan = np.ones(12)
    relaxed = np.array([1.0] * 10 + [0.0, 0.0])
    cost = np.array([0.0] * 10 + [1.0, 2.0])
    kinds: list[str] = []

    def solve_small(held: np.ndarray, start: Plan, budget: float) -> Plan:
        kinds.append("full row" if held.any() else "regret")  # every column used: regret holds none
        return Plan(start.objective - 1.0 if len(kinds) == 1 else None, start.solution)  # the first is better

    done = swaps.search(solve_small, rows, lower, upper, Plan(10.0, plan), relaxed, owners, integer, math.inf,
                        cost=cost)
    # 5's regret (a better plan), then a full row of the new plan, 4's regret, the other full row, their pair
    assert kinds == ["regret", "full row", "regret", "full row", "full row"]
    assert (done.tried, done.improved, done.best.objective) == (5, 1, 9.0)


def test_the_search_goes_on_from_a_better_plan_found_elsewhere_and_stops_when_told() -> None:
    owners, integer = np.array([0, 1, 2]), np.zeros(3, dtype=bool)
    rows = sp.csr_matrix(np.array([[1, 1, 0], [0, 1, 1]], dtype=float))  # two full sites: A and B, B and C
    lower, upper = np.full(2, -INF), np.array([2.0, 2.0])
    elsewhere = Plan(5.0, np.ones(3))  # the main solve's plan, better than any swap's
    starts: list[float] = []

    def solve_small(held: np.ndarray, start: Plan, budget: float) -> Plan:
        starts.append(start.objective)
        return Plan(None, start.solution)  # no better plan in any neighbourhood

    def newer(best: Plan) -> Plan:
        return elsewhere if starts and elsewhere.objective < best.objective else best

    done = swaps.search(solve_small, rows, lower, upper, Plan(10.0, np.ones(3)), np.ones(3), owners, integer,
                        math.inf, newer=newer, each=1.0)
    assert done.best is elsewhere and (done.tried, done.improved) == (2, 0)
    assert starts == [10.0, 5.0]  # the second neighbourhood (B and C) from the plan found elsewhere
    stopped = swaps.search(solve_small, rows, lower, upper, Plan(10.0, np.ones(3)), np.ones(3), owners, integer,
                           math.inf, stop=lambda: True)
    assert (stopped.tried, stopped.interrupted) == (0, False)
