"""Commands `planner compare`, `importance`, `pareto` and `export`, added by :func:`register`;
and the printing of `planner run --alternatives` (docs/research.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from planner.cli.common import (
    ForceOption,
    GapOption,
    JsonOption,
    LangOption,
    RunDirArg,
    ScenarioArg,
    SeedOption,
    SolverOption,
    ThreadsOption,
    TimeOption,
    console,
    fail,
    input_errors,
    num,
    out_console,
    print_json,
    styled,
    within,
)
from planner.scenario.bounds import Bounds


def _guard(action: Any) -> Any:
    """Run `action()`, turning the expected failures into messages and exit code 2."""
    from planner.research.common import NoPlan
    from planner.runfolder import OutputExists
    from planner.runfolder.read import RunFolderError
    from planner.scenario import InputErrors
    from planner.solve import SolverUnavailable

    try:
        return action()
    except NoPlan as exc:  # as `planner run`: 3 infeasible, 4 no solution within the limits
        raise fail(str(exc), exc.exit_code) from None
    except InputErrors as exc:
        raise input_errors(exc) from None
    except (OutputExists, SolverUnavailable, RunFolderError, ValueError) as exc:
        raise fail(str(exc)) from None


# ------------------------------------------------------------------------------------- compare

def compare_command(
    run_dirs: Annotated[list[Path], typer.Argument(help="Two or more run folders.", show_default=False)],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for the CSV tables and compare.html. "
                                                "[default: runs/compare-YYYYMMDD-HHMMSS]")] = None,
    tolerance: Annotated[float,
                         typer.Option(callback=within(Bounds(ge=0, finite=True)),
                                      help="Relative slack allowed between the "
                                             "[bound, objective] intervals of two runs that agree.")] = 1e-6,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when runs of the same model disagree.")] = False,
    force: ForceOption = False,
    as_json: JsonOption = False,
    lang: LangOption = "en",
) -> None:
    """Compare runs: status, objective, bound, gap, times, solver; agreement on the optimum within the gaps;
    functions and capacities that moved; KPI and cost-term differences (CSV and compare.html with a dual map);
    runs with periods per period and overall (periods.csv)."""
    from planner.research.compare import compare
    from planner.runfolder.read import solver_label

    if len(run_dirs) < 2:
        raise fail("give at least two run folders")
    cmp, target = _guard(lambda: compare(run_dirs, out, force, tolerance, lang))
    if as_json:
        print_json({"runs": cmp.table.to_dict(orient="records"), "agreement": cmp.agreement.to_dict(orient="records"),
                    "verdicts": cmp.verdict_lines(), "base": cmp.base, "moved_functions": len(cmp.moved),
                    "changed_capacities": len(cmp.differences), "report": str(target / "compare.html")}
                   | ({"periods": cmp.periods.to_dict(orient="records")} if cmp.has_periods else {}))
        if strict and cmp.same_model_agree() is False:
            raise typer.Exit(1)
        return
    table = Table("run", "solver", "status", "objective", "best bound", "gap", "build s", "solve s", "model",
                  title="Runs")
    for row in cmp.table.itertuples(index=False):
        gap = "-" if row.mip_gap is None or row.mip_gap != row.mip_gap else f"{100 * row.mip_gap:.4f} %"
        table.add_row(row.run, solver_label({"name": row.solver, "version": row.solver_version}), row.status,
                      num(row.objective),
                      num(row.best_bound), gap, num(row.build_seconds), num(row.solve_seconds), row.model)
    out_console.print(table)
    if cmp.has_periods:
        out_console.print(_periods_table(cmp.periods))
    for line in cmp.verdict_lines():
        colour = "red" if "DISAGREE" in line else "green" if "AGREE" in line else "yellow"
        out_console.print(styled((line, colour)))
    if len(cmp.moved):
        out_console.print(f"{len(cmp.moved)} functions moved and {len(cmp.differences)} capacities changed "
                          f"against {cmp.base} (plan_differences.csv, moved_functions.csv)", highlight=False)
    out_console.print(f"report: {target / 'compare.html'}", highlight=False)
    if strict and cmp.same_model_agree() is False:
        raise typer.Exit(1)


def _periods_table(periods: Any) -> Table:
    """The console table of the runs' periods: cost undiscounted and discounted, capacity in use, built, retired."""
    table = Table("run", "period", "cost", "discounted", "in use", "built", "retired", "converted",
                  title="Periods (cost in 10k yuan; overall = the discounted total)")
    for row in periods.itertuples(index=False):
        table.add_row(row.run, row.period, num(row.cost), num(row.cost_discounted), num(row.in_use), num(row.built),
                      num(row.retired), num(row.converted_in))
    return table


# ---------------------------------------------------------------------------------- importance

