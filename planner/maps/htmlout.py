"""Turning a folium map into an HTML page: embedded CJK font, and optionally every script inlined."""

from __future__ import annotations

from pathlib import Path

import folium
from folium.plugins import DualMap

from planner.maps.assets import inline_assets
from planner.maps.fonts import embed_page_font


def render_html(element: folium.Map | DualMap, offline: bool = False) -> str:
    """The HTML page of `element`; with `offline`, one self-contained file with no CDN reference.

    Base tiles, if any, are still fetched from their server when the page is viewed.
    """
    html = element.get_root().render()
    html = embed_page_font(html)
    return inline_assets(html) if offline else html


def save_html(element: folium.Map | DualMap, path: Path, offline: bool = False) -> None:
    """Write the page of `element` to `path` (UTF-8)."""
    Path(path).write_text(render_html(element, offline=offline), encoding="utf-8")
