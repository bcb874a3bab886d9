"""Two threads (issue 22, goal 5): HiGHS's parallel MIP on two threads against one thread, and against two
one-thread solves side by side (as two sweep members run on a 2-core machine).

For each size (SIZES, scenario seed 1 unless --seed) and one time limit (TIME_LIMIT unless --time-limit), three
modes, each solve as `planner run` solves (`solve_polished`: hand-over, cover cuts and RENS, HiGHS, read-back,
polish, under a SolveWatch as `planner run` keeps its solver.log), each in a fresh subprocess (HiGHS 1.16 keeps
one thread scheduler per process, made by its first solve):

- `one thread`: threads=1, solver seed 0, alone on the machine;
- `two threads`: threads=2, solver seed 0, alone;
- `pair`: two threads=1 solves at the same time, solver seeds 0 and 1 (member 1 is exactly the one-thread
  solve; member 2 a second sweep member of the same scenario), each in its own process.

Every subprocess loads and builds first, after a warm-up on a tiny scenario with its own thread count, and
says so; the solves start together when every process of the mode is ready. Per solve: the wall time of the
whole solve, its overrun of the limit, HiGHS's own seconds, the processor time of the process and of its
forked solve (cores used = processor time / wall), status, objective, bound, gap, peak memory, and the line of
HiGHS's log saying how many threads it uses.

    python benchmarks/run.py --threads                          # the four sizes, 120 s per solve
    python benchmarks/run.py --threads --sizes 4x6 --time-limit 10
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.generate import generate
from benchmarks.usage import children_cpu, children_peak_mib, peak_mib

SIZES: tuple[tuple[int, int], ...] = ((31, 40), (100, 40), (31, 100), (100, 100))
"""The sizes of the two-thread benchmark (regions x industries), run in this order."""
TIME_LIMIT = 120.0
"""Seconds per solve of the two-thread benchmark."""
MODES: dict[str, list[tuple[int, int]]] = {"one thread": [(1, 0)], "two threads": [(2, 0)],
                                           "pair": [(1, 0), (1, 1)]}
"""Each mode's solves as (threads, solver seed); the solves of a mode run at the same time."""
_WORKERS = re.compile(r"using up to \d+ workers? across \d+ threads?")


def measure_solve(scenario: Path, time_limit: float, mip_gap: float, threads: int, seed: int,
                  ready: Any = None) -> dict[str, Any]:
    """Build `scenario`, then (after `ready()`, if given) solve it as `planner run` does, timed around the solve.

    Returns the wall time of the solve, its start and end (epoch seconds, to line up solves of other
    processes), HiGHS's seconds, processor time of this process and its forked solves, status, objective,
    bound, gap, peak memory and HiGHS's line on its threads.
    """
    from planner.run import build, solver_options
    from planner.scenario import load_scenario
    from planner.solve.polish import solve_polished
    from planner.solve.watch import SolveWatch, watching

    sc = load_scenario(scenario)
    built = build(sc)
    options = solver_options(sc, time_limit=time_limit, mip_gap=mip_gap, threads=threads, seed=seed)
    if ready is not None:
        ready()
    watch = SolveWatch()
    cpu, children = time.process_time(), children_cpu()
    started, start = time.time(), time.perf_counter()
    with watching(watch):
        result = solve_polished(built.model, options)
    wall = time.perf_counter() - start
    return {"threads": threads, "seed": seed, "columns": built.size["n_variables"], "build": built.seconds,
            "wall": wall, "started": started, "ended": started + wall, "solve": result.solve_seconds,
            "cpu": time.process_time() - cpu, "cpu_apart": children_cpu() - children, "status": result.status,
            "objective": result.objective, "bound": result.best_bound, "gap": result.mip_gap,
            "peak_mib": peak_mib(), "apart_peak_mib": children_peak_mib(),
            "workers": workers_lines(watch.text()), "notes": list(result.notes)}


