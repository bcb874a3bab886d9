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

import pandas as pd
import pytest

from planner.maps import dual_map, plan_map, report, save_html
from planner.maps.geometry import CHINA_BOUNDS
from planner.maps.layers import (
    FUNCTIONS_SECTION,
    INDUSTRIES_SECTION,
    PLAN_SECTION,
    REGIONS_LAYER,
    SITES_LAYER,
)
from planner.maps.style import DASH_COLOUR, OUTSIDE_COLOUR
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
function shown(html) { const d = document.createElement("div"); d.innerHTML = html; return d.textContent; }
const out = {};  // by the name as the control shows it (its key is HTML: planner escapes the text)
for (const name of Object.keys(overlays)) { out[shown(name)] = count(overlays[name], [0, 0]); }
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


def _expand_control(driver: Any) -> None:
    """Open the layer control (it starts collapsed and opens on hover) with every section unfolded."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    control = driver.find_element(By.CSS_SELECTOR, ".leaflet-control-layers")
    ActionChains(driver).move_to_element(control).perform()
    time.sleep(0.3)
    for heading in driver.find_elements(By.CSS_SELECTOR, ".pl-layer-section.pl-folded"):
        heading.click()


def _toggle(driver: Any, name: str) -> None:
    from selenium.webdriver.common.by import By

    _expand_control(driver)
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
        counts: document.querySelectorAll('.pl-count-icon').length,
        paths: document.querySelectorAll('path.leaflet-interactive').length,
        tiles: document.querySelectorAll('img.leaflet-tile').length};""")
    assert dom["sites"] == t["assignments"]["site"].nunique()
    assert dom["links"] == len(t["links"])
    assert dom["rings"] == len(t["assignments"][["site", "function"]].drop_duplicates())
    assert dom["counts"] == t["assignments"]["site"].nunique()  # issue 19: one per site, not per industry
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


# --- issue 19: a national map that reads at 1366 x 768 ---------------------------------------

SCREENS = ((1366, 768), (1920, 1080))
"""Viewport sizes the maps are checked at (a common laptop, a common desktop)."""

BOXES_JS = """
function box(selector) {
  const el = document.querySelector(selector);
  if (!el) { return null; }
  const r = el.getBoundingClientRect();
  return [r.left, r.top, r.right, r.bottom];
}
const control = document.querySelector('.leaflet-control-layers');
return {map: box('.leaflet-container'), control: box('.leaflet-control-layers'), title: box('.pl-title'),
        legend: box('.pl-legend'), expanded: control.classList.contains('leaflet-control-layers-expanded'),
        list: document.querySelector('.leaflet-control-layers-list').offsetHeight,
        viewport: [window.innerWidth, window.innerHeight]};
"""


def _viewport(driver: Any, width: int, height: int) -> None:
    """Resize the window so that the page's viewport is `width` x `height` CSS pixels."""
    driver.set_window_size(width, height)
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])


def _area(box: list[float]) -> float:
    return max(box[2] - box[0], 0) * max(box[3] - box[1], 0)


def _overlap(a: list[float], b: list[float]) -> float:
    return _area([max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])])


@pytest.fixture(params=SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def screen(browser: Any, request: pytest.FixtureRequest) -> Iterator[tuple[int, int]]:
    """The browser at one of :data:`SCREENS` (back to the default size afterwards)."""
    _viewport(browser, *request.param)
    yield request.param
    browser.set_window_size(1400, 1000)


@pytest.mark.parametrize("which", ["tiny", "jjj", "national"])
def test_layer_control_opens_collapsed(browser: Any, screen: tuple[int, int], which: str,
                                       request: pytest.FixtureRequest, tmp_path: Path) -> None:
    run_dir = request.getfixturevalue(f"{which}_run")
    _open(browser, _offline_page(run_dir, tmp_path))
    boxes = browser.execute_script(BOXES_JS)
    assert boxes["viewport"] == list(screen)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"map-{which}-{screen[0]}x{screen[1]}.png"))
    # on load: a small button, the list hidden, nothing of the title or legend under it
    assert not boxes["expanded"] and boxes["list"] == 0
    assert _area(boxes["control"]) < 0.01 * _area(boxes["map"]), boxes
    assert _overlap(boxes["control"], boxes["title"]) == 0 and _overlap(boxes["control"], boxes["legend"]) == 0
    assert _overlap(boxes["title"], boxes["legend"]) == 0
    # the legend keeps to the left fifth of a wide screen, clear of the map's middle
    assert boxes["legend"][2] < 0.3 * screen[0]
    # on hover it opens, in sections
    _expand_control(browser)
    opened = browser.execute_script(BOXES_JS)
    assert opened["expanded"] and opened["list"] > 0
    headings = browser.execute_script(
        "return Array.from(document.querySelectorAll('.pl-layer-section')).map(e => e.textContent)")
    assert headings[0].startswith(PLAN_SECTION) and headings[1] == f"{FUNCTIONS_SECTION} (3)"
    assert all(h.startswith(INDUSTRIES_SECTION) for h in headings[2:]) and len(headings) > 2
    # every overlay is listed once, under a heading
    names = browser.execute_script(
        "return Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label span span'))"
        ".map(e => e.textContent.trim())")
    assert sorted(names) == sorted(layer_counts(run_dir))
    browser.save_screenshot(str(ARTIFACTS / f"map-{which}-{screen[0]}x{screen[1]}-control.png"))