def importance_command(
    run_dir: RunDirArg,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for importance.csv and importance.html. "
                                                "[default: RUN_DIR/importance]")] = None,
    solver: SolverOption = None,
    time_limit: TimeOption = None,
    mip_gap: GapOption = None,
    threads: ThreadsOption = None,
    force: ForceOption = False,
) -> None:
    """Replacement importance of each opened site: the cost increase when it is closed (in every period, for a run
    with periods) and the rest re-optimised."""
    from planner.research.importance import importance

    with console.status(styled("Starting")) as status:
        result, target, note = _guard(lambda: importance(
            run_dir, out, force=force, progress=lambda m: status.update(styled(m + " ...")),
            name=solver, time_limit=time_limit, mip_gap=mip_gap, threads=threads))
    table = Table("site", "region", "zone", "hosts", "status", "without it", "importance", "%",
                  title=f"Replacement importance (objective {num(result.run.objective)}, 10k yuan)")
    for row in result.table.itertuples(index=False):
        table.add_row(row.site, row.region, row.zone, row.functions, row.status, num(row.objective_without),
                      num(row.importance), num(row.importance_pct, 3))
    out_console.print(table)
    out_console.print(f"wrote {target / 'importance.csv'} and {target / 'importance.html'} ({note})", highlight=False)


# -------------------------------------------------------------------------------------- pareto

def pareto_command(
    scenario: ScenarioArg,
    between: Annotated[tuple[str, str], typer.Option("--between", help="Two cost terms: land, setup, operating, "
                                                     "linkage, duplication, and for a scenario with periods or stock "
                                                     "retire, upgrade (minimise the first, bound the second).",
                                                     show_default=False)],
    points: Annotated[int, typer.Option("--points", "-k", help="Number of epsilon points, the two ends included.",
                                        min=2)] = 5,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for pareto.csv, pareto.png and the run "
                                                "folders. [default: runs/NAME-pareto-A-B-YYYYMMDD-HHMMSS]")] = None,
    solver: SolverOption = None,
    time_limit: TimeOption = None,
    mip_gap: GapOption = None,
    threads: ThreadsOption = None,
    seed: SeedOption = None,
    force: ForceOption = False,
) -> None:
    """Trace the trade-off between two cost terms (epsilon-constraint): table, plot and one run folder per point."""
    import pandas as pd

    from planner.research.pareto import pareto

    first, second = between
    with console.status(styled("Starting")) as status:
        outcome = _guard(lambda: pareto(
            scenario, first, second, points, out, force=force, progress=lambda m: status.update(styled(m + " ...")),
            name=solver, time_limit=time_limit, mip_gap=mip_gap, threads=threads, seed=seed))
    table = Table("point", f"{first}", f"{second}", "objective", "status", "note", title=outcome.message)
    for row in outcome.table.itertuples(index=False):
        table.add_row("-" if pd.isna(row.point) else str(row.point),
                      num(getattr(row, first)), num(getattr(row, second)), num(row.objective), row.status,
                      "" if pd.isna(row.note) else row.note)
    out_console.print(table)
    folders = "point-1" if len(outcome.runs) == 1 else f"point-1 ... point-{len(outcome.runs)}"
    out_console.print(f"wrote {outcome.out} (pareto.csv, pareto.png, {folders})",
                      highlight=False)


# -------------------------------------------------------------------------------------- export

def export_command(
    source: Annotated[Path, typer.Argument(metavar="SCENARIO|RUN", show_default=False,
                                           help="The scenario YAML file (--lp, --mps, --xlsx) or a run folder "
                                                "(--gpkg, --xlsx).")],
    lp: Annotated[Path | None, typer.Option("--lp", help="Write the model in CPLEX LP format to this file.")] = None,
    mps: Annotated[Path | None,
                   typer.Option("--mps", help="Write the model in free MPS format to this file.")] = None,
    gpkg: Annotated[Path | None, typer.Option("--gpkg", help="Write the run's plan as a GeoPackage (layers regions, "
                                                 "sites, links; WGS84) to this file.")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write the tables of the scenario (to edit in Excel and "
                                                 "read back with `tables: FILE`) or of the run folder as an Excel "
                                                 "workbook to this file.")] = None,
    symbolic: Annotated[bool, typer.Option("--symbolic/--no-symbolic",
                                           help="Name rows and columns after the model's components.")] = True,
    lang: LangOption = "en",
    force: Annotated[bool, typer.Option("--force", help="Replace existing files.")] = False,
) -> None:
    """Write the model of a scenario as LP and/or MPS for other solvers, or its tables as an Excel workbook; or the
    plan of a run folder as a GeoPackage and/or an Excel workbook."""
    from planner.runfolder import check_file_output

    model, plan = [p for p in (lp, mps) if p is not None], [p for p in (gpkg, xlsx) if p is not None]
    if not model and not plan:
        raise fail("give --lp FILE and/or --mps FILE (a scenario), --xlsx FILE (a scenario's tables or a run "
                   "folder's), or --gpkg FILE (a run folder)")
    if xlsx is not None and not model and gpkg is None and not source.is_dir():
        _guard(lambda: check_file_output(xlsx, force))
        _export_tables(source, xlsx)
        return
    if model and plan:
        raise fail("give either --lp/--mps (of a scenario) or --gpkg/--xlsx (of a run folder), not both")
    if len(model + plan) == 2 and (model + plan)[0].resolve() == (model + plan)[1].resolve():
        raise fail(f"give {'--lp and --mps' if model else '--gpkg and --xlsx'} different files")
    for path in model + plan:
        _guard(lambda path=path: check_file_output(path, force))
    if plan:
        _export_plan(source, gpkg, xlsx, lang)
        return
    from planner.research.export import export_model

    written = _guard(lambda: export_model(source, lp, mps, symbolic))
    for e in written:
        out_console.print(f"wrote {e.path} ({e.format}: {e.n_variables} variables, {e.n_binaries} binary, "
                          f"{e.n_constraints} constraints)", highlight=False)


