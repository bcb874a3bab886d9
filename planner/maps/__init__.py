"""Maps of the spatial division of labour, drawn from a run folder.

- :func:`plan_map`: the interactive folium map of a plan; :func:`write_map` writes it
  (``planner run`` calls it for ``map.html``).
- :func:`dual_map`: two runs side by side.
- :func:`png`: a static image (geopandas + matplotlib, Chinese labels in Noto Sans SC).
- :func:`report`: one self-contained HTML report for a planning document.
- :func:`render_html` / :func:`save_html`: a map as a page, optionally with every script inlined.

The names are imported on first use, so that ``import planner.maps`` (done by the command
line at start-up) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.lazy import names_on_first_use

if TYPE_CHECKING:  # pragma: no cover
    from planner.maps.assets import OfflineAssetError
    from planner.maps.htmlout import render_html, save_html
    from planner.maps.images import png
    from planner.maps.interactive import DEFAULT_TILES, dual_map, plan_map, write_map
    from planner.maps.reporting import report
    from planner.maps.rundata import RunFolderError, load_run

_EXPORTS = {
    "OfflineAssetError": "assets", "render_html": "htmlout", "save_html": "htmlout",
    "DEFAULT_TILES": "interactive", "dual_map": "interactive", "plan_map": "interactive", "write_map": "interactive",
    "report": "reporting", "RunFolderError": "rundata", "load_run": "rundata", "png": "images",
}

__all__ = ["DEFAULT_TILES", "OfflineAssetError", "RunFolderError", "dual_map", "load_run", "plan_map", "png",
           "render_html", "report", "save_html", "write_map"]

__getattr__ = names_on_first_use(__name__, _EXPORTS)
