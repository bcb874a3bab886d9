"""infeasibility.txt of a plan over periods (docs/model.md version 2) names the 先立后破 or phase-out conflict in
planners' words: region, industry, period and amount; the independent reference agrees that there is no plan."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from planner.cli import app
from planner.run import run, solve_scenario
from tests.reference.model2 import solve_reference_v2
from tests.reference.test_version2 import (
    FUNCTIONS,
    INDUSTRIES,
    REGIONS,
    SITES,
    STOCK,
    no_support,
    relocation_case,
    write_case,
)

runner = CliRunner()


def steel_case(directory: Path, sites_of_a: str, lag: int, phase_by: int = 2030, growth: str = "") -> Path:
    """Steel stock of 120 at 北京's centre, phased out by `phase_by` under 先立后破; Hebei (B) has room for steel."""
    return write_case(
        directory,
        {
            "regions": REGIONS + "A,Beijing,北京,I,116.4,39.9,,\nB,Hebei,河北,II,116.7,39.5,,\n",
            "sites": SITES + sites_of_a + "B-outer,B,outer,500,10,116.7,39.5,\n",
            "industries": INDUSTRIES + f"steel,Steel,钢铁,traditional,120,0.5,,,{growth},,\n",
            "functions": FUNCTIONS + no_support("steel", "1,100,1,0,,0,5"),
            "stock": STOCK + "steel,production,A-center,120,hand\n",
        },
        {"periods": [2025, 2030], "transition": "build_first", "transition_lag": lag},
        [{"phase_out": {"zone": "center", "industry": "steel", "function": "production", "by": phase_by}}],
    )


def _report(scenario: Path, out: Path) -> str:
    assert solve_reference_v2(scenario).status == "infeasible"
    outcome = run(scenario, out)
    assert outcome.status == "infeasible" and outcome.exit_code == 3
    return (out / "infeasibility.txt").read_text(encoding="utf-8")


def test_phase_out_with_no_site_to_build_first(tmp_path: Path) -> None:
    scenario = steel_case(tmp_path / "scn", "A-center,A,center,200,1000,116.4,39.9,\n", lag=0)
    text = _report(scenario, tmp_path / "run")
    assert ("- 北京 (A) must retire 120 units of 钢铁 production by 2030 (steel 120 at A-center; phase_out: rules[0]), "
            "but builds no new production there before then: under 先立后破 (transition: build_first) production "
            "retired in a region must first be built there; no site of A may get new production that stands after "
            "2030 (eligible for production and not phased out)\n") in text
    assert "found by checks before solving" in text
    result = runner.invoke(app, ["run", str(scenario), "--out", str(tmp_path / "cli")])
    assert result.exit_code == 3
    assert "北京 (A) must retire 120 units of 钢铁 production by 2030 (steel 120 at A-center; phase_out: rules[0])" in (
        " ".join(result.output.split()))  # the console prints the scenario's words as they are (no markup)


def test_phase_out_in_the_first_period_leaves_no_period_to_build_in(tmp_path: Path) -> None:
    sites = "A-center,A,center,200,1000,116.4,39.9,\nA-outer,A,outer,200,10,116.4,40.4,\n"
    text = _report(steel_case(tmp_path / "scn", sites, lag=1, phase_by=2025), tmp_path / "run")
    assert ("北京 (A) must retire 120 units of 钢铁 production by 2025 (steel 120 at A-center; phase_out: rules[0]), "
            "but builds no new production there before then") in text
    assert "with transition_lag 1 it must be built 1 period before 2025, and the plan starts in 2025" in text
    assert "2030" not in text.split("These cannot all hold")[1]  # the same retirement is not reported twice


def test_demand_growth_beyond_the_sites(tmp_path: Path) -> None:
    sites = "A-center,A,center,200,1000,116.4,39.9,\nA-outer,A,outer,200,10,116.4,40.4,\n"
    scenario = steel_case(tmp_path / "scn", sites, lag=0, growth="0.5")
    text = _report(scenario, tmp_path / "run")
    assert ("industry steel (钢铁) needs at least 911.25 units of production in 2030 (demand 120 growing 50 % a year "
            "from 2025), but the sites that may hold it then hold at most 700 (A-outer 200, B-outer 500;") in text


def test_a_feasible_transition_is_not_reported(tmp_path: Path) -> None:
    sites = "A-center,A,center,200,1000,116.4,39.9,\nA-outer,A,outer,200,10,116.4,40.4,\n"
    solved = solve_scenario(steel_case(tmp_path / "scn", sites, lag=0), tmp_path / "run")  # nothing written
    assert solved.result.status == "optimal" and solved.report is None


def test_elastic_filter_names_the_periods_of_a_lag_conflict(tmp_path: Path) -> None:
    """tests/reference/test_version2.py's relocation with lag 1 and no overcapacity: the central 10 may be retired in
    2030 only if 10 were built by 2025, but 2025 cannot hold both (demand 10, overcapacity 0). Nothing is visible
    before solving; the elastic filter on the model over periods finds the four rows."""
    scenario = relocation_case(tmp_path / "scn", "build_first", 1, 0.0)
    text = _report(scenario, tmp_path / "run")
    assert "found by an elastic filter on the model" in text
    for line in (
            "- in 2030: a phase_out rule (rules[0]) leaves no production of industry steel (钢铁) at A-center "
            "from 2030 on (stock there: 10)\n",
            "- under 先立后破 (transition: build_first, transition_lag 1) the production retired in 甲 (A) up to 2025 "
            "may not exceed the production built there before the plan starts (none)\n",
            "- under 先立后破 (transition: build_first, transition_lag 1) the production retired in 甲 (A) up to 2030 "
            "may not exceed the production built there up to 2025\n",
            "- in 2025: industry steel (钢铁) may produce at most 10 units (demand x (1 + overcapacity))\n"):
        assert line in text, line
