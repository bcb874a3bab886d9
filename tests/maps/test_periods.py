"""The maps, image, report and exports of a run with periods (issue 18 item 5, issue 19 item 5), on the tiny
scenario over three periods (tests/maps/conftest.py ``periods_run``): read back and compared with the run
folder's CSV files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
from matplotlib.text import Annotation
from typer.testing import CliRunner

from planner.cells import as_written
from planner.cli import app
from planner.maps import fonts
from planner.maps.images import plan_figure
from planner.maps.period_figures import CHART_GID, PANEL_GID
from planner.maps.period_layers import period_layer
from planner.maps.period_report import periods_html
from planner.maps.periods import load_periods, period_text, site_change, site_moves
from planner.maps.reporting import report_html
from tests.maps.test_static_image import _label_overlaps

runner = CliRunner()
PERIODS = [2025, 2030, 2035]


def _csv(path: Path) -> pd.DataFrame:
    return as_written(pd.read_csv(path))


def _sheet(path: Path, name: str) -> pd.DataFrame:
    rows = list(openpyxl.load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_the_fixture_builds_converts_and_retires(periods_run: Path) -> None:
    """What the other tests rely on: each kind of change happens, in different periods."""
    transition = _csv(periods_run / "transition.csv")
    assert sorted(transition["period"].unique()) == PERIODS
    by_period = transition.groupby("period")[["built", "retired", "converted_in"]].sum()
    assert (by_period["built"] > 0).all()
    assert by_period.loc[2030, "retired"] > 0 and by_period.loc[2030, "converted_in"] > 0
    changes = {t: {s: tuple(site_change(row)) for s, row in site_moves(transition, t).iterrows()} for t in PERIODS}
    assert changes[2025] != changes[2030] != changes[2035]


def test_the_geopackage_holds_every_period(periods_run: Path) -> None:
    """Layers regions, sites, links with a period column (one row per period and region, site or link), and
    transition (a point per row of transition.csv)."""
    path = periods_run / "plan.gpkg"
    layers = {name: kind for name, kind in pyogrio.list_layers(path)}
    assert list(layers) == ["regions", "sites", "links", "transition"] and layers["transition"] == "Point"
    sites = gpd.read_file(path, layer="sites")
    assert sites.crs.to_epsg() == 4326 and list(sites.columns[:2]) == ["period", "site"]
    scenario_sites = _csv(periods_run / "inputs" / "sites.csv")["id"].astype(str).tolist()
    assignments = _csv(periods_run / "assignments.csv")
    for t in PERIODS:
        mine = sites[sites["period"] == t]
        assert mine["site"].tolist() == scenario_sites
        placed = assignments[assignments["period"] == t].groupby("site")["capacity"].sum()
        assert mine.set_index("site")["capacity"].to_dict() == pytest.approx(
            {s: float(placed.get(s, 0.0)) for s in scenario_sites})
    links = gpd.read_file(path, layer="links")
    expected = _csv(periods_run / "links.csv")
    columns = ["period", "industry", "function", "from_site", "to_site"]
    assert links[columns].astype(str).values.tolist() == expected[columns].astype(str).values.tolist()
    assert links["amount"].tolist() == pytest.approx(expected["amount"].tolist())
    regions = gpd.read_file(path, layer="regions")
    assert regions.groupby("period").size().to_dict() == {t: 2 for t in PERIODS}
    transition = gpd.read_file(path, layer="transition")
    table = _csv(periods_run / "transition.csv")
    assert list(transition.columns[:-1]) == list(table.columns)
    pd.testing.assert_frame_equal(pd.DataFrame(transition.drop(columns="geometry")), table, check_dtype=False)
    at = _csv(periods_run / "inputs" / "sites.csv").set_index("id")
    assert [c for p in transition.geometry for c in (p.x, p.y)] == pytest.approx(
        [float(c) for s in table["site"] for c in (at.at[s, "lon"], at.at[s, "lat"])])


def test_the_workbook_has_a_sheet_per_table_with_periods(periods_run: Path) -> None:
    path = periods_run / "plan.xlsx"
    sheets = {"assignments": "assignments.csv", "links": "links.csv", "sites": "sites.csv",
              "transition": "transition.csv", "regions": "regions.csv",
              **{f"inputs_{t}": f"inputs/{t}.csv" for t in ("regions", "sites", "industries", "functions", "stock")}}
    assert openpyxl.load_workbook(path, read_only=True).sheetnames == list(sheets)
    for sheet, csv in sheets.items():
        expected = _csv(periods_run / csv)
        shown = _sheet(path, sheet)
        assert list(shown.columns) == list(expected.columns), sheet
        pd.testing.assert_frame_equal(shown.fillna(value=pd.NA).astype(object).where(shown.notna(), None),
                                      expected.astype(object).where(expected.notna(), None), check_dtype=False,
                                      obj=sheet)


def test_export_writes_them_for_a_run_with_periods(periods_run: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(periods_run), "--gpkg", str(tmp_path / "p.gpkg"),
                                 "--xlsx", str(tmp_path / "p.xlsx"), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert [name for name, _ in pyogrio.list_layers(tmp_path / "p.gpkg")] == ["regions", "sites", "links",
                                                                              "transition"]
    assert openpyxl.load_workbook(tmp_path / "p.xlsx", read_only=True).sheetnames[3:5] == ["分期变化", "各地区量产产能"]
    ours = gpd.read_file(tmp_path / "p.gpkg", layer="transition")
    assert len(ours) == len(_csv(periods_run / "transition.csv"))


def test_the_map_has_a_layer_per_period_and_a_period_control(periods_run: Path) -> None:
    """The page as written (the browser test steps through it: tests/maps/test_browser.py)."""
    page = (periods_run / "map.html").read_text(encoding="utf-8")
    for t in PERIODS:
        assert json.dumps(period_layer(t))[1:-1] in page
    assert "pl-stepper" in page and json.dumps(period_text("section"))[1:-1] in page
    assert page.count("pl-psite") >= 3 and "pl-retired-ring" in page and "pl-converted-ring" in page


@pytest.fixture(scope="module")
def periods_figure(periods_run: Path):  # type: ignore[no-untyped-def]
    with fonts.cjk_context():
        return plan_figure(periods_run)


def test_the_image_puts_the_periods_side_by_side(periods_figure, periods_run: Path) -> None:  # type: ignore[no-untyped-def]
    panels = [ax for ax in periods_figure.axes if ax.get_gid() == PANEL_GID]
    assert [ax.get_title().split(":")[0] for ax in panels] == [str(t) for t in PERIODS]
    for ax, t in zip(panels, PERIODS, strict=True):  # a label per site holding something in that period
        plan = _csv(periods_run / "assignments.csv")
        sites = set(plan.loc[plan["period"] == t, "site"])
        labels = {a.get_text().split(" ")[0] for a in ax.texts if isinstance(a, Annotation)}
        assert sites <= labels
    rings = {t: sorted(c.get_gid() for c in ax.collections if (c.get_gid() or "").endswith("-ring"))
             for ax, t in zip(panels, PERIODS, strict=True)}
    transition = _csv(periods_run / "transition.csv")
    for t in PERIODS:
        moves = site_moves(transition, t)
        assert rings[t].count("pl-retired-ring") == int((moves["retired"] > 1e-6).sum())
        assert rings[t].count("pl-converted-ring") == int(((moves["converted_in"] + moves["converted_out"]) > 1e-6)
                                                          .sum())
    assert _label_overlaps(periods_figure) == []


def test_the_chart_draws_production_per_region_over_time(periods_figure, periods_run: Path) -> None:  # type: ignore[no-untyped-def]
    chart = next(ax for ax in periods_figure.axes if ax.get_gid() == CHART_GID)
    regions = _csv(periods_run / "regions.csv")
    lines = {line.get_label(): list(line.get_ydata()) for line in chart.get_lines() if line.get_xdata().size}
    expected = {"甲 Alpha": regions.query("region == 'A'")["production"].tolist(),
                "乙 Beta": regions.query("region == 'B'")["production"].tolist()}
    assert sorted(lines) == sorted(expected)
    for name, values in expected.items():
        assert lines[name] == pytest.approx(values), name
    assert [t.get_text() for t in chart.get_xticklabels()] == [str(t) for t in PERIODS]
    assert all(float(t.get_text().replace(",", "")).is_integer() for t in chart.get_yticklabels() if t.get_text())
    assert "(units)" in chart.get_ylabel() and "(year)" in chart.get_xlabel()
    # 先立后破: in every region, the production retired up to a period never exceeds what was built up to then
    for _, rows in regions.groupby("region"):
        assert (rows["retired"].cumsum() <= rows["built"].cumsum() + 1e-6).all()


def test_the_report_has_the_chart_and_a_section_per_period(periods_run: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The chart of production per region is drawn once (in the section ``periods``, not again under the map
    panels of the static image) and each table of the run folder is read once."""
    import planner.maps.period_figures as figures_module
    import planner.maps.period_report as report_module
    import planner.maps.periods as periods_module
    import planner.maps.rundata as rundata_module

    charts: list[str] = []
    reads: list[str] = []

    def counted(function, log: list[str], name):  # type: ignore[no-untyped-def]
        def call(*args, **kwargs):  # type: ignore[no-untyped-def]
            log.append(name(*args))
            return function(*args, **kwargs)
        return call

    chart = counted(figures_module.production_chart, charts, lambda *_: "chart")
    monkeypatch.setattr(figures_module, "production_chart", chart)
    monkeypatch.setattr(report_module, "production_chart", chart)
    for module in (periods_module, rundata_module):
        monkeypatch.setattr(module, "read_table", counted(module.read_table, reads,
                                                          lambda path, *_: path.relative_to(periods_run).as_posix()))
    page = report_html(periods_run)
    assert charts == ["chart"]
    assert sorted(reads) == sorted(["transition.csv", "regions.csv", "inputs/sites.csv", "sites.csv",
                                    "inputs/regions.csv", "inputs/industries.csv", "assignments.csv", "links.csv"])
    assert '<section id="periods">' in page and 'class="static-map production-chart"' in page
    assert re.findall(r'<section class="period" id="period-(\d+)">', page) == [str(t) for t in PERIODS]
    for t in PERIODS:
        assert f"<h3>{period_text('period_heading', period=t)}</h3>" in page
    periods = load_periods(periods_run)
    for t in PERIODS:  # the sites table of each period lists the sites of transition.csv in that period
        section = page.split(f'id="period-{t}"')[1].split("</section>")[0]
        assert sorted(re.findall(r"<tr><td>([^<]+)</td>", section.split("<table")[2])) == sorted(
            site_moves(periods.transition, t).index)


