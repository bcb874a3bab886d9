"""Print the findings tables of a version 2 run folder (docs/findings.md, sections Beijing and Province).

    python docs/findings_regions.py RUN_FOLDER

Reads the run's regions.csv, transition.csv and summary.json and prints Markdown: production per
region and period (with what was built and retired), the Herfindahl index of production across
regions, the number of regions building new production, and what is built or retired where.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path


def read(path: Path) -> list[dict]:
    """Rows of a CSV file as dicts."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def herfindahl(values: list[float]) -> float:
    """Sum of squared shares (1 = everything in one region)."""
    total = sum(values)
    return sum((v / total) ** 2 for v in values) if total else 0.0


def region_table(rows: list[dict], periods: list[str]) -> list[str]:
    """Production per region and period; built / retired in brackets where non-zero."""
    by = {(r["region"], r["period"]): r for r in rows}
    names = dict.fromkeys(r["region"] for r in rows)
    out = ["| region | " + " | ".join(periods) + " |", "|---|" + "---:|" * len(periods)]
    for region in names:
        cells = []
        for p in periods:
            r = by[(region, p)]
            cell = f"{float(r['production']):,.1f}"
            extra = [f"+{float(r['built']):,.1f}" if float(r["built"]) > 0.05 else "",
                     f"−{float(r['retired']):,.1f}" if float(r["retired"]) > 0.05 else ""]
            extra = [e for e in extra if e]
            cells.append(cell + (f" ({', '.join(extra)})" if extra else ""))
        out.append(f"| {by[(region, periods[0])]['name_zh']} | " + " | ".join(cells) + " |")
    return out


def concentration(rows: list[dict], periods: list[str]) -> list[str]:
    """Herfindahl of production and of new production, regions building, production retired."""
    out = ["| period | Herfindahl (production) | Herfindahl (new production built) "
           "| regions building new production | production retired |",
           "|---|---:|---:|---:|---:|"]
    for p in periods:
        rs = [r for r in rows if r["period"] == p]
        built = [float(r["built"]) for r in rs]
        out.append(f"| {p} | {herfindahl([float(r['production']) for r in rs]):.3f} | {herfindahl(built):.3f} | "
                   f"{sum(b > 0.05 for b in built)} | {sum(float(r['retired']) for r in rs):,.1f} |")
    return out


def builds(rows: list[dict]) -> list[str]:
    """What production is built and retired where, per period."""
    acts: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if r["function"] != "production":
            continue
        for col, sign in (("built", "+"), ("retired", "−")):
            if float(r[col]) > 0.05:
                acts[r["period"]].append(f"{r['industry']} {sign}{float(r[col]):,.1f} {r['site']}")
    return [f"- {p}: " + "; ".join(sorted(v)) for p, v in sorted(acts.items())]


def main(folder: Path) -> None:
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    rows = read(folder / "regions.csv")
    periods = list(dict.fromkeys(r["period"] for r in rows))
    print(f"status {summary['status']}, objective {summary['objective']:,.1f}, bound {summary['best_bound']:,.1f}, "
          f"gap {100 * summary['mip_gap']:.3f} %, solve {summary['solve_seconds']:.0f} s")
    print("costs (discounted):", {k: round(v, 1) for k, v in summary["costs"].items()})
    print("versions:", {k: v for k, v in manifest.items() if "version" in k.lower()})
    print()
    print("\n".join(region_table(rows, periods)))
    print()
    print("\n".join(concentration(rows, periods)))
    print()
    print("\n".join(builds(read(folder / "transition.csv"))))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
