"""A sweep over the settings of a plan over periods (docs/model.md version 2): `transition` x `discount_rate` on the
local Dask cluster; every member's optimum equals the independent reference's on a flat copy of the scenario with
the member's settings."""

from __future__ import annotations

import math
import os
import shutil
from pathlib import Path

import pytest
import yaml

from planner.scenario import load_scenario
from planner.sweep import load_sweep, run_sweep
from planner.sweep.members import member_document
from tests.reference.model2 import solve_reference_v2

FIXTURE = Path(__file__).parent.parent / "fixtures" / "tiny_v2" / "scenario.yaml"
TERMS = ("land", "setup", "operating", "linkage", "duplication", "retire", "upgrade")


def _flat(folder: Path, name: str, transition: str, rate: float) -> Path:
    """A copy of the fixture with the member's settings, as one flat file (the reference reads no `extends`)."""
    if not folder.exists():
        shutil.copytree(FIXTURE.parent, folder)
    doc = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    doc["settings"] |= {"transition": transition, "discount_rate": float(rate)}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_sweep_over_transition_and_discount_rate(tmp_path: Path) -> None:
    sweep = tmp_path / "v2grid.yaml"
    sweep.write_text(yaml.safe_dump({
        "name": "v2grid", "base": os.path.relpath(FIXTURE, tmp_path), "solver": {"mip_gap": 0, "time_limit": 30},
        "grid": {"product": [{"name": "transition", "key": "settings.transition", "values": ["free", "build_first"]},
                             {"name": "rate", "key": "settings.discount_rate", "values": [0, 0.08]}]}}),
        encoding="utf-8")
    outcome = run_sweep(sweep, tmp_path / "out", workers=1, processes=False)
    assert outcome.ran == 4 and outcome.failed == 0
    table = outcome.table.set_index("member")
    for name, row in table.iterrows():
        reference = solve_reference_v2(_flat(tmp_path / "flat", name, row["transition"], row["rate"]))
        assert row["status"] == "optimal" and reference.status == "optimal"
        assert row["objective"] == pytest.approx(reference.objective, rel=1e-7)
        assert math.isclose(sum(row[f"cost_{t}"] for t in TERMS), row["objective"], rel_tol=1e-6)
        assert row["cost_2025"] > 0 and row["built_2025"] > 0 and not math.isnan(row["retired_2030"])
    for mode in ("free", "build_first"):  # discounting lowers every later cost
        assert table.loc[f"transition={mode}__rate=0.08", "objective"] < table.loc[f"transition={mode}__rate=0",
                                                                                  "objective"]
    # undiscounted, the objective is the sum of the periods' costs
    row = table.loc["transition=free__rate=0"]
    assert row["objective"] == pytest.approx(row["cost_2025"] + row["cost_2030"], rel=1e-9)


def test_a_sweep_may_scale_the_stock(tmp_path: Path) -> None:
    """An override parameter of the stock table: each member's scenario holds the scaled existing capacity."""
    sweep = tmp_path / "stock.yaml"
    sweep.write_text(yaml.safe_dump({
        "base": os.path.relpath(FIXTURE, tmp_path),
        "grid": {"product": [{"name": "stock", "table": "stock", "where": {"function": "production"},
                              "column": "capacity", "scale": [0.5, 1.0]}]}}), encoding="utf-8")
    spec = load_sweep(sweep)
    base = load_scenario(FIXTURE).stock
    for member, factor in zip(spec.members, (0.5, 1.0), strict=True):
        path = tmp_path / f"{member.name}.yaml"
        path.write_text(yaml.safe_dump(member_document(spec, member, path), allow_unicode=True), encoding="utf-8")
        stock = load_scenario(path).stock
        assert {k: row.capacity for k, row in stock.items()} == {
            k: row.capacity * (factor if k[1] == "production" else 1.0) for k, row in base.items()}