@pytest.mark.parametrize("lang, last, land_cost", [
    ("en", ": last period, 2035 末期</h2>", "cost in the period (10k yuan, undiscounted)"),
    ("zh", "（末期：2035 年）</h2>", "本期成本（万元，未折现）")])
def test_the_report_s_one_plan_sections_say_they_show_the_last_period(periods_run: Path, tiny_run: Path, lang: str,
                                                                      last: str, land_cost: str) -> None:
    page = report_html(periods_run, lang=lang)
    headings = re.findall(r'<section id="(costs|division|hosts|land)"><h2>([^<]+</h2>)', page)
    assert [name for name, _ in headings] == ["costs", "division", "hosts", "land"]
    assert all(heading.endswith(last) for name, heading in headings[1:])
    assert ("discounted totals over the periods" if lang == "en" else "各期折现合计") in headings[0][1]
    land = page.split('<section id="land">')[1].split("</section>")[0]
    assert f'<th class="num">{land_cost}</th>' in land
    plain = report_html(tiny_run, lang=lang)  # a run without periods: the headings as before
    assert "末期" not in plain and "折现" not in plain


def test_each_period_s_regions_table_starts_from_the_production_before_it(periods_run: Path) -> None:
    page = report_html(periods_run)
    regions = _csv(periods_run / "regions.csv")
    stock = _csv(periods_run / "inputs" / "stock.csv")
    stock = stock[stock["function"] == "production"]
    sites = _csv(periods_run / "inputs" / "sites.csv").set_index("id")["region"]
    before = stock.groupby(stock["site"].map(sites))["capacity"].sum().to_dict()  # what stands before the first
    for t in PERIODS:
        section = page.split(f'id="period-{t}"')[1].split("</section>")[0]
        table = section.split("<table")[1]
        titles = re.findall(r"<th[^>]*>([^<]+)</th>", table)
        assert titles[2] == "previous 期初" and titles[-1] == "production 量产产能"
        rows = [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table)[1:]]
        now = regions[regions["period"] == t].set_index("region")["production"]
        for row in rows:
            previous = float(row[2].replace(",", "").replace("–", "0"))
            assert previous == pytest.approx(before.get(row[0], 0.0), abs=0.005)  # the period before's production
            assert float(row[-1].replace(",", "").replace("–", "0")) == pytest.approx(now[row[0]], abs=0.005)
        before = now.to_dict()