def test_national_map_is_a_standard_map(browser: Any, screen: tuple[int, int], national_run: Path,
                                        tmp_path: Path) -> None:
    severe = _open(browser, _offline_page(national_run, tmp_path))
    assert severe == [], severe
    drawn = browser.execute_script("""
        const paths = Array.from(document.querySelectorAll('path'));
        const map = Object.keys(window).filter(k => k.startsWith('map_') && window[k] instanceof L.Map)
                                       .map(k => window[k])[0];
        const b = map.getBounds();
        return {dashes: paths.filter(p => p.getAttribute('stroke') === arguments[0]).length,
                outside: paths.filter(p => p.getAttribute('fill') === arguments[1]).length,
                bounds: [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()], zoom: map.getZoom(),
                far: map.getContainer().classList.contains('pl-far')};""", DASH_COLOUR, OUTSIDE_COLOUR)
    assert drawn["dashes"] == 10
    # 34 provincial-level units, 6 of them the scenario's: 28 grey, Taiwan, Hong Kong, Macao among them
    assert drawn["outside"] == 28
    (south, west), (north, east) = CHINA_BOUNDS
    s, w, n, e = drawn["bounds"]
    assert s <= south and w <= west and n >= north and e >= east, drawn  # the whole territory shows
    assert drawn["far"]  # the sites' industry counts wait for a closer zoom
    counts = browser.execute_script(
        "return Array.from(document.querySelectorAll('.pl-count-icon')).filter(e => e.offsetWidth > 0).length")
    assert counts == 0
    browser.execute_script("""
        const map = Object.keys(window).filter(k => k.startsWith('map_') && window[k] instanceof L.Map)
                                       .map(k => window[k])[0];
        map.setView([39.5, 116.8], 8, {animate: false});""")
    time.sleep(0.5)
    shown = browser.execute_script(
        "return Array.from(document.querySelectorAll('.pl-count-icon')).filter(e => e.offsetWidth > 0)"
        ".map(e => e.textContent)")
    t = tables(national_run)["assignments"]
    assert sorted(shown) == sorted(str(n) for n in t.groupby("site")["industry"].nunique())
    browser.save_screenshot(str(ARTIFACTS / f"map-national-zoomed-{screen[0]}x{screen[1]}.png"))


def test_side_by_side_national_maps_stay_clear(browser: Any, screen: tuple[int, int], national_run: Path,
                                               tiny_run: Path, tmp_path: Path) -> None:
    page = tmp_path / "dual-national.html"
    save_html(dual_map(national_run, tiny_run, tiles="none"), page, offline=True)
    severe = _open(browser, page)
    assert severe == [], severe
    state = browser.execute_script("""
        const maps = Array.from(document.querySelectorAll('.leaflet-container'));
        return maps.map(m => {
          const r = m.getBoundingClientRect(), c = m.querySelector('.leaflet-control-layers').getBoundingClientRect();
          return {area: r.width * r.height, control: c.width * c.height,
                  expanded: m.querySelector('.leaflet-control-layers-expanded') !== null,
                  legendOpen: m.querySelector('.pl-legend details').open,
                  dashes: Array.from(m.querySelectorAll('path'))"""
                                 """.filter(p => p.getAttribute('stroke') === arguments[0]).length};
        });""", DASH_COLOUR)
    assert len(state) == 2
    for side in state:
        assert not side["expanded"] and side["control"] < 0.02 * side["area"]
        assert not side["legendOpen"]  # the narrow halves start with the legend folded
    assert state[0]["dashes"] == 10  # the national run (A) is a standard map ...
    assert state[1]["dashes"] == 0  # ... the tiny one (B, two provinces) is not
    browser.save_screenshot(str(ARTIFACTS / f"dual-national-{screen[0]}x{screen[1]}.png"))


