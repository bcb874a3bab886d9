"""`--lang zh` (issue 19, item 4): the report, the static image and compare.html in Chinese, no English heading,
label, legend entry or table header left; `--lang en` (the default) as before."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.maps import fonts
from planner.maps.lang import COLUMNS_ZH, TEXT
from planner.maps.rundata import load_run
from planner.maps.static import figure

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
    for key in ("costs", "division", "hosts", "land", "static"):
        assert f"<h2>{TEXT['zh'][key]}</h2>" in page
    assert "<th>成本项</th>" in page and "<td>土地</td>" in page and "Cost terms" not in page
    english = (tmp_path / "en.html")
    assert runner.invoke(app, ["report", str(jjj_run), "--out", str(english)]).exit_code == 0
    en_found = _headings(re.sub(r'srcdoc="[^"]*"', "", english.read_text(encoding="utf-8")))
    assert _english(en_found, _data_words(jjj_run)) != []  # the check sees English where there is some
    assert f"<h2>{TEXT['en']['costs']}</h2>" in english.read_text(encoding="utf-8")


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


def test_the_interactive_map_refuses_chinese_for_now(tiny_run: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["map", str(tiny_run), "--lang", "zh", "--out", str(tmp_path / "m.html")])
    assert result.exit_code == 2
    assert "the interactive map is bilingual" in result.output
    assert not (tmp_path / "m.html").exists()


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