def test_the_period_sections_in_chinese(periods_run: Path) -> None:
    """--lang zh: the headings, lines and table headers of the period sections are Chinese."""
    part = periods_html(load_periods(periods_run), json.loads((periods_run / "summary.json").read_text()), "zh")
    text = re.sub(r"<[^>]+>|data:image/png;base64,[A-Za-z0-9+/=]+", " ", part)
    assert "2030年" in text and "各地区量产产能" in text and "保留存量" in text
    sites = _csv(periods_run / "inputs" / "sites.csv")["id"].tolist()
    text = re.sub("|".join(map(re.escape, sites)), " ", text)  # ids are data (A-center), not words
    assert re.findall(r"[A-Za-z]{3,}", text) == []  # no English words left


def test_a_site_whose_capacity_is_all_retired_is_drawn_hollow_and_grey(periods_run: Path) -> None:
    """No site of the fixture empties completely, so the marker of one that does is checked on its own."""
    from planner.maps.period_layers import _site_marker
    from planner.maps.periods import CHANGE_COLOURS

    periods = load_periods(periods_run)
    def moves(**changes: float) -> pd.Series:
        return pd.Series({"previous": 5.0, "stock_kept": 0.0, "built": 0.0, "retired": 5.0, "converted_in": 0.0,
                          "converted_out": 0.0, "capacity": 0.0} | changes)

    emptied = moves()
    assert site_change(emptied) == ["retired", "closed"]
    assert site_change(moves(retired=0.0, converted_out=5.0)) == ["converted", "closed"]
    assert site_change(moves(retired=0.0, capacity=5.0)) == ["kept"]
    hollow = _site_marker(periods.last, "A-center", 2035, emptied, "").options
    assert (hollow["fill"], hollow["color"], hollow["dashArray"]) == (False, CHANGE_COLOURS["retired"], "3 3")
    built = _site_marker(periods.last, "A-center", 2035, moves(built=5.0, retired=0.0, capacity=5.0), "").options
    assert (built["fill"], built["color"], built.get("dashArray")) == (True, CHANGE_COLOURS["built"], None)


