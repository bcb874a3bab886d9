"""`planner run --alternatives N --within P`: distinct plans, all within the cost bound, each a valid plan of
docs/model.md (independent checker), with a consistent selection frequency."""

from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import planner.research.alternatives as alternatives
from planner.cli import app
from planner.research.alternatives import parse_percent, run_alternatives
from planner.research.common import read_run
from planner.solve.polish import POLISH_SHARE
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


def _record_solves(monkeypatch: pytest.MonkeyPatch, late: bool = False) -> list[tuple[float | None, float]]:
    """Record (time limit given, seconds taken) of each solve `_diverse` makes; the real solver runs. With
    `late`, the Hop-Skip-Jump solve reports that it took the whole time limit of the run."""
    calls: list[tuple[float | None, float]] = []
    real = alternatives.solve

    def recording(model, options, *args, **kwargs):
        result = real(model, options, *args, **kwargs)
        if late and kwargs.get("objective") is not None:
            result = dataclasses.replace(result, solve_seconds=options.time_limit / (1 - POLISH_SHARE))
        calls.append((options.time_limit, result.solve_seconds))
        return result

    monkeypatch.setattr(alternatives, "solve", recording)
    return calls


def test_diverse_keeps_to_one_time_limit(tiny_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Hop-Skip-Jump solve gets all but POLISH_SHARE of the limit, the re-solve what it left (not a fresh limit)."""
    calls = _record_solves(monkeypatch)
    run_alternatives(tiny_yaml, tmp_path / "alt", n=1, within=WITHIN, method="diverse", mip_gap=0.0, time_limit=50.0)
    assert len(calls) == 2
    (hsj_limit, hsj_seconds), (fixed_limit, fixed_seconds) = calls
    assert hsj_limit == pytest.approx((1 - POLISH_SHARE) * 50.0)
    assert fixed_limit == pytest.approx(50.0 - hsj_seconds)
    assert hsj_seconds + fixed_limit <= 50.0 + 1e-9
    alt = read_run(tmp_path / "alt" / "alt-1")
    assert alt.status == "optimal" and "solver_notes" not in alt.summary
    assert alt.summary["solve_seconds"] == pytest.approx(hsj_seconds + fixed_seconds)  # both solves counted
    assert alt.solver["options"]["time_limit"] == 50.0  # recorded as given


def test_diverse_with_no_time_left_keeps_the_hop_skip_jump_plan_and_says_so(
        tiny_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exact = run_alternatives(tiny_yaml, tmp_path / "exact", n=1, within=WITHIN, method="diverse", mip_gap=0.0)
    calls = _record_solves(monkeypatch, late=True)
    found = run_alternatives(tiny_yaml, tmp_path / "alt", n=1, within=WITHIN, method="diverse", mip_gap=0.0,
                             time_limit=50.0)
    assert [limit for limit, _ in calls] == [pytest.approx((1 - POLISH_SHARE) * 50.0)]  # no re-solve
    assert found.stopped == "" and len(found.alternatives) == 1
    folder = tmp_path / "alt" / "alt-1"
    alt = read_run(folder)
    assert alt.status == "feasible" and alt.best_bound is None
    assert alt.summary["solver_notes"] == ["the plan is not re-solved for the least cost with its openings fixed: "
                                           "the Hop-Skip-Jump solve used all the time limit"]
    assert alt.summary["solve_seconds"] == pytest.approx(50.0)
    assert alt.solver["options"]["time_limit"] == 50.0
    assert check_run_folder(folder, tiny_yaml) == []
    # an exact Hop-Skip-Jump plan is already the cheapest of its pattern: same plan, same cost as with the re-solve
    assert alt.pattern() == read_run(tmp_path / "exact" / "alt-1").pattern()
    assert alt.objective == pytest.approx(exact.alternatives[0].summary["objective"], rel=1e-7)


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
    # the table is a result: on stdout (README "Output"); with --json, stdout holds the JSON document alone
    assert "Plans within" in result.stdout and "Plans within" not in result.stderr
    as_json = runner.invoke(app, ["run", str(tiny_yaml), "--out", str(tmp_path / "json"), "--alternatives", "1",
                                  "--within", "1%", "--mip-gap", "0", "--json"])
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["alternatives"][0]["status"] == "optimal"
    assert "Plans within" in as_json.stderr
    bad = runner.invoke(app, ["run", str(tiny_yaml), "--out", str(tmp_path / "x"), "--alternatives", "2",
                              "--within", "lots"])
    assert bad.exit_code == 2 and not (tmp_path / "x").exists()


@pytest.mark.parametrize(("text", "value"), [("5", 5.0), ("5%", 5.0), (" 2.5 % ", 2.5), ("0", 0.0)])
def test_parse_percent(text: str, value: float) -> None:
    assert parse_percent(text) == value


@pytest.mark.parametrize("text", ["-1", "abc", "nan", "5%%"])
def test_parse_percent_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=f"--within must be a non-negative percentage, got {text!r}"):
        parse_percent(text)


def test_an_alternative_says_what_it_is_and_is_a_model_of_its_own(tiny_yaml: Path, tmp_path: Path) -> None:
    # its status and bound hold for the scenario with the no-good cuts: it must not pass for the scenario's optimum
    from planner.maps.reporting import report_html
    from planner.research.compare import compare_runs, model_fingerprint
    from planner.research.importance import site_importance
    from planner.runfolder.read import RunFolderError

    run_alternatives(tiny_yaml, tmp_path / "alt", n=1, within=WITHIN, mip_gap=0.0)
    optimum, alternative = read_run(tmp_path / "alt"), read_run(tmp_path / "alt" / "alt-1")
    assert alternative.restricted == "an alternative plan" and optimum.restricted is None
    assert model_fingerprint(alternative) != model_fingerprint(optimum)
    assert compare_runs([tmp_path / "alt", tmp_path / "alt" / "alt-1"]).same_model_agree() is not False  # --strict
    increase = json.loads((tmp_path / "alt" / "alt-1" / "summary.json").read_text())["alternative"]["increase_pct"]
    assert (f"This is alternative plan 1: {increase:.3f} % above the optimum "
            f"{optimum.objective:,.2f}, the best plan whose layout differs") in report_html(tmp_path / "alt" / "alt-1")
    assert "此为备选方案 1" in report_html(tmp_path / "alt" / "alt-1", lang="zh")
    with pytest.raises(RunFolderError, match="alt-1 is an alternative plan, optimal only with its restriction"):
        site_importance(tmp_path / "alt" / "alt-1")
