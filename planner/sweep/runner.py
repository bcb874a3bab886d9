"""Running a sweep: write the members, skip the complete ones, run the rest on Dask, gather the results."""

from __future__ import annotations

import glob
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.runfolder import OutputExists, check_output, now, shown_path, write_json
from planner.scenario import InputErrors, load_scenario
from planner.scenario.errors import display_path
from planner.sweep.members import (
    MemberTask,
    check_sweep,
    input_hash,
    is_complete,
    write_member_scenario,
)
from planner.sweep.results import member_row, results_table, write_results
from planner.sweep.spec import Sweep, read_sweep
from planner.sweep.worker import release, run_member

Progress = Callable[[int, int, str], None]
"""Called as progress(done, total, message) after each member that was run."""
RECORD = "sweep.json"
"""The sweep folder's record: which sweep file it holds, written when a sweep starts and again when it ends."""


CONNECT_SECONDS = 30
"""How long `planner sweep --scheduler` waits for the scheduler to answer."""


class SchedulerUnavailable(Exception):
    """The Dask scheduler given by address cannot be reached."""


@dataclass(frozen=True)
class SweepOutcome:
    """What a sweep produced."""

    out: Path
    table: pd.DataFrame
    """One row per member (results.parquet)."""
    ran: int
    """Members solved in this run."""
    skipped: int
    """Members skipped: their complete folder from an earlier run was kept."""
    failed: int
    """Members that ended with status `error`."""
    seconds: float

    @property
    def exit_code(self) -> int:
        """0 when no member failed, 1 otherwise."""
        return 1 if self.failed else 0


def prepare(sweep: Sweep, out: Path, reuse: bool = False) -> tuple[list[MemberTask], list[dict[str, Any]]]:
    """Write every member's scenario; return the tasks to run and the rows already known (skipped or invalid)."""
    tasks, rows = [], []
    for member in sweep.members:
        scenario_file = write_member_scenario(sweep, member, out)
        folder = out / member.name
        try:
            digest = input_hash(load_scenario(scenario_file))
        except InputErrors as exc:
            rows.append(member_row(member.name, member.parameters, folder, status="error", message=exc.report()))
            continue
        if is_complete(folder, digest):
            rows.append(member_row(member.name, member.parameters, folder, skipped=True, digest=digest))
            continue
        _remove_partials(out, member.name)
        tasks.append(MemberTask(member.name, member.parameters, str(scenario_file), str(folder), digest, reuse,
                                str(sweep.base)))
    return tasks, rows


def _remove_partials(out: Path, member: str) -> None:
    """Remove half-written folders of `member` left by a worker killed while writing (none are in use)."""
    for stale in out.glob(f".{glob.escape(member)}.partial-*"):
        shutil.rmtree(stale, ignore_errors=True)


@contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None, processes: bool = True) -> Iterator[Any]:
    """A Dask client: connected to `scheduler`, else on a new local cluster of `workers` single-thread workers.

    `processes=False` runs one worker as a thread of this process (see `run_sweep`).
    """
    from distributed import Client, LocalCluster

    if scheduler:
        with client_of(scheduler) as client:
            yield client
        return
    n = workers or ((os.cpu_count() or 1) if processes else 1)
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=processes, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


def client_of(scheduler: str) -> Any:
    """A Dask client of the scheduler at `scheduler`; SchedulerUnavailable when none answers within CONNECT_SECONDS.

    The connection is made in a helper thread and given up after the deadline: a service at that
    address that is not a Dask scheduler may accept the connection and never answer.
    """
    import threading

    from distributed import Client

    made: dict[str, Any] = {}

    def connect() -> None:
        try:
            made["client"] = Client(scheduler, timeout=CONNECT_SECONDS)
        except Exception as exc:  # refused, timed out, or not a Dask scheduler at all
            made["error"] = exc

    helper = threading.Thread(target=connect, name="planner-connect", daemon=True)  # daemon: never waited for at exit
    helper.start()
    helper.join(CONNECT_SECONDS + 5)
    if "client" in made:
        return made["client"]
    why = (f"{type(made['error']).__name__}: {made['error']}" if "error" in made
           else f"no answer within {CONNECT_SECONDS} s")
    raise SchedulerUnavailable(f"cannot reach the Dask scheduler at {scheduler}: {why}"[:300])


def execute(tasks: list[MemberTask], client: Any, progress: Progress) -> dict[str, dict[str, Any]]:
    """Run the tasks on the cluster; each member's outcome by name (a lost worker is an error, the rest go on)."""
    from distributed import as_completed

    futures = {client.submit(run_member, task, key=f"member-{task.name}-{task.input_hash[:12]}", pure=False): task
               for task in tasks}
    outcomes: dict[str, dict[str, Any]] = {}
    for done, future in enumerate(as_completed(futures), start=1):
        task = futures[future]
        try:
            outcomes[task.name] = future.result()
        except Exception as exc:  # e.g. KilledWorker: the member is lost, not the sweep
            outcomes[task.name] = {"member": task.name, "status": "error",
                                   "message": f"{type(exc).__name__}: {exc}".strip()}
        progress(done, len(tasks), member_line(task.name, outcomes[task.name]))
    client.run(release, on_error="ignore")  # an existing cluster's workers hold no model after the sweep
    return outcomes


