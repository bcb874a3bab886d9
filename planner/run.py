"""One run: load, build, solve, read back and write the run folder. The command line calls this."""

from __future__ import annotations

import sys
import time
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from planner.check import transition_violations, violations
from planner.diagnose import (
    BEFORE_SOLVING,
    ELASTIC,
    elastic_conflicts,
    infeasibility_report,
    obvious_conflicts,
    transition_conflicts,
    transition_elastic_conflicts,
)
from planner.maps import write_map
from planner.models import IndexSets, build_model, index_sets, set_costs
from planner.models.transition import TransitionSets, build_transition_model, transition_sets, uses_periods
from planner.numerics import scenario_warnings
from planner.results import Plan, extract_plan, summary_kpis
from planner.runfolder import (
    InterruptedWhileWriting,
    check_output,
    deferred_interrupts,
    manifest,
    now,
    write_csv,
    write_inputs,
    write_json,
    write_run_folder,
)
from planner.runfolder.format import (
    ASSIGNMENTS,
    GPKG,
    INFEASIBILITY,
    INPUTS,
    LINKS,
    MANIFEST,
    MAP,
    SITES,
    SOLVER_LOG,
    SUMMARY,
    XLSX,
)
from planner.scenario import Scenario, load_scenario
from planner.scenario.schema import SolverOptions
from planner.solve import KeptHandOver, SolveResult, check_solver_name
from planner.solve.mipstart import Key, start_for
from planner.solve.polish import solve_polished
from planner.solve.watch import SolveWatch, current_watch, watching
from planner.transition import INFEASIBLE as TRANSITION_INFEASIBLE
from planner.transition import (
    TransitionPlan,
    extract_transition_plan,
    solve_transition,
    transition_files,
    transition_kpis,
)

EXIT_CODES = {"optimal": 0, "feasible": 0, "infeasible": 3, "no_solution": 4, "error": 1}
"""Exit code of `planner run` per status (docs/scenario.md)."""


@dataclass(frozen=True)
class Built:
    """A model built for a scenario."""

    model: pyo.ConcreteModel
    index: IndexSets
    seconds: float
    size: dict[str, int]
    """n_variables, n_binaries and n_constraints of the model (`model_size`)."""
    transition: TransitionSets | None = None
    """The version 2 sets when the model is the period-indexed one (docs/model.md "Version 2"), else None."""


def read_plan(scenario: Scenario, built: Built) -> tuple[Plan | TransitionPlan, list[str]]:
    """The plan of the solution loaded into `built.model` and the constraints it violates (for a model with periods,
    every period's plan and the version 2 checks of planner.check too)."""
    if built.transition is None:
        return extract_plan(scenario, built.index, built.model), violations(built.model)
    plan = extract_transition_plan(scenario, built.transition, built.model)
    return plan, violations(built.model) + transition_violations(scenario, built.transition, plan)


def model_size(model: pyo.ConcreteModel) -> dict[str, int]:
    """n_variables, n_binaries and n_constraints (active) of `model`."""
    variables = list(model.component_data_objects(pyo.Var))
    return {
        "n_variables": len(variables),
        "n_binaries": sum(1 for v in variables if v.is_binary()),
        "n_constraints": sum(1 for _ in model.component_data_objects(pyo.Constraint, active=True)),
    }


@dataclass(frozen=True)
class RunOutcome:
    """What a run produced."""

    status: str
    out: Path
    summary: dict[str, Any]
    violations: list[str] = field(default_factory=list)
    interrupted_writing: bool = False
    """Ctrl-C came while the run folder was written; it was completed first (planner.runfolder.atomic_folder)."""

    @property
    def exit_code(self) -> int:
        """The exit code of `planner run` for this outcome."""
        return EXIT_CODES[self.status]


def build(scenario: Scenario, ix: IndexSets | None = None) -> Built:
    """Derive the index sets (unless given) and build the Pyomo model, with the garbage collector paused.

    A scenario with stock or more than one period gets the period-indexed model of docs/model.md version 2
    (planner.models.transition; `ix` is then not used), any other version 1's model.
    """
    start = time.perf_counter()
    ts = None
    with PauseGC():
        if uses_periods(scenario):  # periods or stock: version 2's model
            ts = transition_sets(scenario)
            ix = ts.ix
            model = build_transition_model(scenario, ts)
        else:
            ix = ix or index_sets(scenario)
            model = build_model(scenario, ix)
    seconds = time.perf_counter() - start
    return Built(model, ix, seconds, model_size(model), ts)


