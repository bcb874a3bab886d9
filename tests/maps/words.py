"""What a page in Chinese may still hold in Latin letters: the run's own data (ids, names, the title), and a few
proper names and units. Shared by the language tests (tests/maps/test_language.py, tests/maps/test_browser.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

ENGLISH = re.compile(r"[A-Za-z]{3,}")
"""An English word (ids such as ``SH-Putuo`` or ``ai`` are data, not words of the page: see data_words)."""

PROPER_NAMES = {"planner", "UTC", "highs", "WGS", "Leaflet"}
"""Names of programs and standards, the same in every language."""


def data_words(run_dir: Path, *more: str) -> set[str]:
    """Words that are data of the run (ids and names of its inputs, its title and description, the folder's name)
    or proper names (:data:`PROPER_NAMES`), and the words of `more`."""
    import pandas as pd
    import yaml

    from planner.runfolder.read import read_summary

    scenario = yaml.safe_load((run_dir / "inputs" / "scenario.yaml").read_text(encoding="utf-8"))
    values: list[object] = [read_summary(run_dir).get("title"), scenario.get("description"), run_dir.name, *more]
    for table, columns in (("sites", ["id"]), ("regions", ["id", "name", "tier"]), ("industries", ["id", "name"])):
        frame = pd.read_csv(run_dir / "inputs" / f"{table}.csv", dtype=str, keep_default_na=False)
        values += [v for c in columns if c in frame for v in frame[c]]
    return {w for value in values for w in ENGLISH.findall(str(value))} | PROPER_NAMES


def english(texts: list[str] | list[tuple[str, str]], allowed: set[str]) -> list:
    """The texts (or (tag, text) pairs) holding an English word that is not in `allowed`."""
    def words(item: str | tuple[str, str]) -> str:
        return item[1] if isinstance(item, tuple) else item

    return [t for t in texts if any(w not in allowed for w in ENGLISH.findall(words(t)))]


class VisibleText(HTMLParser):
    """Every piece of text a reader sees on a page (not scripts or styles), with the tag it is in, and the ``alt``
    and ``title`` of images and frames; the elements of `skip` (a tag, or ``tag.class``) left out."""

    def __init__(self, skip: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.skip = skip
        self.open: list[tuple[str, bool]] = []
        self.found: list[tuple[str, str]] = []

    def _skipped(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        classes = (dict(attrs).get("class") or "").split()
        return tag in ("script", "style") or tag in self.skip or any(f"{tag}.{c}" in self.skip for c in classes)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(f"{tag}@{k}", v or "") for k, v in attrs if k in ("alt", "title") and v]
        if tag in ("img", "meta", "br", "input", "link", "hr", "source", "wbr"):  # no end tag
            return
        self.open.append((tag, self._skipped(tag, attrs) or any(s for _, s in self.open)))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if data.strip() and not any(s for _, s in self.open):
            self.found.append((self.open[-1][0] if self.open else "", data.strip()))


def visible_text(page: str, skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(tag, text) of every piece of text of `page` a reader sees (:class:`VisibleText`)."""
    parser = VisibleText(skip)
    parser.feed(page)
    return parser.found
