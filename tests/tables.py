"""Editing the CSV tables of test scenarios in place (header and untouched cells kept as written)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

Rows = list[dict[str, str]]


def rewrite_csv(path: Path, edit: Callable[[Rows], Rows]) -> None:
    """Replace the rows of the CSV table at `path` by `edit(rows)`, under the same header."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows, header = list(reader), list(reader.fieldnames or [])
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(edit(rows))


def set_columns(path: Path, change: dict[str, str], where: tuple[str, str] | None = None) -> None:
    """Set columns of a CSV table: in every row, or in those where column `where[0]` is `where[1]`."""
    rewrite_csv(path, lambda rows: [row | change if where is None or row[where[0]] == where[1] else row
                                    for row in rows])
