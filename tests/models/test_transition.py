"""The version 2 model (docs/model.md "Version 2") on small cases whose optimum is computed by hand.

Every case has one traditional industry (steel) whose R&D and pilot need no capacity (support ratio 0, no
costs), so only production and its costs count; the optimum is worked out in each test's docstring.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.run import build, run
from planner.scenario import load_scenario
from planner.scenario.schema import SolverOptions

REGIONS = "id,name,name_zh,tier,lon,lat\nA,Alpha,甲,I,116.4,39.9\nB,Beta,乙,III,117.2,39.1\n"
SITES = ("id,region,zone,land_ha,land_price,lon,lat\nA-c,A,center,200,0,116.40,39.90\n"
         "A-o,A,outer,200,50,116.20,40.40\nB-o,B,outer,200,10,117.40,39.60\n")
FUNCTIONS = ("industry,function,land_per_unit,setup_cost,unit_cost,min_scale,support_ratio,retire_cost\n"
             "{i},rd,1,0,0,0,,0\n{i},pilot,1,0,0,0,0,0\n{i},production,1,100,1,0,0,10\n")


def write_case(root: Path, *, industries: str, stock: str, settings: str, rules: str = "",
               sites: str = SITES, functions: tuple[str, ...] = ("steel",)) -> Path:
    """A scenario folder with the given tables and settings; returns its YAML file."""
    tables = root / "tables"
    tables.mkdir(parents=True)
    (tables / "regions.csv").write_text(REGIONS, encoding="utf-8")
    (tables / "sites.csv").write_text(sites, encoding="utf-8")
    (tables / "industries.csv").write_text(industries, encoding="utf-8")
    rows = FUNCTIONS.splitlines()[0] + "\n" + "".join(
        "\n".join(FUNCTIONS.splitlines()[1:]).format(i=i) + "\n" for i in functions)
    (tables / "functions.csv").write_text(rows, encoding="utf-8")
    (tables / "stock.csv").write_text("industry,function,site,capacity\n" + stock, encoding="utf-8")
    yaml = root / "scenario.yaml"
    yaml.write_text(
        "name: hand\ntables:\n  regions: tables/regions.csv\n  sites: tables/sites.csv\n"
        "  industries: tables/industries.csv\n  functions: tables/functions.csv\n  stock: tables/stock.csv\n"
        f"settings:\n  linkage_cost: 0\n{settings}{rules}solver: {{mip_gap: 0, threads: 1}}\n", encoding="utf-8")
    return yaml


STEEL = "id,name,name_zh,category,demand,overcapacity\nsteel,Steel,钢铁,traditional,100,{theta}\n"


def phase_out_case(root: Path, settings: str, theta: float = 1.0) -> Path:
    """Steel: demand 100, stock 100 at A-c (land price 0), which a phase-out empties by 2030."""
    return write_case(root, industries=STEEL.format(theta=theta), stock="steel,production,A-c,100\n",
                      settings="  periods: [2025, 2030]\n" + settings,
                      rules="rules:\n  - phase_out: {zone: center, by: 2030}\n")


def objective(yaml: Path, out: Path) -> tuple[float, dict]:
    """Run the scenario; the objective and summary.json."""
    outcome = run(yaml, out)
    assert outcome.status == "optimal" and outcome.violations == []
    return outcome.summary["objective"], json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_free_transition_retires_and_builds_where_cheapest(tmp_path):
    """2025: the stock runs (operating 100, no setup: it stands). 2030: it is retired (10 x 100) and 100 built at
    B-o, the cheapest land (10 x 100 land, setup 100, operating 100). 100 + 2200 = 2300 (retiring in 2025 costs the
    same)."""
    value, summary = objective(phase_out_case(tmp_path / "case", ""), tmp_path / "out")
    assert value == pytest.approx(2300)
    assert summary["costs"] == pytest.approx({"land": 1000, "setup": 100, "operating": 200, "linkage": 0,
                                              "duplication": 0, "retire": 1000, "upgrade": 0})
    transition = pd.read_csv(tmp_path / "out" / "transition.csv")
    production = transition[transition["function"] == "production"]
    assert production.groupby("site")["built"].sum().to_dict() == {"A-c": 0, "B-o": 100}
    assert production.groupby("site")["retired"].sum().to_dict() == {"A-c": 100, "B-o": 0}
    last = production[production["period"] == 2030].set_index("site")["capacity"].to_dict()
    assert last.get("A-c", 0) == 0 and last["B-o"] == 100


def test_discounting_defers_the_change(tmp_path):
    """With 5 % a year, 2030 costs count (1.05)^-5: the change happens in 2030: 100 + 2200 / 1.05^5."""
    value, summary = objective(phase_out_case(tmp_path / "case", "  discount_rate: 0.05\n"), tmp_path / "out")
    assert value == pytest.approx(100 + 2200 / 1.05**5)
    assert summary["periods"]["2030"]["discount_factor"] == pytest.approx(1.05**-5)
    assert summary["periods"]["2030"]["costs"]["retire"] == pytest.approx(1000)  # per period: undiscounted
    assert sum(summary["costs"].values()) == pytest.approx(value)


def test_build_first_builds_in_the_same_region(tmp_path):
    """先立后破, lag 0: the 100 retired in region A by 2030 must be matched by 100 built in A by 2030: A-o, land 50
    a unit: 100 (2025 operating) + 5000 + 100 + 100 + 1000 = 6300."""
    value, _ = objective(phase_out_case(tmp_path / "case", "  transition: build_first\n"), tmp_path / "out")
    assert value == pytest.approx(6300)
    regions = pd.read_csv(tmp_path / "out" / "regions.csv")
    assert regions.groupby("region")["built"].sum().to_dict() == {"A": 100, "B": 0}


def test_build_first_with_a_lag_builds_a_period_earlier(tmp_path):
    """Lag 1: what A retires by 2030 must have been built there by 2025, so 2025 runs the stock and 100 new at A-o
    (5000 + 100 + 100 + 100 operating; overcapacity 1 allows 200) and 2030 retires the stock (1000) and runs A-o
    (100)."""
    yaml = phase_out_case(tmp_path / "case", "  transition: build_first\n  transition_lag: 1\n")
    value, summary = objective(yaml, tmp_path / "out")
    assert value == pytest.approx(6400)
    assert summary["periods"]["2025"]["capacity"]["built"] == pytest.approx(100)
    regions = pd.read_csv(tmp_path / "out" / "regions.csv").set_index(["period", "region"])
    assert regions.loc[(2025, "A"), "production"] == 200 and regions.loc[(2030, "A"), "production"] == 100


def test_build_first_with_a_lag_and_no_room_is_infeasible(tmp_path):
    """Without overcapacity, 2025 cannot hold the stock and the new production it would need: infeasible (exit 3)."""
    yaml = phase_out_case(tmp_path / "case", "  transition: build_first\n  transition_lag: 1\n", theta=0)
    outcome = run(yaml, tmp_path / "out")
    assert outcome.status == "infeasible" and outcome.exit_code == 3
    assert "先立后破" in (tmp_path / "out" / "infeasibility.txt").read_text(encoding="utf-8")


def test_upgrade_converts_in_place(tmp_path):
    """One site S (land 10 a unit). Steel: stock 100, demand 100 then 50; smart steel (upgrades steel, 2 a unit):
    demand 10 then 60. 2025: steel runs (100), smart is built (100 land + 100 setup + 10). 2030: 50 of steel is
    converted (100) instead of retired (500) and rebuilt (500 land): 50 + 60 operating. 100 + 210 + 100 + 110 = 520."""
    industries = ("id,name,name_zh,category,demand,overcapacity,upgrades,upgrade_cost,demand_2030\n"
                  "steel,Steel,钢铁,traditional,100,0,,,50\nsmart,Smart steel,智能钢铁,emerging,10,0,steel,2,60\n")
    sites = "id,region,zone,land_ha,land_price,lon,lat\nS,A,outer,1000,10,116.2,40.4\n"
    yaml = write_case(tmp_path / "case", industries=industries, stock="steel,production,S,100\n",
                      settings="  periods: [2025, 2030]\n", sites=sites, functions=("steel", "smart"))
    value, summary = objective(yaml, tmp_path / "out")
    assert value == pytest.approx(520)
    assert summary["costs"]["upgrade"] == pytest.approx(100)
    transition = pd.read_csv(tmp_path / "out" / "transition.csv").set_index(["period", "industry", "function", "site"])
    assert transition.loc[(2030, "steel", "production", "S"), "converted_out"] == 50
    assert transition.loc[(2030, "smart", "production", "S"), "converted_in"] == 50
    assert transition.loc[(2030, "steel", "production", "S"), "retired"] == 0


def test_grandfathered_hosts_and_growth(tmp_path):
    """Steel may have 1 host but stands in A and B: H' = 2 keeps both. Demand grows 10 % a year: 2030 needs
    100 x 1.1^5; the 61.051 more are built at A-c (land free, setup 100; cheaper than 610.51 of land at B-o,
    open already). 100 + 100 + 161.051."""
    industries = ("id,name,name_zh,category,demand,overcapacity,max_hosts,growth\n"
                  "steel,Steel,钢铁,traditional,100,0,1,0.1\n")
    yaml = write_case(tmp_path / "case", industries=industries,
                      stock="steel,production,A-o,50\nsteel,production,B-o,50\n",
                      settings="  periods: [2025, 2030]\n")
    value, summary = objective(yaml, tmp_path / "out")
    grown = 100 * 1.1**5
    assert value == pytest.approx(100 + 100 + grown)
    assert summary["periods"]["2030"]["hosts"] == {"steel": 2}
    assert summary["periods"]["2030"]["extra_hosts"] == {"steel": 0}


def stock_kept_case(root: Path) -> Path:
    """Steel, 1 host region: stock 100 at A-s (region A, land 40 a unit), demand 100 in 2025 and 150 in 2030;
    B-o (region B, land 10 a unit) is cheaper but region A's stock already takes the one hosting slot."""
    industries = ("id,name,name_zh,category,demand,overcapacity,max_hosts,demand_2030\n"
                  "steel,Steel,钢铁,traditional,100,0,1,150\n")
    sites = ("id,region,zone,land_ha,land_price,lon,lat\n"
             "A-s,A,outer,1000,40,116.2,40.4\nB-o,B,outer,1000,10,117.4,39.6\n")
    return write_case(root, industries=industries, stock="steel,production,A-s,100\n",
                      settings="  periods: [2025, 2030]\n", sites=sites)


