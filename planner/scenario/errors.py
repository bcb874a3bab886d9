"""Input problems, collected and reported together in planners' words."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path


def display_path(path: Path | str) -> str:
    """A path as the user should see it: relative to the working directory when inside it, control characters
    written as escapes."""
    path = Path(path)
    try:
        return visible(os.path.relpath(path))
    except ValueError:  # another drive on Windows
        return visible(str(path))


def visible(text: str) -> str:
    """`text` with its control characters (a NUL, a line break, an escape) written as Python escapes."""
    if text.isprintable():
        return text
    return "".join(c if unicodedata.category(c) != "Cc" else repr(c)[1:-1] for c in text)


MAX_SHOWN = 80
"""The most characters of one value (an id, a cell, a key, a YAML value) a message repeats."""
MAX_LINE = 1000
"""The most characters of one problem line."""


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    """`text` cut to `limit` characters, ending in an ellipsis when it was longer: the one rule for echoing user
    text."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(value: object) -> str:
    """A value as a message shows it: text in quotes (repr), true/false as YAML writes them, anything else as
    Python writes it; all shortened."""
    if isinstance(value, bool):
        return "true" if value else "false"
    shown = repr(value) if isinstance(value, str) else str(value)
    if len(shown) <= MAX_SHOWN:
        return shown
    return shorten(shown, MAX_SHOWN - 1) + (shown[0] if isinstance(value, str) else "")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is and what is wrong, in plain words."""

    file: str
    """The file as the user names it (relative to the working directory when possible)."""
    place: str = ""
    """`row N` (the spreadsheet row: the header is row 1) or `key a.b[2].c` for YAML."""
    column: str | None = None
    """The CSV column, when the problem is in one cell or column."""
    message: str = ""
    origin: str | None = None
    """Where a bad cell's value came from when an override wrote it (`FILE key overrides[N].set.COLUMN`)."""

    def __str__(self) -> str:
        where = " ".join(part for part in (self.file, shorten(visible(self.place), 2 * MAX_SHOWN)) if part)
        if self.column:
            where += f", column {shorten(visible(self.column))}"
        line = f"{where}: {self.message}" + (f" (the value of {self.origin})" if self.origin else "")
        return shorten(line, MAX_LINE)


class InputErrors(Exception):
    """Raised when a scenario cannot be used; holds every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self, limit: int = 25) -> str:
        """All problems one per line; beyond `limit`, a count of the rest."""
        lines = [str(p) for p in self.problems[:limit]]
        rest = len(self.problems) - limit
        if rest > 0:
            lines.append(f"... and {rest} more problem{'s' if rest > 1 else ''}")
        return "\n".join(lines)


def not_utf8(data: bytes, exc: UnicodeDecodeError) -> str:
    """Where in `data` the first byte that is not UTF-8 stands, in words."""
    line = data[: exc.start].count(b"\n") + 1
    return f"is not UTF-8 text (line {line}, byte {exc.start + 1})"
