"""`planner export`: LP and MPS files that HiGHS reads back and solves to planner's optimum."""

from __future__ import annotations

from pathlib import Path

import highspy
import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.research.export import export_model
from tests.reference.generator import write_random_scenario
from tests.reference.model import solve_reference

runner = CliRunner()


def _highs_optimum(path: Path) -> float:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    assert h.readModel(str(path)) == highspy.HighsStatus.kOk
    h.setOptionValue("mip_rel_gap", 0.0)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return h.getInfo().objective_function_value


@pytest.mark.parametrize("seed", [None, 3])
def test_exported_files_solve_to_the_same_optimum(tiny_yaml: Path, tmp_path: Path, seed: int | None) -> None:
    scenario = tiny_yaml if seed is None else write_random_scenario(tmp_path / "scn", seed)
    expected = solve_reference(scenario).objective
    written = export_model(scenario, lp=tmp_path / "out" / "m.lp", mps=tmp_path / "out" / "m.mps")
    assert [w.format for w in written] == ["lp", "mps"]
    for w in written:
        assert _highs_optimum(w.path) == pytest.approx(expected, rel=1e-7)
    text = (tmp_path / "out" / "m.lp").read_text(encoding="utf-8")
    assert "x(" in text and "land" in text  # symbolic names


def test_command_line(tiny_yaml: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(tiny_yaml), "--mps", str(tmp_path / "m.mps")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m.mps").is_file() and not list(tmp_path.glob(".*partial"))
    assert runner.invoke(app, ["export", str(tiny_yaml)]).exit_code == 2


def test_existing_files_and_folders_are_refused(tiny_yaml: Path, tmp_path: Path) -> None:
    kept = tmp_path / "kept.lp"
    kept.write_text("precious", encoding="utf-8")
    cases = [(["--lp", str(kept)], "kept.lp already exists; choose another file or add --force"),
             (["--lp", str(tmp_path / "a"), "--mps", str(tmp_path / "a")], "give --lp and --mps different files"),
             (["--mps", str(tmp_path)], "is a folder; give a file name")]
    for options, message in cases:
        result = runner.invoke(app, ["export", str(tiny_yaml), *options])
        assert result.exit_code == 2 and message in " ".join(result.output.split()), result.output
    assert kept.read_text(encoding="utf-8") == "precious" and not (tmp_path / "a").exists()
    result = runner.invoke(app, ["export", str(tiny_yaml), "--lp", str(kept), "--force"])
    assert result.exit_code == 0 and kept.read_text(encoding="utf-8").startswith("\\")


def test_chinese_ids_are_written_as_ascii_names_that_glpk_reads(tiny, tmp_path: Path) -> None:
    import shutil
    import subprocess

    from tests.tables import set_columns

    set_columns(tiny.table("industries"), {"id": "人工智能"}, where=("id", "ai"))
    set_columns(tiny.table("functions"), {"industry": "人工智能"}, where=("industry", "ai"))
    expected = solve_reference(tiny.yaml).objective
    written = export_model(tiny.yaml, lp=tmp_path / "m.lp", mps=tmp_path / "m.mps")
    for w in written:
        text = w.path.read_bytes()
        assert text.isascii() and b"u4ebau5de5u667au80fd_rd_A_center" in text
        assert _highs_optimum(w.path) == pytest.approx(expected, rel=1e-7)
    if shutil.which("glpsol") is None:
        pytest.skip("glpsol (GLPK) is not installed: apt-get install glpk-utils")
    solution = tmp_path / "glpk.txt"
    done = subprocess.run(["glpsol", "--lp", str(tmp_path / "m.lp"), "-o", str(solution)], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    objective = next(line for line in solution.read_text().splitlines() if line.startswith("Objective:"))
    assert float(objective.split("=")[1].split()[0]) == pytest.approx(expected, rel=1e-6)


def test_ids_that_give_one_symbolic_name_are_refused_in_one_line(tiny, tmp_path: Path) -> None:
    from tests.tables import set_columns

    set_columns(tiny.table("sites"), {"id": "A_center"}, where=("id", "B-center"))  # A-center is written A_center too
    result = runner.invoke(app, ["export", str(tiny.yaml), "--lp", str(tmp_path / "m.lp")])
    assert result.exit_code == 2 and "Traceback" not in result.output and not (tmp_path / "m.lp").exists()
    said = " ".join(result.output.split())
    assert "two ids give the same name in the LP file (Duplicate symbol" in said
    assert "write it with --no-symbolic" in said
    assert runner.invoke(app,
                         ["export", str(tiny.yaml), "--lp", str(tmp_path / "m.lp"), "--no-symbolic"]).exit_code == 0
