"""What a run folder says the map must draw, read straight from its CSV files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planner import geodata
from planner.maps.layers import METRO_LAYER, REGIONS_LAYER, SITES_LAYER, function_layer

FUNCTIONS = ("rd", "pilot", "production")


def tables(run_dir: Path) -> dict[str, pd.DataFrame]:
    """The run folder's tables."""
    return {
        "assignments": pd.read_csv(run_dir / "assignments.csv"),
        "links": pd.read_csv(run_dir / "links.csv"),
        "regions": pd.read_csv(run_dir / "inputs" / "regions.csv"),
        "sites": pd.read_csv(run_dir / "inputs" / "sites.csv", dtype={"adcode": str}),
        "industries": pd.read_csv(run_dir / "inputs" / "industries.csv"),
    }


def industry_layer_name(row: pd.Series) -> str:
    """Layer name of an industry row of inputs/industries.csv."""
    return f"Industry: {row['name_zh']} {row['name']}"


def metro_units(sites: pd.DataFrame) -> int:
    """District-level units drawn in the metro view: every unit of each city hosting a site."""
    if "adcode" not in sites:
        return 0
    units = geodata.districts().set_index("adcode")
    cities = set()
    for code in sites["adcode"].dropna().astype(str).str.replace(r"\.0$", "", regex=True):
        if code in units.index:
            cities.add(units.at[code, "city"])
        elif code[:4] + "00" in units.index and units.at[code[:4] + "00", "level"] == "city":
            cities.add(code[:4] + "00")
    return int(units["city"].isin(cities).sum())


def layer_counts(run_dir: Path) -> dict[str, tuple[int, int]]:
    """Layer name -> (vector paths, marker elements) the map of `run_dir` must draw."""
    t = tables(run_dir)
    a, links = t["assignments"], t["links"]
    # issue 19: one industry count per site (in the sites layer) instead of one badge per site and industry
    out = {REGIONS_LAYER: (len(t["regions"]), 0), SITES_LAYER: (a["site"].nunique(), a["site"].nunique())}
    for f in FUNCTIONS:
        out[function_layer(f)] = (a.loc[a["function"] == f, "site"].nunique(), 0)
    for _, row in t["industries"].iterrows():
        out[industry_layer_name(row)] = (int((links["industry"] == row["id"]).sum()), 0)
    units = metro_units(t["sites"])
    if units:
        out[METRO_LAYER] = (units, 0)
    return out
