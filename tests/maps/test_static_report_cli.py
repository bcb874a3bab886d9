"""The static PNG, the HTML report and the `planner map` / `planner report` commands."""

from __future__ import annotations

import html
import json
import re
import shutil
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
@pytest.mark.parametrize("folder", ["missing", "empty", "no plan", "damaged"])
def test_cli_errors_are_one_line_exit_2(tmp_path: Path, tiny_run: Path, command: list[str], folder: str) -> None:
    target = tmp_path / "run"
    if folder == "damaged":  # assignments.csv with its header cut short
        shutil.copytree(tiny_run, target)
        (target / "assignments.csv").write_text("industry,function\n", encoding="utf-8")
    elif folder != "missing":
        target.mkdir()
    if folder == "no plan":  # `map` refuses a run without a plan; `report` refuses this one as incomplete (no
        # infeasibility.txt): the report of a complete one is tested below
        summary = json.loads((tiny_run / "summary.json").read_text(encoding="utf-8"))
        (target / "summary.json").write_text(json.dumps(summary | {"status": "infeasible", "objective": None}))
    result = runner.invoke(app, [*command[:1], str(target), *command[1:]])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    if folder == "damaged":
        assert "assignments.csv lacks the columns site, region" in " ".join(result.output.split())


def test_cli_unknown_tiles(tiny_run: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["map", str(tiny_run), "--tiles", "no-such-tiles", "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "unknown tile name" in result.output


# ------------------------------------------------------------------------------- runs without a plan

NO_PLAN_SECTIONS = ("costs", "division", "hosts", "land", "map", "static-map")
"""Sections of the report of a plan, none of which a run without one has."""


def _run(scenario: Path, out: Path, *options: str) -> tuple[Path, int, str]:
    """`planner run SCENARIO --out OUT OPTIONS`: (OUT, exit code, output)."""
    result = runner.invoke(app, ["run", str(scenario), "--out", str(out), *options])
    return out, result.exit_code, result.output


@pytest.mark.parametrize("found_by", ["checks", "solver"])
def test_report_of_an_infeasible_run_says_why(tiny, found_by: str) -> None:
    import highspy

    from tests.tables import set_columns

    if found_by == "checks":  # ai's demand cannot fit the land of the sites eligible for it
        set_columns(tiny.table("industries"), {"demand": "1000"}, where=("id", "ai"))
    else:  # ai's R&D is eligible only at A-center, but region A may host no future industry
        set_columns(tiny.table("regions"), {"max_new_industries": "0"}, where=("id", "A"))
    run, code, output = _run(tiny.yaml, tiny.root.parent / "run")
    assert code == 3, output
    result = runner.invoke(app, ["report", str(run)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {run / 'report.html'}\n"
    page = (run / "report.html").read_text(encoding="utf-8")
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert "<title>测试 tiny</title>" in page and "<h1>测试 tiny</h1>" in page
    assert "The scenario has no feasible plan: its constraints cannot all hold at once" in page
    assert '<section id="infeasibility"><h2>Why there is no plan 不可行原因</h2>' in page
    diagnosis = (run / "infeasibility.txt").read_text(encoding="utf-8").strip().splitlines()
    assert len(diagnosis) >= 5
    for line in diagnosis:
        assert html.escape(line) in page
    times = [f"<tr><th>build (s)</th><td>{summary['build_seconds']:,.2f}</td></tr>",
             f"<tr><th>solve (s)</th><td>{summary['solve_seconds']:,.2f}</td></tr>"]
    if found_by == "checks":  # no model was built and no solver run: no times, and the solver is said not to have run
        assert "<p>Status <b>infeasible</b>: no plan.</p>" in page
        assert "<tr><th>solver</th><td>highs (not run: the checks before solving found the conflict)</td></tr>" in page
        assert not any(row in page for row in times) and "<th>variables</th>" not in page
        assert ("- industry ai (人工智能) needs at least 1000 units of production, but the sites eligible for it "
                "hold at most 420 (A-center 40, A-inner 80, A-outer 80, B-center 60, B-inner 80, B-outer 80; "
                "by land_ha / land_per_unit and max_scale)") in page
    else:
        version = highspy.Highs().version()
        assert f"<p>Status <b>infeasible</b>: no plan. <span class=\"meta\">solver highs {version}" in page
        assert "- region A (甲) may host at most 0 future or emerging industries (max_new_industries)" in page
        assert f"<tr><th>solver</th><td>highs {highspy.Highs().version()}</td></tr>" in page
        assert all(row in page for row in times)
    for row in ("<tr><th>status</th><td>infeasible</td></tr>", "<tr><th>time limit (s)</th><td>none</td></tr>",
                "<tr><th>MIP gap</th><td>0</td></tr>", "<tr><th>threads</th><td>1</td></tr>",
                f"<tr><th>started</th><td>{manifest['started_at']}</td></tr>",
                f"<tr><th>finished</th><td>{manifest['finished_at']}</td></tr>"):
        assert row in page
    for section in NO_PLAN_SECTIONS:
        assert f'<section id="{section}"' not in page
    assert "<table class=\"data\"" not in page and "data:image/png" not in page and "<iframe" not in page
    assert "unicode-range: " in page and not EXTERNAL.search(page)  # the diagnosis's Chinese names have their glyphs


def test_report_of_a_run_without_a_solution_says_so(tmp_path: Path) -> None:
    from benchmarks.generate import generate

    scenario = generate(31, 20, 3, tmp_path / "scenario")
    run, code, output = _run(scenario, tmp_path / "run", "--time-limit", "0.001", "--no-heuristic")
    assert code == 4, output  # no plan within a millisecond
    target = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(run), "--out", str(target)])
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    assert f"<h1>{html.escape(summary['title'])}</h1>" in page
    assert "<p>Status <b>no_solution</b>: no plan." in page
    assert html.escape("No plan was found within the solver's limits.") in page
    for row in ("<tr><th>status</th><td>no_solution</td></tr>", "<tr><th>time limit (s)</th><td>0.001</td></tr>",
                "<tr><th>threads</th><td>1</td></tr>",
                f"<tr><th>variables</th><td>{summary['n_variables']:,}</td></tr>",
                f"<tr><th>binaries</th><td>{summary['n_binaries']:,}</td></tr>"):
        assert row in page
    for note in summary["solver_notes"]:
        assert f"<li>{html.escape(note)}</li>" in page
    for section in (*NO_PLAN_SECTIONS, "infeasibility"):
        assert f'<section id="{section}"' not in page
    assert not (run / "report.html").exists()


def test_report_of_an_infeasible_run_without_its_diagnosis_is_refused(tiny) -> None:
    from tests.tables import set_columns

    set_columns(tiny.table("industries"), {"demand": "1000"}, where=("id", "ai"))
    run, code, output = _run(tiny.yaml, tiny.root.parent / "run")
    assert code == 3, output
    (run / "infeasibility.txt").unlink()
    result = runner.invoke(app, ["report", str(run)])
    assert result.exit_code == 2
    assert result.output == (f"Error: {run / 'infeasibility.txt'} is missing: not a complete run folder "
                             "(status: infeasible)\n")
    assert not (run / "report.html").exists()


@pytest.mark.parametrize("interrupted", [False, True])
def test_the_report_of_a_plan_not_proved_optimal_says_why_the_solve_stopped(tiny_run: Path, tmp_path: Path,
                                                                             interrupted: bool) -> None:
    run = tmp_path / "run"
    shutil.copytree(tiny_run, run)
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    (run / "summary.json").write_text(json.dumps(summary | {"status": "feasible", "mip_gap": 0.0047,
                                                            "interrupted": interrupted}), encoding="utf-8")
    manifest["solver"]["options"]["time_limit"] = 6.0
    (run / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = runner.invoke(app, ["report", str(run)])
    assert result.exit_code == 0, result.output
    page = (run / "report.html").read_text(encoding="utf-8")
    why = ("The solve was stopped by Ctrl-C" if interrupted else "The solve stopped at its time limit of 6 s")
    assert (f"(10k yuan). {why} before it could prove this plan optimal. It is within 0.47 % of the best bound."
            in page)
    (run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")  # the optimal plan: nothing said
    runner.invoke(app, ["report", str(run), "--force", "--out", str(tmp_path / "optimal.html")])
    assert "before it could prove" not in (tmp_path / "optimal.html").read_text(encoding="utf-8")


def test_the_report_of_a_run_at_the_memory_limit_says_so_and_lists_its_notes(tiny, tmp_path: Path) -> None:
    from planner.run import run as run_scenario

    outcome = run_scenario(tiny.yaml, tmp_path / "run", memory_limit=0.01)  # HiGHS's MIP of the whole model left out
    assert outcome.summary["status"] == "feasible" and outcome.summary["heuristic"]["mip_left_out"] is True
    result = runner.invoke(app, ["report", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    gap = outcome.summary["mip_gap"] * 100
    assert html.escape("HiGHS's MIP of the whole model was left out at the memory limit of 0.01 GB, so this plan "
                       f"(RENS's and the swaps') is not proved optimal. It is within {gap:.2f} % of the best "
                       "bound.") in page
    assert '<section id="notes">' in page
    for note in outcome.summary["solver_notes"]:
        assert f"<li>{html.escape(note)}</li>" in page
    result = runner.invoke(app, ["report", str(tmp_path / "run"), "--lang", "zh", "--out", str(tmp_path / "zh.html")])
    assert result.exit_code == 0, result.output
    assert ("整个模型的 MIP 超出 0.01 GB 的内存上限而未求解，此方案（RENS 及交换所得）未经证明最优。"
            f"与最优界的差距在 {gap:.2f} % 以内。") in (tmp_path / "zh.html").read_text(encoding="utf-8")
