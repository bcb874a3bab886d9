"""The static image of any run folder: :func:`plan_figure` picks the image of a plan or of a run with periods."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from planner.maps import fonts
from planner.maps.period_figures import periods_figure
from planner.maps.periods import PeriodRuns, load_plan
from planner.maps.rundata import RunData
from planner.maps.static import figure


def plan_figure(run_dir: Path, lang: str = "en") -> Figure:
    """The figure of the run folder `run_dir`: :func:`planner.maps.static.figure` of its plan, or for a run with
    periods :func:`planner.maps.period_figures.periods_figure` (the periods side by side and production per
    region over time). Draw it inside :func:`planner.maps.fonts.cjk_context`."""
    return run_figure(*load_plan(Path(run_dir)), lang=lang)


def run_figure(run: RunData, periods: PeriodRuns | None = None, lang: str = "en", chart: bool = True) -> Figure:
    """:func:`plan_figure` of a run already read (:func:`planner.maps.periods.load_plan`); without the chart of
    production per region when not `chart` (the report shows that chart on its own)."""
    if periods is not None:
        return periods_figure(periods, lang, chart=chart)
    return figure(run, lang)


def png(run_dir: Path, path: Path, lang: str = "en") -> None:
    """Write a PNG image of the plan in `run_dir` to `path` (Chinese labels in Noto Sans SC), in `lang`."""
    with fonts.cjk_context():
        plan_figure(Path(run_dir), lang).savefig(Path(path), format="png", bbox_inches="tight", pad_inches=0.2)
