"""Print the tables of docs/findings.md from run folders, so every number there comes from a run.

    python docs/findings_tables.py RUN_DIR [RUN_DIR ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd


def division_table(run: Path) -> str:
    """The function x zone shares of capacity as a Markdown table."""
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    lines = ["| function | center | inner | outer |", "|---|---|---|---|"]
    for function, shares in summary["division_of_labour"].items():
        lines.append(f"| {function} | " + " | ".join(f"{100 * shares[z]:.0f} %" for z in ("center", "inner",
                                                                                          "outer")) + " |")
    return "\n".join(lines)


def future_rd(run: Path) -> str:
    """Where the R&D of future industries goes: industry -> sites with capacity."""
    industries = pd.read_csv(run / "inputs" / "industries.csv").set_index("id")
    regions = pd.read_csv(run / "inputs" / "regions.csv").set_index("id")
    a = pd.read_csv(run / "assignments.csv")
    a = a[(a["function"] == "rd") & a["industry"].map(industries["category"]).eq("future")]
    lines = ["| industry | R&D sites (capacity) |", "|---|---|"]
    for industry, rows in a.groupby("industry"):
        sites = ", ".join(f"{r.site} {regions.at[r.region, 'name_zh']} ({r.capacity:.1f})" for r in rows.itertuples())
        lines.append(f"| {industries.at[industry, 'name_zh']} {industry} | {sites} |")
    return "\n".join(lines)


def binding_hosts(run: Path) -> str:
    """Industries whose host count reaches max_hosts."""
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    industries = pd.read_csv(run / "inputs" / "industries.csv").set_index("id")
    rows = [(i, n, industries.at[i, "max_hosts"]) for i, n in summary["hosts"].items()
            if pd.notna(industries.at[i, "max_hosts"]) and n >= industries.at[i, "max_hosts"]]
    lines = ["| industry | category | hosts | max_hosts |", "|---|---|---|---|"]
    lines += [f"| {industries.at[i, 'name_zh']} {i} | {industries.at[i, 'category']} | {n} | {int(h)} |"
              for i, n, h in rows]
    return "\n".join(lines)


def headline(run: Path) -> str:
    """Status, objective, bound, gap and cost terms of a run."""
    s = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    costs = ", ".join(f"{k} {v:,.0f}" for k, v in s["costs"].items())
    return (f"{s['scenario']}: {s['status']}, objective {s['objective']:,.1f}, bound {s['best_bound']:,.1f}, "
            f"gap {100 * s['mip_gap']:.3f} %, solve {s['solve_seconds']:.0f} s; {costs}")


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        run = Path(arg)
        print(f"## {run}\n\n{headline(run)}\n\n{division_table(run)}\n\n{future_rd(run)}\n\n{binding_hosts(run)}\n")
