"""The static PNG, the HTML report and the `planner map` / `planner report` commands."""

from __future__ import annotations

import html
import json
import re
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.maps import png, report
from planner.maps.fonts import cjk_font_path, font_face_css, matplotlib_family, unicode_range
from tests.maps.expected import tables

EXTERNAL = re.compile(r"<(?:script|link)\b[^>]*(?:src|href)=[\"']https?://", re.IGNORECASE)


def test_cjk_font_comes_from_the_package() -> None:
    path = cjk_font_path()
    assert path is not None and "pylopdf_fonts_zh_cn" in str(path)
    assert matplotlib_family() == "Noto Sans SC"


def test_png_is_written_with_chinese_glyphs(any_run: Path, tmp_path: Path) -> None:
    target = tmp_path / "map.png"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png(any_run, target)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing  # matplotlib warns "Glyph ... missing from font(s)" for a box
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 100_000


def test_font_subset_covers_text() -> None:
    from base64 import b64decode
    from io import BytesIO

    from fontTools.ttLib import TTFont

    css = font_face_css("京津冀中心")
    assert "unicode-range: U+4E2D, U+4EAC, U+5180, U+5FC3, U+6D25" in css
    data = re.search(r"base64,([A-Za-z0-9+/=]+)", css).group(1)
    cmap = TTFont(BytesIO(b64decode(data))).getBestCmap()
    assert all(ord(c) in cmap for c in "京津冀中心")
    assert unicode_range("abcz") == "U+61-63, U+7A"


def test_report_has_tables_and_no_external_references(any_run: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    report(any_run, target)
    page = target.read_text(encoding="utf-8")
    summary = json.loads((any_run / "summary.json").read_text(encoding="utf-8"))
    assert html.escape(summary["title"]) in page
    for section in ("costs", "division", "hosts", "land", "map", "static-map"):
        assert f'<section id="{section}"' in page
    assert page.count("<table") >= 5
    for term in ("land", "setup", "operating", "linkage", "duplication"):
        assert f"<td>{term}</td>" in page
    for site in tables(any_run)["sites"]["id"]:
        assert f"<td>{site}</td>" in page
    for _, row in tables(any_run)["industries"].iterrows():
        assert f"<td>{row['id']}</td>" in page and row["name_zh"] in page
    assert "@media print" in page and "@page" in page
    assert "data:image/png;base64," in page
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', page).group(1))
    assert "L.map(" in srcdoc
    assert not EXTERNAL.search(page) and not EXTERNAL.search(srcdoc)


runner = CliRunner()


def test_cli_map_html_png_and_report(tiny_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    result = runner.invoke(app, ["map", str(tiny_run), "--offline", "--tiles", "none", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert not EXTERNAL.search(out.read_text(encoding="utf-8"))
    result = runner.invoke(app, ["map", str(tiny_run), "--png", "--out", str(tmp_path / "m.png")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m.png").stat().st_size > 50_000
    result = runner.invoke(app, ["report", str(tiny_run), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.html").stat().st_size > 100_000


@pytest.mark.parametrize("command", [["map"], ["map", "--png"], ["report"]])
def test_an_existing_out_file_is_kept_unless_forced(tiny_run: Path, tmp_path: Path, command: list[str]) -> None:
    kept = tmp_path / "kept.html"
    kept.write_text("precious", encoding="utf-8")
    result = runner.invoke(app, [command[0], str(tiny_run), *command[1:], "--out", str(kept)])
    assert result.exit_code == 2 and "kept.html already exists; choose another file or add --force" in result.output
    assert kept.read_text(encoding="utf-8") == "precious"
    result = runner.invoke(app, [command[0], str(tiny_run), *command[1:], "--out", str(kept), "--force"])
    assert result.exit_code == 0, result.output
    assert kept.read_bytes() != b"precious"


def test_cli_map_default_output_is_in_the_run_folder(tiny_run: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "run"
    shutil.copytree(tiny_run, copy)
    (copy / "map.html").unlink()
    result = runner.invoke(app, ["map", str(copy)])
    assert result.exit_code == 0, result.output
    assert not EXTERNAL.search((copy / "map.html").read_text(encoding="utf-8"))  # self-contained, as the run's
    result = runner.invoke(app, ["map", str(copy), "--cdn"])
    assert result.exit_code == 0, result.output
    assert "cdn.jsdelivr.net/npm/leaflet@" in (copy / "map.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["map"], ["map", "--png"], ["report"]])
@pytest.mark.parametrize("folder", ["missing", "empty", "no plan"])
def test_cli_errors_are_one_line_exit_2(tmp_path: Path, tiny_run: Path, command: list[str], folder: str) -> None:
    target = tmp_path / "run"
    if folder != "missing":
        target.mkdir()
    if folder == "no plan":
        summary = json.loads((tiny_run / "summary.json").read_text(encoding="utf-8"))
        (target / "summary.json").write_text(json.dumps(summary | {"status": "infeasible", "objective": None}))
    result = runner.invoke(app, [*command[:1], str(target), *command[1:]])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output


def test_cli_unknown_tiles(tiny_run: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["map", str(tiny_run), "--tiles", "no-such-tiles", "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "unknown tile name" in result.output
