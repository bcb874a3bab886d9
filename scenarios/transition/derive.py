"""Rebuild the transition worked example's tables from the jjj scenario's and the figures below.

regions.csv and sites.csv are copied from scenarios/jjj/tables unchanged; industries.csv and
functions.csv are jjj's with the version 2 columns added; stock.csv is written from STOCK. Every
number added here is either a published figure (source in the comment and in README.md) or an
assumption (marked ASSUMPTION, reasoning in README.md).
Run from anywhere: `python scenarios/transition/derive.py` rewrites tables/*.csv.
Standard library only.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from derive_common import ceil4, read_csv, write_records  # noqa: E402  (scenarios/derive_common.py)

TABLES = HERE / "tables"
JJJ = HERE.parent / "jjj" / "tables"

# ASSUMPTION: annual demand growth per category (README "Industries").
GROWTH = {"future": 0.10, "emerging": 0.05}
# ASSUMPTION: steel's demand per period (units), falling; 2025 keeps jjj's 100 (README).
STEEL_DEMAND = {2030: 90.0, 2035: 80.0}
# ASSUMPTION: the one upgrade path: new-energy vehicles may convert steel production in place,
# at 100 (10k yuan) per unit converted = 1 % of one year's output of the unit (README).
UPGRADE = {"nev": ("steel", 100.0)}
# ASSUMPTION: retirement cost per unit of production retired (10k yuan); rd and pilot 0 (README).
RETIRE_COST = {"production": 50.0}

# ASSUMPTION: today's base (units of production). Illustrative, not a statistic (README "Stock").
PRODUCTION_STOCK = {
    ("steel", "HE-center"): 50.0,  # an old mill in the provincial capital's core (退城入园 target)
    ("steel", "HE-outer"): 50.0,
    ("nev", "TJ-outer"): 30.0,
}
# Where the standing production's pilot and R&D stand (eligible sites of the jjj tables).
SUPPORT_SITES = {"steel": {"pilot": "HE-outer", "rd": "HE-center"}, "nev": {"pilot": "TJ-center", "rd": "TJ-center"}}


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of one of jjj's tables."""
    rows = read_csv(path)
    return list(rows[0]), rows


def stock_rows(functions: list[dict[str, str]]) -> list[dict[str, object]]:
    """Production stock plus the pilot and R&D that support it, by jjj's (sourced) support ratios."""
    ratio = {(f["industry"], f["function"]): float(f["support_ratio"] or 0) for f in functions}
    rows: list[dict[str, object]] = []
    for (i, site), q in PRODUCTION_STOCK.items():
        rows.append({"industry": i, "function": "production", "site": site, "capacity": q,
                     "source": "assumption: illustrative existing base (README, Stock)"})
    for i in sorted({i for i, _ in PRODUCTION_STOCK}):
        production = sum(q for (j, _), q in PRODUCTION_STOCK.items() if j == i)
        pilot = ceil4(ratio[(i, "production")] * production)  # rounded up: standing support covers ρ q
        rd = ceil4(ratio[(i, "pilot")] * pilot)
        for function, amount in (("pilot", pilot), ("rd", rd)):
            rows.append({"industry": i, "function": function, "site": SUPPORT_SITES[i][function],
                         "capacity": amount,
                         "source": "support of the standing production by jjj's support ratios (README, Stock)"})
    return rows


def main() -> None:
    """Write tables/*.csv."""
    TABLES.mkdir(exist_ok=True)
    for name in ("regions", "sites"):
        shutil.copyfile(JJJ / f"{name}.csv", TABLES / f"{name}.csv")
    header, industries = _read(JJJ / "industries.csv")
    for row in industries:
        row["growth"] = GROWTH.get(row["category"])
        if row["id"] == "steel":
            for year, demand in STEEL_DEMAND.items():
                row[f"demand_{year}"] = demand
        if row["id"] in UPGRADE:
            row["upgrades"], row["upgrade_cost"] = UPGRADE[row["id"]]
    write_records(TABLES / "industries.csv",
           header + ["growth"] + [f"demand_{y}" for y in STEEL_DEMAND] + ["upgrades", "upgrade_cost"], industries)
    header, functions = _read(JJJ / "functions.csv")
    for row in functions:
        row["retire_cost"] = RETIRE_COST.get(row["function"])
    write_records(TABLES / "functions.csv", header + ["retire_cost"], functions)
    write_records(TABLES / "stock.csv", ["industry", "function", "site", "capacity", "source"], stock_rows(functions))


if __name__ == "__main__":
    main()
