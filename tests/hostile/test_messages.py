"""A user's text in a message appears as written: rich markup and emoji codes are not rendered, and no pydantic
internal name (`constrained-str`, ...) appears. Table-driven: add a row to CASES for a new message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.conftest import Editable
from tests.hostile.conftest import Outputs

PYDANTIC_NAMES = ("constrained-", "function-after", "function-plain", "lax-or-strict", "json-or-python", "[type=",
                  "input_value=", "pydantic")


@dataclass(frozen=True)
class Case:
    """Edit the tiny scenario, run a command, expect a line (exit code `code`)."""

    name: str
    edit: Callable[[Editable], None]
    args: Callable[[Editable], list[str]]
    expected: str
    code: int = 2


def _validate(tiny: Editable) -> list[str]:
    return ["validate", str(tiny.yaml)]


def _existing_out(tiny: Editable) -> list[str]:
    out = tiny.root.parent / "[bold]out:x:"
    out.mkdir()
    (out / "keep.txt").write_text("earlier", encoding="utf-8")
    return ["run", str(tiny.yaml), "--out", str(out)]


CASES = [
    Case("cell", lambda t: t.replace("tables/regions.csv", "Alpha,甲,I,", "Alpha,甲,[bold]I[/bold] :x:,"), _validate,
         "tables/regions.csv row 2, column tier: '[bold]I[/bold] :x:' is not one of I, II, III, IV"),
    Case("yaml value", lambda t: t.append("scenario.yaml", "  name: '[red]gurobi :x:'\n"), _validate,
         "key solver.name: '[red]gurobi :x:' is not one of highs, cbc, glpk, scip"),
    Case("union", lambda t: t.append("scenario.yaml", "rules:\n  - lock_in: {site: [A-center, {a: ':x:'}]}\n"),
         _validate, "key rules[0].lock_in.site[1]: expected a value or a list of values"),
    Case("override value", lambda t: t.append("scenario.yaml", "overrides:\n  - table: sites\n"
                                              "    set: {land_price: '[red]cheap[/red] :x:'}\n"), _validate,
         "column land_price: '[red]cheap[/red] :x:' is not a number"),
    Case("output folder", lambda t: None, _existing_out,  # an absolute --out is shown absolute (issue 21)
         "/[bold]out:x: already exists and is not empty"),
    Case("title", lambda t: t.replace("scenario.yaml", "title: 测试 tiny", "title: '[bold]T[/bold] :x: :smile:'"),
         lambda t: ["run", str(t.yaml), "--out", str(t.root.parent / "run")], "optimal [bold]T[/bold] :x: :smile:", 0),
    Case("research error", lambda t: None, lambda t: ["importance", "[red]none:x:"],
         "Error: run folder [red]none:x: does not exist"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_text_in_messages_is_shown_as_written(case: Case, tiny: Editable) -> None:
    case.edit(tiny)
    result = CliRunner().invoke(app, case.args(tiny))
    assert result.exit_code == case.code, result.output
    assert case.expected in result.output, result.output
    assert "❌" not in result.output and "😄" not in result.output
    assert not [n for n in PYDANTIC_NAMES if n in result.output], result.output


def test_no_command_of_the_hostile_run_rendered_its_text(hostile: Outputs) -> None:
    for command, printed in hostile.console.items():
        assert "❌" not in printed, command
    assert "[bold red]rich[/bold red] :x:" in hostile.console["run"]


def test_a_sweep_problem_is_printed_as_written(tmp_path: Path) -> None:
    import yaml

    from tests.hostile.payloads import TINY

    sweep = tmp_path / "s.yaml"
    sweep.write_text(yaml.safe_dump({"name": "s", "base": str(TINY / "scenario.yaml"),
                                     "grid": {"product": [{"name": "[red]p:x:", "key": "settings.linkage_cost",
                                                           "values": ["[bold]v:x:"]}]}}), encoding="utf-8")
    result = CliRunner().invoke(app, ["sweep", str(sweep), "--out", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 2, result.output
    assert "key grid.product[0].name: '[red]p:x:' does not have the expected form" in result.output, result.output
    assert "❌" not in result.output
