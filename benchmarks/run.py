"""Benchmark: planner (Pyomo model -> standard form -> highspy) against a direct highspy build of the same model.

For each size, a synthetic scenario (benchmarks/generate.py) is solved twice, each in a fresh
subprocess so that peak memory is that run's alone:

- `planner`: `load_scenario`, `build` (index sets + Pyomo model), then `solve` (hand-over = standard
  form and arrays passed to HiGHS; solve = HiGHS' own `run`; read-back = the solution into the
  model and the objective evaluated, plus the garbage collector's pass over the objects that
  build, hand-over and read-back made while they paused it);
- `floor`: the independent reference implementation in tests/reference, which builds the sparse
  matrix in plain Python and passes it to highspy directly (build = rows and columns, hand-over =
  arrays and `passModel`, solve = the MIP `run`; read-back = the final solution read into its
  results, after its LP polish, which is not counted).

Both solve with one thread, the same gap and time limit. Each subprocess first runs a tiny scenario
through the same steps, so one-time costs (imports, plugin loading) are not counted. The table has
the seconds of each step, peak resident memory (and its growth over the warmed-up process), status,
objective and gap, and the ratios planner / floor from the same run.

    python benchmarks/run.py            # quick sizes, a few minutes on 2 cores
    python benchmarks/run.py --full     # every size (long; the reference's build is quadratic)
    python benchmarks/run.py --limits   # time limits kept: every size with a short limit, planner only
    python benchmarks/run.py --threads  # two threads against one, and against two one-thread solves side by side
    python benchmarks/run.py --decompose  # a decomposition by industry on the Dask cluster, 1 and 2 workers

`--limits` (issue 22, "Time limits kept") solves each fixed size (seed 1) with planner as `planner run` does
(`solve_polished`: cuts, RENS, HiGHS, read-back, polish) under a short limit (LIMITS), one size at a time in
a fresh subprocess, and prints the limit, the wall time of the whole solve, the overrun against the allowed
one (the larger of 2 s and 5 %), status, gap and peak memory (the process and, separately, the largest
forked solve of planner.solve.apart).

`--threads` (issue 22, "Two threads"): benchmarks/threads.py. `--decompose` (issue 22, goal 6):
benchmarks/decompose.py.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import decompose
from benchmarks import threads as two_threads
from benchmarks.generate import (
    BROWNFIELD_LARGE,
    BROWNFIELD_SIZES,
    FULL_SIZES,
    QUICK_SIZES,
    generate,
    generate_brownfield,
)
from benchmarks.usage import children_peak_mib, cpu_seconds, peak_mib
from planner.solve.watch import new_highs

STEPS = ("load", "build", "handover", "readback", "solve")
LIMITS: dict[tuple[int, int], float] = {size: 30.0 for size in FULL_SIZES} | {(300, 100): 120.0}
"""Time limit of each size in `--limits`, seconds."""


def _rss_mib() -> float:
    """Current resident memory of this process in MiB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure_planner(scenario: Path, time_limit: float, mip_gap: float) -> tuple[dict[str, Any], Any]:
    """Load, build and solve with planner: seconds per step, model size and outcome; and the solved model."""
    from pyomo.common.gc_manager import PauseGC

    from planner.models.sets import index_sets
    from planner.run import build, solver_options
    from planner.scenario import load_scenario
    from planner.solve import solve

    start = time.perf_counter()
    sc = load_scenario(scenario)
    load = time.perf_counter() - start
    start = time.perf_counter()
    with PauseGC():  # as `build` derives them (version 2's model derives its own, in `build`)
        ix = None if sc.is_version2 else index_sets(sc)
    sets = time.perf_counter() - start
    built = build(sc, ix)
    options = solver_options(sc, time_limit=time_limit, mip_gap=mip_gap, threads=1, seed=0)
    result = solve(built.model, options)  # version 2 too: with no period start, its MIP has the same options
    start = time.perf_counter()
    gc.collect(1)  # the pass over the new objects the next allocations would trigger
    readback = result.readback_seconds + time.perf_counter() - start
    size = built.size
    return ({"load": load, "index_sets": sets, "build": sets + built.seconds, "handover": result.handover_seconds,
             "readback": readback,
             "solve": result.solve_seconds, "status": result.status, "objective": result.objective,
             "gap": result.mip_gap,
             "columns": size["n_variables"], "rows": size["n_constraints"]}, built.model)


