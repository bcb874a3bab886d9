"""Commands `planner validate`, `run`, `solvers` and `schema`, added by :func:`register`."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from planner.cli.common import (
    GapOption,
    ScenarioArg,
    SeedOption,
    ThreadsOption,
    TimeOption,
    console,
    fail,
    input_errors,
    out_console,
    styled,
)
from planner.scenario import InputErrors, ScenarioFile, load_scenario
from planner.scenario.schema import SOLVER_NAMES, TABLE_MODELS, row_schema

TableChoice = Enum("TableChoice", {name: name for name in TABLE_MODELS}, type=str)  # type: ignore[misc]


def validate(scenario: ScenarioArg) -> None:
    """Check a scenario and its tables without solving; exit 2 when something is wrong (numerical warnings
    are printed as `planner run` prints them, exit 0)."""
    try:
        sc = load_scenario(scenario)
    except InputErrors as exc:
        raise input_errors(exc) from None
    from planner.models import index_sets
    from planner.numerics import numerical_warnings

    _print_warnings(numerical_warnings(sc, index_sets(sc)))  # as `planner run` prints them, without building the model
    out_console.print(f"{scenario}: valid ({len(sc.regions)} regions, {len(sc.sites)} sites, "
                      f"{len(sc.industries)} industries)")


def run(
    scenario: ScenarioArg,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Run folder to write. [default: runs/NAME-YYYYMMDD-HHMMSS]")] = None,
    solver: Annotated[Optional[str], typer.Option(help=f"Solver: {', '.join(SOLVER_NAMES)} (default from the scenario, "
                                                       "else highs).")] = None,
    time_limit: TimeOption = None,
    mip_gap: GapOption = None,
    threads: ThreadsOption = None,
    seed: SeedOption = None,
    heuristic: Annotated[Optional[bool], typer.Option("--heuristic/--no-heuristic", help="HiGHS: cover cuts and a "
                         "RENS start before branch and bound (default from the scenario, else on).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing non-empty run folder.")] = False,
    alternatives: Annotated[Optional[int], typer.Option("--alternatives", min=1, help="Also find up to N other plans "
                            "with different openings within --within of the optimum (OUT/alt-1, ...; docs/research.md).")] = None,
    within: Annotated[Optional[str], typer.Option("--within", help="Cost bound of the alternatives in percent above "
                      "the optimum, e.g. 5 or 5%. [default: 5]")] = None,
) -> None:
    """Solve a scenario and write its run folder (exit 0 plan, 2 bad input, 3 infeasible, 4 no solution)."""
    from planner.run import run as run_scenario
    from planner.runfolder import OutputExists
    from planner.solve import SolverUnavailable

    found = None
    try:
        with console.status(styled("Starting")) as status:
            if alternatives is None and within is None:
                outcome = run_scenario(
                    scenario, out, force=force, progress=lambda message: status.update(styled(message + " ...")),
                    name=solver, time_limit=time_limit, mip_gap=mip_gap, threads=threads, seed=seed,
                    heuristic=heuristic)
            else:
                from planner.research.alternatives import run_alternatives
                from planner.cli.research import parse_within

                found = run_alternatives(
                    scenario, out, n=alternatives or 1, within=parse_within(within), force=force,
                    progress=lambda message: status.update(styled(message + " ...")),
                    name=solver, time_limit=time_limit, mip_gap=mip_gap, threads=threads, seed=seed,
                    heuristic=heuristic)
                outcome = found.optimum
    except InputErrors as exc:
        raise input_errors(exc) from None
    except (OutputExists, SolverUnavailable) as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        console.print(styled(("Interrupted", "bold red"), " before a plan was found; nothing was written."))
        raise typer.Exit(1) from None
    _print_outcome(outcome)
    if found is not None:
        from planner.cli.research import print_alternatives

        print_alternatives(found)
    raise typer.Exit(outcome.exit_code)


def _print_warnings(warnings: list[str]) -> None:
    """Print numerical warnings (planner.numerics) to stderr."""
    for warning in warnings:
        console.print(styled(("warning:", "yellow"), f" {warning}"))


def _print_outcome(outcome) -> None:  # noqa: ANN001 - RunOutcome, imported lazily
    s = outcome.summary
    _print_warnings(s["warnings"])
    colour = {"optimal": "green", "feasible": "yellow"}.get(outcome.status, "red")
    console.print(styled((outcome.status, f"bold {colour}"), f" {s['title']}"))
    if s.get("interrupted"):
        console.print(styled(("interrupted by Ctrl-C:", "yellow"), " " + ("the plan below is the best found until then."
                             if s["objective"] is not None else "no plan was found until then.")))
    if s["objective"] is not None:
        gap = f"{100 * s['mip_gap']:.3f} %" if s["mip_gap"] is not None else "unknown"
        bound = f"{s['best_bound']:,.2f}" if s["best_bound"] is not None else "unknown"
        console.print(f"objective {s['objective']:,.2f} (10k yuan), bound {bound}, gap {gap}; "
                      f"built in {s['build_seconds']:.2f} s, solved in {s['solve_seconds']:.2f} s")
        table = Table("function", "center", "inner", "outer", title="Division of labour (share of capacity)")
        for f, shares in s["division_of_labour"].items():
            table.add_row(f, *(f"{100 * shares[z]:.0f} %" for z in ("center", "inner", "outer")))
        console.print(table)
    for v in outcome.violations:
        console.print(styled(("constraint violated:", "red"), f" {v}"))
    if outcome.status == "infeasible":
        console.print((outcome.out / "infeasibility.txt").read_text(encoding="utf-8"))
    console.print(f"run folder: {outcome.out}")


def solvers() -> None:
    """List the solvers planner can use, whether each is available here, and its version."""
    from planner.solve import SOLVERS, solver_versions

    table = Table("solver", "version", "install")
    for name, version in solver_versions().items():
        table.add_row(name, version or styled(("not available", "red")), SOLVERS[name].install)
    out_console.print(table)


def schema(
    table: Annotated[Optional[TableChoice], typer.Option(help="Print the schema of one CSV row of this table instead: "
                                                   "cap_<k> / req_<k> columns as patternProperties.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the schema to this file.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --out file.")] = False,
) -> None:
    """Print the JSON Schema of scenario files, or of one CSV row of a table (every field documented)."""
    document = row_schema(table.value) if table else ScenarioFile.model_json_schema()
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if out:
        from planner.runfolder import OutputExists, check_file_output

        try:
            check_file_output(out, force)
            out.write_text(text + "\n", encoding="utf-8")
        except (OutputExists, OSError) as exc:
            raise fail(str(exc)) from None
    else:
        typer.echo(text)


def register(app: typer.Typer) -> None:
    """Add `validate`, `run`, `solvers` and `schema` to the `planner` command line `app`."""
    for command in (validate, run, solvers, schema):
        app.command()(command)
