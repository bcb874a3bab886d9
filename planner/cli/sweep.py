"""The `planner sweep` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from planner.cli.common import console, fail, input_errors, out_console, styled


def sweep(
    sweep_file: Annotated[Path,
                          typer.Argument(metavar="SWEEP", help="The sweep YAML file (docs/sweep.md).",
                                         show_default=False)],
    out: Annotated[Path | None,
                   typer.Option("--out", "-o", help="Sweep folder to write. [default: sweeps/NAME]")] = None,
    workers: Annotated[int | None,
                       typer.Option(min=1,
                                    help="Worker processes of the local Dask cluster. "
                                         "[default: the number of cores]")] = None,
    scheduler: Annotated[str | None,
                         typer.Option(help="Address of an existing Dask scheduler to run on instead, e.g. "
                                           "tcp://10.0.0.5:8786.")] = None,
    reuse: Annotated[bool | None,
                     typer.Option("--reuse/--no-reuse",
                                  help="Offer each member its worker's previous plan as a MIP start (HiGHS); results "
                                       "then agree only within the gap. [default: the sweep file's `reuse`, else off]",
                                       show_default=False)] = None,
    force: Annotated[bool,
                     typer.Option("--force",
                                  help="Write into an existing folder that holds something other than this sweep's "
                                       "earlier run.")] = False,
) -> None:
    """Run every member of a sweep (a base scenario and a grid of changes) and gather their KPIs.

    Each member is a full run folder in the sweep folder, named by its parameters; a member whose
    folder is complete for the same inputs is not solved again. Exit 0 when no member failed,
    1 when some did (the others are still run and recorded), 2 for a bad sweep file, an output folder
    that holds something else, or a scheduler that cannot be reached (nothing run).
    """
    import pandas as pd

    from planner.runfolder import OutputExists
    from planner.scenario import InputErrors
    from planner.sweep.runner import SchedulerUnavailable, run_sweep

    columns = (TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    bar = Progress(*columns, console=console, transient=False, disable=not console.is_terminal)  # piped: lines
    task = bar.add_task("members", total=None)

    def progress(done: int, total: int, message: str) -> None:
        bar.start()  # drawn from the first report on, so not for a sweep found wrong (a no-op once started)
        bar.update(task, completed=done, total=total, description=message if not console.is_terminal else message[:90])
        if not console.is_terminal and total:  # piped: one line per member, with its figures
            console.print(f"[{done}/{total}] {message}", markup=False, highlight=False)

    def stop() -> None:
        if bar.live.is_started:  # stopping a bar never drawn would still print an empty line
            bar.stop()

    try:
        outcome = run_sweep(sweep_file, out, workers=workers, scheduler=scheduler, reuse=reuse, force=force,
                            progress=progress)
    except InputErrors as exc:  # found before any member runs: the bar was never drawn
        raise input_errors(exc, f"The sweep has {len(exc.problems)} problem(s):") from None
    except (OutputExists, SchedulerUnavailable) as exc:  # the same
        raise fail(str(exc)) from None
    finally:
        stop()
    table = Table("status", "objective", "gap", "solve s", "skipped", "start", title=f"sweep {outcome.out}")
    table.add_column("member", overflow="fold")
    for row in outcome.table.itertuples():
        objective = f"{row.objective:,.2f}" if row.objective == row.objective else ""
        gap = f"{100 * row.mip_gap:.3f} %" if row.mip_gap == row.mip_gap else ""
        solve = f"{row.solve_seconds:.2f}" if row.solve_seconds == row.solve_seconds else ""
        start = ("" if pd.isna(row.start_values) else "none" if row.start_values == 0
                 else "taken" if row.start_accepted else "not taken")
        table.add_row(row.status, objective, gap, solve, "yes" if row.skipped else "", start, row.member)
    out_console.print(table)  # the results on stdout, as `planner run`'s
    for row in outcome.table[outcome.table["status"] == "error"].itertuples():
        console.print(styled((f"{row.member} failed:", "red"), f" {row.message}"))
    out_console.print(f"{len(outcome.table)} members: {outcome.ran} run, {outcome.skipped} skipped (complete), "
                  f"{outcome.failed} failed, in {outcome.seconds:.1f} s; results: {outcome.out / 'results.parquet'}, "
                  f"{outcome.out / 'results.csv'}, {outcome.out / 'kpis.png'}", highlight=False)
    raise typer.Exit(outcome.exit_code)


def register(app: typer.Typer) -> None:
    """Add the `sweep` command to the `planner` application."""
    app.command("sweep")(sweep)
