"""Every HTML page planner writes for the hostile scenario, loaded in a real headless Chromium: no script of a
payload runs, no markup of one is made, and the payload is shown as text.

The pages are found by walking the outputs (tests/hostile/conftest.py), so a new HTML writer is checked as soon as
a command of the fixture writes it. Each page's tooltips and popups are opened too, and its frames checked alike.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.conftest import Outputs
from tests.maps.conftest import ARTIFACTS
from tests.maps.test_browser import browser  # noqa: F401 - the headless Chromium fixture (skips without it)

VISIBLE = "<img src=x class=pwned onerror="
"""Text every payload (and every hostile folder name) holds: it must be readable on each page, as written."""

OPEN_LAYERS_JS = """
const texts = [];
if (window.L) {
  for (const key of Object.keys(window)) {
    let map; try { map = window[key]; } catch (e) { continue; }
    if (!(map instanceof L.Map)) continue;
    map.eachLayer(layer => {
      for (const [get, open, selector] of [["getTooltip", "openTooltip", ".leaflet-tooltip"],
                                           ["getPopup", "openPopup", ".leaflet-popup-content"]]) {
        if (!layer[get] || !layer[get]()) continue;
        try { layer[open](); } catch (e) { continue; }
        document.querySelectorAll(selector).forEach(e => texts.push(e.innerText));
      }
    });
  }
}
return texts;
"""
"""Open every tooltip and popup of every Leaflet map of the page; return their texts."""

STATE_JS = """
return {pwned: window.__pwned === undefined ? null : String(window.__pwned),
        made: Array.from(document.querySelectorAll(".pwned")).map(e => e.outerHTML.slice(0, 120)),
        text: document.body ? document.body.innerText : "",
        frames: document.querySelectorAll("iframe").length};
"""
"""What a payload would leave behind if it ran or became markup, and the page's visible text."""


def _no_alert(driver: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        return
    pytest.fail(f"an alert is open: {text!r}")


def _inspect(driver: Any, where: str) -> tuple[list[str], str]:
    """Problems found in the current document (and its frames) and its visible text, tooltips and popups."""
    _no_alert(driver)
    opened = driver.execute_script(OPEN_LAYERS_JS)
    time.sleep(0.4)  # an <img src=x onerror=...> would fire now
    _no_alert(driver)
    state = driver.execute_script(STATE_JS)
    problems = []
    if state["pwned"] is not None:
        problems.append(f"{where}: a payload ran (window.__pwned = {state['pwned']!r})")
    if state["made"]:
        problems.append(f"{where}: a payload became markup: {state['made'][:3]}")
    text = state["text"] + "\n".join(opened)
    for n in range(state["frames"]):
        frame = driver.find_elements("tag name", "iframe")[n]
        driver.switch_to.frame(frame)
        try:
            found, shown = _inspect(driver, f"{where} (frame {n + 1})")
        finally:
            driver.switch_to.parent_frame()
        problems += found
        text += shown
    return problems, text


def _load(driver: Any, page: Path) -> None:
    driver.get(page.as_uri())
    deadline = time.monotonic() + 30
    while driver.execute_script("return document.readyState") != "complete":
        assert time.monotonic() < deadline, f"{page} did not load"
        time.sleep(0.1)
    time.sleep(0.5)


def test_the_outputs_hold_every_kind_of_page(hostile: Outputs) -> None:
    names = {p.name for p in hostile.out.rglob("*.html")}
    assert {"map.html", "report.html", "compare.html", "dual_map.html", "importance.html"} <= names
    maps = [p.relative_to(hostile.out).parts[0] for p in hostile.out.rglob("map.html")]
    assert {"pareto", "sweep", hostile.run_a.name, hostile.run_b.name} <= set(maps)


def test_no_page_runs_or_renders_a_payload_and_each_shows_it_as_text(hostile: Outputs, browser: Any) -> None:  # noqa: F811
    pages = sorted(hostile.out.rglob("*.html"))
    problems, unseen = [], []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for page in pages:
        where = str(page.relative_to(hostile.out))
        _load(browser, page)
        found, text = _inspect(browser, where)
        problems += found
        if VISIBLE not in text:
            unseen.append(where)
        if page.name in ("report.html", "compare.html", "importance.html", "dual_map.html") or page.parent == hostile.run_a:
            folder = re.sub(r"[^A-Za-z]", "", page.parent.name)[:10]
            browser.save_screenshot(str(ARTIFACTS / f"hostile-{folder}-{page.stem}.png"))
    assert not problems, "\n".join(problems)
    assert not unseen, f"pages that do not show the payload as text: {unseen}"
