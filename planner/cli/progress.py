"""The progress of a run on the console: the step it is at and, while the solver works, the elapsed and
remaining time, the best plan so far, the bound and the gap (planner.solve.watch).

On a terminal this is one live line, redrawn several times a second; otherwise (a pipe, a file) one line
per better plan and a last `done:` line with the figures summary.json records, so that a log shows how
the solve went without the redraws.
"""

from __future__ import annotations

from dataclasses import replace
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.text import Text

from planner.solve.watch import Progress, SolveWatch


class LiveProgress:
    """A context manager showing a run's progress on `console`; `watch` is the SolveWatch to hand the run,
    `step` the function to hand it as `progress`. With `verbose`, the solver's log is printed as it comes."""

    def __init__(self, console: Console, verbose: bool = False) -> None:
        self.console = console
        self.terminal = console.is_terminal
        self.message = "Starting"
        self.figures: Progress | None = None
        self.watch = SolveWatch(on_progress=self._heard, echo=self._echo if verbose else None)
        self._status: Any = None

    def __enter__(self) -> LiveProgress:
        if self.terminal:
            self._status = self.console.status(self)
            self._status.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._status is not None:
            self._status.__exit__(kind, error, trace)
            self._status = None

    def step(self, message: str) -> None:
        """The run has reached the step `message` ("Building the model", ...)."""
        self.message = message

    def _heard(self, figures: Progress) -> None:
        """A progress report of the solver (its thread): kept for the live line, or printed when it is news."""
        self.figures = figures
        if not self.terminal and (figures.improved or figures.final):
            self.console.print(figures.line(), markup=False, highlight=False)

    def _echo(self, line: str) -> None:
        """A line of the solver's log, with --verbose."""
        self.console.print(line, markup=False, highlight=False)

    def __rich__(self) -> Text:
        """The live line: the step, then the solver's figures with the clock running."""
        figures = self.figures
        if figures is not None and not figures.final:
            return Text(replace(figures, elapsed=self.watch.elapsed()).figures())
        return Text(self.message + " ...")
