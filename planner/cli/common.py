"""What every command of the `planner` command line shares: the consoles, the arguments and options
used by more than one command, the printing of errors and of bad input, and number formatting.

The consoles print a user's text as written: rich reads ``[bold]...[/]`` as markup and ``:x:`` as an emoji code
in any string it prints, and a scenario's title, a file name or a value quoted in an error may hold either. So
every console is made by :func:`make_console` with markup, emoji codes and highlighting off, and planner's own
styling is given as :class:`rich.text.Text` (:func:`styled`), never written into a string."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from planner.formatting import number
from planner.scenario.bounds import Bounds, field_bounds
from planner.scenario.schema import SolverOptions

if TYPE_CHECKING:
    from planner.scenario import InputErrors


NOT_A_TERMINAL_WIDTH = 10_000
"""The width consoles take when their output is not a terminal (a pipe, a file): wide enough that no table is cut."""


def make_console(stderr: bool = False) -> Console:
    """A console (stderr or stdout) that prints every string as written: no markup, emoji codes or highlighting.

    When its output is not a terminal it is as wide as any table needs (rich would cut tables at 80 columns, or
    $COLUMNS, with '…').
    """
    terminal = Console(stderr=stderr).is_terminal
    return Console(stderr=stderr, soft_wrap=True, markup=False, emoji=False, highlight=False,
                   width=None if terminal else NOT_A_TERMINAL_WIDTH)


def styled(*parts: str | tuple[str, str]) -> Text:
    """Text made of `parts`: a string as written, or a (string, rich style) pair such as ("Error:", "bold red")."""
    return Text.assemble(*parts)


console = make_console(stderr=True)
"""Messages, progress and errors (stderr)."""
out_console = make_console()
"""What a command prints as its result (stdout)."""

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as one JSON document on stdout (nothing "
                                                         "else there), for scripts.")]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Also show the solver's log (always kept in "
                                                                     "the run folder's solver.log).")]


def plain(value: Any) -> Any:
    """`value` made of what JSON holds: NaN and infinities as None, paths and other objects as text."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if hasattr(value, "item"):  # a numpy scalar
        return plain(value.item())
    return str(value)


def print_json(document: Any) -> None:
    """Print `document` on stdout as one JSON document (UTF-8, Chinese as written)."""
    typer.echo(json.dumps(plain(document), ensure_ascii=False, indent=2))

ScenarioArg = Annotated[Path, typer.Argument(help="The scenario YAML file.", show_default=False)]
RunDirArg = Annotated[Path, typer.Argument(help="A run folder written by `planner run`.", show_default=False)]
def language(value: str) -> str:
    """`--lang`: en or zh, else exit 2 naming the choices."""
    if value not in ("en", "zh"):
        raise typer.BadParameter(f"{value!r} is not one of 'en', 'zh'")
    return value


LangOption = Annotated[str, typer.Option("--lang", callback=language, metavar="[en|zh]",
                                         help="Language of headings, labels, legends and table headers: en "
                                              "(English with the Chinese terms) or zh (Chinese).")]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace an existing non-empty output folder.")]
ForceFileOption = Annotated[bool, typer.Option("--force", help="Replace an existing --out file.")]
SolverOption = Annotated[str | None, typer.Option("--solver", help="Solver name (default: as recorded / from the "
                                                                      "scenario).")]


def within(bounds: Bounds) -> Callable[[float | None], float | None]:
    """A typer callback that refuses (exit 2) a value outside `bounds`, in their words: '-1 must be greater than 0'."""
    def check(value: float | None) -> float | None:
        problem = None if value is None else bounds.problem(value)
        if problem is not None:
            raise typer.BadParameter(problem)
        return value
    return check


def solver_option(name: str, flag: str, text: str) -> Any:
    """The typer option `flag` (help `text`) of the solver option `name`, refusing what `SolverOptions.name`
    refuses, in the words a scenario file gets (`within`): the schema is the one place its range is written."""
    return typer.Option(flag, callback=within(field_bounds(SolverOptions, name)), help=text)


TimeOption = Annotated[float | None, solver_option("time_limit", "--time-limit", "Time limit in seconds, per solve.")]
GapOption = Annotated[float | None, solver_option("mip_gap", "--mip-gap", "Relative optimality gap, e.g. 0.0001.")]
ThreadsOption = Annotated[int | None, solver_option("threads", "--threads", "Solver threads.")]
SeedOption = Annotated[int | None, solver_option("seed", "--seed", "Solver random seed.")]
MemoryOption = Annotated[float | None, solver_option(
    "memory_limit", "--memory-limit", "HiGHS with the heuristic: leave out the MIP of the whole model when it would "
    "take planner's processes above this many GB (an estimate; default from the scenario, else 4; 0: no limit); the "
    "swaps in its place then keep within it too. Not a cap on the build, the relaxation, RENS's own small MIP or a "
    "run that keeps the whole MIP.")]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print `message` as one error line ("Error: ...") on stderr; the exit (code 2: bad input) to raise."""
    console.print(styled(("Error:", "bold red"), f" {message}"))
    return typer.Exit(code)


def input_errors(exc: InputErrors, heading: str | None = None) -> typer.Exit:
    """Print the problems of bad input (`heading`, by default "The scenario has N problems:", then one line each);
    the exit (code 2) to raise."""
    count = len(exc.problems)
    heading = heading or f"The scenario has {count} problem{'s' if count > 1 else ''}:"
    console.print(styled((heading, "bold red")))
    console.print(exc.report())
    return typer.Exit(2)


def num(value: Any, digits: int = 2) -> str:
    """A number for a table of the command line: thousands separators, '-' when missing (None, NaN), 'inf'."""
    return number(value, digits)
