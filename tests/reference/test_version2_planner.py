"""planner against the independent version 2 reference (MODEL.md "Version 2"): on generated
multi-period brownfield cases and on the hand-computed ones, planner's optimum equals the
reference's and the run folder it writes passes the version 2 checker.

Skipped, as a whole, only while planner's scenario loader does not know ``settings.periods``
(the version 2 model is written on another branch); never otherwise.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from benchmarks.generate import generate_brownfield
from planner.run import run
from tests.tables import rewrite_csv

from .availability import PENDING_REASON, planner_has_version_2
from .checker2 import check_run_folder_v2
from .generator import write_random_scenario_v2
from .model2 import solve_reference_v2
from .test_version2 import (
    DELTA_5Y,
    conversion_case,
    grandfathered_case,
    relocation_case,
    upgrade_case,
)

REPO = Path(__file__).resolve().parents[2]
WORKED_EXAMPLE = REPO / "scenarios" / "transition" / "scenario.yaml"


if not planner_has_version_2():
    pytest.skip(PENDING_REASON, allow_module_level=True)


def _run_and_compare(scenario: Path, out: Path, expected: float | None = None) -> float:
    """Run planner and the reference at gap 0; both optimal, same objective, plan passes the checker."""
    reference = solve_reference_v2(scenario, mip_gap=0.0)
    outcome = run(scenario, out, mip_gap=0.0, threads=1, time_limit=900)  # proven optimal however busy the machine
    assert reference.status == "optimal", reference.status
    assert outcome.status == "optimal", outcome.status
    assert reference.objective is not None
    if expected is not None:
        assert math.isclose(reference.objective, expected, rel_tol=1e-9)
    assert math.isclose(outcome.summary["objective"], reference.objective, rel_tol=1e-6, abs_tol=1e-6)
    assert check_run_folder_v2(out, scenario) == []
    assert outcome.summary["violations"] == []
    return reference.objective


GENERATED = [
    # (seed, transition, lag, soft): both modes, lag 0 and 1; seeds 2 and 3 make 先立后破 bind
    (0, "free", 0, False),
    (1, "build_first", 0, True),
    (2, "free", 0, False),
    (2, "build_first", 0, False),
    (3, "build_first", 0, False),
    (3, "build_first", 1, False),
    (4, "build_first", 1, True),
    (5, "free", 0, True),
]


@pytest.mark.parametrize(("seed", "transition", "lag", "soft"), GENERATED)
def test_generated_brownfield_optimum_matches_the_reference(
    tmp_path: Path, seed: int, transition: str, lag: int, soft: bool
) -> None:
    scenario = write_random_scenario_v2(tmp_path / "scenario", seed, transition=transition, lag=lag, soft=soft)
    _run_and_compare(scenario, tmp_path / "run")


@pytest.mark.parametrize(("transition", "lag"), [("free", 0), ("build_first", 0)])
def test_relocation_hand_optimum(tmp_path: Path, transition: str, lag: int) -> None:
    """See tests/reference/test_version2.py: 10 + 260 δ."""
    scenario = relocation_case(tmp_path / "scenario", transition, lag, 1.0)
    _run_and_compare(scenario, tmp_path / "run", 10 + 260 * DELTA_5Y)


def test_build_first_lag_one_hand_optimum(tmp_path: Path) -> None:
    """See tests/reference/test_version2.py: 220 + 60 δ; with θ = 0 infeasible."""
    scenario = relocation_case(tmp_path / "a", "build_first", 1, 1.0)
    _run_and_compare(scenario, tmp_path / "run", 220 + 60 * DELTA_5Y)
    outcome = run(relocation_case(tmp_path / "b", "build_first", 1, 0.0), tmp_path / "run-b", threads=1)
    assert outcome.status == "infeasible"
    assert (tmp_path / "run-b" / "infeasibility.txt").is_file()


def test_upgrade_hand_optimum(tmp_path: Path) -> None:
    """See tests/reference/test_version2.py: 150 + (6 + g) δ with g = 5 * 1.1^5 - 5, δ = 1.04^-5."""
    scenario = upgrade_case(tmp_path / "scenario")
    _run_and_compare(scenario, tmp_path / "run", 150 + (6 + 5 * 1.1**5 - 5) * 1.04**-5)


@pytest.mark.parametrize("transition", ["free", "build_first"])
def test_conversion_hand_optimum(tmp_path: Path, transition: str) -> None:
    """See tests/reference/test_version2.py: 16 in both modes; with nev 2030 = 6, 13 free, infeasible build_first."""
    _run_and_compare(conversion_case(tmp_path / "a", transition, 9), tmp_path / "run-a", 16.0)
    scenario = conversion_case(tmp_path / "b", transition, 6)
    if transition == "free":
        _run_and_compare(scenario, tmp_path / "run-b", 13.0)
    else:
        assert run(scenario, tmp_path / "run-b", threads=1).status == "infeasible"


@pytest.mark.parametrize("duplication", ["hard", "soft"])
def test_grandfathered_hosts_hand_optimum(tmp_path: Path, duplication: str) -> None:
    """See tests/reference/test_version2.py: keeping the duplicated stock costs 10."""
    scenario = grandfathered_case(tmp_path / "scenario", duplication)
    _run_and_compare(scenario, tmp_path / "run", 10.0)


@pytest.mark.parametrize("seed", [101, 202, 303])
def test_benchmark_brownfield_instance_matches_the_reference(tmp_path: Path, seed: int) -> None:
    """The benchmark generator's brownfield instances at 6 x 5 x 3 periods."""
    _run_and_compare(generate_brownfield(6, 5, seed, tmp_path / "scenario"), tmp_path / "run")


def test_worked_example_matches_the_reference(tmp_path: Path) -> None:
    """The bundled worked example (scenarios/transition) reaches the reference's optimum."""
    _run_and_compare(WORKED_EXAMPLE, tmp_path / "run")


def test_checker_catches_a_broken_planner_plan(tmp_path: Path) -> None:
    """The version 2 checker is not vacuous on planner's own run folders: the new build of the
    lag-1 relocation case moved from 2025 to 2030 breaks 先立后破 and the balance."""
    scenario = relocation_case(tmp_path / "scenario", "build_first", 1, 1.0)
    out = tmp_path / "run"
    _run_and_compare(scenario, out, 220 + 60 * DELTA_5Y)

    def edit(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        for row in rows:
            if row["site"] == "A-outer" and row["function"] == "production":
                row["built"] = "10" if float(row["period"]) == 2030 else "0"
        return rows

    rewrite_csv(out / "transition.csv", edit)
    found = check_run_folder_v2(out, scenario)
    assert any(m.startswith("先立后破: region A has retired 10") for m in found), found
    assert any(m.startswith("balance of ('steel', 'production', 'A-outer') in 2025") for m in found), found