def measure_limit(scenario: Path, time_limit: float, mip_gap: float) -> dict[str, Any]:
    """planner's whole solve (`solve_polished`, as `planner run`) of `scenario` under `time_limit`, timed around it."""
    from planner.run import build, solver_options
    from planner.scenario import load_scenario
    from planner.solve.polish import solve_polished

    sc = load_scenario(scenario)
    start = time.perf_counter()
    built = build(sc)
    built_seconds = time.perf_counter() - start
    options = solver_options(sc, time_limit=time_limit, mip_gap=mip_gap, threads=1, seed=0)
    memory = MemorySampler()
    memory.start()
    start = time.perf_counter()
    result = solve_polished(built.model, options)
    wall = time.perf_counter() - start
    memory.done.set()
    memory.join()
    return {"build": built_seconds, "wall": wall, "status": result.status, "objective": result.objective,
            "gap": result.mip_gap, "message": result.message, "notes": list(result.notes),
            "columns": built.size["n_variables"], "solve": result.solve_seconds, "handover": result.handover_seconds,
            "rens": (result.heuristic or {}).get("seconds"), "readback": result.readback_seconds,
            "peak_mib": peak_mib(), "apart_peak_mib": children_peak_mib(),
            "pss_peak_mib": memory.peak}


class MemorySampler(threading.Thread):
    """Samples, every half second until `done`, the proportional set size (shared pages divided among their
    sharers) of this process and its children (a solve apart is a forked child): their sum is the memory the
    solve holds, which the peak resident sizes of parent and fork, sharing pages, overstate when added."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.done = threading.Event()
        self.peak = 0.0

    def run(self) -> None:
        """Sample until `done`."""
        while not self.done.wait(0.5):
            pids = [os.getpid(), *_children(os.getpid())]
            self.peak = max(self.peak, sum(_pss_mib(pid) for pid in pids))


def _children(pid: int) -> list[int]:
    """The child processes of `pid` (Linux)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(n) for n in fh.read().split()]
    except OSError:
        return []


def _pss_mib(pid: int) -> float:
    """The proportional set size of process `pid` in MiB (0 when it has gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("Pss:")) / 1024
    except (OSError, StopIteration):
        return 0.0


def allowed_overrun(time_limit: float) -> float:
    """The overrun issue 22 allows: the larger of 2 s and 5 % of the limit."""
    return max(2.0, 0.05 * time_limit)


def limits_report(rows: list[dict[str, Any]]) -> str:
    """The `--limits` measurements as markdown, one line per size."""
    lines = ["| " + " | ".join(f"{k}: {v}" for k, v in machine().items()) + " |", "",
             "| size | columns | limit s | build s | wall of the solve s | overrun s | allowed s | wall / limit "
             "| kept | status | gap | hand-over s | RENS s | MIP s (with RENS) | read-back s | peak RSS MiB "
             "| solve apart peak RSS MiB | peak PSS MiB, both | notes |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "wall" not in r:
            lines.append(f"| {r['size']} | | {r['limit']:.0f} | | | | | | no | {r['status']} |" + " |" * 9)
            continue
        over = r["wall"] - r["limit"]
        gap = "" if r.get("gap") is None else f"{100 * r['gap']:.3f} %"
        lines.append(f"| {r['size']} | {r['columns']} | {r['limit']:.0f} | {r['build']:.1f} | {r['wall']:.1f} "
                     f"| {over:+.1f} | {allowed_overrun(r['limit']):.1f} | {r['wall'] / r['limit']:.3f} "
                     f"| {'yes' if over <= allowed_overrun(r['limit']) else 'no'} | {r['status']} | {gap} "
                     f"| {_num(r.get('handover'), 1)} | {_num(r.get('rens'), 1)} | {_num(r.get('solve'), 1)} "
                     f"| {_num(r.get('readback'), 1)} | {r['peak_mib']:.0f} | {r['apart_peak_mib']:.0f} "
                     f"| {_num(r.get('pss_peak_mib'), 0)} "
                     f"| {'; '.join(r['notes'])} |")
    return "\n".join(lines)


def run_limits(sizes: list[tuple[int, int]], seed: int, mip_gap: float) -> list[dict[str, Any]]:
    """`measure_limit` of each size (its limit from LIMITS), each in a fresh subprocess, one after the other."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            limit = LIMITS.get(size, 30.0)
            scenario = generate(*size, seed, Path(tmp) / f"{size[0]}x{size[1]}")
            print(f"{size[0]}x{size[1]} limit {limit:.0f} s ...", file=sys.stderr, flush=True)
            out = run_child("limits", scenario, limit, mip_gap, limit + 900)
            rows.append(out | {"size": f"{size[0]}x{size[1]}", "limit": limit})
    return rows


