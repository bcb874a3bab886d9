"""The one way text reaches an HTML page: escaped, so a scenario's text is shown as text, never run as markup.

Every writer of HTML (the interactive map, the report, compare, importance) puts text that can come from a
scenario or a run folder (ids, names, titles, descriptions, rule and override values, folder names) through
:func:`escape`, tables through :func:`html_table` and layer names through :class:`LayerControl` (Leaflet's layer
control shows a layer's name as HTML). Figures (PNG) are drawn with matplotlib's mathtext off
(:func:`planner.maps.fonts.rc_params`), so a pair of ``$`` in a label is shown as written.
"""

from __future__ import annotations

import html
import math
from collections import OrderedDict
from collections.abc import Callable, Mapping
from numbers import Integral, Real
from typing import Any

import folium
import pandas as pd

from planner.formatting import number


def escape(value: object) -> str:
    """`value` as text inside HTML (element content or a quoted attribute): ``& < > " '`` escaped."""
    return html.escape(str(value), quote=True)


TABLE_CSS = """
table.data { border-collapse: collapse; margin: 8px 0; font-size: 13px; max-width: 100%; }
table.data th, table.data td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: baseline;
  line-height: 1.4; overflow-wrap: break-word; }
table.data th { background: #f0f3f6; }
table.data td.num, table.data th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.data td.num { white-space: nowrap; }
@page { size: A4; margin: 14mm; }
@media print {
  table.data { width: 100%; table-layout: auto; font-size: 7.5pt; }
  table.data th, table.data td { padding: 2px 3px; }
  table.data tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}
"""
"""Style of every table :func:`html_table` writes: text left, numbers right, long text wrapped, within an A4 page
width when printed. The cells of a row share their text's baseline and one line height, so a Chinese word (the web
font, taller than the Latin one) sits on the line of the numbers and Latin words beside it."""

Formatter = Callable[[Any], str]
"""A cell's value -> its text on the page."""


def html_table(frame: pd.DataFrame, index: bool = False, classes: str = "data", na_rep: str = "–",
               digits: int = 2, formats: Mapping[str, Formatter] | None = None) -> str:
    """`frame` as an HTML ``<table class="data">``: text cells and headers escaped and left-aligned, number cells
    right-aligned (class ``num``) with thousands separators (`digits` decimals, integers without; `formats` per
    column name overrides), `na_rep` for a missing value. `index` writes the index as the first column."""
    shown = frame.reset_index() if index else frame
    numeric = {c: _is_number_column(shown[c]) for c in shown.columns}
    formats = dict(formats or {})
    head = "".join(f"<th{_number_class(numeric[c])}>{escape(c)}</th>" for c in shown.columns)
    rows = []
    for values in shown.itertuples(index=False, name=None):
        cells = (f"<td{_number_class(numeric[c])}>"
                 f"{_cell(v, formats.get(c), numeric[c], shown[c].dtype, digits, na_rep)}</td>"
                 for c, v in zip(shown.columns, values, strict=False))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="{escape(classes)}">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
            + "\n".join(rows) + "\n</tbody>\n</table>")


def _is_number_column(column: pd.Series) -> bool:
    """Numbers (not booleans), or an object column whose values are all numbers or missing."""
    if pd.api.types.is_bool_dtype(column):
        return False
    if pd.api.types.is_numeric_dtype(column):
        return True
    values = [v for v in column if not _missing(v) and v != ""]
    return bool(values) and all(isinstance(v, Real) and not isinstance(v, bool) for v in values)


def _number_class(numeric: bool) -> str:
    return ' class="num"' if numeric else ""


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT


def _cell(value: object, form: Formatter | None, numeric: bool, dtype: Any, digits: int, na_rep: str) -> str:
    """One cell's HTML: `form` when given, else numbers through :func:`planner.formatting.number`, text escaped."""
    if _missing(value):
        return escape(na_rep)
    if form is not None:
        return escape(form(value))
    if numeric and isinstance(value, Real) and not isinstance(value, bool):
        whole = pd.api.types.is_integer_dtype(dtype) or (isinstance(value, Integral))
        return escape(number(value, 0 if whole else digits))
    return escape(value)


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
