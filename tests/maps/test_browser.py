"""The offline map in a real headless Chromium with the network cut off.

Needs Debian's ``chromium`` and ``chromium-driver`` and the ``selenium`` package; skipped
(with the reason) when any of them is missing. Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.maps import dual_map, plan_map, report, save_html
from planner.maps.layers import REGIONS_LAYER, SITES_LAYER
from tests.maps.conftest import ARTIFACTS
from tests.maps.expected import industry_layer_name, layer_counts, tables

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
if not CHROMIUM or not CHROMEDRIVER:
    pytest.skip("Chromium is not installed (apt-get install -y chromium chromium-driver)", allow_module_level=True)

CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1400,1000",
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",  # every request to the network fails
)

# Per overlay of the layer control: vector paths and marker icons that are in the page now.
COUNT_JS = """
const key = Object.keys(window).find(k => k.startsWith("layer_control_") && k.endsWith("_layers"));
const overlays = window[key].overlays;
function count(layer, acc) {
  if (layer._path) { if (layer._path.isConnected) acc[0]++; return acc; }
  if (layer._icon) { if (layer._icon.isConnected) acc[1]++; return acc; }
  if (layer.eachLayer) { layer.eachLayer(l => count(l, acc)); }
  return acc;
}
const out = {};
for (const name of Object.keys(overlays)) { out[name] = count(overlays[name], [0, 0]); }
return out;
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="planner-chromium-")
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(driver: Any, page: Path) -> list[dict[str, Any]]:
    """Load `page`, wait for Leaflet's layer control, return the SEVERE console entries."""
    driver.get_log("browser")  # drop earlier entries
    driver.get(page.as_uri())
    deadline = time.monotonic() + 20
    while not driver.execute_script("return document.readyState === 'complete' && "
                                    "document.querySelectorAll('.leaflet-control-layers').length > 0"):
        assert time.monotonic() < deadline, "the map did not load"
        time.sleep(0.1)
    time.sleep(0.5)
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _counts(driver: Any) -> dict[str, tuple[int, int]]:
    return {name: tuple(v) for name, v in driver.execute_script(COUNT_JS).items()}


def _toggle(driver: Any, name: str) -> None:
    from selenium.webdriver.common.by import By

    label = driver.find_element(By.XPATH, f"//label[.//span[normalize-space(.)='{name}']]//input")
    label.click()
    time.sleep(0.3)


def _offline_page(run_dir: Path, folder: Path) -> Path:
    page = folder / f"{run_dir.name}-map.html"
    save_html(plan_map(run_dir, tiles="none"), page, offline=True)
    return page


def test_network_is_cut_off(browser: Any, tiny_run: Path, tmp_path: Path) -> None:
    _open(browser, _offline_page(tiny_run, tmp_path))
    outcome = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js').then(() => done('loaded'), () => "
        "done('failed'));")
    assert outcome == "failed"


def test_offline_map_draws_the_run(browser: Any, any_run: Path, tmp_path: Path) -> None:
    page = _offline_page(any_run, tmp_path)
    severe = _open(browser, page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"map-{any_run.name}.png"))
    assert severe == [], severe
    expected = layer_counts(any_run)
    assert _counts(browser) == expected
    t = tables(any_run)
    dom = browser.execute_script("""return {
        sites: document.querySelectorAll('path.pl-site').length,
        links: document.querySelectorAll('path.pl-link').length,
        rings: document.querySelectorAll('path.pl-fn').length,
        badges: document.querySelectorAll('.pl-badge-icon').length,
        paths: document.querySelectorAll('path.leaflet-interactive').length,
        tiles: document.querySelectorAll('img.leaflet-tile').length};""")
    assert dom["sites"] == t["assignments"]["site"].nunique()
    assert dom["links"] == len(t["links"])
    assert dom["rings"] == len(t["assignments"][["site", "function"]].drop_duplicates())
    assert dom["badges"] == len(t["assignments"][["site", "industry"]].drop_duplicates())
    assert dom["paths"] == sum(p for p, _ in expected.values())
    assert dom["tiles"] == 0


def test_layer_checkbox_hides_and_shows(browser: Any, any_run: Path, tmp_path: Path) -> None:
    _open(browser, _offline_page(any_run, tmp_path))
    expected = layer_counts(any_run)
    industry = tables(any_run)["industries"].iloc[0]
    for name in (REGIONS_LAYER, SITES_LAYER, industry_layer_name(industry)):
        _toggle(browser, name)
        now = _counts(browser)
        assert now[name] == (0, 0), name
        assert {k: v for k, v in now.items() if k != name} == {k: v for k, v in expected.items() if k != name}
        if name == SITES_LAYER:
            assert browser.execute_script("return document.querySelectorAll('path.pl-site').length") == 0
            browser.save_screenshot(str(ARTIFACTS / f"map-{any_run.name}-sites-off.png"))
        _toggle(browser, name)
        assert _counts(browser) == expected


def test_dual_map_loads_and_syncs(browser: Any, tiny_run: Path, any_run: Path, tmp_path: Path) -> None:
    page = tmp_path / "dual.html"
    save_html(dual_map(tiny_run, any_run, tiles="none"), page, offline=True)
    severe = _open(browser, page)
    assert severe == [], severe
    assert browser.execute_script("return document.querySelectorAll('.leaflet-container').length") == 2
    zooms = browser.execute_script("""
        const maps = Object.keys(window).filter(k => k.startsWith('map_') && window[k] instanceof L.Map)
                                        .map(k => window[k]);
        maps[0].setZoom(maps[0].getZoom() + 1, {animate: false});
        return maps.map(m => m.getZoom());""")
    assert len(zooms) == 2 and zooms[0] == zooms[1]
    browser.save_screenshot(str(ARTIFACTS / f"dual-{any_run.name}.png"))


def test_report_loads_without_errors(browser: Any, any_run: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    report(any_run, page)
    browser.get_log("browser")
    browser.get(page.as_uri())
    time.sleep(1.5)
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == [], severe
    tables_shown = browser.execute_script("return document.querySelectorAll('table.data').length")
    assert tables_shown >= 5
    browser.switch_to.frame(browser.find_element("css selector", "iframe.map-frame"))
    try:
        paths = browser.execute_script("return document.querySelectorAll('path.leaflet-interactive').length")
    finally:
        browser.switch_to.default_content()
    assert paths == sum(p for p, _ in layer_counts(any_run).values())
    browser.save_screenshot(str(ARTIFACTS / f"report-{any_run.name}.png"))