@dataclass
class KeptModel:
    """The model of the last run, kept for a next run whose model differs at most in its costs.

    A sweep worker holds one, so members that differ only in solver options or in costs
    (`COST_FIELDS`: land prices, unit costs, weights, ...) skip the index sets, the build and the
    hand-over; for other costs only the objective is rewritten (`set_costs`). Every run leaves the
    model as built (the solve only loads values, the polish unfixes what it fixed), so a run on the
    kept model hands HiGHS what a fresh build would.
    """

    structure: str | None = None
    """`Scenario.structure_digest()` of the last run's inputs."""
    digest: str | None = None
    """`Scenario.model_digest()` of the last run's inputs."""
    built: Built | None = None
    """Its model, once the run has handed it back (`keep`)."""
    handover: KeptHandOver = field(default_factory=KeptHandOver)
    """The model's hand-over to HiGHS, made by the first solve on it."""

    def take(self, scenario: Scenario) -> tuple[Built | None, bool]:
        """The kept model made fit for `scenario` (None when its structure differs) and whether its costs were
        rewritten.

        The model is kept no longer either way (until `keep`). A model whose costs were rewritten
        comes with the seconds that took as its build time (0 when unchanged).
        """
        structure, digest = scenario.structure_digest(), scenario.model_digest()
        built = self.built if structure == self.structure else None
        rewritten = built is not None and digest != self.digest
        self.structure, self.digest, self.built = structure, digest, None  # first: a failed rewrite keeps nothing
        if built is None:
            self.handover = KeptHandOver()
        elif rewritten:
            start = time.perf_counter()
            set_costs(built.model, scenario, built.index)
            self.handover.new_objective(built.model.objective)
            built = replace(built, seconds=time.perf_counter() - start)
        else:
            built = replace(built, seconds=0.0)
        return built, rewritten

    def keep(self, built: Built) -> None:
        """Keep `built`, the model of the scenario last taken for."""
        self.built = built


def solver_options(scenario: Scenario, **changes: Any) -> SolverOptions:
    """The scenario's solver options with the non-None `changes` (from the command line) applied.

    Raises SolverUnavailable for a solver `name` planner does not know (the scenario's own is checked when
    it is loaded, as the key solver.name).
    """
    check_solver_name(changes.get("name"))
    merged = scenario.solver.model_dump() | {k: v for k, v in changes.items() if v is not None}
    return SolverOptions.model_validate(merged)


@dataclass(frozen=True)
class Solved:
    """A scenario taken from its file to a plan (or to why there is none), not yet written."""

    scenario: Scenario
    out: Path
    options: SolverOptions
    index: IndexSets
    result: SolveResult
    base: dict[str, Any]
    """Summary fields known besides the result: scenario, title, warnings, build time, model size."""
    started: str
    built: Built | None = None
    """The model with the solution loaded (None when the run stopped before building)."""
    plan: Plan | TransitionPlan | None = None
    violations: list[str] = field(default_factory=list)
    report: str | None = None
    """The text of infeasibility.txt, when infeasible."""
    held_interrupt: bool = False
    """Ctrl-C came while the plan was read back; it is written all the same (`RunOutcome.interrupted_writing`)."""
    solver_log: str = ""
    """The solver's log of the run's solves (solver.log)."""

    def write(self, force: bool, lang: str = "en") -> RunOutcome:
        """Write the run folder (its map and workbook titles in `lang`)."""
        outcome = write_outcome(self.out, force, self.scenario, self.result, self.base, self.plan, self.violations,
                                self.started, self.report, self.solver_log, lang)
        return replace(outcome, interrupted_writing=True) if self.held_interrupt else outcome


def solve_scenario(
    scenario_path: Path | str,
    out: Path | str | None = None,
    *,
    force: bool = False,
    progress: Callable[[str], None] = lambda message: None,
    start: Mapping[Key, float] | None = None,
    kept: KeptModel | None = None,
    command: str = "run",
    watch: SolveWatch | None = None,
    **solver_changes: Any,
) -> Solved:
    """Load, check, build, solve and polish a scenario, and read back its plan; write nothing.

    The output folder is checked first (refused if it exists and is not empty, unless `force`),
    so no solve is wasted on a folder that cannot be written. `start` (integer values by variable
    name and index, planner.solve.mipstart) is offered to HiGHS as a MIP start; the summary records
    the outcome as `mip_start`. With `kept`, a model kept from a run whose model differs at most
    in its costs is used instead of building one (the summary says `model_reused`, and
    `costs_rewritten` when its objective was rewritten; `build_seconds` is the time that took, 0
    otherwise), with its hand-over to HiGHS; this run's model is kept in turn. `command` names the command that
    asks (`run --alternatives`); every command handles version 2 scenarios. `watch` hears
    the solver's log and progress (planner.solve.watch); the log is kept as the run's solver.log either way, and
    the final figures (as summary.json records them) are reported to it last.
    """
    watch = watch if watch is not None else SolveWatch()
    with watching(watch):
        solved = _solve_scenario(scenario_path, out, force, progress, start, kept, command, **solver_changes)
    watch.report(solved.result.objective, solved.result.best_bound, final=True)
    return replace(solved, solver_log=watch.text())


