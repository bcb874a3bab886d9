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


@pytest.fixture(scope="session", params=["tiny", "jjj"])
def any_run(request: pytest.FixtureRequest) -> Path:
    """Each run folder in turn."""
    return request.getfixturevalue(f"{request.param}_run")