def test_stock_kept_raises_the_relaxation_and_keeps_the_optimum(tmp_path):
    """The valid inequality `stock_kept` (docs/model.md "Standing stock keeps its site open"), on `stock_kept_case`.
    Production bound in 2030: min(land 1000, D 150) = 150; operating 1 a unit: 100 + 150 = 250 in every plan.

    MIP: keep the stock and build 50 at A-s (land 40 x 50 = 2000, no setup: A-s is open): 2250. Moving to B
    means retiring all of A's stock (1000) and building 150 at B-o (1500 + setup 100): 2850.
    Relaxation without the rows: 2030 keeps q_A = 100 with x_A = 100 / 150 = 2/3, so y_A = 2/3 and the
    freed third of the hosting slot opens B-o at x_B = 1/3, enough for the missing 50 (q_B <= 150 x_B):
    250 + land 10 x 50 + setup 100 / 3 = 2350 / 3 (a lower bound too: any unit at B costs 10 + 100/150 in
    land and setup, any unit at A 40 of land or 10 of retirement, and q_B <= 50 + retired).
    Relaxation with the rows: 100 x_A + retired ρ >= 100, so y_B <= 1 - x_A <= ρ / 100 and q_B <= 1.5 ρ;
    with q_A + q_B = 150 and q_A = 100 - ρ + built at A, the cost is at least
    250 + 10 ρ + 40 (50 + ρ - q_B) + (10 + 2/3) q_B = 2250 + 50 ρ - (88/3) q_B >= 2250 + 6 ρ >= 2250,
    reached by the MIP's plan (ρ = 0): the rows close the whole gap here.
    """
    import pyomo.environ as pyo

    from planner.solve import solve
    from tests.reference.model2 import solve_reference_v2

    yaml = stock_kept_case(tmp_path / "case")
    options = SolverOptions(mip_gap=0, threads=1)

    def optima(relaxed: bool) -> tuple[float, float]:
        """The optimum of the model (or its relaxation) with the rows `stock_kept`, then without them."""
        model = build(load_scenario(yaml)).model
        assert len(model.stock_kept) == 2  # A-s's production in 2025 and 2030
        if relaxed:
            pyo.TransformationFactory("core.relax_integer_vars").apply_to(model)
        kept = solve(model, options)
        model.stock_kept.deactivate()
        dropped = solve(model, options)
        assert kept.status == dropped.status == "optimal"
        return kept.objective, dropped.objective

    with_rows, without_rows = optima(relaxed=True)
    assert with_rows == pytest.approx(2250)
    assert without_rows == pytest.approx(2350 / 3)
    mip_with, mip_without = optima(relaxed=False)
    assert mip_with == pytest.approx(2250) and mip_without == pytest.approx(2250)
    assert solve_reference_v2(yaml).objective == pytest.approx(2250)


