"""Tests of the version 2 reference (MODEL.md "Version 2") itself: hand-computed optima, version 1
equivalence, the generator of brownfield multi-period cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.tables import rewrite_csv

from .checker2 import check_run_folder_v2, write_run_folder_v2
from .generator import write_random_scenario, write_random_scenario_v2
from .model import solve_reference
from .model2 import solve_reference_v2
from .scenario import load_scenario

TABLES = {
    "regions": "regions.csv",
    "sites": "sites.csv",
    "industries": "industries.csv",
    "functions": "functions.csv",
    "stock": "stock.csv",
}
REGIONS = "id,name,name_zh,tier,lon,lat,energy_budget,max_new_industries\n"
SITES = "id,region,zone,land_ha,land_price,lon,lat,cost_factor\n"
INDUSTRIES = "id,name,name_zh,category,demand,overcapacity,max_hosts,min_hosts,growth,upgrades,upgrade_cost\n"
FUNCTIONS = (
    "industry,function,land_per_unit,setup_cost,unit_cost,min_scale,max_scale,support_ratio,retire_cost\n"
)
STOCK = "industry,function,site,capacity,source\n"


def write_case(directory: Path, tables: dict[str, str], settings: dict, rules: list | None = None) -> Path:
    """Write a hand-made flat scenario (with a stock table) and return its YAML path."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (directory / f"{name}.csv").write_text(text, encoding="utf-8")
    doc = {"name": "hand-v2", "tables": {k: v for k, v in TABLES.items() if k in tables}, "settings": settings}
    if rules:
        doc["rules"] = rules
    path = directory / "scenario.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def no_support(industry: str, production: str) -> str:
    """Function rows with idle rd/pilot (support ratio 0) and the given production row."""
    return (
        f"{industry},rd,0.1,1000,0,0,,,\n"
        f"{industry},pilot,0.1,1000,0,0,,0,\n"
        f"{industry},production,{production}\n"
    )


def relocation_case(directory: Path, transition: str, lag: int, overcapacity: float) -> Path:
    """Steel standing in a central district, phased out there by 2030 (退城入园)."""
    return write_case(
        directory,
        {
            "regions": REGIONS + "A,A,甲,I,116.0,40.0,,\n",
            "sites": SITES + "A-center,A,center,50,1000,116.0,40.0,\nA-outer,A,outer,50,10,116.0,40.5,\n",
            "industries": INDUSTRIES + f"steel,Steel,钢铁,traditional,10,{overcapacity},,,,,\n",
            "functions": FUNCTIONS + no_support("steel", "1,100,1,0,,0,5"),
            "stock": STOCK + "steel,production,A-center,10,hand\n",
        },
        {"periods": [2025, 2030], "discount_rate": 0.05, "transition": transition, "transition_lag": lag},
        [{"phase_out": {"zone": "center", "industry": "steel", "function": "production", "by": 2030}}],
    )


DELTA_5Y = 1.05**-5
"""δ of 2030 with the discount rate 5 % and t_1 = 2025."""


@pytest.mark.parametrize(("transition", "lag"), [("free", 0), ("build_first", 0)])
def test_relocation_waits_for_the_phase_out(tmp_path: Path, transition: str, lag: int) -> None:
    """Steel: demand 10 in both periods, θ = 1, stock 10 at A-center, phased out there by 2030.

    Per unit of production: land 1 ha, unit cost 1, retire cost 5; setup 100; land price
    1000 (center) and 10 (outer) yuan/m2. Every plan must have 10 at A-outer in 2030 and pays for
    it once: land 10 * 1 * 10 = 100, setup 100, retirement of the central 10: 50; operating is
    1 * q in every period with q >= 10 (demand). Moving in 2025 pays those 250 undiscounted,
    moving in 2030 pays them times δ = 1.05^-5 < 1, so the optimum keeps the stock in 2025:
        2025: operating 10                        = 10
        2030: (100 + 100 + 50 + 10) δ             = 260 δ
    With 先立后破 and lag 0, the 10 retired in 2030 are covered by the 10 built in 2030: the same.
    """
    res = solve_reference_v2(relocation_case(tmp_path, transition, lag, 1.0))
    assert res.status == "optimal" and res.plan is not None
    assert res.objective == pytest.approx(10 + 260 * DELTA_5Y, rel=1e-9)
    assert res.plan.open == pytest.approx(
        {("steel", "production", "A-center", 0): 10.0, ("steel", "production", "A-outer", 1): 10.0}
    )
    assert res.plan.retired == pytest.approx({("steel", "production", "A-center", 1): 10.0})
    assert res.plan.built == pytest.approx({("steel", "production", "A-outer", 1): 10.0})


