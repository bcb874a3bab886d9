"""The two-thread benchmark (benchmarks/threads.py): its solves reach HiGHS with their thread counts, and its
ratios and tables say what the measurements say."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate
from benchmarks.threads import MODES, pair_wall, ratios, solve_together, threads_report, workers_lines

MACHINE = {"cores (nproc)": "2", "highspy": "1.16.0"}


def solve(threads: int, wall: float, status: str = "optimal", gap: float = 0.0005, started: float = 100.0,
          seed: int = 0) -> dict[str, Any]:
    """A measurement as measure_solve returns it."""
    return {"threads": threads, "seed": seed, "columns": 10, "build": 0.1, "wall": wall, "started": started,
            "ended": started + wall, "solve": wall - 0.5, "cpu": wall * threads, "cpu_apart": 0.0, "status": status,
            "objective": 100.0, "bound": 100.0 * (1 - gap), "gap": gap, "peak_mib": 300.0, "apart_peak_mib": 0.0,
            "workers": [f"using up to {threads} workers across {threads} threads"] * 2, "notes": []}


def test_two_solves_side_by_side_reach_highs_with_their_own_thread_counts(tmp_path: Path) -> None:
    scenario = generate(3, 4, 1, tmp_path / "s")
    two, one = solve_together(scenario, 20.0, 1e-3, [(2, 0), (1, 1)], timeout=120.0)
    assert two["workers"][-1] == "using up to 2 workers across 2 threads"
    assert one["workers"][-1] == "using up to 1 workers across 1 threads"
    assert (two["threads"], two["seed"], one["threads"], one["seed"]) == (2, 0, 1, 1)
    assert two["status"] == one["status"] == "optimal"
    assert abs(two["objective"] - one["objective"]) <= 2e-3 * abs(one["objective"])  # both within the 0.1 % gap
    # they ran at the same time: each started before the other ended
    assert two["started"] < one["ended"] and one["started"] < two["ended"]
    assert pair_wall([two, one]) == pytest.approx(max(two["ended"], one["ended"]) - min(two["started"], one["started"]))


def test_the_ratios_compare_time_to_the_gap_only_when_both_reached_it() -> None:
    row = {"size": "9x9", "one thread": [solve(1, 30.0)], "two threads": [solve(2, 20.0)],
           "pair": [solve(1, 33.0, started=10.0), solve(1, 35.0, started=11.0, seed=1)]}
    got = ratios(row)
    assert got["time_to_gap"] == pytest.approx(1.5)
    assert got["pair_vs_one"] == pytest.approx(60.0 / 36.0)  # the pair's wall: 10.0 to 46.0
    assert got["pair_vs_two"] == pytest.approx(40.0 / 36.0)
    row["two threads"] = [solve(2, 120.4, status="feasible", gap=0.004)]
    assert ratios(row)["time_to_gap"] is None


def test_the_report_has_a_line_per_solve_and_per_size_with_every_column() -> None:
    rows = [{"size": "9x9", "one thread": [solve(1, 121.0, status="feasible", gap=0.002)],
             "two threads": [{"status": "crashed", "error": ["boom"]}],
             "pair": [solve(1, 122.0), solve(1, 126.5, seed=1)]}]
    text = threads_report(rows, {"time_limit": 120.0}, MACHINE)
    tables = [[line for line in block.splitlines() if line.startswith("| 9x9")] for block in text.split("\n\n")]
    solves, sizes = [t for t in tables if t]
    assert len(solves) == sum(len(s) for s in MODES.values()) and len(sizes) == 1
    headers = [block.splitlines()[0] for block in text.split("\n\n") if block.startswith("| size")]
    for lines, header in zip((solves, sizes), headers, strict=True):
        assert {line.count("|") for line in lines} == {header.count("|")}
    assert "| 9x9 | one thread | 1 | 0 | 121.0 | +1.0 | yes |" in solves[0]
    assert "| 9x9 | pair | 1 | 1 | 126.5 | +6.5 | no |" in solves[3]  # the allowed overrun at 120 s: 6 s
    assert "| crashed |" in solves[1]
    assert sizes[0].startswith("| 9x9 |  | 0.200 % |  | ")


def test_the_workers_lines_are_read_from_highs_log() -> None:
    log = ("Solving MIP model with:\n   Thread count: 2 available cores, 2 logical processors, using up to 2 workers "
           "across 2 threads.\nsomething else\n")
    assert workers_lines(log) == ["using up to 2 workers across 2 threads"]