def workers_lines(log: str) -> list[str]:
    """HiGHS's 'using up to N workers across N threads' of each MIP solve in `log` (RENS's, the main one's)."""
    return _WORKERS.findall(log)


def child(scenario: Path, time_limit: float, mip_gap: float, threads: int, seed: int) -> dict[str, Any]:
    """One solve in this fresh process: a warm-up with the same thread count, the build, 'ready' on stdout,
    then the solve when a line comes on stdin."""
    with tempfile.TemporaryDirectory() as tmp:
        measure_solve(generate(2, 2, 0, tmp), 10.0, mip_gap, threads, seed)

    def ready() -> None:
        print("ready", flush=True)
        sys.stdin.readline()

    return measure_solve(scenario, time_limit, mip_gap, threads, seed, ready)


def solve_together(scenario: Path, time_limit: float, mip_gap: float, solves: list[tuple[int, int]],
                   timeout: float) -> list[dict[str, Any]]:
    """The (threads, solver seed) `solves` (one or two) of `scenario`, each in a fresh subprocess, started together
    once every process has built its model; a process over `timeout` seconds is stopped (status `timeout`)."""
    command = [sys.executable, str(Path(__file__).resolve().parent / "run.py"), "--child", "threads",
               "--scenario", str(scenario), "--time-limit", str(time_limit), "--mip-gap", str(mip_gap)]
    with tempfile.TemporaryFile("w+") as e0, tempfile.TemporaryFile("w+") as e1:  # stderr: no pipe to fill
        procs = [subprocess.Popen([*command, "--child-threads", str(t), "--child-seed", str(s)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True)
                 for (t, s), err in zip(solves, (e0, e1), strict=False)]
        for p in procs:
            p.stdout.readline()  # "ready" (or nothing, if it failed)
        for p in procs:
            _say_go(p)
        return [_outcome(p, err, timeout) for p, err in zip(procs, (e0, e1), strict=False)]


def _say_go(p: subprocess.Popen[str]) -> None:
    """Tell the child `p` to start its solve (nothing if it has ended already)."""
    try:
        p.stdin.write("go\n")
        p.stdin.flush()
    except BrokenPipeError:
        pass


def _outcome(p: subprocess.Popen[str], err: Any, timeout: float) -> dict[str, Any]:
    """What the child `p` printed last (its measurement), or why there is none (from `err`, its stderr)."""
    try:
        out, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        return {"status": f"timeout {timeout:.0f}s"}
    if p.returncode != 0 or not out.strip():
        err.seek(0)
        return {"status": "crashed", "error": err.read().strip().splitlines()[-1:] or [""]}
    return json.loads(out.strip().splitlines()[-1])


def run_size(size: tuple[int, int], seed: int, time_limit: float, mip_gap: float, timeout: float,
             folder: Path) -> dict[str, Any]:
    """Every mode of MODES on the scenario of `size` and `seed`, one mode after the other."""
    name = f"{size[0]}x{size[1]}"
    scenario = generate(*size, seed, folder / name)
    row: dict[str, Any] = {"size": name}
    for mode, solves in MODES.items():
        print(f"{name} {mode} ...", file=sys.stderr, flush=True)
        row[mode] = solve_together(scenario, time_limit, mip_gap, solves, timeout)
    return row


def run_threads(sizes: list[tuple[int, int]], seed: int, time_limit: float, mip_gap: float,
                timeout: float) -> list[dict[str, Any]]:
    """`run_size` of each size, in the order given."""
    with tempfile.TemporaryDirectory() as tmp:
        return [run_size(size, seed, time_limit, mip_gap, timeout, Path(tmp)) for size in sizes]


def pair_wall(solves: list[dict[str, Any]]) -> float | None:
    """Seconds from the first start to the last end of solves that ran together (None if one has no times)."""
    if not solves or any("started" not in s for s in solves):
        return None
    return max(s["ended"] for s in solves) - min(s["started"] for s in solves)


def reached_gap(solve: dict[str, Any]) -> bool:
    """Whether the solve ended at its gap (status optimal) rather than at its time limit."""
    return solve.get("status") == "optimal"


def ratios(row: dict[str, Any]) -> dict[str, float | None]:
    """The ratios of one size: one thread's time to the gap over two threads' (None unless both reached it),
    and the pair's throughput (two solves in the pair's wall) over one thread's alone (two solves one after the
    other) and over two threads' alone."""
    one, two = row["one thread"][0], row["two threads"][0]
    both = reached_gap(one) and reached_gap(two)
    wall = pair_wall(row["pair"])
    return {"time_to_gap": one["wall"] / two["wall"] if both and two["wall"] > 0 else None,
            "pair_vs_one": 2 * one["wall"] / wall if wall and "wall" in one else None,
            "pair_vs_two": 2 * two["wall"] / wall if wall and "wall" in two else None}


def _num(value: Any, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _gap(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.3f} %"


def solve_line(size: str, mode: str, s: dict[str, Any], time_limit: float, allowed: float) -> str:
    """One solve as a row of the markdown table."""
    if "wall" not in s:
        return f"| {size} | {mode} | | | | | | | | | {s.get('status', '')} |" + " |" * 6
    over = s["wall"] - time_limit
    cpu = s["cpu"] + s["cpu_apart"]
    workers = "; ".join(w.removeprefix("using up to ") for w in s["workers"])
    return (f"| {size} | {mode} | {s['threads']} | {s['seed']} | {s['wall']:.1f} | {over:+.1f} "
            f"| {'yes' if over <= allowed else 'no'} | {_num(s['solve'])} | {cpu:.1f} | {cpu / s['wall']:.2f} "
            f"| {s['status']} | {_num(s['objective'], 2)} | {_num(s['bound'], 2)} | {_gap(s['gap'])} "
            f"| {s['peak_mib']:.0f} / {s['apart_peak_mib']:.0f} | {workers} | {'; '.join(s['notes'])} |")


def ratio_line(row: dict[str, Any]) -> str:
    """The ratios of one size as a row of the markdown table."""
    r = ratios(row)
    one, two = row["one thread"][0], row["two threads"][0]
    pair = row["pair"]
    return (f"| {row['size']} | {_num(r['time_to_gap'], 2)} | {_gap(one.get('gap'))} | {_gap(two.get('gap'))} "
            f"| {_num(pair_wall(pair))} | {' / '.join(_gap(s.get('gap')) for s in pair)} "
            f"| {_num(r['pair_vs_one'], 2)} | {_num(r['pair_vs_two'], 2)} |")


def threads_report(rows: list[dict[str, Any]], settings: dict[str, Any], machine: dict[str, str]) -> str:
    """The measurements as markdown: machine and settings, one line per solve, then the ratios per size."""
    from benchmarks.run import allowed_overrun

    limit = settings["time_limit"]
    lines = ["| " + " | ".join(f"{k}: {v}" for k, v in machine.items()) + " |", "",
             f"Settings: {json.dumps(settings)}", "",
             "| size | mode | threads | solver seed | wall of the solve s | overrun s | kept | HiGHS s | CPU s "
             "| cores used | status | objective | bound | gap | peak RSS MiB (process / solve apart) "
             "| HiGHS: using up to (RENS; MIP) | notes |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        for mode in MODES:
            lines += [solve_line(row["size"], mode, s, limit, allowed_overrun(limit)) for s in row[mode]]
    lines += ["", "| size | 1 thread / 2 threads, time to the gap | gap, 1 thread | gap, 2 threads | pair's wall s "
              "| gaps in the pair | pair throughput / 1 thread's | pair throughput / 2 threads' |",
              "|---|---|---|---|---|---|---|---|"]
    return "\n".join(lines + [ratio_line(row) for row in rows])