def test_a_standing_base_keeps_its_land_out_of_the_bounds(tmp_path):
    """`period_bounds` lowers every bound to the land a site has left when the base holds what it must
    (`least_capacities`). Base: stock 100 at A-o, demand 100, no overcapacity, no new capacity (lock_out): it
    holds 100 of A-o's 200 ha in every plan. Chip: demand 150 (bound (1 + 0) 150 at each site), land 10 at
    A-o, 20 at B-o, setup 100, operating 1 (base 100 + chip 150 = 250 in every plan).

    MIP: 100 at A-o (the land left) and 50 at B-o: 1000 + 1000 + setup 200 + 250 = 2450 (all at B-o: 3350).
    Relaxation with the bound 100 at A-o: x_A = q_A / 100, x_B = q_B / 150 and the split of `reform`
    (sole: split >= q_A / 300) cost 3100 - (29 / 3) q_A + 250, least at q_A = 100: 2383 1/3; with A-o's
    bound at 150 (the whole site) it was 2100 + 250 = 2350.
    """
    import pyomo.environ as pyo

    from planner.solve import solve
    from tests.reference.model2 import solve_reference_v2

    industries = ("id,name,name_zh,category,demand,overcapacity\n"
                  "base,Base,存量,traditional,100,0\nchip,Chip,芯片,emerging,150,0\n")
    sites = ("id,region,zone,land_ha,land_price,lon,lat\n"
             "A-o,A,outer,200,10,116.20,40.40\nB-o,B,outer,200,20,117.40,39.60\n")
    yaml = write_case(tmp_path / "case", industries=industries, stock="base,production,A-o,100\n", settings="",
                      rules="rules:\n  - lock_out: {industry: base}\n", sites=sites, functions=("base", "chip"))
    model = build(load_scenario(yaml)).model
    q = model.period[1].q
    assert (q["base", "production", "A-o"].ub, q["chip", "production", "A-o"].ub) == (100, 100)
    assert q["chip", "production", "B-o"].ub == 150
    assert solve(model, SolverOptions(mip_gap=0, threads=1)).objective == pytest.approx(2450)
    assert solve_reference_v2(yaml).objective == pytest.approx(2450)
    pyo.TransformationFactory("core.relax_integer_vars").apply_to(model)
    assert solve(model, SolverOptions(threads=1)).objective == pytest.approx(2383 + 1 / 3)