def _solve_scenario(scenario_path: Path | str, out: Path | str | None, force: bool, progress: Callable[[str], None],
                    start: Mapping[Key, float] | None, kept: KeptModel | None, command: str,
                    **solver_changes: Any) -> Solved:
    """`solve_scenario` itself, inside its watch."""
    started = now()
    progress("Reading the scenario")
    scenario = load_scenario(scenario_path)
    out = Path(out) if out is not None else Path("runs") / f"{scenario.name}-{datetime.now():%Y%m%d-%H%M%S}"
    options = solver_options(scenario, **solver_changes)
    check_output(out, force)
    if uses_periods(scenario):
        return _solve_transition(scenario, out, options, started, progress)
    progress("Building the model")
    reused, rewritten = kept.take(scenario) if kept is not None else (None, False)
    ix = reused.index if reused is not None else index_sets(scenario)
    base: dict[str, Any] = {"scenario": scenario.name, "title": scenario.title,
                            "warnings": scenario_warnings(scenario, ix)}
    causes = obvious_conflicts(scenario, ix)
    if causes:
        result = SolveResult(status="infeasible", objective=None, best_bound=None, mip_gap=None, solve_seconds=0.0,
                             solver=options.name, solver_version="", options=options.model_dump(),
                             message="diagnosed before solving")
        return Solved(scenario, out, options, ix, result, base | {"build_seconds": 0.0}, started,
                      report=infeasibility_report(scenario, causes, BEFORE_SOLVING))
    built = reused or build(scenario, ix)
    progress(f"Solving with {options.name}")
    _start_clock(options)
    mip_start = start_for(built.model, start) if start is not None else None
    result = solve_polished(built.model, options, kept=kept.handover if kept is not None else None,
                            mip_start=mip_start, progress=progress)
    base |= {"build_seconds": built.seconds, **built.size}
    if reused:
        base |= {"model_reused": True, "costs_rewritten": rewritten}
    if kept is not None:
        kept.keep(built)
    if result.objective is not None:
        with deferred_interrupts() as held:  # a plan is found: a Ctrl-C from now on does not lose it
            plan, found = extract_plan(scenario, ix, built.model), violations(built.model)
        return Solved(scenario, out, options, ix, result, base, started, built, plan, found, held_interrupt=bool(held))
    report = None
    if result.status == "infeasible":
        progress("Looking for the conflicting constraints")
        report = infeasibility_report(scenario, elastic_conflicts(scenario, ix, built.model, options.time_limit),
                                      ELASTIC)
    return Solved(scenario, out, options, ix, result, base, started, built, report=report)


def _start_clock(options: SolverOptions) -> None:
    """Start the progress's clock on the whole time limit of `options` (the MIP gets a share of it, the polish the
    rest), so that the time left it shows counts down from the limit the user set."""
    watch = current_watch()
    if watch is not None:
        watch.begin(options.time_limit)


def _solve_transition(scenario: Scenario, out: Path, options: SolverOptions, started: str,
                      progress: Callable[[str], None]) -> Solved:
    """`solve_scenario` for a scenario with periods or stock (docs/model.md version 2).

    No MIP start and no kept model (they are version 1's); the plan is polished as version 1's is.
    """
    progress("Building the model")
    built = build(scenario)
    assert built.transition is not None
    base: dict[str, Any] = {"scenario": scenario.name, "title": scenario.title,
                            "warnings": scenario_warnings(scenario, built.index),
                            "build_seconds": built.seconds, **built.size}
    causes = transition_conflicts(scenario, built.transition)
    if causes:
        result = SolveResult(status="infeasible", objective=None, best_bound=None, mip_gap=None, solve_seconds=0.0,
                             solver=options.name, solver_version="", options=options.model_dump(),
                             message="diagnosed before solving")
        return Solved(scenario, out, options, built.index, result, base, started, built,
                      report=infeasibility_report(scenario, causes, BEFORE_SOLVING))
    progress(f"Solving with {options.name}")
    _start_clock(options)
    result = solve_transition(built.model, options, progress=progress)
    if result.objective is not None:
        plan = extract_transition_plan(scenario, built.transition, built.model)
        found = violations(built.model) + transition_violations(scenario, built.transition, plan)
        return Solved(scenario, out, options, built.index, result, base, started, built, plan, found)
    report = None
    if result.status == "infeasible":
        progress("Looking for the conflicting constraints")
        causes = transition_elastic_conflicts(scenario, built.transition, built.model, options.time_limit)
        report = infeasibility_report(scenario, causes, ELASTIC) if causes else TRANSITION_INFEASIBLE
    return Solved(scenario, out, options, built.index, result, base, started, built, report=report)