A4_WIDTH_PX = round((210 - 2 * 14) / 25.4 * 96)
"""The printable width of an A4 page with the report's 14 mm margins, in CSS pixels."""


def test_every_table_fits_an_a4_page_when_printed(browser: Any, tiny_run: Path, jjj_run: Path, periods_run: Path,
                                                  tmp_path: Path) -> None:
    """The report and compare.html printed (print media, a window as wide as an A4 page's text): no table is wider
    than the page, even compare's runs table of 12 columns or a period's sites table of 10, and no number is broken
    over two lines."""
    from typer.testing import CliRunner

    from planner.cli import app

    runner = CliRunner()
    pages = []
    for lang in ("en", "zh"):
        assert runner.invoke(app, ["report", str(jjj_run), "--lang", lang, "--out",
                                   str(tmp_path / f"report-{lang}.html")]).exit_code == 0
        assert runner.invoke(app, ["compare", str(tiny_run), str(jjj_run), "--lang", lang, "--out",
                                   str(tmp_path / f"compare-{lang}")]).exit_code == 0
        assert runner.invoke(app, ["report", str(periods_run), "--lang", lang, "--out",
                                   str(tmp_path / f"periods-{lang}.html")]).exit_code == 0
        pages += [tmp_path / f"report-{lang}.html", tmp_path / f"compare-{lang}" / "compare.html",
                  tmp_path / f"periods-{lang}.html"]
    size = browser.get_window_size()
    browser.set_window_size(A4_WIDTH_PX + 16, 1000)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for page in pages:
            browser.get(page.as_uri())
            body, widths, broken = browser.execute_script(
                "const lines = c => { const r = document.createRange(); r.selectNodeContents(c); "
                "return r.getClientRects().length; };"
                "return [document.body.clientWidth, Array.from(document.querySelectorAll('table.data'))"
                ".map(t => t.getBoundingClientRect().width),"
                " Array.from(document.querySelectorAll('table.data td.num')).filter(c => lines(c) > 1)"
                ".map(c => c.textContent)]")
            assert len(widths) >= 4 and body <= A4_WIDTH_PX + 16, page.name
            assert max(widths) <= body + 0.5, f"{page}: a table of {max(widths)} px on a page of {body} px"
            assert broken == [], f"{page}: numbers broken over two lines: {broken}"  # as '176,443.7' / '1'
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        browser.set_window_size(size["width"], size["height"])


# --- issue 18 item 5: a run with periods, stepped through period by period ---------------------

PERIOD_STATE_JS = """
const shown = s => Array.from(document.querySelectorAll(s)).filter(e => e.isConnected);
const style = e => [e.getAttribute('stroke'), e.getAttribute('fill'), e.getAttribute('stroke-dasharray')];
return {label: document.querySelector('.pl-stepper .pl-period').textContent,
        sites: shown('path.pl-psite').length,
        retired: shown('path.pl-retired-ring').map(style),
        converted: shown('path.pl-converted-ring').length,
        built: shown('path.pl-psite.pl-change-built').map(style),
        closed: shown('path.pl-psite.pl-change-closed').map(style),
        checked: Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))
          .filter(l => l.querySelector('input').checked).map(l => l.textContent.trim())};
"""


