"""Run folders for the map tests: the tiny fixture and, when it exists, the Beijing-Tianjin-Hebei scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "fixtures" / "tiny" / "scenario.yaml"
JJJ = ROOT / "scenarios" / "jjj" / "scenario.yaml"
ARTIFACTS = ROOT / "tests" / "artifacts"


def _solve(scenario: Path, out: Path) -> Path:
    from planner.run import run

    outcome = run(scenario, out, force=True)
    assert outcome.status in ("optimal", "feasible"), f"{scenario}: {outcome.status}"
    return out


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run folder of tests/fixtures/tiny."""
    return _solve(TINY, tmp_path_factory.mktemp("runs") / "tiny")


@pytest.fixture(scope="session")
def jjj_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run folder of scenarios/jjj (skipped while that scenario is not in the repository)."""
    if not JJJ.is_file():
        pytest.skip("scenarios/jjj/scenario.yaml is not in the repository")
    return _solve(JJJ, tmp_path_factory.mktemp("runs") / "jjj")


@pytest.fixture(scope="session", params=["shanghai", "beijing"])
def metro_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run folder of scenarios/metro/shanghai, then of scenarios/metro/beijing (each solves in seconds)."""
    scenario = ROOT / "scenarios" / "metro" / request.param / "scenario.yaml"
    return _solve(scenario, tmp_path_factory.mktemp("runs") / f"metro-{request.param}")


@pytest.fixture(scope="session", params=["tiny", "jjj"])
def any_run(request: pytest.FixtureRequest) -> Path:
    """Each run folder in turn."""
    return request.getfixturevalue(f"{request.param}_run")


NATIONAL_EXTRA_REGIONS = (
    "SX,Shanxi,山西,IV,112.5596,37.7131,140000,,\n"
    "SD,Shandong,山东,II,117.0208,36.6683,370000,,\n"
    "JS,Jiangsu,江苏,II,118.7633,32.0615,320000,,\n"
    "ZJ,Zhejiang,浙江,II,120.1536,30.2650,330000,,\n"
)
"""Four more provinces (rows of inputs/regions.csv) that make the tiny run a national view."""


@pytest.fixture(scope="session")
def national_run(tiny_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny run folder with six provincial-level regions: its maps are maps of China.

    The plan is the tiny one (Beijing and Tianjin host everything); the four added provinces
    host nothing, the other 28 provincial-level units (Taiwan, Hong Kong, Macao among them)
    lie outside the scenario.
    """
    import shutil

    out = tmp_path_factory.mktemp("runs") / "national-like"
    shutil.copytree(tiny_run, out)
    regions = out / "inputs" / "regions.csv"
    text = regions.read_text(encoding="utf-8")
    regions.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    with regions.open("a", encoding="utf-8") as handle:
        handle.write(NATIONAL_EXTRA_REGIONS)
    _add_unused_sites(out)  # maps draw the regions with a site (a region without one is a warning, not a map)
    return out


def _add_unused_sites(run: Path) -> None:
    """An unopened outer site in each of the added provinces, in inputs/sites.csv and the run's sites.csv."""
    for relative, row in (("inputs/sites.csv", "{r}-outer,{r},outer,100,100,{lon},{lat},1.0,0"),
                          ("sites.csv", "{r}-outer,{r},outer,100.0,0.0,0.0")):
        path = run / relative
        text = path.read_text(encoding="utf-8")
        lines = [row.format(r=line.split(",")[0], lon=line.split(",")[4], lat=line.split(",")[5])
                 for line in NATIONAL_EXTRA_REGIONS.splitlines()]
        path.write_text(text + ("" if text.endswith("\n") else "\n") + "\n".join(lines) + "\n", encoding="utf-8")


PERIODS_INDUSTRIES = """id,name,name_zh,category,demand,overcapacity,max_hosts,growth,upgrades,upgrade_cost,demand_2030
ai,Artificial intelligence,人工智能,future,100,0.1,1,0.05,,,
steel,Steel,钢铁,traditional,300,0.05,,,,,150
green,Green steel,绿色钢铁,emerging,50,0.1,,,steel,50,150
"""
PERIODS_FUNCTIONS = """industry,function,land_per_unit,setup_cost,unit_cost,min_scale,max_scale,support_ratio,\
energy_per_unit,req_research,retire_cost
ai,rd,0.05,500,20,5,,,,0.8,0
ai,pilot,0.2,300,10,5,,0.3,,0.5,0
ai,production,0.5,800,5,20,80,0.2,,0.2,0
steel,rd,0.1,200,5,2,,,,0.3,10
steel,pilot,0.3,200,5,2,,0.1,,0.2,10
steel,production,1.0,1000,2,50,,0.1,1,0,20
green,rd,0.1,200,5,2,,,,0.3,10
green,pilot,0.3,200,5,2,,0.1,,0.2,10
green,production,1.0,1000,2,20,,0.1,1,0,20
"""
PERIODS_STOCK = """industry,function,site,capacity
steel,production,A-center,150
steel,production,B-outer,150
steel,pilot,B-inner,30
steel,rd,A-inner,3
"""
PERIODS_SETTINGS = """  periods: [2025, 2030, 2035]
  transition: build_first
rules:
  - phase_out: {zone: center, category: traditional, function: production, by: 2030}
"""


def write_periods_scenario(folder: Path) -> Path:
    """The tiny scenario over three periods (docs/scenario.md "Version 2"): a stock of steel, green steel
    converting it in place, steel production phased out of central zones by 2030, 先立后破; returns its YAML.

    Its plan builds, converts and retires in different periods and sites (a solve of about a second).
    """
    tables = folder / "tables"
    tables.mkdir(parents=True)
    for name in ("regions", "sites"):
        (tables / f"{name}.csv").write_text((TINY.parent / "tables" / f"{name}.csv").read_text(encoding="utf-8"),
                                            encoding="utf-8")
    sites = tables / "sites.csv"  # room for the stock at A-center
    sites.write_text(sites.read_text(encoding="utf-8").replace("A-center,A,center,20,", "A-center,A,center,200,"),
                     encoding="utf-8")
    for name, text in (("industries", PERIODS_INDUSTRIES), ("functions", PERIODS_FUNCTIONS),
                       ("stock", PERIODS_STOCK)):
        (tables / f"{name}.csv").write_text(text, encoding="utf-8")
    yaml = TINY.read_text(encoding="utf-8").replace("name: tiny\n", "name: tiny-periods\n")
    yaml = yaml.replace("  functions: tables/functions.csv\n",
                        "  functions: tables/functions.csv\n  stock: tables/stock.csv\n")
    yaml = yaml.replace("  duplication: hard\n", "  duplication: hard\n" + PERIODS_SETTINGS)
    (folder / "scenario.yaml").write_text(yaml, encoding="utf-8")
    return folder / "scenario.yaml"


@pytest.fixture(scope="session")
def periods_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run folder of the tiny scenario over three periods (:func:`write_periods_scenario`)."""
    scenario = write_periods_scenario(tmp_path_factory.mktemp("scenarios") / "tiny-periods")
    return _solve(scenario, tmp_path_factory.mktemp("runs") / "tiny-periods")