def member_line(name: str, outcome: dict[str, Any]) -> str:
    """A member's ending for the progress display: 'NAME: optimal, best 176,443.71, bound 176,429.60, gap 0.008 %,
    6.4 s' (the figures of its summary.json), or 'NAME: error'."""
    figures = outcome.get("figures") or {}
    parts = [f"{name}: {outcome['status']}"]
    if figures.get("objective") is not None:
        parts.append(f"best {figures['objective']:,.2f}")
        parts.append("bound unknown" if figures.get("best_bound") is None else f"bound {figures['best_bound']:,.2f}")
        parts.append("gap unknown" if figures.get("mip_gap") is None else f"gap {100 * figures['mip_gap']:.3f} %")
    if figures.get("solve_seconds") is not None:
        parts.append(f"{figures['solve_seconds']:.1f} s")
    return ", ".join(parts)


def claim_folder(sweep: Sweep, out: Path, force: bool, record: dict[str, Any]) -> bool:
    """Make `out` the sweep's folder, marked by `record` (RECORD); whether the folder was made now.

    A folder holding this sweep file's earlier run is taken as it is (its complete members are then
    skipped). A new or empty folder, or with `force` any folder, is marked. Anything else raises
    OutputExists before anything is written.
    """
    try:
        held = json.loads((out / RECORD).read_text(encoding="utf-8")).get("sweep")
    except (OSError, ValueError, AttributeError):
        held = None
    if held == str(sweep.path):
        return False
    if out.is_dir() and any(out.iterdir()) and not force:
        what = f"the sweep {display_path(held)}" if isinstance(held, str) else "something other than a sweep"
        raise OutputExists(f"{shown_path(out)} holds {what}; choose another --out or add --force")
    check_output(out, force=True)  # refuses a file
    made = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / RECORD, record)
    return made


def run_sweep(path: Path | str, out: Path | str | None = None, *, workers: int | None = None,
              scheduler: str | None = None, processes: bool = True, reuse: bool | None = None, force: bool = False,
              progress: Progress = lambda done, total, message: None) -> SweepOutcome:
    """Run the sweep file at `path` into `out` (default `sweeps/NAME`).

    Members run on Dask: a local cluster of `workers` single-thread processes (default: the number of
    cores; `processes=False` runs one worker as a thread of this process: highspy 1.15 runs one solve
    at a time per process, so more raise ValueError), or the cluster at `scheduler`.
    `reuse` (default: the sweep file's `reuse`) offers each member its worker's previous plan as a MIP start.
    Raises, before anything is written, `InputErrors` for a bad sweep file, a base that is wrong with the
    sweep's `solver` section, or a parameter the base does not accept (`check_sweep`), and
    `OutputExists` for a folder that holds something else (unless `force`, see `claim_folder`); before
    any member runs, `SchedulerUnavailable` (a folder this call made is removed).
    """
    if not processes and (workers or 1) > 1:
        raise ValueError(f"workers={workers} with processes=False: threads of one process cannot solve side by side "
                         "(highspy runs one solve at a time per process); use processes or one worker")
    start = time.perf_counter()
    started = now()
    sweep, problems = read_sweep(path)
    if sweep is not None:
        problems += check_sweep(sweep)
    if problems or sweep is None:
        raise InputErrors(problems)
    out = Path(out) if out is not None else Path("sweeps") / sweep.name
    record: dict[str, Any] = {"sweep": str(sweep.path), "base": str(sweep.base), "members": len(sweep.members)}
    made = claim_folder(sweep, out, force, record | {"started_at": started})
    reuse = sweep.spec.reuse if reuse is None else reuse
    tasks, rows = prepare(sweep, out, reuse)
    started_line = f"{len(tasks)} to run, {len(sweep.members) - len(tasks)} done or invalid"
    outcomes: dict[str, dict[str, Any]] = {}
    if not tasks:
        progress(0, 0, started_line)
    else:
        try:
            with dask_client(workers, scheduler, processes) as client:
                progress(0, len(tasks), started_line)  # once connected: a scheduler out of reach draws no bar
                outcomes = execute(tasks, client, progress)
        except SchedulerUnavailable:
            if made:
                shutil.rmtree(out, ignore_errors=True)
            raise
    for task in tasks:
        _remove_partials(out, task.name)
        result = outcomes[task.name]
        rows.append(member_row(task.name, task.parameters, Path(task.folder),
                               status="error" if result["status"] == "error" else None,
                               message=result.get("message", ""), digest=task.input_hash))
    order = {m.name: n for n, m in enumerate(sweep.members)}
    rows.sort(key=lambda r: order[r["member"]])
    table = results_table(rows, sweep.parameters)
    write_results(table, out, sweep.parameters)
    failed = int((table["status"] == "error").sum())
    outcome = SweepOutcome(out, table, len(tasks), int(table["skipped"].sum()), failed, time.perf_counter() - start)
    record |= {"ran": outcome.ran, "skipped": outcome.skipped, "failed": failed,
               "workers": None if scheduler else (workers or os.cpu_count()), "scheduler": scheduler, "reuse": reuse,
               "started_at": started, "finished_at": now(), "seconds": outcome.seconds}
    write_json(out / RECORD, record)
    return outcome