def test_period_bounds_hold_the_demand_and_keep_the_stock(tmp_path):
    """Production at a site is bounded by (1 + θ) D_t of its period (150 and 165, below the land's 200); pilot
    stock that supports nothing keeps its bound at the stock (30: cutting it would be a retirement); R&D that
    supports nothing is bounded by 0. The optimum keeps the pilot (retiring it costs 10 a unit, keeping it 0)."""
    industries = ("id,name,name_zh,category,demand,overcapacity,growth\n"
                  "steel,Steel,钢铁,traditional,100,0.5,0.01924487\n")
    yaml = write_case(tmp_path / "case", industries=industries,
                      stock="steel,production,A-o,100\nsteel,pilot,A-o,30\n",
                      settings="  periods: [2025, 2030]\n")
    built = build(load_scenario(yaml))
    q = {t: built.model.period[t].q for t in (2025, 2030)}
    assert q[2025]["steel", "production", "B-o"].ub == pytest.approx(150)
    assert q[2030]["steel", "production", "B-o"].ub == pytest.approx(1.5 * 100 * 1.01924487**5)
    assert q[2025]["steel", "pilot", "A-o"].ub == q[2030]["steel", "pilot", "A-o"].ub == pytest.approx(30)
    assert q[2025]["steel", "rd", "A-o"].ub == 0
    value, summary = objective(yaml, tmp_path / "out")
    # operating 1 a unit: 100 in 2025, 110 in 2030; the 10 more built at A-c (land free, setup 100)
    assert value == pytest.approx(100 + 110 + 100, rel=1e-6)
    assert summary["periods"]["2030"]["capacity"]["retired"] == 0


