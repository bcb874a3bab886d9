"""planner.check: the plan loaded in a model against every constraint, bound and integrality, in words."""

from __future__ import annotations

import pyomo.environ as pyo

from planner.check import violations
from planner.run import solve_scenario


def test_a_solved_plan_breaks_nothing_and_edits_are_named(tiny) -> None:
    model = solve_scenario(tiny.yaml, "out").built.model
    assert violations(model) == []
    q = model.q["ai", "rd", "A-center"]  # 0.05 ha per unit on a 20 ha site, bound 11.1
    q.set_value(500.0, skip_validation=True)
    model.x["ai", "rd", "A-center"].set_value(0.5, skip_validation=True)
    model.g[next(iter(model.g))].set_value(None)  # the flow rd A-center -> pilot A-center
    assert violations(model) == [  # exactly these, worked out by hand from tables/ (q at 0.05 ha per unit)
        "support_received[ai,pilot,A-center]: has no value (variables without a solution)",
        "support_given[ai,rd,A-center]: has no value (variables without a solution)",
        "scale_max[ai,rd,A-center] (max scale): 494.45 is beyond its upper bound 0",  # q - 11.1 x
        "land[A-center] (land per site): 25 is beyond its upper bound 20",  # 500 x 0.05 ha
        "reform.cover[ai,rd] (open at one site at least, two when split): 0.5 is beyond its lower bound 1",
        "q[ai,rd,A-center]: 500 is above its bound 11.1",
        "x[ai,rd,A-center]: 0.5 is not 0 or 1",
    ]


def test_rows_the_fast_reader_cannot_read_are_evaluated_by_pyomo(tiny) -> None:
    model = solve_scenario(tiny.yaml, "out").built.model
    model.p = pyo.Param(initialize=2.0, mutable=True)
    model.extra = pyo.Constraint(expr=model.p * model.q["ai", "rd", "A-center"] <= 1)  # q is 6 in the plan
    assert violations(model) == ["extra: 12 is beyond its upper bound 1"]
