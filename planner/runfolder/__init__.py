"""The run folder (docs/run-folder.md): its format (file names, table columns, statuses), writing it
atomically, and reading it back with one-line errors.

The names below are imported on first use (module `__getattr__`): reading a summary does not import
pandas, and nothing here imports the solvers.
"""

from __future__ import annotations

from planner.lazy import names_on_first_use

_HOMES = {
    **dict.fromkeys(("OutputExists", "check_output", "check_file_output", "check_location", "atomic_folder", "sha256",
                     "shown_path", "now", "manifest", "write_json", "write_csv", "write_inputs", "Writer",
                     "write_run_folder", "WriteFailed", "InterruptedWhileWriting", "clean_leftovers",
                     "deferred_interrupts", "atomic_file"),
                    "write"),
    **dict.fromkeys(("RunFolderError", "read_summary", "read_manifest", "solver_label", "read_table", "is_leftover",
                     "check_not_leftover"), "read"),
    **dict.fromkeys(("MANIFEST", "SUMMARY", "SOLVER_LOG", "INPUTS", "ASSIGNMENTS", "LINKS", "SITES", "MAP",
                     "INFEASIBILITY", "ASSIGNMENT_COLUMNS", "LINK_COLUMNS", "SITE_COLUMNS", "NUMBER_COLUMNS",
                     "NUMBER_KEYS", "STATUSES", "LEFTOVER"),
                    "format"),
}
"""Each name this package offers -> its module in the package."""

__all__ = sorted(_HOMES)

__getattr__ = names_on_first_use(__name__, _HOMES)