def run(
    scenario_path: Path | str,
    out: Path | str | None = None,
    *,
    force: bool = False,
    progress: Callable[[str], None] = lambda message: None,
    watch: SolveWatch | None = None,
    lang: str = "en",
    **solver_changes: Any,
) -> RunOutcome:
    """Run a scenario into the folder `out` (default `runs/NAME-YYYYMMDD-HHMMSS`).

    `solver_changes` (name, time_limit, mip_gap, threads, seed) win over the scenario's solver section;
    `watch` hears the solver's log and progress (planner.solve.watch); `lang` is the language of the map
    (map.html) and of the workbook's titles (plan.xlsx): planner.maps.lang.
    """
    solved = solve_scenario(scenario_path, out, force=force, progress=progress, watch=watch, **solver_changes)
    progress("Writing the run folder")
    return solved.write(force, lang)


def plan_exports(lang: str = "en") -> dict[str, Callable[[Path], None]]:
    """The writers of the plan's GIS and Excel files (plan.gpkg, plan.xlsx, its titles in `lang`), run after the
    tables and the map."""
    from planner.maps.exports import write_gpkg, write_xlsx

    return {GPKG: write_gpkg, XLSX: partial(write_xlsx, lang=lang)}


def write_outcome(out: Path, force: bool, scenario: Scenario, result: SolveResult, base: dict[str, Any],
                  plan: Plan | TransitionPlan | None, found: list[str], started: str, report: str | None,
                  solver_log: str = "", lang: str = "en") -> RunOutcome:
    """Write the run folder of a solved (or diagnosed) scenario atomically and return the outcome.

    `base` holds summary fields known before solving (scenario, title, build_seconds, model size);
    `found` the constraint violations of the plan; `report` the text of infeasibility.txt, if any;
    `solver_log` the solver's log (solver.log, written when there is one); `lang` the language of map.html and of
    plan.xlsx's titles.
    """
    summary = base | {
        "status": result.status,
        "objective": result.objective,
        "best_bound": result.best_bound,
        "mip_gap": result.mip_gap,
        "handover_seconds": result.handover_seconds,
        "solve_seconds": result.solve_seconds,
        "interrupted": result.interrupted,
    }
    if result.mip_start is not None:
        summary["mip_start"] = result.mip_start
    if result.heuristic is not None:
        summary["heuristic"] = result.heuristic
    if result.notes:
        summary["solver_notes"] = list(result.notes)
    for key in ("n_variables", "n_binaries", "n_constraints"):
        summary.setdefault(key, None)
    kpis = transition_kpis if isinstance(plan, TransitionPlan) else summary_kpis
    summary |= kpis(scenario, plan) if plan is not None else {
        "costs": None, "costs_unweighted": None, "division_of_labour": None, "hosts": None,
        "extra_hosts": None, "flow_radius_km": None}
    summary["violations"] = found
    files: dict[str, Callable[[Path], None]] = {
        MANIFEST: lambda p: write_json(p, manifest(scenario, result, started)),
        INPUTS: partial(write_inputs, scenario=scenario, solver=result.options),
    }
    if isinstance(plan, Plan):
        files |= {
            ASSIGNMENTS: partial(write_csv, frame=plan.assignments),
            LINKS: partial(write_csv, frame=plan.links),
            SITES: partial(write_csv, frame=plan.sites),
        }
    if report is not None:
        files[INFEASIBILITY] = lambda p: p.write_text(report, encoding="utf-8")
    if solver_log:
        files[SOLVER_LOG] = lambda p: p.write_text(solver_log, encoding="utf-8")
    files[SUMMARY] = partial(write_json, data=summary)  # after the tables; the map is drawn from them
    if isinstance(plan, TransitionPlan):  # the tables of every period, then the map drawn from them
        files |= transition_files(plan, partial(write_map, lang=lang))
    elif plan is not None:
        files[MAP] = partial(write_map, lang=lang)
    if plan is not None:
        files |= plan_exports(lang)  # after the tables and the map: they are read from the folder being written
    try:
        write_run_folder(out, force, files)
    except InterruptedWhileWriting:  # the folder is complete: the plan found is kept, the run ends as it would
        return RunOutcome(result.status, out, summary, found, interrupted_writing=True)
    return RunOutcome(result.status, out, summary, found)


class _CallableModule(types.ModuleType):
    """This module, callable as its function `run`: `from planner import run` gives the module (Python binds a
    package's submodule to its name once imported), and `run(scenario_path, out)` still runs a scenario."""

    def __call__(self, *args: Any, **kwargs: Any) -> RunOutcome:
        """`planner.run.run`."""
        return run(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
