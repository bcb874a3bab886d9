"""`planner run / validate / schema / --version` as a user calls them, and the run folder they write."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from planner import __version__
from planner.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent

SUMMARY_KEYS = {
    "scenario", "title", "status", "objective", "best_bound", "mip_gap", "build_seconds", "handover_seconds",
    "solve_seconds", "interrupted", "warnings", "heuristic",
    "n_variables", "n_binaries", "n_constraints", "costs", "costs_unweighted", "division_of_labour", "hosts",
    "extra_hosts", "flow_radius_km", "violations",
}


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_version_and_help():
    assert invoke("--version").output.strip() == f"planner {__version__}"
    for command in ("run", "validate", "schema"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output


def test_a_help_paragraph_is_wrapped_to_the_terminal_not_at_the_docstring_s_line_breaks():
    wide = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "200"}).output
    assert "the best plan so far, the bound and the gap" in wide


def test_the_command_line_starts_without_the_solver_maps_or_dask():
    # `planner --help` and `planner validate` stay quick: the heavy libraries load with the commands that use them
    import subprocess
    import sys

    heavy = ("pyomo", "scipy", "highspy", "folium", "geopandas", "matplotlib", "dask", "distributed", "pandas")
    code = f"import sys, planner.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_validate_ok_and_bad(tiny):
    ok = invoke("validate", tiny.yaml)
    assert ok.exit_code == 0 and "valid (2 regions, 6 sites, 2 industries)" in ok.output
    tiny.replace("tables/sites.csv", "A-inner,A,inner", "A-inner,A,centre")
    bad = invoke("validate", tiny.yaml)
    assert bad.exit_code == 2
    assert "tiny/tables/sites.csv row 3, column zone: 'centre' is not one of center, inner, outer" in bad.output


def test_schema_documents_every_field():
    result = invoke("schema")
    schema = json.loads(result.output)
    settings = schema["$defs"]["Settings"]["properties"]
    assert all(field.get("description") for field in settings.values())
    sites = json.loads(invoke("schema", "--table", "sites").output)
    assert sites["properties"]["land_price"]["description"].startswith("P_s")


def _as_document(cells: dict[str, str], schema: dict) -> dict:
    """A CSV row as `planner schema --table` describes it (docs/scenario.md): empty cells left out, the cells of
    number columns as numbers, the others as text."""
    def kind(column: str) -> set[str]:
        found = schema["properties"].get(column) or next(
            (v for pattern, v in schema.get("patternProperties", {}).items() if re.search(pattern, column)), {})
        return {found.get("type"), *(member.get("type") for member in found.get("anyOf", []))}

    document: dict = {}
    for column, cell in cells.items():
        cell = cell.strip()
        if cell:
            types = kind(column)
            document[column] = int(cell) if "integer" in types else float(cell) if "number" in types else cell
    return document


@pytest.mark.parametrize("table", ["regions", "sites", "industries", "functions"])
def test_real_rows_fit_the_published_row_schema(table):
    from jsonschema import Draft202012Validator

    from planner.scenario.tables import read_table

    schema = json.loads(invoke("schema", "--table", table).output)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    raw, problems = read_table(table, ROOT / "scenarios" / "jjj" / "tables" / f"{table}.csv")
    assert problems == [] and raw.rows
    documents = [_as_document(cells, schema) for cells in raw.rows]
    for document in documents:
        assert list(validator.iter_errors(document)) == []
    [error] = validator.iter_errors(documents[0] | {"colour": "red"})  # an unknown column is still refused
    assert error.validator == "additionalProperties"
    prefix = {"sites": "cap_", "industries": "demand_", "functions": "req_"}.get(table)
    assert error.message == (f"'colour' does not match any of the regexes: '^{prefix}.+$'" if prefix else
                             "Additional properties are not allowed ('colour' was unexpected)")
    if prefix and table != "industries":  # jjj has no demand_<year> columns (one period)
        assert any(column.startswith(prefix) for column in documents[0])
        assert "capabilities" not in schema["properties"] and "requirements" not in schema["properties"]
        [column] = schema["patternProperties"].values()
        assert column["description"].startswith("C_sk" if table == "sites" else "Q_ifk")
        assert not validator.is_valid(documents[0] | {f"{prefix}new": 1.5})  # scores lie in [0, 1]
        assert validator.is_valid(documents[0] | {f"{prefix}new": 0.5})
        assert not validator.is_valid(documents[0] | {prefix: 0.5})  # as the loader: a name after the prefix


def test_run_writes_the_whole_folder(tiny):
    out = tiny.root.parent / "run"
    result = invoke("run", tiny.yaml, "--out", out)
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {
        "manifest.json", "summary.json", "assignments.csv", "links.csv", "sites.csv", "map.html", "inputs",
        "solver.log", "plan.gpkg", "plan.xlsx"}  # solver.log: the solver's log, kept off the console (issue 21)
    assert "Solving report" in (out / "solver.log").read_text(encoding="utf-8")  # (HiGHS's banner: once a process)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert set(summary) == SUMMARY_KEYS
    assert summary["status"] == "optimal" and summary["violations"] == []
    assert math.isclose(sum(summary["costs"].values()), summary["objective"], rel_tol=1e-9)
    for shares in summary["division_of_labour"].values():
        assert math.isclose(sum(shares.values()), 1.0)
    assignments = pd.read_csv(out / "assignments.csv")
    assert list(assignments.columns) == ["industry", "function", "site", "region", "zone", "capacity", "land_ha",
                                         "land_cost", "setup_cost", "operating_cost"]
    assert math.isclose(assignments["setup_cost"].sum(), summary["costs"]["setup"])
    assert list(pd.read_csv(out / "links.csv").columns) == [
        "industry", "function", "from_site", "to_site", "amount", "distance_km"]
    assert list(pd.read_csv(out / "sites.csv").columns) == [
        "site", "region", "zone", "land_ha", "land_used_ha", "share_used"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["solver"]["name"] == "highs" and manifest["solver"]["options"]["mip_gap"] == 0
    assert len(manifest["inputs"]) == 5 and all(len(h) == 64 for h in manifest["inputs"].values())
    assert manifest["scenario"]["settings"]["chain_radius_km"] == 300


def test_no_alongside_reaches_the_solve_and_its_record(tiny):
    out = tiny.root.parent / "run-no-alongside"
    result = invoke("run", tiny.yaml, "--out", out, "--no-alongside")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["solver"]["options"]["alongside"] is False
    heuristic = json.loads((out / "summary.json").read_text(encoding="utf-8"))["heuristic"]
    assert heuristic["swaps_alongside"] is False


def test_rerun_from_the_run_folder_gives_the_same_plan(tiny):
    first, second = tiny.root.parent / "a", tiny.root.parent / "b"
    assert invoke("run", tiny.yaml, "--out", first).exit_code == 0
    assert invoke("run", first / "inputs" / "scenario.yaml", "--out", second).exit_code == 0
    assert (first / "assignments.csv").read_bytes() == (second / "assignments.csv").read_bytes()


def test_existing_folder_is_refused_then_replaced_with_force(tiny):
    out = tiny.root.parent / "run"
    out.mkdir()
    (out / "precious.txt").write_text("earlier work", encoding="utf-8")
    refused = invoke("run", tiny.yaml, "--out", out)
    assert refused.exit_code == 2
    assert "run already exists and is not empty; choose another --out or add --force" in refused.output
    assert [p.name for p in out.iterdir()] == ["precious.txt"]
    forced = invoke("run", tiny.yaml, "--out", out, "--force")
    assert forced.exit_code == 0 and not (out / "precious.txt").exists() and (out / "summary.json").exists()


def test_a_plan_without_a_bound_is_printed_with_bound_unknown(tiny, capsys):
    # GLPK stopping on its gap gives such a plan (status feasible, no bound): it is a plan, exit 0
    from planner.cli.common import out_console
    from planner.cli.run import _print_outcome
    from planner.run import run

    outcome = run(tiny.yaml, tiny.root.parent / "run")
    outcome.summary["best_bound"] = outcome.summary["mip_gap"] = None
    _print_outcome(outcome, out_console)
    said = capsys.readouterr()  # the results on stdout (README "Output"), nothing of them on stderr
    assert f"objective {outcome.summary['objective']:,.2f} (10k yuan), bound unknown, gap unknown;" in said.out
    assert said.err == ""


def test_a_solver_note_is_printed_on_stderr(tiny, capsys):
    # the default memory limit that leaves HiGHS's MIP out must be told on the console, not only in summary.json
    from planner.cli.common import out_console
    from planner.cli.run import _print_outcome
    from planner.run import run

    outcome = run(tiny.yaml, tiny.root.parent / "run", memory_limit=0.01)
    capsys.readouterr()
    _print_outcome(outcome, out_console)
    said = capsys.readouterr()
    notes = [line for line in said.err.splitlines() if line.startswith("solver note: ")]
    assert len(notes) == len(outcome.summary["solver_notes"]) == 1
    assert notes[0].startswith("solver note: HiGHS's MIP of the whole model was left out: it would need about ")
    assert "solver note" not in said.out


def test_ctrl_c_before_any_plan_is_printed_as_such(tiny, capsys):
    from planner.cli.common import out_console
    from planner.cli.run import _print_outcome
    from planner.run import run

    outcome = run(tiny.yaml, tiny.root.parent / "run")
    outcome.summary["interrupted"] = True
    _print_outcome(outcome, out_console)
    assert "interrupted by Ctrl-C: the plan below is the best found until then." in capsys.readouterr().err
    outcome.summary["objective"] = None  # as an interrupt before the first plan leaves it
    _print_outcome(outcome, out_console)
    said = capsys.readouterr().err
    assert "interrupted by Ctrl-C: no plan was found until then." in said and "the plan below" not in said


def test_bad_input_exits_2_and_writes_nothing(tiny):
    tiny.replace("tables/industries.csv", "future,100,", "future,lots,")
    out = tiny.root.parent / "run"
    result = invoke("run", tiny.yaml, "--out", out)
    assert result.exit_code == 2
    assert "tiny/tables/industries.csv row 2, column demand: 'lots' is not a number" in result.output
    assert not out.exists()


@pytest.mark.parametrize("option, value, message", [
    ("--time-limit", "-1", "Invalid value for '--time-limit': -1 must be greater than 0"),
    ("--time-limit", "0", "Invalid value for '--time-limit': 0 must be greater than 0"),
    ("--time-limit", "nan", "Invalid value for '--time-limit': nan must be greater than 0"),
    ("--mip-gap", "-0.5", "Invalid value for '--mip-gap': -0.5 must be at least 0"),
    ("--mip-gap", "nan", "Invalid value for '--mip-gap': nan must be at least 0"),
    ("--threads", "0", "Invalid value for '--threads'"),
    ("--seed", "-3", "Invalid value for '--seed'"),
])
def test_out_of_range_options_exit_2_and_write_nothing(tiny, option, value, message):
    out = tiny.root.parent / "run"
    result = invoke("run", tiny.yaml, "--out", out, option, value)
    assert result.exit_code == 2
    assert message in " ".join(result.output.replace("│", " ").split())
    assert not out.exists()


def test_unknown_solver_is_a_clear_error(tiny):
    result = invoke("run", tiny.yaml, "--out", tiny.root.parent / "run", "--solver", "cplexx")
    assert result.exit_code == 2 and "unknown solver 'cplexx'; known: highs, cbc, glpk, scip" in result.output
    assert not (tiny.root.parent / "run").exists()


def test_a_scenario_naming_an_unknown_solver_is_bad_input_for_validate_and_run(tiny):
    (tiny.root / "child.yaml").write_text("extends: scenario.yaml\nsolver: {name: gurobi}\n", encoding="utf-8")
    out = tiny.root.parent / "run"
    for result in (invoke("validate", tiny.root / "child.yaml"), invoke("run", tiny.root / "child.yaml", "--out", out)):
        assert result.exit_code == 2
        assert "tiny/child.yaml key solver.name: 'gurobi' is not one of highs, cbc, glpk, scip" in result.output
    assert not out.exists()


def test_the_schema_lists_the_solvers_the_registry_has():
    from planner.scenario.schema import SOLVER_NAMES
    from planner.solve import SOLVERS

    options = json.loads(invoke("schema").output)["$defs"]["SolverOptions"]["properties"]["name"]
    assert options["enum"] == list(SOLVER_NAMES) == list(SOLVERS) == ["highs", "cbc", "glpk", "scip"]
    assert all(f"`{name}`" in options["description"] for name in SOLVER_NAMES)


def test_obvious_infeasibility_exits_3_with_diagnosis(tiny):
    tiny.replace("tables/industries.csv", "future,100,", "future,1000,")
    out = tiny.root.parent / "run"
    result = invoke("run", tiny.yaml, "--out", out)
    assert result.exit_code == 3
    text = (out / "infeasibility.txt").read_text(encoding="utf-8")
    assert ("- industry ai (人工智能) needs at least 1000 units of production, but the sites eligible for it hold at "
            "most 420 (A-center 40, A-inner 80, A-outer 80, B-center 60, B-inner 80, B-outer 80; "
            "by land_ha / land_per_unit and max_scale)") in text
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["status"] == "infeasible"
    assert not (out / "assignments.csv").exists()


def test_infeasibility_found_by_the_solver_exits_3(tiny):
    # ai's R&D is eligible only at A-center, but max_new_industries 0 forbids region A any future industry.
    tiny.replace("tables/regions.csv", "A,Alpha,甲,I,116.40,39.90,110000,,", "A,Alpha,甲,I,116.40,39.90,110000,,0")
    result = invoke("run", tiny.yaml, "--out", tiny.root.parent / "run")
    assert result.exit_code == 3, result.output
    text = (tiny.root.parent / "run" / "infeasibility.txt").read_text(encoding="utf-8")
    assert text.startswith("Scenario tiny (测试 tiny) has no feasible plan")


def test_failure_while_writing_leaves_no_folder(tiny, monkeypatch):
    import planner.run

    def broken(path, **options):  # write_map(path, lang=...)
        raise RuntimeError("disk full")

    monkeypatch.setattr(planner.run, "write_map", broken)
    with pytest.raises(RuntimeError):
        planner.run.run(tiny.yaml, tiny.root.parent / "run")
    assert sorted(p.name for p in tiny.root.parent.iterdir()) == ["tiny"]


def test_time_limit_and_options_reach_the_manifest(tiny):
    out = tiny.root.parent / "run"
    result = invoke("run", tiny.yaml, "--out", out, "--time-limit", "20", "--threads", "1", "--seed", "7")
    assert result.exit_code == 0
    options = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["solver"]["options"]
    assert (options["time_limit"], options["threads"], options["seed"]) == (20, 1, 7)
    rerun = yaml.safe_load((out / "inputs" / "scenario.yaml").read_text(encoding="utf-8"))["solver"]
    assert rerun == options  # the folder reruns with the options the run really used


def test_solvers_lists_highs_with_its_version():
    import highspy

    result = invoke("solvers")
    assert result.exit_code == 0
    assert f"highs  │ {highspy.Highs().version()}" in result.output


def test_numerical_warnings_name_table_row_and_column(tiny):
    tiny.replace("tables/sites.csv", "B-outer,B,outer,300,", "B-outer,B,outer,3e12,")
    result = invoke("run", tiny.yaml, "--out", tiny.root.parent / "run")
    assert result.exit_code == 0
    warnings = json.loads((tiny.root.parent / "run" / "summary.json").read_text(encoding="utf-8"))["warnings"]
    assert "sites column land_ha: 3e+12 (B-outer) is very large; consider other units" in warnings
    assert ("sites column land_ha: values span 20 (A-center) to 3e+12 (B-outer); such a spread can make the solver "
            "inaccurate") in warnings
    assert "warning: sites column land_ha: 3e+12 (B-outer) is very large" in result.output


def test_validate_prints_the_numerical_warnings_of_run(tiny):
    tiny.replace("tables/sites.csv", "B-outer,B,outer,300,300,", "B-outer,B,outer,300,1e13,")
    result = invoke("validate", tiny.yaml)
    assert result.exit_code == 0 and "valid (2 regions, 6 sites, 2 industries)" in result.output
    warnings = ["sites column land_price: 1e+13 (B-outer) is very large; consider other units",
                "sites column land_price: values span 500 (A-outer) to 1e+13 (B-outer); "
                "such a spread can make the solver inaccurate"]
    printed = [f"warning: {w}" for w in warnings]
    assert [line for line in result.output.splitlines() if line.startswith("warning:")] == printed
    ran = invoke("run", tiny.yaml, "--out", tiny.root.parent / "run")
    assert [line for line in ran.output.splitlines() if line.startswith("warning:")] == printed


def test_two_runs_at_once_do_not_disturb_each_other(tiny):
    import subprocess
    import sys

    outs = [tiny.root.parent / "one", tiny.root.parent / "two"]
    procs = [subprocess.Popen([sys.executable, "-m", "planner", "run", str(tiny.yaml), "--out", str(out)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for out in outs]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    assert (outs[0] / "assignments.csv").read_bytes() == (outs[1] / "assignments.csv").read_bytes()
    assert sorted(p.name for p in tiny.root.parent.iterdir()) == ["one", "tiny", "two"]  # no partial folders


@pytest.mark.parametrize("command", [
    ["run", "{yaml}", "--out", "{out}"],
    ["run", "{yaml}", "--out", "{out}", "--alternatives", "2"],
    ["export", "{yaml}", "--lp", "{out}"],
    ["pareto", "{yaml}", "--between", "land", "linkage", "--points", "2", "--out", "{out}"],
    ["importance", "{run}", "--out", "{out}"],
    ["compare", "{run}", "{run2}", "--out", "{out}"],
    ["schema", "--out", "{out}"],
    ["sweep", "{sweep}", "--out", "{out}"],
], ids=lambda c: " ".join(c[:2]) if c[0] == "run" and len(c) > 4 else c[0])
def test_an_output_that_cannot_be_written_is_refused_before_any_work(tiny, command: list[str]) -> None:
    import shutil

    from planner.runfolder import shown_path

    run = tiny.root.parent / "run"
    assert invoke("run", tiny.yaml, "--out", run).exit_code == 0
    shutil.copytree(run, tiny.root.parent / "run2")
    blocker = tiny.root.parent / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    out = blocker / "inside"
    before = sorted(p.name for p in tiny.root.parent.iterdir())
    sweep = Path(__file__).resolve().parents[1] / "scenarios" / "sweeps" / "jjj-land-hosts.yaml"
    result = invoke(*(part.format(yaml=tiny.yaml, out=out, run=run, run2=tiny.root.parent / "run2", sweep=sweep)
                      for part in command))
    assert result.exit_code == 2, result.output
    assert out.is_absolute()  # shown as given (issue 21): absolute
    assert (f"Error: cannot write {shown_path(out)}: {shown_path(blocker, out)} is not a folder"
            in " ".join(result.output.split())), result.output
    assert "Traceback" not in result.output and not (run / "importance").exists()
    assert sorted(p.name for p in tiny.root.parent.iterdir()) == before and blocker.read_text() == "not a folder\n"


@pytest.mark.parametrize(("option", "most"), [("--seed", 2**31 - 1), ("--threads", 1024)])
def test_a_seed_or_thread_count_beyond_what_the_solvers_take_is_refused(tiny, option: str, most: int) -> None:
    result = invoke("run", tiny.yaml, option, most + 1, "--out", tiny.root.parent / "run")
    assert result.exit_code == 2 and not (tiny.root.parent / "run").exists()
    said = " ".join(result.output.replace("│", " ").split())
    assert f"Invalid value for '{option}'" in said and str(most) in said, said
    if option == "--seed":  # (1024 threads would be started)
        assert invoke("run", tiny.yaml, option, most, "--out", tiny.root.parent / "run").exit_code == 0


@pytest.mark.parametrize("where", ["name too long", "link loop"])
def test_an_output_path_that_cannot_exist_is_refused_before_solving(tiny, where: str) -> None:
    from planner.runfolder import shown_path as display_path  # absolute --out: shown absolute (issue 21)

    folder = tiny.root.parent
    if where == "link loop":
        (folder / "loop").symlink_to(folder / "loop")
        out, why = folder / "loop" / "run", f"{display_path(folder / 'loop')} is not a folder"
    else:
        out, why = folder / ("a" * 300), "File name too long"
    before = sorted(p.name for p in folder.iterdir())
    result = invoke("run", tiny.yaml, "--out", out)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"Error: cannot write {display_path(out)}: " in result.output and why in " ".join(result.output.split())
    assert sorted(p.name for p in folder.iterdir()) == before


def test_schema_out_keeps_an_existing_file_unless_forced(tmp_path) -> None:
    target = tmp_path / "schema.json"
    target.write_text("keep\n", encoding="utf-8")
    result = invoke("schema", "--out", target)
    assert result.exit_code == 2 and "already exists; choose another file or add --force" in result.output
    assert target.read_text(encoding="utf-8") == "keep\n"
    assert invoke("schema", "--out", target, "--force").exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "ScenarioFile"