def pyomo_floors(model: Any) -> dict[str, float]:
    """Seconds a fresh Pyomo model takes to hold planner's own matrix (`matrix_copy`), rows each way.

    Built as planner builds (garbage collector paused, then its pass over the new objects), from
    lists made beforehand with every index, bound and term: what the model costs while Pyomo holds
    it, before any index set is derived, any cost is written or anything is handed over. Then the
    whole least route with Pyomo as the model (`kernel_route`), from the same lists.
    """
    from planner.solve.standard_form import standard_form

    form = standard_form(model)
    data = MatrixData.of(form)
    out = {}
    for rows in ("expressions", "matrix", "kernel"):
        gc.collect()
        start = time.perf_counter()
        copy = matrix_copy(data, rows)
        gc.collect(1)
        out[f"pyomo_{rows}"] = time.perf_counter() - start
        del copy
    values = [v.value for v in form.columns]
    gc.collect()
    out |= {f"route_{step}": seconds for step, seconds in kernel_route(data, values)[1].items()}
    return out


def kernel_route(d: MatrixData, values: list[float]) -> tuple[Any, dict[str, float]]:
    """The least a set-up with Pyomo as the model costs, from planner's matrix given as lists.

    Steps timed as planner's are: `model` = the `pyomo.kernel` copy (variables with bounds and
    integrality, one `matrix_constraint`) and its objective; `handover` = the matrix, costs and
    bounds as arrays, taken from the lists (not read back from the Pyomo objects), passed to
    HiGHS; `readback` = `values` into the variables and the objective evaluated, plus the garbage
    collector's pass over the new objects. Nothing is derived from the scenario here: a kernel
    rewrite of planner would add that work (and its index sets). Returns the Highs instance (not
    run) and the seconds of each step.
    """
    import highspy
    import pyomo.kernel as pmo
    import scipy.sparse as sp
    from pyomo.common.gc_manager import PauseGC
    from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression

    marks = [time.perf_counter()]
    with PauseGC():
        k = matrix_copy(d, "kernel")
        x = list(k.x)
        terms = [MonomialTermExpression((c, x[j])) for j, c in enumerate(d.costs) if c]
        k.objective = pmo.objective(LinearExpression(terms))
        marks.append(time.perf_counter())
        A = sp.csc_array(sp.csr_array((np.asarray(d.data), np.asarray(d.indices), np.asarray(d.starts)),
                                      shape=(len(d.lower), len(x))))
        h = new_highs()  # prints nothing (HiGHS >= 1.16 prints a banner when made)
        inf = highspy.kHighsInf
        bounds = np.array(d.bounds, dtype=float)  # None -> nan
        lower = np.where(np.isnan(bounds[:, 0]), -inf, bounds[:, 0])
        upper = np.where(np.isnan(bounds[:, 1]), inf, bounds[:, 1])
        h.passModel(len(x), len(d.lower), A.nnz, highspy.MatrixFormat.kColwise, highspy.ObjSense.kMinimize, 0.0,
                    np.asarray(d.costs), lower, upper, k.rows.lb, k.rows.ub, A.indptr, A.indices, A.data,
                    np.asarray(d.integer, dtype=np.int32))
        marks.append(time.perf_counter())
        for v, value in zip(x, values, strict=False):
            v.value = value
        pmo.value(k.objective)
    gc.collect(1)
    marks.append(time.perf_counter())
    return h, dict(zip(("model", "handover", "readback"), np.diff(marks).tolist(), strict=False))


@dataclass
class MatrixData:
    """A standard form's matrix as plain lists: what `matrix_copy` builds a Pyomo model from."""

    groups: dict[str, list[tuple[Any, Any, Any]]]
    """(index, lower, upper) of each column, by the name of its Var component."""
    where: list[tuple[str, int]]
    """Each column's component name and position in its group."""
    starts: list[int]
    indices: list[int]
    data: list[float]
    """The CSR matrix."""
    lower: list[float | None]
    upper: list[float | None]
    """Row bounds (None: none)."""
    bounds: list[tuple[Any, Any]]
    """(lower, upper) of each column, in column order."""
    integer: list[bool]
    """Whether each column is integer (binaries too)."""
    costs: list[float]
    """The objective's coefficient of each column."""

    @classmethod
    def of(cls, form: Any) -> MatrixData:
        """The lists of the standard form `form`."""
        groups: dict[str, list[tuple[Any, Any, Any]]] = {}
        where = []
        for v in form.columns:
            members = groups.setdefault(v.parent_component().name, [])
            where.append((v.parent_component().name, len(members)))
            members.append((v.index(), v.lb, v.ub))
        A = form.A.tocsr()
        return cls(groups, where, A.indptr.tolist(), A.indices.tolist(), A.data.tolist(),
                   [None if b == -np.inf else float(b) for b in form.row_lower],
                   [None if b == np.inf else float(b) for b in form.row_upper], [v.bounds for v in form.columns],
                   [v.is_integer() for v in form.columns], form.c.tolist())