def test_a_run_with_periods_in_chinese_has_no_english_sheet_title_or_period_word(periods_run: Path,
                                                                                 tmp_path: Path) -> None:
    """--lang zh: the workbook's sheets (the period tables and the stock among them) and column titles, and the
    period view of the map (layers, control, legend) are Chinese."""
    from tests.maps.words import english

    book, page = tmp_path / "p.xlsx", tmp_path / "m.html"
    assert runner.invoke(app, ["export", str(periods_run), "--xlsx", str(book), "--lang", "zh"]).exit_code == 0
    workbook = openpyxl.load_workbook(book, read_only=True)
    titles = [*workbook.sheetnames, *(str(c) for sheet in workbook for c in next(sheet.iter_rows(values_only=True)))]
    assert {"分期变化", "各地区量产产能", "输入-存量"} <= set(workbook.sheetnames)
    assert english(titles, set()) == [], titles
    result = runner.invoke(app, ["map", str(periods_run), "--lang", "zh", "--tiles", "none", "--out", str(page)])
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    for words in (*(period_text("layer", "zh", period=t) for t in PERIODS), period_text("legend", "zh"),
                  period_text("built", "zh"), "上一期"):
        assert json.dumps(words)[1:-1] in text, words
    for words in (period_text("legend"), period_text("built"), "previous period", "zone "):
        assert json.dumps(words)[1:-1] not in text, words


