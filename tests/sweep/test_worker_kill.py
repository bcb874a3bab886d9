"""A worker process killed (SIGKILL) mid-sweep on a real Dask cluster: only its member is affected, the next run
completes it.

Each test starts its own LocalCluster of 2 single-thread worker processes (with nannies), runs the sweep on it
through `run_sweep(..., scheduler=ADDRESS)` in a background thread, and kills the worker process that is
executing a member. A worker plugin appends every task start and end to a log file (pid, event, key), written
before the member runs, so it survives the kill: it tells when to kill, which member was hit, and how often
each member was started.

With Dask's default `allowed-failures` (3) the scheduler runs the killed member again on a live worker: the
first run completes every member and the next run solves nothing. With `allowed-failures: 0` the killed
member ends as KilledWorker (and so does any member already handed to that worker that had not started): the
first run records them as failed, every other member completes, and the next run solves those, and only those.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import dask
import pandas as pd
import pytest
import yaml

from benchmarks.generate import generate
from planner.sweep import run_sweep
from planner.sweep.members import MARKER, is_complete

COMPARED = ["member", "land", "max_hosts", "status", "objective", "cost_land", "cost_setup", "cost_operating",
            "cost_linkage", "hosts_total", "share_rd_center", "share_production_outer"]
SIZE = (16, 16)
"""Regions x industries of the base: one member takes about 1-3 s on a loaded 2-core machine."""
DEADLINE = 120.0
"""Seconds after which any wait in these tests fails instead of hanging."""


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """The sweep file (4 members) and its results from an undisturbed run (one worker, in this process)."""
    root = tmp_path_factory.mktemp("kill")
    base = generate(*SIZE, 3, root / "base")
    path = root / "kill.yaml"
    doc = {"name": "kill", "base": os.path.relpath(base, root),
           "solver": {"time_limit": 60, "mip_gap": 0, "threads": 1},
           "grid": {"product": [
               {"name": "land", "table": "sites", "where": {"zone": ["center", "inner"]}, "column": "land_price",
                "scale": [0.8, 1.2]},
               {"name": "max_hosts", "table": "industries", "where": {"category": ["future", "emerging"]},
                "column": "max_hosts", "set": [2, 4]},
           ]}}
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    outcome = run_sweep(path, root / "reference", workers=1, processes=False)
    assert outcome.ran == 4 and outcome.failed == 0 and (outcome.table["status"] == "optimal").all()
    return path, outcome.table


def _task_log_plugin(log: str) -> Any:
    """A worker plugin appending `pid start|end key` to `log` whenever a task starts or stops executing."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class TaskLog(WorkerPlugin):  # defined here so that cloudpickle sends it by value to the worker processes
        name = "test-task-log"

        def __init__(self, path: str) -> None:
            self.path = path

        def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
            event = "start" if finish == "executing" else "end" if start == "executing" else None
            if event:
                with open(self.path, "a", encoding="utf-8") as f:
                    f.write(f"{os.getpid()} {event} {key}\n")
                    f.flush()

    return TaskLog(log)


def _events(log: Path) -> list[tuple[int, str, str]]:
    """The log's complete lines as (pid, event, member name)."""
    if not log.is_file():
        return []
    events = []
    text = log.read_text(encoding="utf-8")
    for line in text[:text.rfind("\n") + 1].splitlines():  # a line being written is not complete yet
        pid, event, key = line.split(" ", 2)
        events.append((int(pid), event, key.removeprefix("member-").rsplit("-", 1)[0]))
    return events


def _kill_during_a_member(sweep: Path, out: Path, log: Path, config: dict[str, Any]) -> dict[str, Any]:
    """Run the sweep on a fresh 2-process cluster and SIGKILL the worker running a member; what happened."""
    from distributed import Client, LocalCluster

    result: dict[str, Any] = {}
    with dask.config.set(config):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.CRITICAL)
        try:
            with Client(cluster) as client:
                client.register_plugin(_task_log_plugin(str(log)))
                pids = set(client.run(os.getpid).values())
                assert len(pids) == 2 and os.getpid() not in pids

                def sweep_thread() -> None:
                    try:
                        result["outcome"] = run_sweep(sweep, out, scheduler=cluster.scheduler_address)
                    except BaseException as exc:  # reported by the test below
                        result["error"] = exc

                started = time.perf_counter()
                thread = threading.Thread(target=sweep_thread, daemon=True)
                thread.start()
                deadline = time.monotonic() + DEADLINE
                victim = None
                while victim is None:  # a member that has run for 0.3 s and has not ended
                    assert time.monotonic() < deadline, "no member started on the cluster"
                    assert thread.is_alive(), f"the sweep ended before a worker was killed: {result}"
                    running: dict[tuple[int, str], int] = {}
                    for n, (pid, event, member) in enumerate(_events(log)):
                        if event == "start":
                            running[pid, member] = n
                        else:
                            running.pop((pid, member), None)
                    if running:
                        seen = result.setdefault("first_start", time.perf_counter())
                        if time.perf_counter() - seen > 0.3:
                            victim = min(running, key=running.__getitem__)
                    time.sleep(0.05)
                pid, member = victim
                assert pid in pids
                os.kill(pid, signal.SIGKILL)
                result |= {"killed_pid": pid, "killed_member": member, "killed_at": time.perf_counter() - started}
                thread.join(DEADLINE)
                assert not thread.is_alive(), "the sweep did not finish after the worker was killed"
                result["seconds"] = time.perf_counter() - started
                result["pids_after"] = set(client.run(os.getpid).values())
        finally:
            cluster.close(timeout=30)
    if "error" in result:
        raise result["error"]
    result["events"] = _events(log)
    return result


