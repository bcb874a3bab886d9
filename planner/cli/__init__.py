"""The `planner` command line: `app`, its commands kept one module per family (planner.cli.run: validate,
run, solvers, schema; planner.cli.maps: map, report; planner.cli.research: compare, importance, pareto,
export; planner.cli.sweep: sweep), what they share in planner.cli.common."""

from __future__ import annotations

import inspect
from typing import Annotated

import typer
from typer.core import TyperOption

from planner import __version__
from planner.cli import maps, research, run, sweep
from planner.cli.common import out_console

__all__ = ["app"]

_value_type = TyperOption.display_type_rich


def _flag_without_type(self: TyperOption, ctx: typer.Context) -> str | None:
    """The value type shown in help, none for a flag: typer >= 0.24 shows `--force <bool>` as if it took a value."""
    return None if self.is_flag or self.count else _value_type(self, ctx)


TyperOption.display_type_rich = _flag_without_type  # type: ignore[method-assign]

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
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Optimisation-based industrial layout planner."""


def _reflowed(text: str) -> str:
    """`text` (a docstring) with each paragraph on one line: typer's rich help keeps the line breaks of every
    paragraph after the first, which the terminal then breaks again."""
    return "\n\n".join(" ".join(paragraph.split("\n")) for paragraph in inspect.cleandoc(text).split("\n\n"))


for _family in (run, maps, research, sweep):
    _family.register(app)
for _info in app.registered_commands:
    if _info.help is None and _info.callback is not None and _info.callback.__doc__:
        _info.help = _reflowed(_info.callback.__doc__)
