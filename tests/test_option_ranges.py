"""The solver options' ranges are written once, in the schema: the command line refuses exactly what it refuses."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import Field, ValidationError
from typer.testing import CliRunner

from planner.cli import app
from planner.scenario.bounds import Bounds, field_bounds
from planner.scenario.messages import describe
from planner.scenario.schema import SolverOptions

runner = CliRunner()

VALUES = {
    "time_limit": ["-1", "0", "1e-9", "5", "nan", "inf", "-inf"],
    "mip_gap": ["-0.5", "0", "0.1", "2", "nan", "inf"],
    "threads": ["-1", "0", "1", "2"],
    "seed": ["-3", "0", "7"],
    "memory_limit": ["-1", "0", "0.5", "4", "nan", "inf"],
}


def _schema_accepts(field: str, text: str) -> bool:
    try:
        SolverOptions.model_validate({field: text})
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("field, text", [(field, text) for field, texts in VALUES.items() for text in texts])
def test_the_command_line_refuses_what_the_schema_refuses(tmp_path, field: str, text: str) -> None:
    flag = "--" + field.replace("_", "-")
    result = runner.invoke(app, ["run", str(tmp_path / "none.yaml"), "--out", str(tmp_path / "run"), flag, text])
    output = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 2  # refused option, or accepted and then the missing scenario
    refused = f"Invalid value for '{flag}'" in output
    assert refused != _schema_accepts(field, text), output
    assert refused or "none.yaml: file not found" in output
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("field, value, words", [
    ("time_limit", -1, "-1 must be greater than 0"), ("mip_gap", -0.5, "-0.5 must be at least 0"),
    ("threads", 0, "0 must be at least 1"), ("memory_limit", -2, "-2 must be at least 0"),
    ("seed", -1, "-1 must be at least 0"), ("seed", 3_000_000_000, "3000000000 must be at most 2147483647")])
def test_the_command_line_and_a_scenario_file_refuse_in_the_same_words(tmp_path, field: str, value: float,
                                                                        words: str) -> None:
    with pytest.raises(ValidationError) as refused:
        SolverOptions.model_validate({field: value})
    assert describe(refused.value.errors()[0]) == words  # `planner run` on solver.<field> in a scenario file
    flag = "--" + field.replace("_", "-")
    result = runner.invoke(app, ["run", str(tmp_path / "none.yaml"), flag, str(value)])
    assert f"Invalid value for '{flag}': {words}" in " ".join(result.output.replace("│", " ").split())


@pytest.mark.parametrize("option, value, message", [
    ("--time-limit", "inf", "Invalid value for '--time-limit': inf is not a finite number"),
    ("--mip-gap", "inf", "Invalid value for '--mip-gap': inf is not a finite number"),
])
def test_an_infinite_limit_is_refused_with_exit_2(tiny, option: str, value: str, message: str) -> None:
    out = tiny.root.parent / "run"
    result = runner.invoke(app, ["run", str(tiny.yaml), "--out", str(out), option, value])
    assert result.exit_code == 2
    assert message in " ".join(result.output.replace("│", " ").split())
    assert not out.exists()


def test_the_bounds_are_read_from_the_fields() -> None:
    assert field_bounds(SolverOptions, "time_limit") == Bounds(gt=0, finite=True)
    assert field_bounds(SolverOptions, "mip_gap") == Bounds(ge=0, finite=True)
    assert field_bounds(SolverOptions, "threads") == Bounds(ge=1, le=1024, finite=True)
    assert field_bounds(SolverOptions, "seed") == Bounds(ge=0, le=2**31 - 1, finite=True)
    assert field_bounds(SolverOptions, "memory_limit") == Bounds(ge=0, finite=True)
    assert SolverOptions().memory_limit == 4.0  # GB; 0 is no limit


def test_a_changed_range_is_read_as_changed() -> None:
    class Narrow(SolverOptions):
        mip_gap: Annotated[float, Field(gt=0, le=0.5)] = 1e-4
        threads: int | None = Field(default=None, gt=1, lt=9)

    gap = field_bounds(Narrow, "mip_gap")
    assert [gap.problem(v) for v in (0.0, 0.25, 0.5, 0.75)] == ["0 must be greater than 0", None, None,
                                                              "0.75 must be at most 0.5"]
    assert [field_bounds(Narrow, "threads").problem(v) for v in (1, 2, 8, 9)] == [
        "1 must be greater than 1", None, None, "9 must be less than 9"]
    assert Bounds(le=2**31 - 1).problem(3e9) == "3000000000 must be at most 2147483647"  # whole numbers in full
    assert Bounds(lt=3).problem(3) == "3 must be less than 3"
    assert Bounds(ge=0).problem(float("inf")) is None and Bounds(ge=0, finite=True).problem(float("-inf")) == (
        "-inf must be at least 0")