def _export_tables(scenario: Path, xlsx: Path) -> None:
    """`planner export SCENARIO --xlsx FILE`: the scenario's tables as one workbook, and how to point the scenario
    at it."""
    from planner.research.export import export_tables

    written = _guard(lambda: export_tables(scenario, xlsx))
    out_console.print(f"wrote {written.path} (sheets {', '.join(written.sheets)}); to read the tables from it, write "
                      f"in {scenario.name} (instead of its tables section):\n  {written.tables_entry}",
                      highlight=False)


def _export_plan(run_dir: Path, gpkg: Path | None, xlsx: Path | None, lang: str) -> None:
    """`planner export RUN --gpkg/--xlsx`: exit 2 with one line when RUN is not a run folder with a plan."""
    from planner.research.export import export_run
    from planner.runfolder.read import RunFolderError, read_summary

    if not run_dir.is_dir():
        raise fail(f"{run_dir} is not a run folder (--gpkg exports the plan of a run folder; --xlsx alone writes the "
                   "tables of a scenario)")
    summary = _guard(lambda: read_summary(run_dir))
    if summary.get("status") not in ("optimal", "feasible"):
        raise fail(f"{run_dir} has no plan to export (status: {summary.get('status')})")
    try:
        written = export_run(run_dir, gpkg, xlsx, lang)
    except RunFolderError as exc:
        raise fail(str(exc)) from None
    for path in written:
        out_console.print(f"wrote {path}", highlight=False)


# ------------------------------------------------------------------------- run --alternatives

def print_alternatives(found: Any, to: Console = out_console) -> None:
    """The table of `planner run --alternatives` (found: AlternativesOutcome), on `to` (stdout unless --json)."""
    if found.table is None:
        why = {"infeasible": "the scenario is infeasible", "no_solution": "no plan was found within the limits"}
        to.print(f"no alternatives: {why.get(found.optimum.status, 'there is no optimum to start from')}",
                 highlight=False)
        return
    table = Table("plan", "folder", "objective", "+ %", "opened", "differs from optimum", "new vs optimum",
                  title=f"Plans within {num(found.cost_bound)} (10k yuan)")
    for row in found.table.itertuples(index=False):
        table.add_row("optimum" if row.rank == 0 else f"alt {row.rank}", row.folder, num(row.objective),
                      num(row.increase_pct, 3), str(row.n_opened), str(row.hamming_to_optimum),
                      row.opened_vs_optimum or "-")
    to.print(table)
    n = len(found.table) - 1
    requested = found.optimum.summary.get("alternatives", {}).get("requested", n)
    if n < requested:
        to.print(f"found {n} of {requested} alternatives: {found.stopped}", highlight=False)
    to.print(f"selection frequency: {found.optimum.out / 'selection_frequency.csv'}", highlight=False)


def parse_within(text: str | None) -> float:
    """The --within value in percent (default 5)."""
    from planner.research.alternatives import parse_percent

    if text is None:
        return 5.0
    try:
        return parse_percent(text)
    except ValueError:
        raise fail(f"--within takes a percentage such as 5 or 5%, not {text!r}") from None


def register(app: typer.Typer) -> None:
    """Add `compare`, `importance`, `pareto` and `export` to the `planner` command line `app`."""
    app.command("compare")(compare_command)
    app.command("importance")(importance_command)
    app.command("pareto")(pareto_command)
    app.command("export")(export_command)