def test_the_map_of_a_run_with_periods_steps_through_them(browser: Any, periods_run: Path, tmp_path: Path) -> None:
    """One period shown at a time; ◀ ▶ and the layer control step through them; the markers shown are the
    period's sites, retired capacity in grey dashed rings, unlike the green outline of what is new."""
    from selenium.webdriver.common.by import By

    from planner.maps.period_layers import period_layer
    from planner.maps.periods import CHANGE_COLOURS, period_text, site_moves

    transition = pd.read_csv(periods_run / "transition.csv")
    periods = [2025, 2030, 2035]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _viewport(browser, 1366, 768)
    try:
        severe = _open(browser, _offline_page(periods_run, tmp_path))
        assert severe == [], severe
        seen = []
        for k, period in enumerate(periods):
            if k:
                browser.find_element(By.CSS_SELECTOR, ".pl-stepper .pl-next").click()
                time.sleep(0.4)
            state = browser.execute_script(PERIOD_STATE_JS)
            browser.save_screenshot(str(ARTIFACTS / f"map-periods-{period}.png"))
            moves = site_moves(transition, period)
            assert state["label"] == str(period)
            assert state["sites"] == len(moves)
            assert len(state["retired"]) == int((moves["retired"] > 1e-6).sum())
            assert state["converted"] == int(((moves["converted_in"] + moves["converted_out"]) > 1e-6).sum())
            assert all(s[0] == CHANGE_COLOURS["retired"] and s[2] for s in state["retired"] + state["closed"])
            assert all(s[0] == CHANGE_COLOURS["built"] and not s[2] for s in state["built"])
            assert all(s[1] == "none" for s in state["closed"])  # all retired: hollow
            assert [c for c in state["checked"] if c.startswith("Period")] == [period_layer(period)]
            seen.append((state["sites"], len(state["retired"]), state["converted"], len(state["built"])))
        assert len(set(seen)) == len(periods)  # what is shown changes from period to period
        assert any(r for _, r, _, _ in seen) and any(c for _, _, c, _ in seen) and any(b for *_, b in seen)
        browser.find_element(By.CSS_SELECTOR, ".pl-stepper .pl-next").click()  # the last stays
        assert browser.execute_script(PERIOD_STATE_JS)["label"] == "2035"
        # checking a period in the layer control shows it alone
        _expand_control(browser)
        headings = browser.execute_script(
            "return Array.from(document.querySelectorAll('.pl-layer-section')).map(e => e.textContent)")
        assert headings[0] == f"{period_text('section')} (3)"
        _toggle(browser, period_layer(2030))
        time.sleep(0.3)
        state = browser.execute_script(PERIOD_STATE_JS)
        assert state["label"] == "2030" and state["sites"] == len(site_moves(transition, 2030))
        assert [c for c in state["checked"] if c.startswith("Period")] == [period_layer(2030)]
        browser.save_screenshot(str(ARTIFACTS / "map-periods-control.png"))
        browser.execute_script("document.querySelector('.pl-stepper .pl-prev').click()")  # ◀ from 2030
        time.sleep(0.4)
        state = browser.execute_script(PERIOD_STATE_JS)
        assert state["label"] == "2025" and state["sites"] == len(site_moves(transition, 2025))
    finally:
        browser.set_window_size(1400, 1000)


WORDS_JS = """
const map = Object.keys(window).filter(k => k.startsWith('map_') && window[k] instanceof L.Map).map(k => window[k])[0];
function shown(html) {
  if (html instanceof Node) { return html.textContent; }
  const d = document.createElement('div'); d.innerHTML = html; return d.textContent;
}
const texts = [];
function add(content, layer) {
  if (typeof content === 'function') {
    if (layer.eachLayer) { layer.eachLayer(child => texts.push(shown(content(child)))); }
    else { texts.push(shown(content(layer))); }
  } else if (content !== undefined && content !== null) { texts.push(shown(content)); }
}
map.eachLayer(layer => {
  if (layer.getPopup && layer.getPopup()) { add(layer.getPopup().getContent(), layer); }
  if (layer.getTooltip && layer.getTooltip()) { add(layer.getTooltip().getContent(), layer); }
});
const page = document.body.cloneNode(true);
page.querySelectorAll('script, style').forEach(e => e.remove());
return {page: page.textContent, popups: texts};
"""
"""The words of the map: the page's text (title, legend, layer control, hidden parts too), every popup and tooltip."""


def test_the_chinese_national_map_has_no_english_word_at_1366x768(browser: Any, national_run: Path,
                                                                  tmp_path: Path) -> None:
    from tests.maps.words import data_words, english

    page = tmp_path / "zh-map.html"
    save_html(plan_map(national_run, tiles="none", lang="zh"), page, offline=True)
    _viewport(browser, 1366, 768)
    try:
        assert _open(browser, page) == []
        words = browser.execute_script(WORDS_JS)
        boxes = browser.execute_script(BOXES_JS)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / "map-national-zh-1366x768.png"))
        _expand_control(browser)
        headings = browser.execute_script(
            "return Array.from(document.querySelectorAll('.pl-layer-section')).map(e => e.textContent)")
        browser.save_screenshot(str(ARTIFACTS / "map-national-zh-1366x768-control.png"))
    finally:
        browser.set_window_size(1400, 1000)
    texts = [*words["page"].split("\n"), *words["popups"]]
    assert len(words["popups"]) > 40  # regions (and the grey units outside), sites, rings, links, counts
    assert english(texts, data_words(national_run)) == []
    assert "图例" in words["page"] and "状态 最优，目标值" in words["page"] and "情景外" in words["page"]
    assert any("台湾" in t and "· 情景外" in t for t in words["popups"])
    assert headings[:2] == ["规划 (2)", "环节 (3)"] and all(h.startswith("产业") for h in headings[2:])
    # the words are longer or shorter, the page reads the same: the control folded, clear of the title and legend
    assert not boxes["expanded"] and _overlap(boxes["control"], boxes["title"]) == 0
    assert _overlap(boxes["title"], boxes["legend"]) == 0 and boxes["legend"][2] < 0.3 * 1366