def test_one_period_and_no_stock_is_version1(tiny):
    """periods: [2025] without stock: version 1's model and run folder, unchanged."""
    tiny.replace("scenario.yaml", "  duplication: hard", "  duplication: hard\n  periods: [2025]")
    sc = load_scenario(tiny.yaml)
    assert not sc.is_version2 and build(sc).transition is None
    outcome = run(tiny.yaml, tiny.root.parent / "out")
    assert outcome.summary["objective"] == pytest.approx(140218.86269801424)
    assert "periods" not in outcome.summary and not (tiny.root.parent / "out" / "transition.csv").exists()
    assert "period" not in pd.read_csv(tiny.root.parent / "out" / "assignments.csv").columns


def test_the_period_model_of_one_period_without_stock_has_version1s_optimum(tiny):
    """The period-indexed model itself reduces to version 1 (b = q, o = x): same optimum on the tiny scenario."""
    from planner.models.transition import build_transition_model, transition_sets
    from planner.scenario.schema import SolverOptions
    from planner.solve import solve

    sc = load_scenario(tiny.yaml)
    model = build_transition_model(sc, transition_sets(sc))
    result = solve(model, SolverOptions(mip_gap=0, threads=1))
    assert result.status == "optimal" and result.objective == pytest.approx(140218.86269801424)


