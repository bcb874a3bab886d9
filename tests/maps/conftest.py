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
