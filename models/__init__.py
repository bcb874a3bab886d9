"""The mathematics of docs/model.md: index sets and the Pyomo formulation (installed as `planner.models`)."""

from planner.models.layout import build_model, set_costs
from planner.models.sets import IndexSets, index_sets

__all__ = ["IndexSets", "build_model", "index_sets", "set_costs"]