POPUP_JS = """
const site = document.querySelectorAll('path.pl-site')[arguments[0]];
const box = site.getBoundingClientRect();
site.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: box.x + box.width / 2,
                                            clientY: box.y + box.height / 2}));
"""
POPUP_CLEAR_JS = """
const rect = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
const popup = document.querySelector('.leaflet-popup');
return {popup: popup ? rect(popup) : null,
        boxes: [...document.querySelectorAll('.leaflet-left .pl-box')]
          .filter(b => !b.classList.contains('pl-aside')).map(rect)};
"""


def test_a_site_s_popup_opens_clear_of_the_title_and_legend_at_1366x768(browser: Any, jjj_run: Path,
                                                                         tmp_path: Path) -> None:
    """Leaflet draws its controls above its popups: a popup that opened under the legend (HE-center's, low on the
    map) was hidden by it. Each site's popup must open clear of the boxes on the left, or fade them."""
    page = _offline_page(jjj_run, tmp_path)
    _viewport(browser, 1366, 768)
    try:
        assert _open(browser, page) == []
        sites = browser.execute_script("return document.querySelectorAll('path.pl-site').length")
        assert sites >= 5
        for k in range(sites):
            browser.execute_script(POPUP_JS, k)
            time.sleep(0.9)  # Leaflet's pan into view, then planner's own
            state = browser.execute_script(POPUP_CLEAR_JS)
            assert state["popup"] is not None, k
            assert [_overlap(state["popup"], box) for box in state["boxes"]] == [0] * len(state["boxes"]), k
            browser.execute_script("document.querySelector('.leaflet-popup-close-button').click()")
            time.sleep(0.3)
            assert browser.execute_script("return document.querySelectorAll('.pl-aside').length") == 0
    finally:
        browser.set_window_size(1400, 1000)


# --- the tables of compare.html and the report: Chinese words on the line of the Latin ones and the numbers -----

ROW_LINES_JS = """
const table = [...document.querySelectorAll('h2')].find(h => h.textContent === arguments[0])
  .nextElementSibling.nextElementSibling;
return [...table.querySelectorAll('tbody tr')].map(row => {
  const baselines = [...row.cells].filter(c => c.textContent.trim()).map(cell => {
    const mark = document.createElement('span');  // an empty inline-block sits on its line's baseline
    mark.style.cssText = 'display:inline-block;width:0;height:0';
    cell.appendChild(mark);
    const y = mark.getBoundingClientRect().bottom;
    mark.remove();
    return y;
  });
  return [row.cells[1].textContent, row.getBoundingClientRect().height, baselines];
});
"""


def test_the_chinese_period_table_of_a_comparison_keeps_each_row_on_one_line(browser: Any, periods_run: Path,
                                                                             tiny_run: Path, tmp_path: Path) -> None:
    """compare --lang zh at 1366 x 768: in the per-period table the 总体 (overall) row's label (Chinese, in the
    page's web font) sits on the baseline of its run name and numbers, and that row is as tall as a year's."""
    from planner.research.compare import compare_runs
    from planner.research.compare import report_html as compare_html

    page = tmp_path / "compare.html"
    page.write_text(compare_html(compare_runs([periods_run, tiny_run]), None, "", "zh"), encoding="utf-8")
    _viewport(browser, 1366, 768)
    try:
        browser.get(page.as_uri())
        browser.execute_async_script("document.fonts.ready.then(arguments[arguments.length - 1])")
        rows = browser.execute_script(ROW_LINES_JS, "分期")
        browser.execute_script("[...document.querySelectorAll('h2')].find(h => h.textContent === '分期')"
                               ".scrollIntoView()")
        browser.save_screenshot(str(ARTIFACTS / "compare-periods-zh.png"))
    finally:
        browser.set_window_size(1400, 1000)
    assert [label for label, _, _ in rows].count("总体") == 2 and len(rows) == 5
    for label, _, baselines in rows:
        assert max(baselines) - min(baselines) < 0.5, (label, baselines)
    heights = {label: height for label, height, _ in rows}
    assert abs(heights["总体"] - heights["2030"]) <= 1.0, heights
