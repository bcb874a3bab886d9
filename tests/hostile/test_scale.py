"""Many rows nothing refers to: warned about, and the outputs stay as large as what is planned.

(Issue 17: 100,000 region rows without a site made map.html take minutes and 118 MB.)
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from planner.cli import app

runner = CliRunner()
UNUSED = 3000
"""Region rows without a site added to the tiny scenario (a few seconds to read; enough to show in the map's size)."""


def invoke(*args: object):
    """`planner ARGS` in this process."""
    return runner.invoke(app, [str(a) for a in args])


def test_unused_region_rows_are_warned_about_and_not_drawn(tiny, tmp_path):
    plain = invoke("run", tiny.yaml, "--out", tmp_path / "plain")
    assert plain.exit_code == 0, plain.output
    rows = "".join(f"X{n},Unused {n},未用{n},III,{100 + n % 40}.5,{25 + n % 20}.5,,,\n" for n in range(UNUSED))
    tiny.append("tables/regions.csv", rows)
    warning = (f"regions: {UNUSED} rows (X0, X1, X2, X3, X4 and {UNUSED - 5} more) have no site in sites; nothing is "
               "planned there and maps leave them out")
    checked = invoke("validate", tiny.yaml)
    assert checked.exit_code == 0
    assert [line for line in checked.output.splitlines() if line.startswith("warning:")] == [f"warning: {warning}"]
    big = invoke("run", tiny.yaml, "--out", tmp_path / "big")
    assert big.exit_code == 0, big.output
    assert f"warning: {warning}" in big.output.splitlines()
    summary = json.loads((tmp_path / "big" / "summary.json").read_text(encoding="utf-8"))
    assert summary["warnings"] == [warning]
    plain_summary = json.loads((tmp_path / "plain" / "summary.json").read_text(encoding="utf-8"))
    assert summary["objective"] == plain_summary["objective"]
    same, more = (tmp_path / "plain" / "map.html").stat().st_size, (tmp_path / "big" / "map.html").stat().st_size
    assert more <= same * 1.01, (same, more)
    assert "未用0" not in (tmp_path / "big" / "map.html").read_text(encoding="utf-8")
    redrawn = invoke("map", tmp_path / "big", "--png")
    assert redrawn.exit_code == 0, redrawn.output
