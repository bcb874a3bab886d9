"""What the interactive map contains, checked against the run folder's numbers (no browser)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import folium
import pytest
from folium.plugins import DualMap

from planner.maps import RunFolderError, dual_map, plan_map, render_html, write_map
from planner.maps.assets import SYNC_JS, inline_assets, leaflet_version
from planner.maps.layers import REGIONS_LAYER, SITES_LAYER
from tests.maps.expected import layer_counts, tables

EXTERNAL = re.compile(r"<(?:script|link)\b[^>]*(?:src|href)=[\"']https?://", re.IGNORECASE)


def layers(fmap: folium.Map) -> dict[str, tuple[int, int]]:
    """Layer name -> (vector features, markers) of the FeatureGroups in `fmap`."""
    out = {}
    for child in fmap._children.values():
        if isinstance(child, folium.FeatureGroup):
            kids = list(child._children.values())
            paths = sum(isinstance(k, (folium.GeoJson, folium.CircleMarker, folium.PolyLine)) for k in kids)
            markers = sum(type(k) is folium.Marker for k in kids)
            out[child.layer_name] = (paths, markers)
    return out


def test_layers_match_run_folder(any_run: Path) -> None:
    fmap = plan_map(any_run, tiles="none")
    assert layers(fmap) == layer_counts(any_run)


def test_one_layer_per_function_and_industry(any_run: Path) -> None:
    t = tables(any_run)
    names = list(layers(plan_map(any_run)))
    assert sum(n.startswith("Function: ") for n in names) == 3
    assert sum(n.startswith("Industry: ") for n in names) == len(t["industries"])
    assert names[0] == REGIONS_LAYER and names[-1] == SITES_LAYER
    controls = [c for c in plan_map(any_run)._children.values() if isinstance(c, folium.LayerControl)]
    assert len(controls) == 1


def test_markers_and_lines_in_html(any_run: Path) -> None:
    html = render_html(plan_map(any_run, tiles="none"))
    t = tables(any_run)
    assert html.count('"className": "pl-site ') == t["assignments"]["site"].nunique()
    assert html.count('"className": "pl-link ') == len(t["links"])
    assert html.count("L.polyline(") == int((t["links"]["from_site"] != t["links"]["to_site"]).sum())
    pairs = t["assignments"][["site", "function"]].drop_duplicates()
    assert html.count('"className": "pl-fn ') == len(pairs)


def test_title_status_objective_and_legend(any_run: Path) -> None:
    summary = json.loads((any_run / "summary.json").read_text(encoding="utf-8"))
    html = render_html(plan_map(any_run))
    text = _decoded(html)
    assert summary["title"] in text
    assert f"status <b>{summary['status']}</b>" in text
    assert f"{summary['objective']:,.2f}" in text
    for _, row in tables(any_run)["industries"].iterrows():
        assert row["name_zh"] in text and row["name"] in text
    for label in ("center 中心", "inner 近郊", "outer 外围", "R&amp;D 研发", "Pilot 中试", "Production 量产"):
        assert label in text


def _decoded(html: str) -> str:
    """The page with the JSON escapes of its scripts decoded (\\uXXXX -> character)."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), html)


def test_popups_have_names_capacity_land_cost(tiny_run: Path) -> None:
    text = _decoded(render_html(plan_map(tiny_run)))
    # site A-outer of the tiny run hosts steel rd and pilot and ai production
    assert "A-outer" in text and "甲 Alpha" in text
    assert "人工智能 Artificial intelligence" in text and "钢铁 Steel" in text
    assert "land used 49.30 of 200.0 ha" in text
    assert "capacity" in text and "cost " in text
    assert "linkage cost" in text


def test_offline_page_is_self_contained(any_run: Path) -> None:
    online = render_html(plan_map(any_run))
    assert "cdn.jsdelivr.net/npm/leaflet@" in online
    assert "jquery" not in online.lower() and "bootstrap" not in online.lower()
    offline = render_html(plan_map(any_run, tiles="none"), offline=True)
    assert not EXTERNAL.search(offline)
    assert f"Leaflet {leaflet_version()}" in offline or "leafletjs.com" in offline
    assert "@font-face" in offline and "Planner CJK" in offline
    assert "L.tileLayer" not in offline


def test_write_map_during_run_is_offline(tiny_run: Path, tmp_path: Path) -> None:
    html = (tiny_run / "map.html").read_text(encoding="utf-8")
    assert not EXTERNAL.search(html)
    copy = tmp_path / "run"
    shutil.copytree(tiny_run, copy)
    (copy / "map.html").unlink()
    write_map(copy / "map.html")
    assert not EXTERNAL.search((copy / "map.html").read_text(encoding="utf-8"))


def test_inline_refuses_unknown_assets() -> None:
    from planner.maps.assets import OfflineAssetError

    with pytest.raises(OfflineAssetError):
        inline_assets('<script src="https://example.org/other.js"></script>')


def test_dual_map(tiny_run: Path, any_run: Path) -> None:
    dual = dual_map(tiny_run, any_run, tiles="none")
    assert isinstance(dual, DualMap)
    assert layers(dual.m1) == layer_counts(tiny_run)
    assert layers(dual.m2) == layer_counts(any_run)
    offline = render_html(dual, offline=True)
    assert not EXTERNAL.search(offline)
    assert SYNC_JS.splitlines()[1] in offline


def test_metro_view_only_for_district_sites(tiny_run: Path, jjj_run: Path) -> None:
    from planner.maps.layers import METRO_LAYER

    assert METRO_LAYER not in layers(plan_map(tiny_run))
    assert METRO_LAYER in layers(plan_map(jjj_run))
    text = _decoded(render_html(plan_map(jjj_run)))
    assert "ring center 中心" in text


def test_a_metro_scenario_s_districts_by_ring_start_shown_alone(metro_run: Path, jjj_run: Path) -> None:
    # the regions' shading and the rings on the same districts blended into colours of neither legend
    from planner.maps.layers import METRO_LAYER, plan_layers
    from planner.maps.rundata import load_run

    def shown(run_dir: Path) -> dict[str, bool]:
        return {group.layer_name: group.show for group in plan_layers(load_run(run_dir)).groups
                if group.layer_name in (REGIONS_LAYER, METRO_LAYER)}

    assert shown(metro_run) == {REGIONS_LAYER: False, METRO_LAYER: True}
    assert shown(jjj_run) == {REGIONS_LAYER: True, METRO_LAYER: True}  # provinces over several districts each


def test_a_metro_view_shows_its_districts_whole(metro_run: Path) -> None:
    # Beijing's outer districts reach past their points: the static image's left panel cut off Huairou and Miyun
    from planner.maps.geometry import region_shapes, view_bounds
    from planner.maps.rundata import load_run

    run = load_run(metro_run)
    (south, west), (north, east) = view_bounds(run)
    left, bottom, right, top = region_shapes(run).total_bounds
    assert south <= bottom and west <= left and north >= top and east >= right


@pytest.mark.parametrize("make", ["missing", "empty", "no plan"])
def test_run_folder_errors(tmp_path: Path, tiny_run: Path, make: str) -> None:
    target = tmp_path / "run"
    if make == "empty":
        target.mkdir()
    if make == "no plan":
        target.mkdir()
        summary = json.loads((tiny_run / "summary.json").read_text(encoding="utf-8"))
        (target / "summary.json").write_text(json.dumps(summary | {"status": "infeasible", "objective": None}))
    with pytest.raises(RunFolderError) as info:
        plan_map(target)
    assert "\n" not in str(info.value)
