"""Every hostile input of the reading suites through the command line: `planner validate` and `planner run`
exit 2 printing exactly the expected problem lines, with no traceback, and `run` writes nothing to --out."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Editable
from tests.hostile import test_reading_faults, test_reading_values, test_reading_yaml
from tests.hostile.reading_cases import LIMIT_SECONDS, Case, params

ALL_CASES = test_reading_faults.CASES + test_reading_yaml.CASES + test_reading_values.CASES
MEMORY_LIMIT = 4 * 1024**3
"""Address space allowed to each planner process: an unbounded read fails instead of exhausting the machine."""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _start(*args: str) -> subprocess.Popen[str]:
    env = os.environ | {"PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    return subprocess.Popen([sys.executable, "-m", "planner", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8", env=env, preexec_fn=_limit_memory)


def _finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    try:
        out, err = process.communicate(timeout=4 * LIMIT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"{' '.join(process.args[3:])} still running after {4 * LIMIT_SECONDS} s")  # type: ignore[index]
    return process.returncode, out + err


@pytest.mark.parametrize("case", params(ALL_CASES))
def test_validate_and_run_exit_2_naming_the_problem_and_write_nothing(case: Case, tiny: Editable,
                                                                      tmp_path: Path) -> None:
    scenario = case.scenario(tiny)
    out = tmp_path / "out"
    validate = _start("validate", str(scenario))
    run = _start("run", str(scenario), "--out", str(out))
    for command, (code, output) in (("validate", _finish(validate)), ("run", _finish(run))):
        assert "Traceback" not in output, f"{command}: {output[-3000:]}"
        assert code == 2, f"{command}: {output[-3000:]}"
        lines = output.splitlines()
        for line in case.lines(tiny):
            assert line in lines, f"{command}: {output[-3000:]}"
    assert not out.exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")]