def test_build_first_with_lag_one_builds_a_period_ahead(tmp_path: Path) -> None:
    """The same case with 先立后破 and lag 1: what is retired up to 2030 must not exceed what was
    built up to 2025, so the 10 at A-outer are built in 2025, while the central stock cannot be
    retired in 2025 (nothing built before it): both stand in 2025, q = 20 <= (1 + θ) 10 = 20.
        2025: land 100 + setup 100 + operating 20 = 220
        2030: (retire 50 + operating 10) δ         = 60 δ
    With θ = 0 the two cannot stand together in 2025: infeasible.
    """
    res = solve_reference_v2(relocation_case(tmp_path / "a", "build_first", 1, 1.0))
    assert res.status == "optimal" and res.plan is not None
    assert res.objective == pytest.approx(220 + 60 * DELTA_5Y, rel=1e-9)
    assert res.plan.built == pytest.approx({("steel", "production", "A-outer", 0): 10.0})
    assert res.plan.retired == pytest.approx({("steel", "production", "A-center", 1): 10.0})
    assert solve_reference_v2(relocation_case(tmp_path / "b", "build_first", 1, 0.0)).status == "infeasible"


def upgrade_case(directory: Path) -> Path:
    """Steel stock 10 at one site; nev upgrades steel (see the test below for the optimum)."""
    return write_case(
        directory,
        {
            "regions": REGIONS + "A,A,甲,II,116.0,40.0,,\n",
            "sites": SITES + "S,A,outer,100,10,116.0,40.0,\n",
            "industries": INDUSTRIES.rstrip("\n") + ",demand_2030\n"
            "steel,Steel,钢铁,traditional,10,0,,,,,,4\n"
            "nev,NEV,新能源汽车,emerging,5,0,,,0.1,steel,2,\n",
            "functions": FUNCTIONS + no_support("steel", "1,100,0,0,,0,1") + no_support("nev", "1,100,0,0,,0,"),
            "stock": STOCK + "steel,production,S,10,hand\n",
        },
        {"periods": [2025, 2030], "discount_rate": 0.04},
    )


def test_upgrade_converts_surplus_traditional_capacity(tmp_path: Path) -> None:
    """One site S (100 ha, 10 yuan/m2); steel (traditional) has stock 10 there; nev (emerging)
    upgrades steel at 2 per unit. θ = 0. Steel demand 10 in 2025, demand_2030 = 4; nev demand 5
    with growth 10 %/year: 5 in 2025, 5 * 1.1^5 = 8.05255 in 2030. Production: 1 ha per unit
    (land 10 per unit built), setup 100, unit cost 0, steel retire cost 1; discount 4 %.
    2025: steel must keep its 10, so nev is built: land 5 * 10 = 50 + setup 100 = 150
    (converting instead would cost 2 per unit and force steel to be rebuilt at 10 per unit).
    2030: steel must fall by 6 to 4; nev must grow by g = 5 * 1.1^5 - 5. Converting costs 2
    per unit, building 10 plus retiring 1, so c = g is converted and 6 - g retired:
        (2 g + 1 (6 - g)) δ = (6 + g) δ, δ = 1.04^-5.
    """
    path = upgrade_case(tmp_path)
    grow = 5 * 1.1**5 - 5
    res = solve_reference_v2(path)
    assert res.status == "optimal" and res.plan is not None
    assert res.objective == pytest.approx(150 + (6 + grow) * 1.04**-5, rel=1e-9)
    assert res.plan.converted == pytest.approx({("nev", "S", 1): grow})
    assert res.plan.retired == pytest.approx({("steel", "production", "S", 1): 6 - grow})
    assert res.plan.built == pytest.approx({("nev", "production", "S", 0): 5.0})


