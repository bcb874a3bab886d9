"""Hostile text for the hostile suite: one payload per text field of a scenario, and the scenario that carries them.

To test a new text field, add it to :func:`hostile_scenario` with ``payload("its tag")``; to try a new attack,
add a fragment to :data:`FRAGMENTS`. Every payload holds every fragment, so one run tests them all:

- HTML: markup that, if it ran, adds a ``.pwned`` element or sets ``window.__pwned`` to the field's tag;
- figures: pairs of ``$`` (matplotlib's mathtext), one of them not valid mathtext (it would stop the drawing);
- consoles: rich markup and an emoji code;
- spreadsheets: the payload starts like a formula (``=``, ``+``, ``-``, ``@``, by field).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.tables import Rows, rewrite_csv

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"

FRAGMENTS = (
    "<b class=pwned>b</b>",
    "\"><img src=x class=pwned onerror=\"window.__pwned='{tag}'\">",
    "'><svg class=pwned onload=window.__pwned='{tag}'>",
    "</script><script>window.__pwned='{tag}'</script>",
    "$x^2$",
    "$\\sqrt{$",
    "[bold red]rich[/bold red] :x:",
)
"""Pieces of every payload; ``{tag}`` is the field's tag."""

FORMULA_STARTS = ("=", "+", "-", "@")
"""First characters of the payloads, by field in turn."""

SHOWN = "<b class=pwned>b</b>"
"""A fragment that must be visible as text on every HTML page that shows a payload."""

_count = 0


def payload(tag: str) -> str:
    """The hostile text of the field `tag`: a formula start, the tag, then every fragment."""
    global _count
    start = FORMULA_STARTS[_count % len(FORMULA_STARTS)]
    _count += 1
    return f"{start}{tag} " + " ".join(f.replace("{tag}", tag) for f in FRAGMENTS)


def folder_payload(tag: str) -> str:
    """Hostile text usable as a folder name (no '/'): HTML that would set ``window.__pwned``."""
    return f"{tag}\"><img src=x class=pwned onerror=window.__pwned='{tag}'>[bold red]b :x:"


def hostile_scenario(folder: Path) -> tuple[Path, dict[str, str]]:
    """Copy tests/fixtures/tiny to `folder` with a payload in every text field a scenario has (title, description,
    ids, names, Chinese names, an override's value, rule values); return the scenario and the new ids
    (old id -> hostile id)."""
    shutil.copytree(TINY, folder)
    tables = folder / "tables"
    ids = {old: payload(f"{kind}.{old}") for kind, olds in
           (("region", ("A", "B")), ("site", ("A-center", "A-inner", "A-outer", "B-center", "B-inner", "B-outer")),
            ("industry", ("ai", "steel"))) for old in olds}

    def hostile_rows(kind: str, columns: tuple[str, ...]) -> Callable[[Rows], Rows]:
        def edit(rows: Rows) -> Rows:
            for row in rows:
                for column in columns:
                    if column in ("id", "region", "industry"):
                        row[column] = ids[row[column]]
                    else:
                        row[column] = payload(f"{kind}.{column}")
            return rows
        return edit

    rewrite_csv(tables / "regions.csv", hostile_rows("region", ("id", "name", "name_zh")))
    rewrite_csv(tables / "sites.csv", hostile_rows("site", ("id", "region")))
    rewrite_csv(tables / "industries.csv", hostile_rows("industry", ("id", "name_zh")))
    rewrite_csv(tables / "functions.csv", hostile_rows("function", ("industry",)))
    doc = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    doc["title"] = payload("title")
    doc["description"] = payload("description")
    doc["rules"] = [{"lock_in": {"site": ids["A-center"], "industry": ids["ai"], "function": "rd"}},
                    {"lock_out": {"site": [ids["B-center"]], "function": "production"}}]  # rule values are ids
    doc["overrides"] = [{"table": "industries", "where": {"id": [ids["ai"], ids["steel"]]},
                         "set": {"name": payload("override.value")}}]
    scenario = folder / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return scenario, ids