def matrix_copy(d: MatrixData, rows: str) -> Any:
    """A Pyomo model of the matrix `d`, built with the garbage collector paused.

    With `rows="expressions"` or `"matrix"`, a ConcreteModel (Pyomo's modelling layer, as planner's):
    one Var component per component of the standard form's columns, with the same indices and
    bounds, then the rows, one LinearExpression each as planner writes them, or one
    `MatrixConstraint` (rows read from a CSR matrix, bypassing Pyomo's expression system). With
    `rows="kernel"`, a `pyomo.kernel` block (Pyomo's other modelling layer): a variable list (with
    each column's integrality too) and one `matrix_constraint`.
    """
    import pyomo.environ as pyo
    from pyomo.common.gc_manager import PauseGC
    from pyomo.core.base.matrix_constraint import MatrixConstraint
    from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression

    if rows == "kernel":
        import pyomo.kernel as pmo
        import scipy.sparse as sp

        with PauseGC():
            k = pmo.block()
            kinds = (pmo.RealSet, pmo.IntegerSet)
            k.x = pmo.variable_list(pmo.variable(domain_type=kinds[integer], lb=lb, ub=ub)
                                    for (lb, ub), integer in zip(d.bounds, d.integer, strict=False))
            A = sp.csr_array((d.data, d.indices, d.starts), shape=(len(d.lower), len(d.where)))
            k.rows = pmo.matrix_constraint(A, lb=np.array([-np.inf if b is None else b for b in d.lower]),
                                           ub=np.array([np.inf if b is None else b for b in d.upper]), x=list(k.x))
        return k

    def row(x: list[Any], r: int) -> Any:
        body = LinearExpression([x[j] if c == 1 else MonomialTermExpression((c, x[j]))
                                 for j, c in zip(d.indices[d.starts[r]:d.starts[r + 1]],
                                                 d.data[d.starts[r]:d.starts[r + 1]], strict=False)])
        lo, hi = d.lower[r], d.upper[r]
        if lo == hi:
            return body == hi
        return body <= hi if lo is None else body >= lo if hi is None else pyo.inequality(lo, body, hi)

    with PauseGC():
        m = pyo.ConcreteModel()
        made = {}
        for k, (name, members) in enumerate(d.groups.items()):
            var = pyo.Var([i for i, _, _ in members], bounds={i: (lb, ub) for i, lb, ub in members})
            m.add_component(f"v{k}", var)
            made[name] = list(var.values())
        x = [made[name][j] for name, j in d.where]
        if rows == "matrix":
            m.rows = MatrixConstraint(d.data, d.indices, d.starts, d.lower, d.upper, x)
        else:
            m.rows = pyo.Constraint(range(len(d.lower)), rule=lambda m, r: row(x, r))
    return m


class _Proxy:
    """A module stand-in: every attribute from `module` except the ones given."""

    def __init__(self, module: Any, **replaced: Any):
        self._module = module
        self.__dict__.update(replaced)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)


