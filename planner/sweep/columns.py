"""The fixed columns of a sweep's results table, in order (a parameter may not take their names)."""

from __future__ import annotations

from planner.models.layout import COST_TERMS
from planner.scenario.schema import FUNCTIONS, PREDECESSOR, ZONES

RUN_COLUMNS = ("status", "message", "skipped", "input_hash", "folder", "model_reused", "costs_rewritten",
               "start_values",
               "start_accepted")
"""How each member ended, where its folder is, whether it ran on its worker's previous model (with the costs
rewritten), and its MIP start; between the parameters and the KPIs."""
SUMMARY_KEYS = ("objective", "best_bound", "mip_gap", "build_seconds", "handover_seconds", "solve_seconds",
                "n_variables", "n_binaries", "n_constraints")
"""KPIs copied as they are from each member's summary.json."""


def kpi_columns() -> list[str]:
    """The KPI columns of the results table, in order."""
    return ([*SUMMARY_KEYS] + [f"cost_{t}" for t in COST_TERMS] + ["hosts_total", "extra_hosts_total"]
            + [f"share_{f}_{z}" for f in FUNCTIONS for z in ZONES]
            + [f"flow_radius_{PREDECESSOR[f]}_{f}_km" for f in PREDECESSOR])


RESERVED = frozenset({"member", *RUN_COLUMNS, *kpi_columns(), "cost_retire", "cost_upgrade"})
"""Column names of the results table that a parameter may not take (with the cost terms of runs with periods)."""