def _check_first_run(out: Path, first: dict[str, Any], reference: pd.DataFrame) -> pd.DataFrame:
    """What holds in any case after the kill: no partial folders, complete rows are complete folders with the
    undisturbed results."""
    table = first["outcome"].table
    assert list(table["member"]) == list(reference["member"])
    assert not list(out.glob(".*.partial-*")) and not list(out.glob(".*.old-*"))
    assert first["killed_pid"] not in first["pids_after"]  # really killed; the nanny started a new worker process
    done = table[table["status"] != "error"]
    for row in done.itertuples():
        assert is_complete(out / row.member, row.input_hash), row.member
    by_member = reference.set_index("member")
    numeric = [c for c in COMPARED if c not in ("member", "status")]
    pd.testing.assert_frame_equal(done[numeric].reset_index(drop=True),
                                  by_member.loc[list(done["member"])].reset_index()[numeric], rtol=1e-9,
                                  check_dtype=False)
    starts = Counter(member for _, event, member in first["events"] if event == "start")
    ends = Counter(member for _, event, member in first["events"] if event == "end")
    killed = first["killed_member"]
    assert set(starts) <= set(table["member"]) and (first["killed_pid"], "start", killed) in first["events"]
    others = [m for m in table["member"] if m != killed]
    assert all(starts[m] <= 1 for m in others), starts  # no other member was solved twice...
    assert all(starts[m] == ends[m] == 1 for m in done["member"] if m != killed), (starts, ends)  # ...or cut short
    return table


def _rerun(sweep: Path, out: Path, reference: pd.DataFrame) -> tuple[Any, set[Path]]:
    """Run the sweep again into `out` on one in-process worker; check every member is complete and as undisturbed;
    the outcome and the summary.json files that were written again."""
    stamps = {p: p.stat().st_mtime_ns for p in out.glob("*/summary.json")}
    again = run_sweep(sweep, out, workers=1, processes=False)
    assert again.failed == 0 and again.ran + again.skipped == len(reference)
    for row in again.table.itertuples():
        assert is_complete(out / row.member, row.input_hash) and (out / row.member / MARKER).is_file()
    numeric = [c for c in COMPARED if c not in ("member", "status")]
    pd.testing.assert_frame_equal(again.table[["member", "status"]], reference[["member", "status"]])
    pd.testing.assert_frame_equal(again.table[numeric], reference[numeric], rtol=1e-9, check_dtype=False)
    changed = {p for p in out.glob("*/summary.json") if stamps.get(p) != p.stat().st_mtime_ns}
    return again, changed


def test_killed_worker_member_is_run_again_by_dask(reference: tuple[Path, pd.DataFrame], tmp_path: Path) -> None:
    """Default Dask config: the scheduler retries the killed member on a live worker; nothing is left for the next
    run."""
    sweep, expected = reference
    out = tmp_path / "out"
    first = _kill_during_a_member(sweep, out, tmp_path / "tasks.log", {})
    print(f"killed {first['killed_member']} (pid {first['killed_pid']}) at {first['killed_at']:.1f} s; "
          f"first run {first['seconds']:.1f} s")
    outcome = first["outcome"]
    table = _check_first_run(out, first, expected)
    assert outcome.ran == 4 and outcome.failed == 0 and (table["status"] == "optimal").all()
    starts = Counter(member for _, event, member in first["events"] if event == "start")
    assert starts[first["killed_member"]] == 2  # started again, on another worker process
    ended = [pid for pid, event, m in first["events"] if m == first["killed_member"] and event == "end"]
    assert len(ended) == 1 and ended[0] != first["killed_pid"]  # it ended only on a live worker

    again, changed = _rerun(sweep, out, expected)
    assert again.ran == 0 and again.skipped == 4 and again.table["skipped"].all() and not changed


def test_members_lost_with_their_worker_are_completed_by_the_next_run(reference: tuple[Path, pd.DataFrame],
                                                                      tmp_path: Path) -> None:
    """No retries (`allowed-failures: 0`): the killed worker's members are recorded as failed, the others complete;
    the next run solves only the failed ones.

    Lost are the member the worker was running and any member the scheduler had already handed to that worker
    but that had not started (Dask assigns tasks to workers ahead; a single-thread worker may hold several), never
    a member that started on a worker that lived.
    """
    sweep, expected = reference
    out = tmp_path / "out"
    first = _kill_during_a_member(sweep, out, tmp_path / "tasks.log", {"distributed.scheduler.allowed-failures": 0})
    outcome = first["outcome"]
    table = _check_first_run(out, first, expected).set_index("member")
    killed = first["killed_member"]
    started = {m for _, event, m in first["events"] if event == "start"}
    failed = set(table.index[table["status"] == "error"])
    print(f"killed {killed} (pid {first['killed_pid']}) at {first['killed_at']:.1f} s; first run "
          f"{first['seconds']:.1f} s; "
          f"lost {sorted(failed)}")
    assert killed in failed and failed <= {killed} | (set(table.index) - started)
    assert outcome.ran == 4 and outcome.failed == len(failed) and outcome.exit_code == 1
    assert all(table.loc[m, "message"].startswith("KilledWorker") for m in failed)
    assert (table.drop(index=sorted(failed))["status"] == "optimal").all()
    assert not any((out / m / MARKER).exists() for m in failed)
    assert Counter(m for _, event, m in first["events"] if event == "start")[killed] == 1

    again, changed = _rerun(sweep, out, expected)
    assert again.ran == len(failed) and again.skipped == 4 - len(failed)
    assert set(again.table.loc[~again.table["skipped"], "member"]) == failed
    assert changed == {out / m / "summary.json" for m in failed}
