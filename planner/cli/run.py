"""Commands `planner validate`, `run`, `solvers` and `schema`, added by :func:`register`."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from planner.cli.common import (
    GapOption,
    JsonOption,
    MemoryOption,
    ScenarioArg,
    SeedOption,
    ThreadsOption,
    TimeOption,
    VerboseOption,
    console,
    fail,
    input_errors,
    language,
    out_console,
    print_json,
    styled,
)
from planner.scenario import InputErrors, ScenarioFile, load_scenario
from planner.scenario.schema import SOLVER_NAMES, TABLE_MODELS, row_schema

if TYPE_CHECKING:  # the run is imported by the command that runs
    from planner.run import RunOutcome

TableChoice = Enum("TableChoice", {name: name for name in TABLE_MODELS}, type=str)  # type: ignore[misc]


def validate(scenario: ScenarioArg, as_json: JsonOption = False) -> None:
    """Check a scenario and its tables without solving; exit 2 when something is wrong (numerical warnings
    are printed as `planner run` prints them, exit 0)."""
    try:
        sc = load_scenario(scenario)
    except InputErrors as exc:
        if as_json:
            print_json({"scenario": str(scenario), "valid": False, "problems": [str(p) for p in exc.problems],
                        "warnings": []})
        raise input_errors(exc) from None
    from planner.models import index_sets
    from planner.numerics import scenario_warnings

    warnings = scenario_warnings(sc, index_sets(sc))  # as `planner run` prints them, without building the model
    _print_warnings(warnings)
    counts = {"regions": len(sc.regions), "sites": len(sc.sites), "industries": len(sc.industries)}
    if as_json:
        print_json({"scenario": str(scenario), "valid": True, "problems": [], "warnings": warnings} | counts
                   | {"periods": list(sc.settings.periods or []), "stock_rows": len(sc.stock)})
        return
    base = f", {len(sc.stock)} stock rows" if sc.stock else ""
    periods = f", periods {', '.join(map(str, sc.settings.periods))}" if sc.settings.periods else ""
    out_console.print(f"{scenario}: valid ({counts['regions']} regions, {counts['sites']} sites, "
                      f"{counts['industries']} industries{periods}{base})")


def run(
    scenario: ScenarioArg,
    out: Annotated[Path | None,
                   typer.Option("--out", "-o",
                                help="Run folder to write. [default: runs/NAME-YYYYMMDD-HHMMSS]")] = None,
    solver: Annotated[str | None, typer.Option(help=f"Solver: {', '.join(SOLVER_NAMES)} (default from the scenario, "
                                                       "else highs).")] = None,
    time_limit: TimeOption = None,
    mip_gap: GapOption = None,
    threads: ThreadsOption = None,
    seed: SeedOption = None,
    heuristic: Annotated[bool | None, typer.Option("--heuristic/--no-heuristic", help="HiGHS: cover cuts and a "
                         "RENS start before branch and bound (default from the scenario, else on).")] = None,
    alongside: Annotated[bool | None, typer.Option("--alongside/--no-alongside", help="HiGHS: the swaps after RENS "
                         "on a second core beside the MIP (default from the scenario, else on models of 200k "
                         "nonzeros and more when a core is free).")] = None,
    memory_limit: MemoryOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing non-empty run folder.")] = False,
    alternatives: Annotated[int | None, typer.Option("--alternatives", min=1, help="Also find up to N other plans "
                            "with different openings within --within of the optimum (OUT/alt-1, ...; "
                            "docs/research.md).")] = None,
    within: Annotated[str | None, typer.Option("--within", help="Cost bound of the alternatives in percent above "
                      "the optimum, e.g. 5 or 5%. [default: 5]")] = None,
    verbose: VerboseOption = False,
    as_json: JsonOption = False,
    lang: Annotated[str, typer.Option("--lang", callback=language, metavar="[en|zh]",
                                      help="Language of the run folder's map.html and of plan.xlsx's titles: en "
                                           "(English with the Chinese terms) or zh (Chinese).")] = "en",
) -> None:
    """Solve a scenario and write its run folder (exit 0 plan, 2 bad input, 3 infeasible, 4 no solution).

    While the solver works, its progress is shown: elapsed and remaining time, the best plan so far, the
    bound and the gap (a live line on a terminal, one line per better plan on stderr otherwise)."""
    from planner.cli.progress import LiveProgress
    from planner.run import run as run_scenario
    from planner.runfolder import InterruptedWhileWriting, OutputExists
    from planner.solve import SolverUnavailable

    found = None
    try:
        with LiveProgress(console, verbose=verbose) as live:
            if alternatives is None and within is None:
                outcome = run_scenario(
                    scenario, out, force=force, progress=live.step, watch=live.watch, lang=lang,
                    name=solver, time_limit=time_limit, mip_gap=mip_gap, threads=threads, seed=seed,
                    heuristic=heuristic, alongside=alongside, memory_limit=memory_limit)
            else:
                from planner.cli.research import parse_within
                from planner.research.alternatives import run_alternatives

                found = run_alternatives(
                    scenario, out, n=alternatives or 1, within=parse_within(within), force=force,
                    progress=live.step, watch=live.watch, lang=lang,
                    name=solver, time_limit=time_limit, mip_gap=mip_gap, threads=threads, seed=seed,
                    heuristic=heuristic, alongside=alongside, memory_limit=memory_limit)
                outcome = found.optimum
    except InputErrors as exc:
        raise input_errors(exc) from None
    except (OutputExists, SolverUnavailable) as exc:
        raise fail(str(exc)) from None
    except InterruptedWhileWriting as exc:
        console.print(styled(("Ctrl-C while writing:", "yellow"), f" {exc.out} was completed first."))
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        console.print(styled(("Interrupted", "bold red"), " before a plan was found; nothing was written."))
        raise typer.Exit(1) from None
    results = console if as_json else out_console  # with --json, stdout holds the JSON document alone
    _print_outcome(outcome, results)
    if found is not None:
        from planner.cli.research import print_alternatives

        print_alternatives(found, results)
    if as_json:
        print_json({"status": outcome.status, "exit_code": outcome.exit_code, "run_folder": str(outcome.out),
                    "summary": outcome.summary, "violations": outcome.violations,
                    "alternatives": None if found is None else [
                        {"run_folder": str(a.out), "status": a.status, "objective": a.summary["objective"]}
                        for a in found.alternatives]})
    raise typer.Exit(outcome.exit_code)


def _print_warnings(warnings: list[str]) -> None:
    """Print numerical warnings (planner.numerics) to stderr."""
    for warning in warnings:
        console.print(styled(("warning:", "yellow"), f" {warning}"))


def _print_outcome(outcome: RunOutcome, to: Console) -> None:
    """What `planner run` prints of its outcome: warnings and solver notes (stderr), then on `to` (stdout unless
    --json) status, objective, division of labour, periods, violations and the folder."""
    s = outcome.summary
    _print_warnings(s["warnings"])
    for note in s.get("solver_notes", ()):  # what planner changed in this solve, as summary.json records it
        console.print(styled(("solver note:", "cyan"), f" {note}"))
    colour = {"optimal": "green", "feasible": "yellow"}.get(outcome.status, "red")
    to.print(styled((outcome.status, f"bold {colour}"), f" {s['title']}"))
    if outcome.interrupted_writing:
        console.print(styled(("Ctrl-C while writing:", "yellow"),
                             " the run folder was completed first; the plan is kept."))
    if s.get("interrupted"):
        console.print(styled(("interrupted by Ctrl-C:", "yellow"), " " + ("the plan below is the best found until then."
                             if s["objective"] is not None else "no plan was found until then.")))
    if s["objective"] is not None:
        gap = f"{100 * s['mip_gap']:.3f} %" if s["mip_gap"] is not None else "unknown"
        bound = f"{s['best_bound']:,.2f}" if s["best_bound"] is not None else "unknown"
        to.print(f"objective {s['objective']:,.2f} (10k yuan), bound {bound}, gap {gap}; "
                 f"built in {s['build_seconds']:.2f} s, solved in {s['solve_seconds']:.2f} s")
        last = f", last period {list(s['periods'])[-1]}" if s.get("periods") else ""
        table = Table("function", "center", "inner", "outer", title=f"Division of labour (share of capacity{last})")
        for f, shares in s["division_of_labour"].items():
            table.add_row(f, *(f"{100 * shares[z]:.0f} %" for z in ("center", "inner", "outer")))
        to.print(table)
        if s.get("periods"):
            from planner.transition import periods_tables

            for table in periods_tables(s):
                to.print(table)
    for v in outcome.violations:
        to.print(styled(("constraint violated:", "red"), f" {v}"))
    if outcome.status == "infeasible":
        to.print((outcome.out / "infeasibility.txt").read_text(encoding="utf-8"))
    to.print(f"run folder: {outcome.out}")


def solvers(as_json: JsonOption = False) -> None:
    """List the solvers planner can use, whether each is available here, and its version."""
    from planner.solve import SOLVERS, solver_versions

    if as_json:
        print_json([{"solver": name, "available": version is not None, "version": version,
                     "install": None if version else SOLVERS[name].install}
                    for name, version in solver_versions().items()])
        return
    table = Table("solver", "version", "install")
    for name, version in solver_versions().items():
        table.add_row(name, version or styled(("not available", "red")), "" if version else SOLVERS[name].install)
    out_console.print(table)


def schema(
    table: Annotated[TableChoice | None, typer.Option(help="Print the schema of one CSV row of this table instead: "
                                                   "cap_<k> / req_<k> columns as patternProperties.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the schema to this file.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --out file.")] = False,
) -> None:
    """Print the JSON Schema of scenario files, or of one CSV row of a table (every field documented)."""
    document = row_schema(table.value) if table else ScenarioFile.model_json_schema()
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if out:
        from planner.runfolder import OutputExists, atomic_file, check_file_output

        try:
            check_file_output(out, force)
            with atomic_file(out) as tmp:
                tmp.write_text(text + "\n", encoding="utf-8")
        except (OutputExists, OSError) as exc:
            raise fail(str(exc)) from None
    else:
        typer.echo(text)


INIT_REGIONS = "BJ,TJ,HE"
"""The provinces `planner init` takes unless told (the jjj region)."""


def init(
    folder: Annotated[Path, typer.Argument(help="The folder to write the scenario into.", show_default=False)],
    regions: Annotated[str, typer.Option("--regions", help="Provinces of the national data, by id, comma-separated "
                                                           "(`planner init DIR --regions SH,JS,ZJ`).")] = INIT_REGIONS,
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty folder.")] = False,
    xlsx: Annotated[bool, typer.Option("--xlsx", help="Keep the tables in one Excel workbook (tables.xlsx, a sheet "
                                                      "per table) instead of CSV files.")] = False,
) -> None:
    """Write a small, commented, runnable scenario (from the bundled national data, for the chosen provinces)
    to start a study from: scenario.yaml, README.md (every column explained) and tables/ (or tables.xlsx)."""
    from planner.runfolder import OutputExists, check_output
    from planner.starter import StarterError, write_starter

    chosen = [r.strip().upper() for r in regions.split(",") if r.strip()]
    if not chosen:
        raise fail(f"--regions names no province: give the national data's ids, such as {INIT_REGIONS}")
    try:
        check_output(folder, force, instead="another folder")
        write_starter(folder, chosen, xlsx)
    except (OutputExists, StarterError, OSError) as exc:
        raise fail(str(exc)) from None
    console.print(f"wrote {folder / 'scenario.yaml'}, README.md and {'tables.xlsx' if xlsx else 'tables/'}; next: "
                  f"planner run "
                  f"{folder / 'scenario.yaml'}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add `validate`, `run`, `solvers`, `schema` and `init` to the `planner` command line `app`."""
    for command in (validate, run, solvers, schema, init):
        app.command()(command)