def measure_floor(scenario: Path, time_limit: float, mip_gap: float, version: int = 1) -> tuple[dict[str, Any], None]:
    """Load, build and solve with the reference implementation, its steps timed through highspy calls.

    `version` 2: the version 2 reference (tests/reference/model2.py), for scenarios with periods and stock.
    """
    import highspy

    from tests.reference import model as reference
    from tests.reference import model2
    from tests.reference.scenario import load_scenario

    marks: dict[str, Any] = {}

    class TimedHighs(highspy.Highs):  # type: ignore[misc]
        """Highs that records when the model is handed over and how long the first (MIP) run takes."""

        def passModel(self, *args: Any) -> Any:
            out = super().passModel(*args)
            marks.setdefault("passed", time.perf_counter())
            lp = self.getLp()
            marks.setdefault("columns", lp.num_col_)
            marks.setdefault("rows", lp.num_row_)
            return out

        def run(self) -> Any:
            begin = time.perf_counter()
            out = super().run()
            marks["ran"] = time.perf_counter()  # the last run's end: the final solution is read back after it
            if "solve" not in marks:
                marks["solve"] = time.perf_counter() - begin
                info = self.getInfo()
                marks["model_status"] = self.modelStatusToString(self.getModelStatus())
                marks["gap"] = float(info.mip_gap) if info.primal_solution_status == 2 else None
                marks["objective"] = float(info.objective_function_value) if info.primal_solution_status == 2 else None
            return out

    original_lp = reference._Builder.lp

    def timed_lp(self: Any) -> Any:
        marks.setdefault("arrays", time.perf_counter())
        return original_lp(self)

    module = model2 if version == 2 else reference  # both build with reference._Builder
    module.highspy = _Proxy(highspy, Highs=TimedHighs)  # type: ignore[attr-defined]
    reference._Builder.lp = timed_lp  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        scn = load_scenario(scenario)
        loaded = time.perf_counter()
        if version == 2:
            result = model2.solve_scenario_v2(scn, mip_gap, time_limit)
        else:
            result = reference.solve_scenario(scn, mip_gap, time_limit)
        returned = time.perf_counter()
    finally:
        module.highspy = highspy  # type: ignore[attr-defined]
        reference._Builder.lp = original_lp  # type: ignore[method-assign]
    status = {"Optimal": "optimal", "Infeasible": "infeasible"}.get(marks.get("model_status", ""), None)
    if status is None:
        status = "feasible" if marks.get("objective") is not None else "no_solution"
    return ({"load": loaded - start, "build": marks["arrays"] - loaded, "handover": marks["passed"] - marks["arrays"],
             "readback": returned - marks["ran"], "solve": marks["solve"], "status": status,
             "objective": marks.get("objective"), "gap": marks.get("gap"), "columns": marks["columns"],
             "rows": marks["rows"], "reference_status": result.status}, None)


def child(kind: str, scenario: Path, time_limit: float, mip_gap: float) -> dict[str, Any]:
    """One measurement in this (fresh) process, after a warm-up on a tiny scenario.

    For planner, `pyomo_floors` of its model follow, after the peak memory is taken.
    """
    if kind == "limits":
        return measure_limit(scenario, time_limit, mip_gap)
    measure = {"planner": measure_planner, "floor": measure_floor, "planner2": measure_planner,
               "floor2": partial(measure_floor, version=2)}[kind]
    with tempfile.TemporaryDirectory() as tmp:
        measure(generate(2, 2, 0, tmp), 10.0, mip_gap)
    base = _rss_mib()
    start, cpu = time.perf_counter(), cpu_seconds()
    out, model = measure(scenario, time_limit, mip_gap)
    out["wall"], out["cpu"] = time.perf_counter() - start, cpu_seconds() - cpu
    peak = max(peak_mib(), children_peak_mib())  # HiGHS may run in a forked copy (planner.solve.apart)
    if kind == "planner2":  # no Pyomo floors: they are a version 1 question
        model = None
    return out | {"peak_mib": peak, "growth_mib": peak - base} | (pyomo_floors(model) if model is not None else {})


def run_child(kind: str, scenario: Path, time_limit: float, mip_gap: float, timeout: float) -> dict[str, Any]:
    """Run `child` in a subprocess; a subprocess over `timeout` seconds gives status `timeout`."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--scenario", str(scenario),
               "--time-limit", str(time_limit), "--mip-gap", str(mip_gap)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False)
    except subprocess.TimeoutExpired:
        return {"status": f"timeout {timeout:.0f}s"}
    if done.returncode != 0:
        return {"status": "crashed", "error": done.stderr.strip().splitlines()[-1:] or [""]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> dict[str, str]:
    """The machine and the versions measured on."""
    import pyomo.version

    with open("/proc/meminfo") as fh:
        kib = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
    with open("/proc/cpuinfo") as fh:
        cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "?")
    return {"cores (nproc)": str(os.cpu_count()), "memory": f"{kib / 2**20:.1f} GiB", "cpu": cpu,
            "python": platform.python_version(), "pyomo": pyomo.version.version,
            "highspy": highs_version(), "os": platform.platform()}


def highs_version() -> str:
    """HiGHS's version (planner.solve.registry reads it without making a Highs object, which prints a banner)."""
    from planner.solve.registry import _highs_version

    return _highs_version()


