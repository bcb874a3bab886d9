"""`planner run --alternatives N --within P`: distinct plans, all within the cost bound, each a valid plan of
MODEL.md (independent checker), with a consistent selection frequency."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.research.alternatives import parse_percent, run_alternatives
from planner.research.common import read_run
from tests.reference.checker import check_run_folder
from tests.reference.model import solve_reference
from tests.reference.scenario import load_scenario as ref_load

from .conftest import variant

runner = CliRunner()
WITHIN = 1.0  # percent


def _folders(out: Path) -> list[Path]:
    table = pd.read_csv(out / "alternatives.csv")
    return [out / folder for folder in table["folder"]]


@pytest.mark.parametrize("method", ["next-best", "diverse"])
def test_alternatives_are_distinct_valid_and_within_the_bound(tiny_yaml: Path, tmp_path: Path, method: str) -> None:
    found = run_alternatives(tiny_yaml, tmp_path / "alt", n=3, within=WITHIN, method=method, mip_gap=0.0)
    optimum = found.optimum.summary["objective"]
    assert optimum == pytest.approx(solve_reference(tiny_yaml).objective, rel=1e-7)
    folders = _folders(tmp_path / "alt")
    assert folders[0] == tmp_path / "alt" and [f.name for f in folders[1:]] == ["alt-1", "alt-2", "alt-3"]
    patterns = []
    for folder in folders:
        assert check_run_folder(folder, tiny_yaml) == [], folder
        run = read_run(folder)
        assert run.status == "optimal"
        assert run.objective <= (1 + WITHIN / 100) * optimum * (1 + 1e-9)
        assert run.objective >= optimum * (1 - 1e-9)
        patterns.append(run.pattern())
    for a, b in itertools.combinations(patterns, 2):
        assert a != b  # different x patterns
    if method == "next-best":  # cheapest first
        objectives = [read_run(f).objective for f in folders]
        assert objectives == sorted(objectives)
    summary = json.loads((tmp_path / "alt" / "summary.json").read_text(encoding="utf-8"))
    assert summary["alternatives"]["found"] == 3 and summary["alternatives"]["within_percent"] == WITHIN
    # selection frequency: counts over the four plans
    freq = pd.read_csv(tmp_path / "alt" / "selection_frequency.csv", keep_default_na=False)
    for row in freq[freq["level"] == "function"].itertuples(index=False):
        t = (row.industry, row.function, row.site)
        assert row.plans == sum(t in p for p in patterns) and row.share == pytest.approx(row.plans / 4)
        assert row.in_optimum == (t in patterns[0])
    for row in freq[freq["level"] == "site"].itertuples(index=False):
        assert row.plans == sum(any(t[2] == row.site for t in p) for p in patterns)


def test_next_best_finds_the_second_best_plan(tiny_yaml: Path, tmp_path: Path) -> None:
    """alt-1 of next-best costs what the best plan with another x pattern costs, found independently: every
    other pattern flips some eligible triple, so the second best is the cheapest of the reference optima with
    one triple of the optimum locked out, or one triple outside it locked in."""
    found = run_alternatives(tiny_yaml, tmp_path / "alt", n=1, within=50, mip_gap=0.0)
    base = read_run(tmp_path / "alt").pattern()
    best = float("inf")
    for n, t in enumerate(ref_load(tiny_yaml).eligible_triples()):
        rule = {"lock_out" if t in base else "lock_in": {"industry": t[0], "function": t[1], "site": t[2]}}
        path = variant(tiny_yaml, f"flip-{n}", lambda d, rule=rule: d.setdefault("rules", []).append(rule))
        result = solve_reference(path)
        if result.objective is not None:
            best = min(best, result.objective)
    assert found.alternatives[0].summary["objective"] == pytest.approx(best, rel=1e-7)
    assert read_run(tmp_path / "alt" / "alt-1").pattern() != base


def test_none_within_a_zero_bound_is_reported(tiny_yaml: Path, tmp_path: Path) -> None:
    found = run_alternatives(tiny_yaml, tmp_path / "alt", n=2, within=0.0, mip_gap=0.0)
    # the tiny optimum is unique: no other x pattern costs as little
    assert found.alternatives == [] and "no further distinct plan" in found.stopped
    assert len(pd.read_csv(tmp_path / "alt" / "alternatives.csv")) == 1


def test_command_line(tiny_yaml: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli"
    result = runner.invoke(app, ["run", str(tiny_yaml), "--out", str(out), "--alternatives", "2", "--within", "1%",
                                 "--mip-gap", "0"])
    assert result.exit_code == 0, result.output
    assert (out / "alt-1" / "assignments.csv").is_file() and (out / "alt-2" / "assignments.csv").is_file()
    assert (out / "selection_frequency.csv").is_file()
    bad = runner.invoke(app, ["run", str(tiny_yaml), "--out", str(tmp_path / "x"), "--alternatives", "2",
                              "--within", "lots"])
    assert bad.exit_code == 2 and not (tmp_path / "x").exists()


@pytest.mark.parametrize(("text", "value"), [("5", 5.0), ("5%", 5.0), (" 2.5 % ", 2.5), ("0", 0.0)])
def test_parse_percent(text: str, value: float) -> None:
    assert parse_percent(text) == value


@pytest.mark.parametrize("text", ["-1", "abc", "nan"])
def test_parse_percent_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_percent(text)
