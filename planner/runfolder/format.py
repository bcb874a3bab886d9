"""The format of a run folder (docs/run-folder.md): its file names, the columns of its tables, its statuses.

What the run writes (planner.run with planner.runfolder.write) and what the readers expect
(planner.runfolder.read, the maps, research and sweep commands) both come from here.
"""

from __future__ import annotations

import re

from planner.solve.status import STATUSES

__all__ = [
    "ASSIGNMENTS", "ASSIGNMENT_COLUMNS", "GPKG", "INFEASIBILITY", "INPUTS", "LINKS", "LINK_COLUMNS", "MANIFEST",
    "MAP", "NUMBER_COLUMNS", "NUMBER_KEYS", "SITES", "SITE_COLUMNS", "SOLVER_LOG", "STATUSES", "SUMMARY", "LEFTOVER",
    "XLSX",
]

MANIFEST = "manifest.json"
"""How the run was made: versions, solver and options, input hashes, times."""
SUMMARY = "summary.json"
"""Status, objective, bound, gap, costs and the other results every run reports."""
INPUTS = "inputs"
"""The folder of the tables as the model saw them, with a scenario.yaml that reruns them."""
ASSIGNMENTS = "assignments.csv"
"""The plan: one row per function opened at a site (`ASSIGNMENT_COLUMNS`)."""
LINKS = "links.csv"
"""The support flows (`LINK_COLUMNS`)."""
SITES = "sites.csv"
"""Land use per site (`SITE_COLUMNS`)."""
MAP = "map.html"
"""The interactive map of the plan."""
GPKG = "plan.gpkg"
"""The plan for GIS: layers regions, sites and links in WGS84 (planner.maps.exports)."""
XLSX = "plan.xlsx"
"""The run folder's tables as one Excel workbook, a sheet per table (planner.maps.exports)."""
INFEASIBILITY = "infeasibility.txt"
"""Why the scenario has no plan, when it has none."""
SOLVER_LOG = "solver.log"
"""The solver's own log of the run's solves (HiGHS's banner and log; CBC's and GLPK's output)."""

ASSIGNMENT_COLUMNS = ["industry", "function", "site", "region", "zone", "capacity", "land_ha",
                      "land_cost", "setup_cost", "operating_cost"]
"""The columns of `assignments.csv` (docs/run-folder.md)."""
LINK_COLUMNS = ["industry", "function", "from_site", "to_site", "amount", "distance_km"]
"""The columns of `links.csv`."""
SITE_COLUMNS = ["site", "region", "zone", "land_ha", "land_used_ha", "share_used"]
"""The columns of `sites.csv` (the run's land use; `inputs/sites.csv` is the scenario's table)."""
NUMBER_COLUMNS = frozenset({"capacity", "land_ha", "land_cost", "setup_cost", "operating_cost", "amount", "distance_km",
                            "land_used_ha", "share_used"})
"""Columns of these tables that hold numbers."""
NUMBER_KEYS = ("objective", "best_bound", "mip_gap")
"""Keys of `summary.json` that hold a number or null."""
LEFTOVER = re.compile(r"^\..+\.(partial|old)-[0-9a-f-]+$")
"""Names of the temporary siblings of an output folder (planner.runfolder.write): one being written
(`.NAME.partial-PID-HEX`), or one being replaced (`.NAME.old-*`); never a run folder, however complete it looks."""