def _num(value: Any, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _ratio(a: Any, b: Any) -> str:
    return f"{a / b:.2f}" if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b > 0 else ""


def _share(part: float | None, whole: float | None) -> float | None:
    """`part` as a percentage of `whole` (None when either is missing)."""
    return part / whole * 100 if part is not None and whole else None


def setup_seconds(r: dict[str, Any]) -> float | None:
    """Build + hand-over + read-back."""
    return r["build"] + r["handover"] + r["readback"] if "build" in r else None


def least_pyomo_setup(r: dict[str, Any]) -> float | None:
    """planner's index sets + the `kernel_route` steps: the least set-up with Pyomo as the model."""
    keys = ("index_sets", "route_model", "route_handover", "route_readback")
    return sum(r[key] for key in keys) if all(key in r for key in keys) else None


def report(rows: list[dict[str, Any]], settings: dict[str, Any]) -> str:
    """The results as markdown: machine, settings, one line per size and implementation, then the ratios."""
    lines = ["| " + " | ".join(f"{k}: {v}" for k, v in machine().items()) + " |", "",
             f"Settings: {settings}", "",
             ("| size (regions x industries) | impl | columns | rows | load s | build s | hand-over s | read-back s "
              "| set-up s | set-up s per 100k columns | set-up % of solve "
              "| solve s | peak MiB | growth MiB | status | objective | gap |"),
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        for kind in ("planner", "floor"):
            r = row[kind]
            setup = setup_seconds(r)
            per = setup / r["columns"] * 1e5 if setup is not None and r.get("columns") else None
            share = _share(setup, r.get("solve"))
            lines.append(f"| {row['size']} | {kind} | {r.get('columns', '')} | {r.get('rows', '')} | "
                         f"{_num(r.get('load'))} "
                         f"| {_num(r.get('build'))} | {_num(r.get('handover'))} | {_num(r.get('readback'))} "
                         f"| {_num(setup)} | {_num(per)} | {_num(share, 1)} | {_num(r.get('solve'))} "
                         f"| {_num(r.get('peak_mib'), 0)} | {_num(r.get('growth_mib'), 0)} | {r['status']} "
                         f"| {_num(r.get('objective'), 4)} "
                         f"| {_num(r['gap'] * 100 if r.get('gap') is not None else None, 4)}% |")
    lines += ["", "Ratios planner / floor (same run):", "",
              "| size | build | hand-over | set-up | solve | peak memory | growth | same objective |",
              "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        p, f = row["planner"], row["floor"]
        same = ""
        if p.get("objective") is not None and f.get("objective") is not None:
            rel = abs(p["objective"] - f["objective"]) / max(1.0, abs(f["objective"]))
            same = "yes" if rel <= 1e-6 else f"rel. diff {rel:.1e}"
        lines.append(f"| {row['size']} | {_ratio(p.get('build'), f.get('build'))} "
                     f"| {_ratio(p.get('handover'), f.get('handover'))} "
                     f"| {_ratio(setup_seconds(p), setup_seconds(f))} | {_ratio(p.get('solve'), f.get('solve'))} "
                     f"| {_ratio(p.get('peak_mib'), f.get('peak_mib'))} "
                     f"| {_ratio(p.get('growth_mib'), f.get('growth_mib'))} | {same} |")
    lines += ["", "What holding planner's own matrix in a fresh Pyomo model costs, everything given (`pyomo_floors`), "
              "as % of planner's solve; then the least set-up with Pyomo as the model: planner's index sets plus the "
              "kernel copy with its objective, handed over and read back (`kernel_route`):", "",
              "| size | planner set-up s | % | rows as expressions s | % | rows as a MatrixConstraint s | % "
              "| pyomo.kernel matrix_constraint s | % | least Pyomo set-up s | % | planner solve s |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        p = row["planner"]
        cells = [f"{_num(seconds)} | {_num(_share(seconds, p.get('solve')), 1)}"
                 for seconds in (setup_seconds(p), p.get("pyomo_expressions"), p.get("pyomo_matrix"),
                                 p.get("pyomo_kernel"),
                                 least_pyomo_setup(p))]
        lines.append(f"| {row['size']} | {' | '.join(cells)} | {_num(p.get('solve'))} |")
    lines += ["", "The least Pyomo set-up by step, seconds:", "",
              "| size | index sets | kernel model and objective | hand-over | read-back |", "|---|---|---|---|---|"]
    for row in rows:
        p = row["planner"]
        lines.append(f"| {row['size']} | " + " | ".join(_num(p.get(key), 3) for key in
                                                          ("index_sets", "route_model", "route_handover",
                                                           "route_readback")) + " |")
    return "\n".join(lines)


def brownfield(sizes: list[tuple[int, ...]] | tuple[tuple[int, int], ...], seed: int, time_limit: float,
               mip_gap: float, timeout: float, raw: Path | None) -> None:
    """Time planner against the version 2 reference on brownfield multi-period instances, back to back per size.

    Each instance comes from `generate_brownfield` (3 periods, 先立后破 with lag 0); planner and the reference
    each solve it in a fresh subprocess (`child`), one after the other, so that the ratios compare the two
    under the same load of the machine.
    """
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n_regions, n_industries in sizes:
            name = f"{n_regions}x{n_industries}x3"
            print(f"{name} generating ...", file=sys.stderr, flush=True)
            scenario = generate_brownfield(n_regions, n_industries, seed, Path(tmp) / name)
            row: dict[str, Any] = {"size": name}
            for kind in ("planner2", "floor2"):
                print(f"{name} {kind} ...", file=sys.stderr, flush=True)
                row[kind.rstrip("2")] = run_child(kind, scenario, time_limit, mip_gap, timeout)
            rows.append(row)
    settings = {"seed": seed, "time_limit": time_limit, "mip_gap": mip_gap, "threads": 1, "brownfield": True}
    if raw:
        raw.write_text(json.dumps({"settings": settings, "rows": rows}, indent=2) + "\n", encoding="utf-8")
    print(brownfield_report(rows, settings))


def same_optimum(p: dict[str, Any], f: dict[str, Any]) -> str:
    """Whether two objectives agree: equal (1e-6 relative), within the sum of the two gaps, or not."""
    if p.get("objective") is None or f.get("objective") is None:
        return ""
    rel = abs(p["objective"] - f["objective"]) / max(1.0, abs(f["objective"]))
    if rel <= 1e-6:
        return "yes"
    gaps = (p.get("gap") or 0.0) + (f.get("gap") or 0.0)
    return f"within both gaps (rel. diff {rel:.1e})" if rel <= gaps + 1e-9 else f"NO: rel. diff {rel:.1e}"


def brownfield_report(rows: list[dict[str, Any]], settings: dict[str, Any]) -> str:
    """The brownfield results as markdown: machine, settings, one line per size and implementation, the ratios.

    Set-up is build + hand-over (the model made and passed to HiGHS); wall is load, set-up, solve and read-back,
    CPU the processor time of the same (on a shared machine, less affected by the other jobs than wall time).
    """
    lines = ["| " + " | ".join(machine()) + " |", "|" + "---|" * len(machine()),
             "| " + " | ".join(machine().values()) + " |", "",
             f"Settings: {json.dumps(settings)}", "",
             "| size (regions x industries x periods) | impl | columns | rows | build s | hand-over s | set-up s "
             "| set-up s per 100k columns | solve s | wall s | CPU s | peak MiB | status | objective | gap |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        for kind in ("planner", "floor"):
            r = row[kind]
            setup = r["build"] + r["handover"] if "build" in r else None
            per = setup / r["columns"] * 1e5 if setup is not None and r.get("columns") else None
            gap = f"{100 * r['gap']:.4f}%" if r.get("gap") is not None else ""
            objective = f"{r['objective']:.4f}" if r.get("objective") is not None else ""
            lines.append(f"| {row['size']} | {kind} | {r.get('columns', '')} | {r.get('rows', '')} "
                         f"| {_num(r.get('build'))} | {_num(r.get('handover'))} | {_num(setup)} | {_num(per)} "
                         f"| {_num(r.get('solve'))} | {_num(r.get('wall'))} | {_num(r.get('cpu'))} "
                         f"| {_num(r.get('peak_mib'), 0)} "
                         f"| {r.get('status', '')} | {objective} | {gap} |")
    lines += ["", "Ratios planner / reference (same run, back to back):", "",
              "| size | set-up | solve | wall | CPU | peak memory | same optimum |", "|---|---|---|---|---|---|---|"]
    for row in rows:
        p, f = row["planner"], row["floor"]
        setup_p = p["build"] + p["handover"] if "build" in p else None
        setup_f = f["build"] + f["handover"] if "build" in f else None
        lines.append(f"| {row['size']} | {_ratio(setup_p, setup_f)} | {_ratio(p.get('solve'), f.get('solve'))} "
                     f"| {_ratio(p.get('wall'), f.get('wall'))} | {_ratio(p.get('cpu'), f.get('cpu'))} "
                     f"| {_ratio(p.get('peak_mib'), f.get('peak_mib'))} "
                     f"| {same_optimum(p, f)} |")
    return "\n".join(lines)


def threads_mode(sizes: list[tuple[int, int]], seed: int, time_limit: float, mip_gap: float, timeout: float,
                 raw: Path | None) -> None:
    """`--threads`: benchmarks/threads.py's three modes at each size; the raw measurements to `raw`, if given."""
    rows = two_threads.run_threads(sizes, seed, time_limit, mip_gap, timeout)
    settings = {"seed": seed, "time_limit": time_limit, "mip_gap": mip_gap,
                "modes": {mode: [{"threads": t, "solver_seed": s} for t, s in solves]
                          for mode, solves in two_threads.MODES.items()}}
    if raw:
        raw.write_text(json.dumps({"settings": settings, "machine": machine(), "rows": rows}, indent=2) + "\n",
                       encoding="utf-8")
    print(two_threads.threads_report(rows, settings, machine()))


def main(argv: list[str] | None = None) -> None:
    """Command line: run the benchmark sizes, or (internally) one measurement with --child."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help=f"every size {FULL_SIZES} (default {QUICK_SIZES})")
    parser.add_argument("--sizes", help="sizes to run instead, e.g. 31x40,100x100")
    parser.add_argument("--seed", type=int, default=1, help="scenario seed (default 1)")
    parser.add_argument("--time-limit", type=float, default=None,
                        help="seconds per solve (default 60, 300 with --full)")
    parser.add_argument("--mip-gap", type=float, default=1e-3,
                        help="relative gap (default 0.001, the 0.1 %% of the goals)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds per subprocess before it is given up (default time limit + 900)")
    parser.add_argument("--json", type=Path, help="also write the raw measurements here")
    parser.add_argument("--limits", action="store_true",
                        help="time limits kept: each size (default every size) with its short limit, planner only")
    parser.add_argument("--brownfield", action="store_true",
                        help=f"the brownfield multi-period sizes {BROWNFIELD_SIZES} x 3 periods against the version 2 "
                        "reference (default time limit 900 s)")
    parser.add_argument("--large", action="store_true",
                        help=f"with --brownfield: add {BROWNFIELD_LARGE} x 3 periods (long)")
    parser.add_argument("--threads", action="store_true",
                        help=f"two threads against one and against two one-thread solves side by side: sizes "
                        f"{two_threads.SIZES}, {two_threads.TIME_LIMIT:.0f} s per solve unless given")
    parser.add_argument("--decompose", action="store_true",
                        help=f"a decomposition by industry on 1 and 2 Dask workers: sizes {decompose.SIZES}")
    parser.add_argument("--child", choices=("planner", "floor", "planner2", "floor2", "limits", "threads"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--scenario", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-threads", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--child-seed", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    time_limit = args.time_limit or (900.0 if args.brownfield else two_threads.TIME_LIMIT if args.threads
                                     else 300.0 if args.full else 60.0)
    if args.child == "threads":
        print(json.dumps(two_threads.child(args.scenario, time_limit, args.mip_gap, args.child_threads,
                                           args.child_seed)))
        return
    if args.child:
        print(json.dumps(child(args.child, args.scenario, time_limit, args.mip_gap)))
        return
    if args.brownfield:
        sizes = ([tuple(int(n) for n in s.lower().split("x")[:2]) for s in args.sizes.split(",")] if args.sizes
                 else BROWNFIELD_SIZES + (BROWNFIELD_LARGE if args.large else ()))
        brownfield(sizes, args.seed, time_limit, args.mip_gap, args.timeout or time_limit + 900, args.json)
        return
    sizes = ([tuple(int(n) for n in s.lower().split("x")) for s in args.sizes.split(",")] if args.sizes
             else list(two_threads.SIZES) if args.threads else list(decompose.SIZES) if args.decompose
             else FULL_SIZES if args.full or args.limits else QUICK_SIZES)
    if args.decompose:
        with tempfile.TemporaryDirectory() as tmp:
            decompose.run(tuple(sizes), args.seed, Path(tmp))
        return
    if args.threads:
        threads_mode(sizes, args.seed, time_limit, args.mip_gap, args.timeout or time_limit + 900, args.json)
        return
    if args.limits:
        rows = run_limits(sizes, args.seed, args.mip_gap)
        if args.json:
            args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
        print(limits_report(rows))
        return
    timeout = args.timeout or time_limit + 900
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n_regions, n_industries in sizes:
            scenario = generate(n_regions, n_industries, args.seed, Path(tmp) / f"{n_regions}x{n_industries}")
            row: dict[str, Any] = {"size": f"{n_regions}x{n_industries}"}
            for kind in ("planner", "floor"):
                print(f"{row['size']} {kind} ...", file=sys.stderr, flush=True)
                row[kind] = run_child(kind, scenario, time_limit, args.mip_gap, timeout)
            rows.append(row)
    settings = {"seed": args.seed, "time_limit": time_limit, "mip_gap": args.mip_gap, "threads": 1}
    if args.json:
        args.json.write_text(json.dumps({"settings": settings, "rows": rows}, indent=2) + "\n", encoding="utf-8")
    print(report(rows, settings))


if __name__ == "__main__":
    main()
