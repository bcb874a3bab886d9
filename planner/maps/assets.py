"""Offline copies of the scripts and style sheets a map page loads, from installed packages.

Leaflet comes from the PyPI package ``XStatic-Leaflet`` (the XStatic packaging standard:
upstream files, unchanged, as package data; version 1.9.3, the one folium 0.20 loads). The
images its style sheet refers to are inlined as data URIs. For ``DualMap``, which loads
the Leaflet.Sync plugin from a CDN, the offline page gets :data:`SYNC_JS`, planner's own
minimal ``L.Map.sync`` (the plugin is not on PyPI).
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from urllib.parse import urlparse


class OfflineAssetError(Exception):
    """A script or style sheet the page needs has no offline copy installed."""


SYNC_JS = """/* planner: minimal L.Map.sync (same centre and zoom), standing in for Leaflet.Sync offline */
L.Map.include({
  sync: function (other) {
    var self = this;
    this._plSynced = (this._plSynced || []).concat([other]);
    if (!this._plSyncOn) {
      this._plSyncOn = true;
      this.on("move zoomend", function () {
        if (self._plSyncing) { return; }
        self._plSynced.forEach(function (map) {
          map._plSyncing = true;
          map.setView(self.getCenter(), self.getZoom(), {animate: false});
          map._plSyncing = false;
        });
      });
    }
    return this;
  }
});
"""


def leaflet_dir() -> Path:
    """Folder of the installed XStatic-Leaflet files (``leaflet.js``, ``leaflet.css``, ``images/``)."""
    try:
        import xstatic.pkg.leaflet as xleaflet
    except ImportError:
        raise OfflineAssetError("offline maps need the package XStatic-Leaflet: pip install XStatic-Leaflet") from None
    return Path(xleaflet.BASE_DIR)


def leaflet_version() -> str:
    """Version of the Leaflet files installed by XStatic-Leaflet."""
    import xstatic.pkg.leaflet as xleaflet

    return str(xleaflet.VERSION)


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def leaflet_css() -> str:
    """Leaflet's style sheet with its images inlined."""
    folder = leaflet_dir()
    css = (folder / "leaflet.css").read_text(encoding="utf-8")
    return re.sub(r"url\((['\"]?)(images/[^)'\"]+)\1\)", lambda m: f"url({_data_uri(folder / m.group(2))})", css)


def asset(url: str) -> tuple[str, str]:
    """(``"js"`` or ``"css"``, text) of the offline copy of the script or style sheet at `url`."""
    name = Path(urlparse(url).path).name
    if name in ("leaflet.js", "leaflet-src.js"):
        text = (leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")
        return "js", re.sub(r"//# sourceMappingURL=\S+", "", text)
    if name == "leaflet.css":
        return "css", leaflet_css()
    if name.startswith("L.Map.Sync"):
        return "js", SYNC_JS
    raise OfflineAssetError(f"no offline copy of {url}")


_SCRIPT = re.compile(r'<script src="(https?://[^"]+)"></script>')
_LINK = re.compile(r'<link rel="stylesheet" href="(https?://[^"]+)"/?>')


def _inline(match: re.Match[str]) -> str:
    kind, text = asset(match.group(1))
    closing = "</script" if kind == "js" else "</style"
    if closing in text.lower():
        raise OfflineAssetError(f"cannot inline {match.group(1)}: it contains {closing}")
    return f"<script>{text}</script>" if kind == "js" else f"<style>{text}</style>"


def inline_assets(html: str) -> str:
    """`html` with every external ``<script src>`` and style sheet ``<link>`` replaced by its inlined copy."""
    html = _SCRIPT.sub(_inline, html)
    html = _LINK.sub(_inline, html)
    left = re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="https?://[^"]*"', html)
    if left:
        raise OfflineAssetError(f"external references left: {left}")
    return html