def test_run_command_prints_each_period(tmp_path, monkeypatch):
    yaml = phase_out_case(tmp_path / "case", "  discount_rate: 0.05\n")  # the change in 2030 (no tie with 2025)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("planner.cli.common.console.width", 200)
    result = CliRunner().invoke(app, ["run", str(yaml), "--out", "out"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any("Periods (capacity units" in line for line in lines)
    header = next(line for line in lines if "period" in line and "retired" in line)
    assert [cell.strip() for cell in header.strip("┃│ ").split("┃")][:6] == [
        "period", "in use", "kept", "built", "retired", "converted"]
    rows: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith("│ 20"):  # a row of the periods table, then one of the division of labour
            rows.setdefault(line.split("│")[1].strip(), []).extend(c.strip() for c in line.split("│")[2:-1])
    assert rows["2025"][:5] == ["100.0", "100.0", "0.0", "0.0", "0.0"]  # the stock runs
    assert rows["2030"][:5] == ["100.0", "0.0", "100.0", "100.0", "0.0"]  # retired, and built at B-o
    assert rows["2030"][6:] == ["0/0/0", "0/0/0", "0/0/100"]  # division of labour: production moved out
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "assignments.csv", "inputs", "links.csv", "manifest.json", "map.html", "plan.gpkg", "plan.xlsx", "regions.csv",
        "sites.csv", "solver.log", "summary.json", "transition.csv"]
    page = (tmp_path / "out" / "map.html").read_text(encoding="utf-8")  # the map says it shows every period
    assert "Periods 2025, 2030: step through them with the period control" in page


def test_the_plan_check_finds_each_broken_version2_constraint(tmp_path):
    """planner.check.transition_violations recomputes balance, phase-out, 先立后破 and demand on the plan's tables."""
    import dataclasses

    from planner.check import transition_violations
    from planner.run import solve_scenario

    yaml = phase_out_case(tmp_path / "case", "  transition: build_first\n  discount_rate: 0.05\n")  # all in 2030
    solved = solve_scenario(yaml, tmp_path / "out")
    ts, plan = solved.built.transition, solved.plan
    assert transition_violations(solved.scenario, ts, plan) == []
    table = plan.transition.copy()
    at_center = (table["site"] == "A-c") & (table["function"] == "production") & (table["period"] == 2030)
    table.loc[at_center, ["retired", "capacity"]] = [0.0, 100.0]  # still standing after its phase-out
    in_a = (table["site"] == "A-o") & (table["function"] == "production")
    table.loc[in_a, "built"] = 0.0  # as if A had built nothing
    broken = dataclasses.replace(plan, transition=table)
    found = transition_violations(solved.scenario, ts, broken)
    assert found == [
        "phase-out: steel production at A-c holds 100 in 2030, after its phase-out by 2030",
        "balance: steel production at A-o in 2030: capacity 100 is not 0 "
        "(previous + built - retired + converted in - out)",
    ]
    table.loc[at_center, ["retired", "capacity"]] = [100.0, 0.0]
    found = transition_violations(solved.scenario, ts, dataclasses.replace(plan, transition=table))
    assert "先立后破: A has retired 100 of production by 2030, more than the 0 it built by 2030" in found


def test_the_run_folder_of_a_run_with_periods(tmp_path):
    """docs/scenario.md "Version 2": a period column in every version 1 table, transition.csv, regions.csv,
    summary.json periods and discounted totals."""
    from planner.runfolder.format import ASSIGNMENT_COLUMNS, LINK_COLUMNS, SITE_COLUMNS
    from planner.transition import REGION_COLUMNS, TRANSITION_COLUMNS

    _, summary = objective(phase_out_case(tmp_path / "case", "  discount_rate: 0.05\n"), tmp_path / "out")
    out = tmp_path / "out"
    for name, columns in (("assignments", ASSIGNMENT_COLUMNS), ("links", LINK_COLUMNS), ("sites", SITE_COLUMNS)):
        frame = pd.read_csv(out / f"{name}.csv")
        assert list(frame.columns) == ["period", *columns], name
    sites = pd.read_csv(out / "sites.csv")
    assert sites.groupby("period").size().to_dict() == {2025: 3, 2030: 3}
    assert list(pd.read_csv(out / "transition.csv").columns) == TRANSITION_COLUMNS
    regions = pd.read_csv(out / "regions.csv")
    assert list(regions.columns) == REGION_COLUMNS and len(regions) == 4
    assert list(summary["periods"]) == ["2025", "2030"]
    for figures in summary["periods"].values():
        assert {"costs", "costs_unweighted", "division_of_labour", "hosts", "extra_hosts", "flow_radius_km",
                "discount_factor", "capacity"} <= set(figures)
    discounted = sum(f["discount_factor"] * sum(f["costs"].values()) for f in summary["periods"].values())
    assert discounted == pytest.approx(summary["objective"])
    assert summary["transition"] == {"mode": "free", "lag": 0, "discount_rate": 0.05, "stock_rows": 1}
    # production's rows (R&D and pilot cost nothing here: an optimal plan may open them at no capacity)
    assignments = pd.read_csv(out / "assignments.csv").set_index(["period", "site", "function"])
    assert assignments.loc[(2025, "A-c", "production"), "setup_cost"] == 0  # the stock stands: no setup, no land
    assert assignments.loc[(2030, "B-o", "production"), ["land_cost", "setup_cost"]].tolist() == [1000, 100]


def test_a_phase_out_in_one_period_without_stock_acts_as_a_lock_out(tiny, tmp_path):
    """One period, no stock: version 1's model, where a phase_out (by the one period's year) removes what it
    matches, as the same selector's lock_out does."""
    tiny.replace("scenario.yaml", "  duplication: hard", "  duplication: hard\n  periods: [2025]")
    text = tiny.yaml.read_text(encoding="utf-8")
    tiny.yaml.write_text(text + "rules:\n  - phase_out: {zone: inner, function: production, by: 2025}\n",
                         encoding="utf-8")
    phased = run(tiny.yaml, tmp_path / "phased")
    tiny.yaml.write_text(text + "rules:\n  - lock_out: {zone: inner, function: production}\n", encoding="utf-8")
    locked = run(tiny.yaml, tmp_path / "locked")
    assert phased.status == locked.status == "optimal"
    assert phased.summary["objective"] == pytest.approx(locked.summary["objective"])
    assert phased.summary["objective"] > 140218.86269801424 + 1  # an inner site held production before
    assert "inner" not in set(
        pd.read_csv(tmp_path / "phased" / "assignments.csv").query("function == 'production'")["zone"])


def test_export_writes_the_whole_period_model_and_compare_takes_its_run(tmp_path, monkeypatch):
    yaml = phase_out_case(tmp_path / "case", "  transition: build_first\n")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["export", str(yaml), "--lp", "model.lp"]).exit_code == 0
    lp = (tmp_path / "model.lp").read_text(encoding="utf-8")
    for row in ("balance", "opening", "build_first", "period(2025)_demand", "period(2030)_demand"):
        assert row in lp, row
    assert runner.invoke(app, ["run", str(yaml), "--out", "out"]).exit_code == 0
    shutil.copytree(tmp_path / "out", tmp_path / "again")
    result = runner.invoke(app, ["compare", "out", "again", "--out", "cmp"])
    assert result.exit_code == 0, result.output
    periods = pd.read_csv(tmp_path / "cmp" / "periods.csv")
    assert set(periods["run"]) == {"out", "again"}
    assert {"2025", "2030", "overall"} <= set(periods["period"].astype(str))