def conversion_case(directory: Path, transition: str, nev_2030: float) -> Path:
    """Steel 10 and nev 1 standing at one site S; steel falls to 2 in 2030, nev grows to ``nev_2030``."""
    return write_case(
        directory,
        {
            "regions": REGIONS + "A,A,甲,II,116.0,40.0,,\n",
            "sites": SITES + "S,A,outer,100,10,116.0,40.0,\n",
            "industries": INDUSTRIES.rstrip("\n") + ",demand_2030\n"
            "steel,Steel,钢铁,traditional,10,0,,,,,,2\n"
            f"nev,NEV,新能源汽车,emerging,1,0,,,,steel,2,{nev_2030}\n",
            "functions": FUNCTIONS + no_support("steel", "1,100,0,0,,0,1") + no_support("nev", "1,100,0,0,,0,"),
            "stock": STOCK + "steel,production,S,10,hand\nnev,production,S,1,hand\n",
        },
        {"periods": [2025, 2030], "transition": transition},
    )


@pytest.mark.parametrize("transition", ["free", "build_first"])
def test_conversion_is_neither_retirement_nor_build(tmp_path: Path, transition: str) -> None:
    """One site S in region A; θ = 0; no discount; build 10 per unit (land), conversion 2, steel
    retirement 1; steel 10 and nev 1 stand (no setup to pay). In 2030 steel must shed 8.
    nev 2030 = 9: converting all 8 costs 2 * 8 = 16 in both modes; under 先立后破 this is allowed
    only because a conversion is not a retirement (else 8 retired > 0 built).
    nev 2030 = 6: nev takes 5 by conversion and 3 are retired: 2 * 5 + 3 = 13 in free mode. Under
    先立后破 the 3 retired need 3 built in A; building nev leaves fewer conversions and more
    retirements one for one (r = 8 - c, b = 5 - c, r <= b impossible), building steel must be
    retired again: infeasible, because a conversion is not a build either (else 3 <= 5 would pass).
    """
    full = solve_reference_v2(conversion_case(tmp_path / "a", transition, 9))
    assert full.status == "optimal" and full.plan is not None
    assert full.objective == pytest.approx(16.0, rel=1e-9)
    assert full.plan.converted == pytest.approx({("nev", "S", 1): 8.0}) and full.plan.retired == {}
    part = solve_reference_v2(conversion_case(tmp_path / "b", transition, 6))
    if transition == "free":
        assert part.status == "optimal" and part.objective == pytest.approx(13.0, rel=1e-9)
    else:
        assert part.status == "infeasible"


def grandfathered_case(directory: Path, duplication: str) -> Path:
    return write_case(
        directory,
        {
            "regions": REGIONS + "A,A,甲,I,116.0,40.0,,0\nB,B,乙,II,117.0,40.0,,\n",
            "sites": SITES + "A1,A,outer,100,100,116.0,40.0,\nB1,B,outer,100,100,117.0,40.0,\n",
            "industries": INDUSTRIES + "ai,AI,人工智能,future,10,0,1,,,,\n",
            "functions": FUNCTIONS + no_support("ai", "1,1000,1,0,3,0,0"),
            "stock": STOCK + "ai,production,A1,5,hand\nai,production,B1,5,hand\n",
        },
        {"duplication": duplication, "duplication_penalty": 10000},
    )


@pytest.mark.parametrize("duplication", ["hard", "soft"])
def test_existing_duplication_is_grandfathered(tmp_path: Path, duplication: str) -> None:
    """No periods (one period) but stock: ai (future) has 5 standing in each of A and B, max_hosts
    1, region A max_new_industries 0, production max_scale 3 (below the stock of 5). Demand 10,
    θ = 0. H' = max(1, 2) = 2, L'_A = max(0, 1) = 1 and U' = max(3, 5) = 5, so keeping both is
    allowed and costs only operating 1 * 10 = 10 (no land, no setup, no penalty). Without the
    grandfathering one region would have to be emptied and 5 rebuilt in the other, with land
    5 * 100 = 500 at least.
    """
    scn = load_scenario(grandfathered_case(tmp_path, duplication))
    assert scn.max_hosts_v2("ai") == 2 and scn.max_focus_v2("A") == 1
    assert scn.upper_v2(("ai", "production", "A1")) == 5
    res = solve_reference_v2(tmp_path / "scenario.yaml")
    assert res.status == "optimal" and res.plan is not None
    assert res.objective == pytest.approx(10.0, rel=1e-9)
    assert res.plan.built == {} and res.plan.retired == {}


