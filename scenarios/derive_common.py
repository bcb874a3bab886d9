"""What the derive scripts of the scenarios share: the text of a number, rounding up, reading and writing tables.

The scripts are run as `python scenarios/<folder>/derive*.py` (from anywhere): each puts this folder on
sys.path before importing from here. Standard library only; the tables are written with \\n line ends, so two
runs give byte-identical CSVs.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path


def fmt(x: float, nd: int = 4) -> str:
    """`x` rounded to `nd` decimals, without trailing zeros ("0" for a value that rounds to zero)."""
    s = f"{x:.{nd}f}".rstrip("0").rstrip(".")
    return s if s not in ("", "-0") else "0"


def ceil4(x: float) -> float:
    """`x` rounded up to 4 decimals, so that a standing chain's support is never short by rounding."""
    return math.ceil(x * 10_000 - 1e-9) / 10_000


def read_csv(path: Path) -> list[dict]:
    """The rows of a CSV table as dicts, keyed by its header."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    """Write one CSV table (UTF-8, \\n line ends)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