def test_the_inputs_of_a_run_with_stock_rerun_to_the_same_plan(tmp_path):
    """inputs/ holds the stock table and the version 2 settings: `planner run out/inputs/scenario.yaml` gives the
    same optimum."""
    yaml = phase_out_case(tmp_path / "case", "  transition: build_first\n  discount_rate: 0.05\n")
    first, _ = objective(yaml, tmp_path / "out")
    inputs = tmp_path / "out" / "inputs"
    assert (inputs / "stock.csv").is_file()
    again, _ = objective(inputs / "scenario.yaml", tmp_path / "again")
    assert again == pytest.approx(first)


def test_the_period_mip_and_its_polish_share_one_time_limit(tmp_path, monkeypatch):
    """Version 2 polishes as version 1 does (planner.solve.polish.polish): the MIP gets 90 % of the limit without
    RENS, the linear programme with every period's x fixed what the MIP left; the plan is the optimum 2300."""
    import planner.solve.polish
    import planner.transition
    from planner.run import solver_options
    from planner.solve.polish import POLISH_SHARE

    scenario = load_scenario(phase_out_case(tmp_path / "case", ""))
    model = build(scenario).model
    fixed_by_model = {v.name for t in model.period for v in model.period[t].x.values() if v.fixed}  # phase-out
    assert fixed_by_model
    solves = []  # (options given, seconds taken, binaries fixed) of each solve, the real solver running

    def recording(real):
        def call(*args, **kwargs):
            result = real(*args, **kwargs)
            fixed = all(v.fixed for t in model.period for v in model.period[t].x.values())
            solves.append((args[1], result.solve_seconds, fixed))
            return result
        return call

    for module in (planner.transition, planner.solve.polish):
        monkeypatch.setattr(module, "solve", recording(module.solve))
    result = planner.transition.solve_transition(model, solver_options(scenario, time_limit=50.0))
    assert result.status == "optimal" and result.objective == pytest.approx(2300) and result.notes == ()
    assert result.options["time_limit"] == 50.0
    (mip, mip_seconds, mip_fixed), (lp, _, lp_fixed) = solves
    assert mip.time_limit == pytest.approx((1 - POLISH_SHARE) * 50.0) and mip.heuristic and not mip_fixed
    assert lp.time_limit == pytest.approx(50.0 - mip_seconds) and not lp.heuristic and lp_fixed
    after = {v.name for t in model.period for v in model.period[t].x.values() if v.fixed}
    assert after == fixed_by_model  # the polish unfixes what it fixed, and only that


@pytest.mark.parametrize("fixture", ["tiny", "tiny_v2"])
def test_the_progress_counts_down_from_the_whole_time_limit(fixture: str, tmp_path: Path) -> None:
    # the MIP gets 90 % of the limit and the polish the rest; the time left shown is of the limit the user set
    from planner.run import solve_scenario
    from planner.solve.watch import Progress, SolveWatch

    heard: list[Progress] = []
    solve_scenario(Path(__file__).parents[1] / "fixtures" / fixture / "scenario.yaml", tmp_path / "out",
                   watch=SolveWatch(on_progress=heard.append), time_limit=50)
    assert heard and {p.time_limit for p in heard} == {50}
