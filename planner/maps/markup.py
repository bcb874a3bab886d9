"""The one way text reaches an HTML page: escaped, so a scenario's text is shown as text, never run as markup.

Every writer of HTML (the interactive map, the report, compare, importance) puts text that can come from a
scenario or a run folder (ids, names, titles, descriptions, rule and override values, folder names) through
:func:`escape`, tables through :func:`html_table` and layer names through :class:`LayerControl` (Leaflet's layer
control shows a layer's name as HTML). Figures (PNG) are drawn with matplotlib's mathtext off
(:func:`planner.maps.fonts.rc_params`), so a pair of ``$`` in a label is shown as written.
"""

from __future__ import annotations

import html
from collections import OrderedDict
from typing import Any

import folium
import pandas as pd


def escape(value: object) -> str:
    """`value` as text inside HTML (element content or a quoted attribute): ``& < > " '`` escaped."""
    return html.escape(str(value), quote=True)


def html_table(frame: pd.DataFrame, **options: Any) -> str:
    """`frame` as an HTML ``<table>``, every text cell and header escaped; `options` go to
    :meth:`pandas.DataFrame.to_html` (numbers keep its number formatting)."""
    shown = frame.copy()
    for column in shown.columns:
        if not pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = shown[column].map(lambda v: escape(v) if isinstance(v, str) else v)
    shown.columns = [escape(c) for c in shown.columns]
    if options.get("index", True):
        shown.index = pd.Index([escape(i) if isinstance(i, str) else i for i in shown.index], name=shown.index.name)
    return shown.to_html(escape=False, **options)


class _EscapedNames(OrderedDict):  # type: ignore[type-arg]
    """Layer name -> variable, each name stored escaped (it becomes the HTML of a label of the control)."""

    def __setitem__(self, name: str, variable: str) -> None:
        super().__setitem__(escape(name), variable)


class LayerControl(folium.LayerControl):
    """folium's layer control, every layer's name escaped: Leaflet shows the names as HTML, folium does not escape
    them. Layers keep their names as text (``layer_name``); only the control's labels are HTML."""

    def reset(self) -> None:
        """Start the lists of layers the control shows (folium fills them when it renders the page)."""
        self.base_layers = _EscapedNames()
        self.overlays = _EscapedNames()