@pytest.mark.parametrize(("seed", "soft"), [(0, False), (1, True), (2, False), (3, True), (5, False), (7, True)])
def test_one_period_without_stock_is_version_1(tmp_path: Path, seed: int, soft: bool) -> None:
    """MODEL.md: a scenario with one period and no stock is version 1, same optimum."""
    path = write_random_scenario(tmp_path, seed, soft=soft)
    v1, v2 = solve_reference(path), solve_reference_v2(path)
    assert v1.status == v2.status == "optimal"
    assert v2.objective == pytest.approx(v1.objective, rel=1e-9)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))  # one explicit period, a discount rate: the same
    doc["settings"].update({"periods": [2030], "discount_rate": 0.07, "transition": "build_first"})
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    one = solve_reference_v2(path)
    assert one.status == "optimal" and one.objective == pytest.approx(v1.objective, rel=1e-9)


def test_bad_version_2_inputs_are_refused(tmp_path: Path) -> None:
    """The reference reader refuses what SCENARIO.md calls bad input (it is not the validator,
    but it must not solve a scenario the contract rejects)."""
    base = relocation_case(tmp_path, "free", 0, 1.0)
    doc = yaml.safe_load(base.read_text(encoding="utf-8"))

    def refused(change: dict, message: str) -> None:
        bad = {**doc, "settings": {**doc["settings"], **change.get("settings", {})}}
        if "rules" in change:
            bad["rules"] = change["rules"]
        base.write_text(yaml.safe_dump(bad), encoding="utf-8")
        with pytest.raises(ValueError, match=message):
            load_scenario(base)

    refused({"settings": {"periods": [2030, 2025]}}, "strictly increasing")
    refused({"settings": {"periods": [2025.5, 2030]}}, "whole year")
    refused({"rules": [{"phase_out": {"zone": "center", "by": 2040}}]}, "after the last period")
    refused({"settings": {"periods": []}}, "without periods")


@pytest.mark.parametrize(
    ("seed", "transition", "lag", "optimum"),
    # optima recorded (HiGHS, gap 0) so that a change of the generator or the model shows
    [(2, "free", 0, 11495.6233), (2, "build_first", 0, 11567.9954), (3, "build_first", 1, 43316.6433),
     (0, "build_first", 1, 33866.1607)],
)
def test_generated_brownfield_cases_are_small_and_solved(
    tmp_path: Path, seed: int, transition: str, lag: int, optimum: float
) -> None:
    path = write_random_scenario_v2(tmp_path, seed, transition=transition, lag=lag)
    scn = load_scenario(path)
    assert len(scn.settings.periods) == 3 and scn.stock
    assert any(ind.upgrades for ind in scn.industries.values())
    assert any(r.kind == "phase_out" for r in scn.rules)
    res = solve_reference_v2(path)
    assert res.status == "optimal"
    assert res.objective == pytest.approx(optimum, abs=1e-3)


def test_build_first_binds_on_a_generated_case(tmp_path: Path) -> None:
    """Seed 3 (recorded): 先立后破 costs more than free, and lag 1 more than lag 0."""
    free = solve_reference_v2(write_random_scenario_v2(tmp_path / "f", 3, transition="free"))
    first = solve_reference_v2(write_random_scenario_v2(tmp_path / "b0", 3, transition="build_first", lag=0))
    lagged = solve_reference_v2(write_random_scenario_v2(tmp_path / "b1", 3, transition="build_first", lag=1))
    assert free.objective is not None and first.objective is not None and lagged.objective is not None
    assert free.objective < first.objective - 1 < lagged.objective - 2


# ----------------------------------------------------------------- checker
@pytest.mark.parametrize(("seed", "transition", "lag"), [(2, "build_first", 0), (3, "build_first", 1), (4, "free", 0)])
def test_checker_accepts_reference_plans(tmp_path: Path, seed: int, transition: str, lag: int) -> None:
    path = write_random_scenario_v2(tmp_path / "scn", seed, transition=transition, lag=lag)
    res = solve_reference_v2(path)
    write_run_folder_v2(res, path, tmp_path / "run")
    assert check_run_folder_v2(tmp_path / "run", path) == []


def test_checker_accepts_a_plan_without_periods(tmp_path: Path) -> None:
    path = grandfathered_case(tmp_path / "scn", "hard")
    write_run_folder_v2(solve_reference_v2(path), path, tmp_path / "run")
    assert check_run_folder_v2(tmp_path / "run", path) == []


@pytest.fixture()
def lagged_run(tmp_path: Path) -> tuple[Path, Path]:
    """The lag-1 relocation case, solved and written; (scenario, run folder)."""
    path = relocation_case(tmp_path / "scn", "build_first", 1, 1.0)
    run = tmp_path / "run"
    write_run_folder_v2(solve_reference_v2(path), path, run)
    assert check_run_folder_v2(run, path) == []
    return path, run


