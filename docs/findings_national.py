"""Print the national tables of docs/findings.md (version 1 and version 2 side by side) from run folders.

    python docs/findings_national.py V1_RUN BUILD_FIRST_RUN FREE_RUN

V1_RUN is a run of scenarios/national/scenario.yaml, BUILD_FIRST_RUN of scenarios/national/transition.yaml,
FREE_RUN of scenarios/national/transition-free.yaml. Production is in units of 1 亿元 of annual output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd


def summary(run: Path) -> dict:
    """The run's summary.json."""
    return json.loads((run / "summary.json").read_text(encoding="utf-8"))


def status_table(runs: dict[str, Path]) -> str:
    """Status, objective, bound, gap, time and size of each run."""
    lines = ["| run | status | objective (10k yuan) | best bound | gap | solve s | variables | binaries |",
             "|---|---|---|---|---|---|---|---|"]
    for name, run in runs.items():
        s = summary(run)
        lines.append(f"| {name} | {s['status']} | {s['objective']:,.1f} | {s['best_bound']:,.1f} | "
                     f"{100 * s['mip_gap']:.3f} % | {s['solve_seconds']:.0f} | {s['n_variables']:,} | "
                     f"{s['n_binaries']:,} |")
    return "\n".join(lines)


def v1_production(run: Path) -> pd.Series:
    """Production capacity per region of a version 1 run."""
    a = pd.read_csv(run / "assignments.csv")
    return a[a["function"] == "production"].groupby("region")["capacity"].sum()


def herfindahl(values: pd.Series) -> float:
    """Herfindahl index (0-10,000) of a distribution."""
    total = values.sum()
    return float(((values / total) ** 2).sum() * 10000) if total > 0 else 0.0


def regions_of(run: Path) -> pd.DataFrame:
    """regions.csv of a version 2 run."""
    return pd.read_csv(run / "regions.csv")


def concentration_table(v1: Path, v2: dict[str, Path]) -> str:
    """Herfindahl index of production and of new production across provinces, and provinces building."""
    lines = ["| plan | period | production | HHI of production | new production built | HHI of new production "
             "| provinces building new production |", "|---|---|---|---|---|---|---|"]
    p = v1_production(v1)
    lines.append(f"| version 1 (empty land) | - | {p.sum():,.0f} | {herfindahl(p):,.0f} | {p.sum():,.0f} | "
                 f"{herfindahl(p):,.0f} | {int((p > 1e-6).sum())} |")
    for name, run in v2.items():
        reg = regions_of(run)
        for t, rows in reg.groupby("period"):
            built = rows.set_index("region")["built"]
            lines.append(f"| {name} | {t} | {rows['production'].sum():,.0f} | "
                         f"{herfindahl(rows.set_index('region')['production']):,.0f} | {built.sum():,.0f} | "
                         f"{herfindahl(built):,.0f} | {int((built > 1e-6).sum())} |")
    return "\n".join(lines)


def production_table(v1: Path, run: Path) -> str:
    """Production per province: version 1, and version 2 per period with what was built, retired, converted."""
    reg = regions_of(run)
    names = reg.drop_duplicates("region").set_index("region")["name_zh"]
    p1 = v1_production(v1)
    periods = sorted(reg["period"].unique())
    head = "| province | v1 new production | " + " | ".join(
        f"{t} production | {t} built | {t} retired | {t} converted" for t in periods) + " |"
    lines = [head, "|---|---|" + "---|" * (4 * len(periods))]
    last = reg[reg["period"] == periods[-1]].set_index("region")["production"].sort_values(ascending=False)
    for r in last.index:
        cells = [f"{names[r]} {r}", f"{p1.get(r, 0.0):,.0f}"]
        for t in periods:
            row = reg[(reg["period"] == t) & (reg["region"] == r)].iloc[0]
            cells += [f"{row['production']:,.0f}", f"{row['built']:,.0f}", f"{row['retired']:,.0f}",
                      f"{row['converted_in']:,.0f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def moves_table(run: Path, category_of: dict[str, str]) -> str:
    """Production built, retired and converted per period and category, with the regions that take most."""
    tr = pd.read_csv(run / "transition.csv")
    tr = tr[tr["function"] == "production"]
    tr["category"] = tr["industry"].map(category_of)
    lines = ["| period | category | built | top regions built | retired | regions retiring | converted in | "
             "regions converting |", "|---|---|---|---|---|---|---|---|"]
    for (t, cat), rows in tr.groupby(["period", "category"]):
        cells = [str(t), cat]
        for move in ("built", "retired", "converted_in"):
            by = rows.groupby("region")[move].sum()
            by = by[by > 0.5].sort_values(ascending=False)
            top = ", ".join(f"{r} {v:,.0f}" for r, v in by.head(5).items()) + (" …" if len(by) > 5 else "")
            cells += [f"{by.sum():,.0f}", top or "-"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def conversions_table(run: Path) -> str:
    """Conversions (upgrade paths used) per period: traditional division -> emerging field, amount, regions."""
    tr = pd.read_csv(run / "transition.csv")
    conv = tr[(tr["function"] == "production") & (tr["converted_in"] > 0.5)]
    if conv.empty:
        return "(no conversion)"
    lines = ["| period | field (converted into) | amount | regions |", "|---|---|---|---|"]
    for (t, i), rows in conv.groupby(["period", "industry"]):
        by = rows.groupby("region")["converted_in"].sum().sort_values(ascending=False)
        lines.append(f"| {t} | {i} | {by.sum():,.0f} | " + ", ".join(f"{r} {v:,.0f}" for r, v in by.items()) + " |")
    return "\n".join(lines)


def costs_table(runs: dict[str, Path]) -> str:
    """Discounted cost terms of the version 2 runs."""
    keys = sorted({k for run in runs.values() for k in summary(run)["costs"]})
    lines = ["| term | " + " | ".join(runs) + " |", "|---|" + "---|" * len(runs)]
    for k in keys:
        lines.append(f"| {k} | " + " | ".join(f"{summary(run)['costs'].get(k, 0.0):,.1f}" for run in runs.values())
                     + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    """Print every national table."""
    v1, first, free = (Path(a) for a in argv)
    v2 = {"version 2 build_first": first, "version 2 free": free}
    industries = pd.read_csv(first / "inputs" / "industries.csv")
    category_of = dict(zip(industries["id"], industries["category"], strict=True))
    print(status_table({"version 1": v1} | v2), end="\n\n")
    print(costs_table(v2), end="\n\n")
    print(concentration_table(v1, v2), end="\n\n")
    for name, run in v2.items():
        print(f"### {name}: production per province\n\n{production_table(v1, run)}\n")
        print(f"### {name}: moves per period and category\n\n{moves_table(run, category_of)}\n")
        print(f"### {name}: conversions\n\n{conversions_table(run)}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
