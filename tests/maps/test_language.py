"""`--lang zh` (issue 19, item 4): the report, the static image and compare.html in Chinese, no English heading,
label, legend entry or table header left; `--lang en` (the default) as before."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.maps import fonts
from planner.maps.lang import COLUMNS_ZH, TEXT
from planner.maps.reporting import report
from planner.maps.rundata import load_run
from planner.maps.static import figure
from tests.maps.words import data_words, english, visible_text

runner = CliRunner()
ENGLISH = re.compile(r"[A-Za-z]{3,}")
"""An English word (ids such as ``SH-Putuo`` or ``ai`` are data, not words of the page: see _words)."""


class _Headings(HTMLParser):
    """The text of every heading, table header, paragraph label and legend of a page (iframes left out)."""

    TAGS = ("h1", "h2", "h3", "th", "caption", "figcaption", "label", "legend", "footer")

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)
        if tag in ("img", "iframe"):
            self.found += [(f"{tag}@{k}", v or "") for k, v in attrs if k in ("alt", "title")]

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if data.strip() and any(t in self.TAGS for t in self.open):
            self.found.append((next(t for t in reversed(self.open) if t in self.TAGS), data.strip()))


def _headings(page: str) -> list[tuple[str, str]]:
    parser = _Headings()
    parser.feed(page)
    return parser.found


def _english(texts: list[tuple[str, str]], allowed: set[str]) -> list[tuple[str, str]]:
    """Texts holding an English word that is not data of the run (`allowed`: ids, names, the program's name)."""
    return [(tag, t) for tag, t in texts if any(w not in allowed for w in ENGLISH.findall(t))]


def _data_words(run_dir: Path, *more: str) -> set[str]:
    """Words that are data of the run (ids, English names in the title, solver and program names)."""
    run = load_run(run_dir)
    words = {w for value in [*run.sites.index, *run.regions.index, *run.industry_ids, run.title, run_dir.name, *more]
             for w in ENGLISH.findall(str(value))}
    return words | {"planner", "UTC", "highs", "WGS"}


def test_the_chinese_report_has_no_english_heading_left(jjj_run: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(jjj_run), "--lang", "zh", "--out", str(tmp_path / "zh.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "zh.html").read_text(encoding="utf-8")
    found = _headings(re.sub(r'srcdoc="[^"]*"', "", page))
    assert len([t for t, _ in found if t == "h2"]) == 6 and len([t for t, _ in found if t == "th"]) >= 20
    assert _english(found, _data_words(jjj_run)) == []
    every = visible_text(page)  # every word a reader sees, not only the headings
    assert len(every) > 100 and english(every, data_words(jjj_run)) == []  # (英文名称: the scenario's English names)
    assert ("p", "各环节产能的区位分布（%）：") in every and ("iframe@title", "交互地图") in every
    for key in ("costs", "division", "hosts", "land", "static"):
        assert f"<h2>{TEXT['zh'][key]}</h2>" in page
    assert "<th>成本项</th>" in page and "<td>土地</td>" in page and "Cost terms" not in page
    english_path = (tmp_path / "en.html")
    assert runner.invoke(app, ["report", str(jjj_run), "--out", str(english_path)]).exit_code == 0
    en_found = _headings(re.sub(r'srcdoc="[^"]*"', "", english_path.read_text(encoding="utf-8")))
    assert _english(en_found, _data_words(jjj_run)) != []  # the check sees English where there is some
    assert f"<h2>{TEXT['en']['costs']}</h2>" in english_path.read_text(encoding="utf-8")


def test_the_chinese_image_has_no_english_label_or_legend_entry(jjj_run: Path) -> None:
    with fonts.cjk_context():
        fig = figure(load_run(jjj_run), lang="zh")
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and not hasattr(a, "get_xlabel"))
             if t.get_text()]
    titles = [ax.get_title() for ax in fig.axes] + [ax.get_xlabel() for ax in fig.axes] + [fig._suptitle.get_text()]
    allowed = _data_words(jjj_run)
    assert len(texts) > 20
    assert [t for t in texts + titles if any(w not in allowed for w in ENGLISH.findall(t))] == []
    assert "区域分工与产业链联系" in titles and "经度（°E，WGS84）" in titles


def test_the_chinese_comparison_has_chinese_headings_and_headers(tiny_run: Path, jjj_run: Path,
                                                                 tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", str(tiny_run), str(jjj_run), "--out", str(tmp_path / "c"),
                                 "--lang", "zh"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "c" / "compare.html").read_text(encoding="utf-8")
    found = [(t, x) for t, x in _headings(page) if t != "iframe@title" or x]
    assert _english(found, _data_words(tiny_run) | _data_words(jjj_run)) == []
    assert "<h1>方案比较</h1>" in page and "<th class=\"num\">目标值（万元）</th>" in page
    models = pd.read_csv(tmp_path / "c" / "compare.csv", dtype=str)["model"]
    every = visible_text(page)  # the verdict lines, the reasons and the map's note too
    assert english(every, data_words(tiny_run) | data_words(jjj_run, *models)) == []
    assert [t for t, x in every if x.startswith("各次运行属于 2 个不同模型")] == ["li"]
    reason = pd.read_csv(tmp_path / "c" / "agreement.csv")["reason"][0]  # the CSV keeps it in English
    assert reason.startswith("jjj found ") and "but tiny has a plan costing" in reason
    assert any(t == "td" and x.startswith("jjj 得到 ") and "但 tiny 有成本为 " in x for t, x in every)
    assert ("p", "左：tiny，右：jjj（同步平移缩放）") in every
    assert "pairs across models happen to agree" in result.output  # the console stays English


def test_the_chinese_report_of_a_run_without_a_plan(tiny, tmp_path: Path) -> None:
    from tests.tables import set_columns

    set_columns(tiny.table("industries"), {"demand": "1000"}, where=("id", "ai"))  # found before solving
    run = tmp_path / "run"
    assert runner.invoke(app, ["run", str(tiny.yaml), "--out", str(run)]).exit_code == 3
    report(run, tmp_path / "zh.html", "zh")
    page = (tmp_path / "zh.html").read_text(encoding="utf-8")
    found = visible_text(page, skip=("pre", "li"))  # the diagnosis and the notes are quoted as planner wrote them
    assert english(found, data_words(run)) == []
    assert ("p", "情景没有可行方案：其约束无法同时满足（诊断见下文）。因此没有成本、分工或地图可报告。") in found
    assert ("td", "highs（未运行：求解前的检查已发现冲突）") in found and ("td", "不可行") in found
    assert ("p", "以下为 planner 记录的原文（英文）：") in found and '<pre class="diagnosis">' in page
    english_page = (tmp_path / "en.html")
    report(run, english_page)
    assert "The scenario has no feasible plan" in english_page.read_text(encoding="utf-8")  # en as before


def test_the_chinese_interactive_map_is_written_by_the_command(tiny_run: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["map", str(tiny_run), "--lang", "zh", "--tiles", "none",
                                 "--out", str(tmp_path / "m.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    legend = json.dumps("图例")[1:-1]  # the legend is HTML in a script, as JSON
    assert legend in page and "Legend" not in page and "Opened sites" not in page


def test_the_chinese_workbook_has_chinese_sheets_and_column_titles(tiny_run: Path, tmp_path: Path) -> None:
    import openpyxl

    book = tmp_path / "plan.xlsx"
    assert runner.invoke(app, ["export", str(tiny_run), "--xlsx", str(book), "--lang", "zh"]).exit_code == 0
    workbook = openpyxl.load_workbook(book, read_only=True)
    titles = [*workbook.sheetnames, *(str(c) for sheet in workbook for c in next(sheet.iter_rows(values_only=True)))]
    assert len(titles) > 40
    assert english(titles, set()) == [], titles


@pytest.mark.parametrize("lang", ["fr", "ZH"])
def test_an_unknown_language_is_refused(tiny_run: Path, tmp_path: Path, lang: str) -> None:
    result = runner.invoke(app, ["report", str(tiny_run), "--lang", lang, "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and f"'{lang}' is not one of 'en', 'zh'" in result.output


def test_every_column_of_the_run_folder_has_a_chinese_title(tiny_run: Path) -> None:
    import pandas as pd

    columns = {c for name in ("assignments.csv", "links.csv", "sites.csv") for c in pd.read_csv(tiny_run / name)}
    columns |= {c for name in ("regions", "sites", "industries", "functions")
                for c in pd.read_csv(tiny_run / "inputs" / f"{name}.csv")}
    assert sorted(columns - set(COLUMNS_ZH)) == []


def test_run_in_chinese_writes_the_map_and_the_workbook_in_chinese(tmp_path: Path) -> None:
    import openpyxl

    from tests.maps.conftest import TINY

    run = tmp_path / "run"
    result = runner.invoke(app, ["run", str(TINY), "--out", str(run), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    page = (run / "map.html").read_text(encoding="utf-8")
    assert json.dumps("图例")[1:-1] in page and "Legend" not in page
    book = openpyxl.load_workbook(run / "plan.xlsx", read_only=True)
    assert book.sheetnames[:3] == ["布局方案", "产业链联系", "园区用地"]
    assert next(book["布局方案"].iter_rows(values_only=True))[:3] == ("产业", "环节", "园区")
    assert (run / "assignments.csv").read_text(encoding="utf-8").startswith("industry,function,site")  # CSVs as ever
