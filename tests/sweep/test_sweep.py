"""`planner sweep`: members on a real local Dask cluster, reruns that skip, failures, same results on 1 or 2 workers."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pandas as pd
import pytest
import yaml

from benchmarks.generate import generate
from planner.scenario import InputErrors, load_scenario
from planner.sweep import load_sweep, run_sweep
from planner.sweep.members import MARKER, member_document

COMPARED = ["member", "land", "max_hosts", "radius", "linkage", "status", "objective", "cost_land", "cost_setup",
            "cost_operating", "cost_linkage", "hosts_total", "share_rd_center", "share_production_outer"]


def _write_sweep(folder: Path, base: Path, grid: dict, name: str = "small") -> Path:
    path = folder / f"{name}.yaml"
    doc = {"name": name, "base": os.path.relpath(base, folder), "solver": {"time_limit": 30, "mip_gap": 0},
           "grid": grid}
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def _refused(sweep: Path, out: Path) -> list[str]:
    """The report lines of a sweep refused as bad input, after checking that it wrote nothing."""
    with pytest.raises(InputErrors) as caught:
        run_sweep(sweep, out, workers=1, processes=False)
    assert not out.exists()
    return caught.value.report().splitlines()


def _sweep_file(folder: Path, doc: dict, name: str) -> Path:
    """Write a sweep file `name`.yaml from `doc` as it is (no default solver section)."""
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"name": name, **doc}, sort_keys=False), encoding="utf-8")
    return path


GRID = {
    "product": [
        {"name": "land", "table": "sites", "where": {"zone": ["center", "inner"]}, "column": "land_price",
         "scale": [0.5, 1.5]},
        {"name": "max_hosts", "table": "industries", "where": {"category": ["future", "emerging"]},
         "column": "max_hosts", "set": [2, 4]},
    ],
    "zip": [
        {"name": "radius", "key": "settings.chain_radius_km", "values": [300, None]},
        {"name": "linkage", "key": "settings.linkage_cost", "values": [2.0, 0.5]},
    ],
}


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, pd.DataFrame]:
    """An 8-member sweep of a small generated scenario, run on a local cluster of 2 worker processes."""
    root = tmp_path_factory.mktemp("sweep")
    base = generate(5, 4, 7, root / "base")
    sweep = _write_sweep(root, base, GRID)
    outcome = run_sweep(sweep, root / "out", workers=2)
    assert outcome.ran == 8 and outcome.skipped == 0 and outcome.failed == 0
    return sweep, root / "out", outcome.table


def test_every_member_is_a_run_folder_and_a_row(swept: tuple[Path, Path, pd.DataFrame]) -> None:
    sweep, out, table = swept
    members = load_sweep(sweep).members
    assert len(members) == 8 and list(table["member"]) == [m.name for m in members]
    assert table["member"].iloc[0] == "land=0.5__max_hosts=2__radius=300__linkage=2"
    for m in members:
        folder = out / m.name
        for name in ("manifest.json", "summary.json", "assignments.csv", "links.csv", "sites.csv", MARKER, "inputs"):
            assert (folder / name).exists(), (m.name, name)
        row = table[table["member"] == m.name].iloc[0]
        for key, value in m.parameters.items():
            assert (row[key] is None or pd.isna(row[key])) if value is None else row[key] == value
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        assert row["status"] == summary["status"] == "optimal"
        assert math.isclose(row["objective"], summary["objective"], rel_tol=1e-12)
        assert math.isclose(sum(row[f"cost_{t}"] for t in ("land", "setup", "operating", "linkage", "duplication")),
                            row["objective"], rel_tol=1e-6)
    saved = pd.read_parquet(out / "results.parquet")
    assert len(saved) == 8 and set(COMPARED) <= set(saved.columns)
    assert len(pd.read_csv(out / "results.csv")) == 8
    assert (out / "kpis.png").stat().st_size > 10_000
    # the grid changes what it says: cheaper land costs less, no radius limit is never dearer
    by = table.set_index("member")["objective"]
    assert by["land=0.5__max_hosts=2__radius=300__linkage=2"] < by["land=1.5__max_hosts=2__radius=300__linkage=2"]


def test_member_scenario_extends_the_base_and_reproduces_the_member(swept: tuple[Path, Path, pd.DataFrame]) -> None:
    _, out, _ = swept
    name = "land=1.5__max_hosts=4__radius=none__linkage=0.5"
    doc = yaml.safe_load((out / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8"))
    assert doc["extends"].endswith("base/scenario.yaml") and not Path(doc["extends"]).is_absolute()
    assert doc["settings"] == {"chain_radius_km": None, "linkage_cost": 0.5}
    assert doc["overrides"][0]["scale"] == {"land_price": 1.5} and doc["overrides"][1]["set"] == {"max_hosts": 4}
    scenario = load_scenario(out / "scenarios" / f"{name}.yaml")
    assert scenario.settings.chain_radius_km is None and scenario.solver.threads == 1
    assert scenario.solver.alongside is False  # members take every core: no swaps alongside their MIPs
    capped = [i for i in scenario.industries.values() if i.category in ("future", "emerging")]
    assert capped and all(i.max_hosts == 4 for i in capped)
    manifest = json.loads((out / name / "manifest.json").read_text(encoding="utf-8"))
    assert any(p.endswith(f"{name}.yaml") for p in manifest["inputs"])
    assert any(p.endswith("base/scenario.yaml") for p in manifest["inputs"])


def test_member_documents_come_from_one_read_of_the_base(tmp_path: Path) -> None:
    base = generate(2, 2, 3, tmp_path / "base")
    text = base.read_text(encoding="utf-8") + "overrides:\n  - table: sites\n    set: {cost_factor: 1.5}\n"
    base.write_text(text, encoding="utf-8")
    title = yaml.safe_load(text)["title"]
    grid = {"product": [{"name": "land", "table": "sites", "column": "land_price", "scale": [0.5, 2]}]}
    sweep = load_sweep(_write_sweep(tmp_path, base, grid))
    base.write_text(text.replace(f"title: {title}", "title: edited").replace("1.5", "3"), encoding="utf-8")
    first, second = (member_document(sweep, m, tmp_path / "scenarios" / f"{m.name}.yaml") for m in sweep.members)
    assert (first["title"], second["title"]) == (f"{title} [land=0.5]", f"{title} [land=2.0]")  # as read by load_sweep
    assert first["overrides"] == [{"table": "sites", "set": {"cost_factor": 1.5}},
                                  {"table": "sites", "scale": {"land_price": 0.5}}]
    assert second["overrides"][1] == {"table": "sites", "scale": {"land_price": 2}}
    first["overrides"][0]["set"]["cost_factor"] = 9  # a document shares nothing with the sweep
    first["overrides"][1]["scale"]["land_price"] = 9
    again = member_document(sweep, sweep.members[0], tmp_path / "scenarios" / "again.yaml")
    assert again["overrides"] == [{"table": "sites", "set": {"cost_factor": 1.5}},
                                  {"table": "sites", "scale": {"land_price": 0.5}}]
    assert sweep.base_yaml["overrides"] == [{"table": "sites", "set": {"cost_factor": 1.5}}]


def test_member_titles_write_null_and_booleans_as_member_names_do(tmp_path: Path) -> None:
    base = generate(2, 2, 3, tmp_path / "base")
    title = yaml.safe_load(base.read_text(encoding="utf-8"))["title"]
    grid = {"product": [{"name": "radius", "key": "settings.chain_radius_km", "values": [None, 250.0]},
                        {"name": "heuristic", "key": "solver.heuristic", "values": [True]}]}
    sweep = load_sweep(_write_sweep(tmp_path, base, grid))
    assert [(m.name, member_document(sweep, m, tmp_path / f"{m.name}.yaml")["title"]) for m in sweep.members] == [
        ("radius=none__heuristic=true", f"{title} [radius=none, heuristic=true]"),
        ("radius=250__heuristic=true", f"{title} [radius=250.0, heuristic=true]"),
    ]


def test_members_describe_the_sweep_when_it_has_a_description(tmp_path: Path) -> None:
    base = generate(2, 2, 3, tmp_path / "base")
    base.write_text(base.read_text(encoding="utf-8") + "description: the base\n", encoding="utf-8")
    grid = {"product": [{"name": "land", "table": "sites", "column": "land_price", "scale": [0.5, 2]}]}
    path = _write_sweep(tmp_path, base, grid)
    plain = load_sweep(path)
    assert "description" not in member_document(plain, plain.members[0], tmp_path / "a.yaml")  # the base's
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump({**doc, "description": "Land prices\nhalved or doubled."}), encoding="utf-8")
    sweep = load_sweep(path)
    member = tmp_path / "scenarios" / "land=0.5.yaml"
    member.parent.mkdir()
    member.write_text(yaml.safe_dump(member_document(sweep, sweep.members[0], member)), encoding="utf-8")
    assert load_scenario(member).spec.description == "Land prices halved or doubled. This member: land=0.5."


def test_cli_prints_only_the_problems_of_a_wrong_sweep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from planner.cli import app

    monkeypatch.chdir(tmp_path)
    base = generate(2, 2, 3, tmp_path / "base")
    grid = {"product": [{"name": "land", "table": "sites", "column": "land_prize", "scale": [0.8]}]}
    sweep = _sweep_file(tmp_path, {"base": str(base), "grid": grid}, "wrong")
    result = CliRunner().invoke(app, ["sweep", str(sweep), "--out", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 2
    assert result.output == ("The sweep has 1 problem(s):\n"
                             "wrong.yaml key grid.product[0] (land=0.8): scale.land_prize: sites has no column "
                             "'land_prize'\n")
    assert not (tmp_path / "out").exists()


def test_rerun_solves_nothing(swept: tuple[Path, Path, pd.DataFrame]) -> None:
    sweep, out, table = swept
    stamps = {p: p.stat().st_mtime_ns for p in out.glob("*/summary.json")}
    outcome = run_sweep(sweep, out, workers=2)
    assert outcome.ran == 0 and outcome.skipped == 8 and outcome.table["skipped"].all()
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/summary.json")} == stamps
    pd.testing.assert_frame_equal(outcome.table[COMPARED], table[COMPARED])


def test_one_process_gives_the_same_results(swept: tuple[Path, Path, pd.DataFrame], tmp_path: Path) -> None:
    sweep, _, table = swept
    single = run_sweep(sweep, tmp_path / "single", workers=1, processes=False).table
    numeric = [c for c in COMPARED if c not in ("member", "status")]
    pd.testing.assert_frame_equal(single[COMPARED[:1] + ["status"]], table[COMPARED[:1] + ["status"]])
    pd.testing.assert_frame_equal(single[numeric], table[numeric], rtol=1e-9, check_dtype=False)


def test_a_lost_member_is_completed_by_the_next_run(swept: tuple[Path, Path, pd.DataFrame], tmp_path: Path) -> None:
    sweep, out, _ = swept
    lost = "land=0.5__max_hosts=4__radius=none__linkage=0.5"
    (out / lost / MARKER).unlink()  # as if its worker died before the member was marked done
    stale = out / f".{lost}.partial-deadbeef"
    stale.mkdir()
    outcome = run_sweep(sweep, out, workers=1, processes=False)
    assert outcome.ran == 1 and outcome.skipped == 7 and outcome.failed == 0
    assert not stale.exists() and (out / lost / MARKER).is_file()
    assert not outcome.table.set_index("member").loc[lost, "skipped"]


def test_a_failing_member_is_recorded_and_the_others_complete(tmp_path: Path) -> None:
    base = generate(3, 2, 5, tmp_path / "base")
    doc = yaml.safe_load(base.read_text(encoding="utf-8"))
    doc["settings"]["duplication_penalty"] = 1000
    base.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # each value is valid alone, so the sweep starts; soft duplication without a penalty is bad input of its members
    # (an unknown solver name, once the run-time failure here, is refused before the sweep runs: the test below)
    grid = {"product": [{"name": "land", "table": "sites", "column": "land_ha", "scale": [1.0, 2.0]}],
            "zip": [{"name": "mode", "key": "settings.duplication", "values": ["hard", "soft"]},
                    {"name": "penalty", "key": "settings.duplication_penalty", "values": [1000, None]}]}
    sweep = _write_sweep(tmp_path, base, grid, name="failing")
    outcome = run_sweep(sweep, tmp_path / "out", workers=1, processes=False)
    table = outcome.table.set_index("member")
    assert outcome.ran == 2 and outcome.failed == 2 and outcome.exit_code == 1  # the bad members are not sent to Dask
    assert (table.loc["land=1__mode=hard__penalty=1000", "status"] == table.loc["land=2__mode=hard__penalty=1000",
                                                                                "status"]
            == "optimal")
    assert "required when duplication is soft" in table.loc["land=1__mode=soft__penalty=none", "message"]
    assert not (tmp_path / "out" / "land=1__mode=soft__penalty=none" / MARKER).exists()
    again = run_sweep(sweep, tmp_path / "out", workers=1, processes=False)  # failures are checked again
    assert again.ran == 0 and again.skipped == 2 and again.failed == 2


def test_a_member_that_fails_in_its_worker_is_recorded_and_run_again_next_time(tmp_path: Path) -> None:
    import shutil

    base = generate(3, 2, 5, tmp_path / "base")
    grid = {"product": [{"name": "land", "table": "sites", "column": "land_price", "scale": [1.0, 2.0]}]}
    sweep = _write_sweep(tmp_path, base, grid, name="blocked")
    out = tmp_path / "out"
    assert run_sweep(sweep, out, workers=1, processes=False).ran == 2
    shutil.rmtree(out / "land=2")
    (out / "land=2").write_text("a file where the member's folder goes\n",
                                encoding="utf-8")  # its run cannot be written
    outcome = run_sweep(sweep, out, workers=1, processes=False)
    table = outcome.table.set_index("member")
    assert (outcome.ran, outcome.skipped, outcome.failed, outcome.exit_code) == (1, 1, 1, 1)
    assert table.loc["land=2", "status"] == "error" and "is not a folder" in table.loc["land=2", "message"]
    assert table.loc["land=1", "status"] == "optimal"
    (out / "land=2").unlink()
    again = run_sweep(sweep, out, workers=1, processes=False)
    assert (again.ran, again.skipped, again.failed) == (1, 1, 0) and (out / "land=2" / MARKER).is_file()


def test_an_unknown_solver_is_refused_before_the_sweep_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    base = generate(3, 2, 5, tmp_path / "base")
    grid = {"product": [{"name": "solver", "key": "solver.name", "values": ["highs", "nosuch"]}]}
    with pytest.raises(InputErrors) as caught:
        run_sweep(_write_sweep(tmp_path, base, grid, name="unknown"), tmp_path / "out", workers=1, processes=False)
    assert caught.value.report() == ("unknown.yaml key grid.product[0] (solver=nosuch): solver.name: 'nosuch' is not "
                                     "one "
                                     "of highs, cbc, glpk, scip")
    assert not (tmp_path / "out").exists()


def test_parameters_the_base_does_not_accept_are_reported_at_the_parameter(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    base = generate(3, 2, 5, tmp_path / "base")
    grid = {"product": [
        {"name": "radius", "key": "settings.chain_radius", "values": [200]},
        {"name": "land", "table": "sites", "column": "land_prize", "scale": [0.8]},
        {"name": "zone", "table": "sites", "where": {"zone": ["centre"]}, "column": "land_price", "scale": [0.9]},
        {"name": "ha", "table": "sites", "column": "land_ha", "scale": [1.0, -1.0]},
    ], "zip": [{"name": "km", "key": "settings.chain_radius_km", "values": ["far"]}]}
    sweep = _write_sweep(tmp_path, base, grid, name="wrong")
    with pytest.raises(InputErrors) as caught:
        run_sweep(sweep, tmp_path / "out", workers=1, processes=False)
    lines = caught.value.report().splitlines()
    assert lines[:3] == [
        "wrong.yaml key grid.product[0] (radius=200): settings.chain_radius: unknown key; expected one of "
        "chain_radius_km, linkage_cost, duplication, duplication_penalty, weights, periods, discount_rate, transition, "
        "transition_lag",
        "wrong.yaml key grid.product[1] (land=0.8): scale.land_prize: sites has no column 'land_prize'",
        "wrong.yaml key grid.product[2] (zone=0.9): where: matches no row of base/tables/sites.csv",
    ]
    assert len(lines) == 3 + 9 + 1  # every site's land made negative, then the zip parameter
    assert lines[3] == ("wrong.yaml key grid.product[3] (ha=-1): base/tables/sites.csv row 2, column land_ha: "
                        f"'{-load_scenario(base).sites['R001-center'].land_ha:g}' must be greater than 0")
    assert lines[-1] == "wrong.yaml key grid.zip[0] (km=far): settings.chain_radius_km: 'far' is not a number"
    assert not (tmp_path / "out").exists()


def test_the_sweeps_own_solver_section_is_checked_without_parameters(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    base = generate(3, 2, 5, tmp_path / "base")
    sweep = _sweep_file(tmp_path, {"base": str(base), "solver": {"time_limit": -1}, "grid": {}}, "bad4")
    assert _refused(sweep, tmp_path / "out") == ["bad4.yaml key solver.time_limit: -1 must be greater than 0"]


def test_problems_of_the_base_and_the_sweeps_solver_are_reported_once(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    base = generate(3, 2, 5, tmp_path / "base")
    sites = base.parent / "tables" / "sites.csv"
    rows = sites.read_text(encoding="utf-8").splitlines()
    cells = rows[2].split(",")
    cells[4] = "cheap"  # land_price of the second site
    sites.write_text("\n".join([*rows[:2], ",".join(cells), *rows[3:]]) + "\n", encoding="utf-8")
    grid = {"product": [{"name": "r", "key": "settings.chain_radius_km", "values": [100, None]},
                        {"name": "land", "table": "sites", "column": "land_prize", "scale": [0.8]}]}
    sweep = _sweep_file(tmp_path, {"base": str(base), "solver": {"time_limit": -1, "mip_gap": 0}, "grid": grid},
                        "bad2")
    assert _refused(sweep, tmp_path / "out") == [
        "bad2.yaml key solver.time_limit: -1 must be greater than 0",
        "base/tables/sites.csv row 3, column land_price: 'cheap' is not a number",
        "bad2.yaml key grid.product[1] (land=0.8): scale.land_prize: sites has no column 'land_prize'",
    ]


def test_an_unknown_solver_is_reported_before_anything_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.scenario.schema import SOLVER_NAMES

    monkeypatch.chdir(tmp_path)
    base = generate(3, 2, 5, tmp_path / "base")
    known = ", ".join(SOLVER_NAMES)
    sweep = _sweep_file(tmp_path, {"base": str(base), "solver": {"name": "gurobi"}, "grid": {}}, "bad3")
    assert _refused(sweep, tmp_path / "out") == [f"bad3.yaml key solver.name: 'gurobi' is not one of {known}"]
    base.write_text(base.read_text(encoding="utf-8") + "solver: {name: cplex}\n", encoding="utf-8")
    sweep = _sweep_file(tmp_path, {"base": str(base)}, "plain")
    assert _refused(sweep, tmp_path / "out") == [f"base/scenario.yaml key solver.name: 'cplex' is not one of {known}"]


def test_a_base_key_that_every_member_sets_is_not_a_problem(tmp_path: Path) -> None:
    from planner.sweep.members import check_sweep

    base = generate(3, 2, 5, tmp_path / "base")
    base.write_text(base.read_text(encoding="utf-8").replace("chain_radius_km: 1870.0", "chain_radius_km: -1")
                    + "solver: {name: cplex}\n", encoding="utf-8")
    grid = {"product": [{"name": "r", "key": "settings.chain_radius_km", "values": [100, None]},
                        {"name": "s", "key": "solver.name", "values": ["highs"]}]}
    sweep = _sweep_file(tmp_path, {"base": str(base), "solver": {"mip_gap": 0}, "grid": grid}, "fixed")
    assert check_sweep(load_sweep(sweep)) == []


def test_a_bad_name_hides_no_other_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    base = generate(3, 2, 5, tmp_path / "base")
    grid = {"product": [{"name": "land", "table": "sites", "column": "land_prize", "scale": [0.8]},
                        {"name": "a", "key": "settings.linkage_cost", "values": [1, 1.0]}]}
    doc = {"name": "bad sweep", "base": str(base), "reuse": "maybe", "solver": {"time_limit": -1}, "grid": grid}
    sweep = tmp_path / "bad5.yaml"
    sweep.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        run_sweep(sweep, tmp_path / "out", workers=1, processes=False)
    assert caught.value.report().splitlines() == [
        "bad5.yaml key name: 'bad sweep' does not have the expected form (^[A-Za-z0-9_-]+$)",
        "bad5.yaml key reuse: input should be a valid boolean, unable to interpret input",
        "bad5.yaml key grid: two members get the folder name 'land=0.8__a=1'; give values that differ when written "
        "short",
        "bad5.yaml key solver.time_limit: -1 must be greater than 0",
        "bad5.yaml key grid.product[0] (land=0.8): scale.land_prize: sites has no column 'land_prize'",
    ]
    assert not (tmp_path / "out").exists() and not (tmp_path / "sweeps").exists()


def test_a_folder_holding_something_else_is_refused_unless_forced(swept: tuple[Path, Path, pd.DataFrame],
                                                                  tmp_path: Path) -> None:
    from planner.runfolder import OutputExists

    _, out, _ = swept
    base = generate(2, 2, 3, tmp_path / "base")
    other = _write_sweep(tmp_path, base, {"product": [{"name": "w", "key": "settings.weights.land", "values": [1]}]},
                         name="other")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(OutputExists, match="holds the sweep .*small.yaml; choose another --out or add --force"):
        run_sweep(other, out, workers=1, processes=False)
    run = tmp_path / "run"
    run.mkdir()
    (run / "summary.json").write_text("{}", encoding="utf-8")
    with pytest.raises(OutputExists, match="holds something other than a sweep"):
        run_sweep(other, run, workers=1, processes=False)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in run.iterdir()] == ["summary.json"]
    forced = run_sweep(other, run, workers=1, processes=False, force=True)
    assert forced.ran == 1 and (run / "w=1" / MARKER).is_file()
    assert run_sweep(other, run, workers=1, processes=False).skipped == 1  # now its own: a rerun continues it


def test_an_unreachable_scheduler_is_an_error_and_leaves_nothing(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import planner.sweep.runner as runner

    monkeypatch.setattr(runner, "CONNECT_SECONDS", 1)
    base = generate(2, 2, 3, tmp_path / "base")
    sweep = _write_sweep(tmp_path, base, {"product": [{"name": "w", "key": "settings.weights.land", "values": [1]}]})
    reports = []
    with pytest.raises(runner.SchedulerUnavailable, match="cannot reach the Dask scheduler at tcp://127.0.0.1:1: "):
        run_sweep(sweep, tmp_path / "out", scheduler="tcp://127.0.0.1:1",
                  progress=lambda *report: reports.append(report))
    assert not (tmp_path / "out").exists() and reports == []  # no progress bar is drawn for a sweep that never ran


GIVE_UP = """
import sys

