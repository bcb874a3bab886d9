"""The `planner` command line: `app`, its commands kept one module per family (planner.cli.run: validate,
run, solvers, schema; planner.cli.maps: map, report; planner.cli.research: compare, importance, pareto,
export; planner.cli.sweep: sweep), what they share in planner.cli.common."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner import __version__
from planner.cli import maps, research, run, sweep
from planner.cli.common import out_console

__all__ = ["app"]

app = typer.Typer(
    help="Optimisation-based industrial layout planner: center R&D, inner-suburb pilot, periphery "
         "mass production, across regions without duplicated construction.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        out_console.print(f"planner {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Print the version and exit.")] = None,
) -> None:
    """Optimisation-based industrial layout planner."""


for _family in (run, maps, research, sweep):
    _family.register(app)