def test_the_chinese_comparison_of_a_run_with_periods_has_chinese_period_headers(periods_run: Path, tiny_run: Path,
                                                                               tmp_path: Path) -> None:
    """--lang zh: the comparison's per-period table (headers and `overall`) and its comparability line are Chinese."""
    from tests.maps.words import data_words, english, visible_text

    result = runner.invoke(app, ["compare", str(periods_run), str(tiny_run), "--out", str(tmp_path / "c"),
                                 "--lang", "zh"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "c" / "compare.html").read_text(encoding="utf-8")
    models = pd.read_csv(tmp_path / "c" / "compare.csv", dtype=str)["model"]
    every = visible_text(page)
    assert english(every, data_words(periods_run) | data_words(tiny_run, *models)) == []
    assert ("th", "折现成本（万元）") in every and ("td", "总体") in every
    assert any(t == "li" and "目标值不可比" in x for t, x in every)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_chart_legend_shows_a_region_named_with_a_leading_underscore(periods_run: Path, lang: str) -> None:
    """A region id or name is data: matplotlib leaves out labels starting with "_" unless they are given as they
    are, so region A renamed ``_x`` (its Chinese name ``_甲``) must still be listed in the chart's legend."""
    from dataclasses import replace

    from matplotlib.figure import Figure

    from planner.maps.period_figures import production_chart

    periods = load_periods(periods_run)
    regions = periods.regions.assign(region=periods.regions["region"].replace({"A": "_x"}))
    regions.loc[regions["region"] == "_x", "name_zh"] = "_甲"
    ax = Figure().add_subplot()
    with fonts.cjk_context():
        production_chart(ax, replace(periods, regions=regions), lang)
    shown = [t.get_text() for t in ax.get_legend().get_texts()]
    assert shown == [{"en": "_x", "zh": "_甲"}[lang], {"en": "乙 Beta", "zh": "乙"}[lang],
                     {"en": "capacity retired 退出", "zh": "退出"}[lang]]


def test_the_chinese_report_names_the_cost_terms_of_a_run_with_periods_in_chinese(periods_run: Path) -> None:
    """--lang zh: the cost table's terms retire and upgrade (version 2's) are 退出 and 改造, as the others are
    Chinese (土地, 设立, ...)."""
    from planner.maps.metrics import cost_table
    from planner.maps.reporting import _table
    from planner.maps.rundata import load_run

    table = _table(cost_table(load_run(periods_run)), lang="zh")
    terms = re.findall(r"<tr><td>([^<]+)</td>", table)
    assert terms == ["土地", "设立", "运营", "联系", "重复建设", "退出", "改造"]


def test_a_rounding_remainder_marks_nothing_but_a_small_real_move_does() -> None:
    # pilot stock rounded up to 4 decimals and its remainder retired; a whole row of 0.004 retired; 1 of 100 retired
    rows = pd.DataFrame({"period": 2030, "site": ["S1", "S2", "S3"], "previous": [3.7568, 0.004, 100.0],
                         "stock_kept": [3.75678, 0.0, 99.0], "built": 0.0, "retired": [0.00002, 0.004, 1.0],
                         "converted_in": 0.0, "converted_out": 0.0, "capacity": [3.75678, 0.0, 99.0]})
    moves = site_moves(rows, 2030)
    assert moves["retired"].tolist() == [0.0, 0.004, 1.0]
    assert [site_change(moves.loc[s]) for s in ("S1", "S2", "S3")] == [["kept"], ["retired", "closed"], ["retired"]]
