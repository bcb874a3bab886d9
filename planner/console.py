"""The consoles of the command line, printing a user's text as written.

rich reads ``[bold]...[/]`` as markup and ``:x:`` as an emoji code in any string it prints; a scenario's title,
a file name or a value quoted in an error message may hold either. So every console of planner is made by
:func:`make_console` with markup, emoji codes and highlighting off, and planner's own styling is given as
:class:`rich.text.Text` (:func:`styled`), never written into a string.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text


def make_console(stderr: bool = False) -> Console:
    """A console (stderr or stdout) that prints every string as written: no markup, emoji codes or highlighting."""
    return Console(stderr=stderr, soft_wrap=True, markup=False, emoji=False, highlight=False)


def styled(*parts: str | tuple[str, str]) -> Text:
    """Text made of `parts`: a string as written, or a (string, rich style) pair such as ("Error:", "bold red")."""
    return Text.assemble(*parts)