import planner.sweep.runner as runner

runner.CONNECT_SECONDS = 1
try:
    runner.run_sweep(sys.argv[1], sys.argv[2], scheduler=sys.argv[3])
except runner.SchedulerUnavailable as exc:
    print(exc, flush=True)
    sys.exit(3)
"""
"""A sweep on the scheduler at argv[3] with a 1 s connection deadline: exit 3 and the message when it is given up."""


def test_a_service_that_is_not_a_scheduler_is_given_up(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys

    silent = socket.create_server(("127.0.0.1", 0))  # accepts connections (the kernel's backlog) and never answers
    base = generate(2, 2, 3, tmp_path / "base")
    sweep = _write_sweep(tmp_path, base, {"product": [{"name": "w", "key": "settings.weights.land", "values": [1]}]})
    address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
    with silent:  # in a process of its own, stopped if it waits on: without a deadline it would never return
        try:
            done = subprocess.run([sys.executable, "-c", GIVE_UP, str(sweep), str(tmp_path / "out"), address],
                                  capture_output=True, text=True, timeout=90)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the sweep still waited for {address} after 90 s, with a connection deadline of 1 s")
    assert done.returncode == 3, done.stdout + done.stderr
    assert done.stdout.startswith(f"cannot reach the Dask scheduler at {address}: "), done.stdout + done.stderr
    assert not (tmp_path / "out").exists()


def test_threaded_workers_are_one(tmp_path: Path) -> None:
    base = generate(2, 2, 3, tmp_path / "base")
    sweep = _write_sweep(tmp_path, base, {"product": [{"name": "w", "key": "settings.weights.land", "values": [1, 2]}]})
    with pytest.raises(ValueError, match="workers=2 with processes=False"):
        run_sweep(sweep, tmp_path / "out", workers=2, processes=False)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("grid, message", [
    ({"zip": [{"name": "a", "key": "settings.linkage_cost", "values": [1, 2]},
              {"name": "b", "key": "settings.chain_radius_km", "values": [100]}]}, "same length"),
    ({"product": [{"name": "a", "key": "tables.sites", "values": ["x.csv"]}]}, "under settings or solver"),
    ({"product": [{"name": "a", "table": "sites", "column": "land_price", "set": [1], "scale": [2]}]}, "exactly one"),
    ({"product": [{"name": "objective", "key": "settings.linkage_cost", "values": [1]}]}, "column of the results"),
    ({"product": [{"name": "share_rd_center", "key": "settings.linkage_cost", "values": [1]}]},
     "column of the results"),
    ({"product": [{"name": "start_accepted", "key": "settings.linkage_cost", "values": [1]}]}, "column of the results"),
    ({"product": [{"name": "a", "key": "settings.linkage_cost", "values": [1, 1.0]}]}, "get the folder name"),
])
def test_bad_sweep_files_are_reported(tmp_path: Path, grid: dict, message: str) -> None:
    base = generate(2, 1, 0, tmp_path / "base")
    with pytest.raises(InputErrors, match=message):
        load_sweep(_write_sweep(tmp_path, base, grid))


def test_cli_runs_a_sweep(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from planner.cli import app

    base = generate(2, 2, 3, tmp_path / "base")
    sweep = _write_sweep(tmp_path, base, {"product": [{"name": "w", "key": "settings.weights.land", "values": [1, 2]}]})
    result = CliRunner().invoke(app, ["sweep", str(sweep), "--out", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(tmp_path / "out" / "results.csv")) == 2
    result = CliRunner().invoke(app, ["sweep", str(tmp_path / "nothing.yaml")])
    assert result.exit_code == 2


def test_piped_the_results_go_to_stdout_and_each_member_s_line_to_stderr(tmp_path: Path) -> None:
    import subprocess
    import sys

    base = generate(2, 2, 3, tmp_path / "base")
    sweep = _write_sweep(tmp_path, base, {"product": [{"name": "w", "key": "settings.weights.land",
                                                       "values": [1, 2]}]})
    done = subprocess.run([sys.executable, "-m", "planner", "sweep", str(sweep), "--out", str(tmp_path / "out"),
                           "--workers", "1"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == "[0/2] 2 to run, 0 done or invalid" and len(lines) == 3, done.stderr
    assert [line[:6] for line in lines[1:]] == ["[1/2] ", "[2/2] "]
    assert sorted(line[6:].split(":")[0] for line in lines[1:]) == ["w=1", "w=2"]
    said = done.stdout.splitlines()
    assert said[0] == f"sweep {tmp_path / 'out'}"  # the table's title; no progress bar (stderr: its 3 lines)
    assert said[-1].startswith("2 members: 2 run, 0 skipped (complete), 0 failed, in ")
