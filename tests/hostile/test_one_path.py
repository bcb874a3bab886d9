"""Each safety rule has one home, and every writer goes through it (a new writer that bypasses it fails here):
HTML text through planner/maps/markup.py, CSV cells through planner/cells.py (by runfolder.write_csv), console
text through planner/cli/common.py (make_console, styled)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "planner"

RULES = [
    ("HTML escaping", r"\bhtml\.escape\(|from html import|markupsafe|\.to_html\(", {"maps/markup.py"}),
    ("layer controls", r"folium\.LayerControl\(", {"maps/markup.py"}),
    ("CSV writing", r"\.to_csv\(|csv\.writer\(|\.to_excel\(", {"runfolder/write.py"}),
    ("rich consoles", r"\bConsole\(", {"cli/common.py"}),
    ("rich markup in strings", r"\[/\]|\[(bold|red|green|yellow)[^\]]*\]", {"cli/common.py"}),
]


@pytest.mark.parametrize(("what", "pattern", "home"), RULES, ids=[r[0] for r in RULES])
def test_one_home(what: str, pattern: str, home: set[str]) -> None:
    found = [f"{path.relative_to(PACKAGE)}:{n}: {line.strip()}"
             for path in sorted(PACKAGE.rglob("*.py")) if str(path.relative_to(PACKAGE)) not in home
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(pattern, line)]
    assert not found, f"{what} outside {sorted(home)}:\n" + "\n".join(found)
