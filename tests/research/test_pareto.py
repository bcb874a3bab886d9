"""`planner pareto`: points non-dominated and ordered, ends of the frontier right, each point a valid plan."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.research.pareto import Point, dominates, filter_frontier, is_frontier, pareto
from planner.solve import SolveResult
from tests.reference.checker import check_run_folder
from tests.reference.model import solve_reference

from .conftest import variant

runner = CliRunner()


def test_points_are_non_dominated_ordered_and_valid(tiny_yaml: Path, tmp_path: Path) -> None:
    outcome = pareto(tiny_yaml, "land", "linkage", 5, tmp_path / "par", mip_gap=0.0)
    table = pd.read_csv(tmp_path / "par" / "pareto.csv")
    kept = table[table["kept"]]
    assert len(kept) >= 3  # the tiny scenario has a real trade-off
    points = list(zip(kept["land"], kept["linkage"], strict=False))
    for a, b in itertools.permutations(points, 2):
        assert not (a[0] <= b[0] and a[1] <= b[1] and a != b), f"{a} dominates {b}"
    assert list(kept["land"]) == sorted(kept["land"]) and list(kept["linkage"]) == sorted(kept["linkage"], reverse=True)
    assert is_frontier(points)
    # ends: the least land of all plans, and the least linkage of all plans (independent reference solves)
    only = {"land": {"land": 1, "setup": 0, "operating": 0, "linkage": 0, "duplication": 0},
            "linkage": {"land": 0, "setup": 0, "operating": 0, "linkage": 1, "duplication": 0}}
    for term, column, index in (("land", "land", 0), ("linkage", "linkage", -1)):
        path = variant(tiny_yaml, f"only-{term}", lambda d, term=term: d["settings"].__setitem__("weights", only[term]))
        assert kept[column].iloc[index] == pytest.approx(solve_reference(path).objective, rel=1e-6, abs=1e-6)
    for folder in kept["folder"]:
        assert check_run_folder(tmp_path / "par" / folder, tiny_yaml) == [], folder
    assert (tmp_path / "par" / "pareto.png").stat().st_size > 1000
    assert [r.out.name for r in outcome.runs] == list(kept["folder"])


def _point(first: float, second: float, eps: float) -> Point:
    result = SolveResult(status="optimal", objective=first + second, best_bound=None, mip_gap=None, solve_seconds=0.0,
                         solver="highs", solver_version="")
    return Point(eps, result, first, second)


def test_filter_drops_dominated_and_repeated_points() -> None:
    points = [_point(1.0, 9.0, 9.0), _point(2.0, 5.0, 5.0), _point(2.0, 5.0, 6.0), _point(3.0, 6.0, 7.0),
              _point(4.0, 1.0, 1.0)]
    kept = filter_frontier(points)
    assert [(p.first, p.second) for p in kept] == [(1.0, 9.0), (2.0, 5.0), (4.0, 1.0)]
    assert "the same costs as" in points[2].note and "dominated" in points[3].note
    assert dominates((1.0, 1.0), (1.0, 2.0)) and not dominates((1.0, 2.0), (2.0, 1.0))
    assert not is_frontier([(1.0, 1.0), (2.0, 2.0)])


def test_command_line(tiny_yaml: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["pareto", str(tiny_yaml), "--between", "land", "linkage", "--points", "3",
                                 "--out", str(tmp_path / "p"), "--mip-gap", "0"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "p" / "point-1" / "summary.json").is_file()
    # a point is optimal only with its restriction: it says so, and importance refuses it (exit 2)
    from planner.maps.markup import escape
    from planner.maps.reporting import report_html

    assert escape("This is point 1 of the Pareto frontier between land and linkage (its status and bound hold for "
                  "that point's restriction only).") in report_html(tmp_path / "p" / "point-1")
    refused = runner.invoke(app, ["importance", str(tmp_path / "p" / "point-1"), "--out", str(tmp_path / "i")])
    assert refused.exit_code == 2 and "point-1 is a Pareto point, optimal only with its restriction" in " ".join(
        refused.output.split()) and not (tmp_path / "i").exists()
    bad = runner.invoke(app, ["pareto", str(tiny_yaml), "--between", "land", "land", "--out", str(tmp_path / "q")])
    assert bad.exit_code == 2 and not (tmp_path / "q").exists()


def test_a_term_that_is_always_zero_gives_one_point(tiny_yaml: Path, tmp_path: Path) -> None:
    # hard duplication: the duplication term is 0 in every plan
    result = runner.invoke(app, ["pareto", str(tiny_yaml), "--between", "land", "duplication", "--points", "3",
                                 "--out", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert "no trade-off: one plan minimises both land and duplication" in result.output
    assert result.output.endswith(f"wrote {tmp_path / 'p'} (pareto.csv, pareto.png, point-1)\n")
    table = pd.read_csv(tmp_path / "p" / "pareto.csv")
    assert list(table["kept"]) == [True, False] and (table["duplication"] == 0).all()
    assert table["note"].iloc[1] == "the same costs as the point kept before it (epsilon 0)"


def test_an_infeasible_scenario_exits_3_and_writes_nothing(tiny_yaml: Path, tmp_path: Path) -> None:
    closed = variant(tiny_yaml, "tiny-without-production", lambda d: d.setdefault("rules", []).append(
        {"lock_out": {"function": "production"}}))
    result = runner.invoke(app, ["pareto", str(closed), "--between", "land", "linkage", "--out", str(tmp_path / "p")])
    assert result.exit_code == 3, result.output
    assert "no plan at the end of the frontier with the least linkage: infeasible" in " ".join(result.output.split())
    assert not (tmp_path / "p").exists()