def test_checker_flags_build_first_and_balance(lagged_run: tuple[Path, Path]) -> None:
    """Moving the new build from 2025 to 2030 breaks 先立后破 (lag 1) and the balance of 2025."""
    path, run = lagged_run

    def edit(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        for row in rows:
            if row["site"] == "A-outer" and row["period"] == "2025":
                row["built"] = "0"
            if row["site"] == "A-outer" and row["period"] == "2030":
                row["built"] = "10"
        return rows

    rewrite_csv(run / "transition.csv", edit)
    found = check_run_folder_v2(run, path)
    assert any(m.startswith("先立后破: region A has retired 10.0 units of production up to 2030") for m in found)
    assert any(m.startswith("balance of ('steel', 'production', 'A-outer') in 2025") for m in found)


def test_checker_flags_phase_out_and_objective(lagged_run: tuple[Path, Path]) -> None:
    """Central steel kept open in 2030 breaks the phase-out, the transition table (which says 0),
    regions.csv and the objective (one more period of operating cost)."""
    path, run = lagged_run

    def edit(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        extra = next(dict(r) for r in rows if r["site"] == "A-center")
        extra["period"] = "2030"
        return rows + [extra]

    rewrite_csv(run / "assignments.csv", edit)
    found = check_run_folder_v2(run, path)
    assert any("a phase_out rule empties it" in m for m in found)
    assert any(m.startswith("transition.csv: ('steel', 'production', 'A-center') in 2030 capacity 0") for m in found)
    assert any(m.startswith("objective recomputed from the plan") for m in found)
    assert any(m.startswith("regions.csv line") for m in found)


def test_checker_flags_wrong_discounted_totals(lagged_run: tuple[Path, Path]) -> None:
    path, run = lagged_run
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    summary["costs"]["retire"] = 50.0  # undiscounted instead of 50 δ
    summary["periods"][1]["costs"]["operating"] *= DELTA_5Y  # discounted instead of undiscounted
    (run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    found = check_run_folder_v2(run, path)
    assert any(m.startswith("summary costs[retire] = 50.0") for m in found)
    assert any(m.startswith("summary.json periods[2030] costs[operating]") for m in found)


def test_checker_flags_a_forbidden_conversion(tmp_path: Path) -> None:
    path = relocation_case(tmp_path / "scn", "free", 0, 1.0)
    run = tmp_path / "run"
    write_run_folder_v2(solve_reference_v2(path), path, run)

    def edit(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        for row in rows:
            if row["site"] == "A-outer":
                row["converted_in"], row["built"] = row["built"], "0"
        return rows

    rewrite_csv(run / "transition.csv", edit)
    found = check_run_folder_v2(run, path)
    assert any("receives a conversion in 2030 that MODEL.md does not allow" in m for m in found)


def test_worked_example_reference_optimum(tmp_path: Path) -> None:
    """scenarios/transition (the README's worked example): the reference's optimum (recorded in
    its README) and a plan that passes the checker, with the central steel converted and retired."""
    path = Path(__file__).resolve().parents[2] / "scenarios" / "transition" / "scenario.yaml"
    res = solve_reference_v2(path)
    assert res.status == "optimal" and res.plan is not None
    assert res.objective == pytest.approx(242855.0, abs=0.05)
    assert ("nev", "HE-center", 1) in res.plan.converted
    assert ("steel", "production", "HE-center", 1) in res.plan.retired
    write_run_folder_v2(res, path, tmp_path / "run")
    assert check_run_folder_v2(tmp_path / "run", path) == []


def test_checker_flags_wrong_sites_and_hosts(lagged_run: tuple[Path, Path]) -> None:
    path, run = lagged_run

    def edit(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        for row in rows:
            if row["site"] == "A-outer" and row["period"] == "2030":
                row["land_used_ha"] = "0"
        return rows

    rewrite_csv(run / "sites.csv", edit)
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    summary["periods"][0]["hosts"]["steel"] = 2
    (run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    found = check_run_folder_v2(run, path)
    assert any("land used at A-outer in 2030 is 0.0 but the plan uses 10.0 ha" in m for m in found), found
    assert any(m.startswith("summary.json periods[2025] hosts[steel] = 2 but the plan has 1") for m in found), found
