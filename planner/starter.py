"""`planner init`: a small, commented, runnable scenario to start a study from, cut from the bundled national
baseline (scenarios/national) for chosen provinces."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from planner.runfolder import write_csv
from planner.runfolder.write import write_workbook_sheets

DEFAULT_REGIONS = ("BJ", "TJ", "HE")
"""The provinces of a starter when none are chosen: Beijing, Tianjin, Hebei (京津冀)."""
PER_CATEGORY = 2
"""Industries taken from each category (future, emerging, traditional) of the national table."""
TABLES = ("regions", "sites", "industries", "functions")


class StarterError(ValueError):
    """A starter cannot be made as asked (an unknown province, no national tables)."""


def national_tables() -> Path:
    """The folder of the national baseline's tables (scenarios/national/tables of the clone planner runs from)."""
    folder = Path(__file__).resolve().parents[1] / "scenarios" / "national" / "tables"
    if not (folder / "regions.csv").is_file():
        raise StarterError("planner init needs the national tables of scenarios/national/tables: install planner "
                           "from a clone of its repository (pip install -e .)")
    return folder


def starter_tables(regions: list[str]) -> dict[str, pd.DataFrame]:
    """The four tables of a starter for the provinces `regions` (ids of the national regions.csv).

    Sites are those of the chosen provinces; industries are the first PER_CATEGORY of each category that
    every function can be placed somewhere among those sites (its requirements met by a site's
    capabilities); demands are scaled by the chosen share of the 31 provinces, so that their land suffices.
    """
    source = national_tables()
    tables = {name: pd.read_csv(source / f"{name}.csv", dtype={"adcode": "string"}) for name in TABLES}
    known = list(tables["regions"]["id"])
    unknown = [r for r in regions if r not in known]
    if unknown:
        raise StarterError(f"unknown province {', '.join(map(repr, unknown))}; known: {', '.join(known)}")
    chosen = tables["regions"][tables["regions"]["id"].isin(regions)]
    sites = tables["sites"][tables["sites"]["region"].isin(regions)]
    placeable = _placeable(tables["functions"], sites)
    industries = tables["industries"][tables["industries"]["id"].isin(placeable)]
    if industries.empty:
        raise StarterError(f"no industry of the national tables can be placed in {', '.join(regions)} alone "
                           "(their sites lack the capabilities R&D needs): add provinces, e.g. --regions BJ,TJ,HE")
    industries = industries.groupby("category", sort=False).head(PER_CATEGORY).copy()
    share = len(chosen) / len(tables["regions"])
    industries["demand"] = [max(20, math.ceil(d * share)) for d in industries["demand"]]
    functions = tables["functions"][tables["functions"]["industry"].isin(industries["id"])]
    return {"regions": chosen, "sites": sites, "industries": industries, "functions": functions}


def _placeable(functions: pd.DataFrame, sites: pd.DataFrame) -> set[str]:
    """Industries each of whose functions has a site among `sites` meeting its requirements (req_k <= cap_k)."""
    needs = [c[len("req_"):] for c in functions.columns if c.startswith("req_")]
    fits = []
    for row in functions.itertuples(index=False):
        ok = pd.Series(True, index=sites.index)
        for k in needs:
            ok &= sites.get(f"cap_{k}", pd.Series(0.0, index=sites.index)).fillna(0) >= getattr(row, f"req_{k}")
        fits.append((row.industry, bool(ok.any())))
    frame = pd.DataFrame(fits, columns=["industry", "ok"])
    return set(frame.groupby("industry")["ok"].all().loc[lambda s: s].index)


WORKBOOK = "tables.xlsx"
"""The starter's workbook (`planner init --xlsx`), a sheet per table, beside its scenario.yaml."""


def write_starter(folder: Path, regions: list[str], xlsx: bool = False) -> list[Path]:
    """Write a starter scenario for `regions` into `folder` (scenario.yaml, README.md, and tables/*.csv or, with
    `xlsx`, the workbook tables.xlsx); the files."""
    tables = starter_tables(regions)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    if xlsx:
        write_workbook_sheets(folder / WORKBOOK, tables)
        written.append(folder / WORKBOOK)
    else:
        (folder / "tables").mkdir(exist_ok=True)
        for name, frame in tables.items():
            path = folder / "tables" / f"{name}.csv"
            write_csv(path, frame)
            written.append(path)
    yaml_text, readme = scenario_yaml(regions, tables), README
    if xlsx:
        yaml_text, readme = in_workbook(yaml_text), in_workbook(readme)
    for name, text in (("scenario.yaml", yaml_text), ("README.md", readme)):
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written


def in_workbook(text: str) -> str:
    """The starter's scenario.yaml or README.md for tables kept in the workbook tables.xlsx instead of tables/."""
    lines = text.splitlines(keepends=True)
    start = next((n for n, line in enumerate(lines) if line.startswith("tables:")), None)
    if start is not None:  # scenario.yaml: its four table lines become one
        lines[start:start + 5] = [f"{'tables: ' + WORKBOOK:<30}# every table from the sheet of its name: "
                                  "regions, sites, industries, functions\n"]
    text = "".join(lines).replace("Edit the tables in tables/", f"Edit the sheets of {WORKBOOK}")
    for name in TABLES:
        text = text.replace(f"tables/{name}.csv", f"sheet {name} of {WORKBOOK}")
    return text


def scenario_yaml(regions: list[str], tables: dict[str, pd.DataFrame]) -> str:
    """The starter's scenario.yaml, every key commented."""
    names = "、".join(tables["regions"]["name_zh"])
    ids = ", ".join(tables["industries"]["id"])
    return f"""# A starter scenario written by `planner init` from planner's national baseline (scenarios/national):
# the provinces {', '.join(regions)} ({names}), three sites each, and the industries {ids}.
# Edit the tables in tables/ (every column is explained in README.md), then:
#   planner validate scenario.yaml      # check it
#   planner run scenario.yaml           # solve it; the plan and its map are in runs/
name: starter                 # letters, digits, '-', '_': names the run folders
title: 起步情景 {names} / Starter scenario
tables:                       # paths relative to this file
  regions: tables/regions.csv         # the provinces
  sites: tables/sites.csv             # the places functions can go: a center, an inner and an outer site each
  industries: tables/industries.csv   # what must be produced, and how widely it may be spread
  functions: tables/functions.csv     # each industry's R&D, pilot and production: land, costs, requirements
settings:
  chain_radius_km: 300        # the longest support link rd -> pilot -> production (km); delete: no limit
  linkage_cost: 2.6           # 10k yuan per unit of support per km of link
  duplication: hard           # hard: an industry's max_hosts is a limit; soft: exceeding it costs duplication_penalty
  weights: {{land: 1, setup: 1, operating: 1, linkage: 1, duplication: 1}}   # weight of each cost term
# rules:                      # optional: force or forbid placements, e.g.
#   - lock_out: {{zone: center, function: production}}
#   - lock_in: {{site: BJ-center, industry: e_ngit, function: rd}}
solver:
  name: highs                 # highs (installed with planner), cbc, glpk or scip: `planner solvers`
  time_limit: 60              # seconds
  mip_gap: 0.001              # stop within 0.1 % of the optimum
  threads: 1
  seed: 0
"""


README = """# Starter scenario

Written by `planner init` from planner's national baseline (`scenarios/national` of the planner
repository, where every number's source is given). `planner validate scenario.yaml` checks it and
`planner run scenario.yaml` solves it. The format in full: `docs/scenario.md`, `planner schema`.
Money is in 10k yuan (万元), land in hectares. Empty cells take the default.

## tables/regions.csv: the provinces

| column | meaning |
|---|---|
| `id` | short code, used by `sites.region` |
| `name`, `name_zh` | English and Chinese names |
| `tier` | I to IV: the province's development tier (R&D intensity) |
| `lon`, `lat` | where its label goes on the map (WGS84) |
| `adcode` | administrative code, links the boundary on the map |
| `energy_budget` | optional: most energy its sites may use |
| `max_new_industries` | optional: most industries it may host |

## tables/sites.csv: where functions can go

| column | meaning |
|---|---|
| `id` | site code, e.g. `BJ-center` |
| `region` | its province (`regions.id`) |
| `zone` | `center` (中心城区), `inner` (近郊) or `outer` (外围) |
| `land_ha` | land available for new industry (ha) |
| `land_price` | price of land (10k yuan per ha) |
| `lon`, `lat` | location (WGS84), for distances and the map |
| `cost_factor` | multiplies operating costs there (1 = average) |
| `adcode` | district code, for the map |
| `cap_<k>` | capability `k` of the site (0 to 1): `cap_research` research strength, `cap_market` technology market |

## tables/industries.csv: what must be produced

| column | meaning |
|---|---|
| `id` | industry code, used by `functions.industry` |
| `name`, `name_zh` | English and Chinese names |
| `category` | `future`, `emerging` or `traditional` |
| `demand` | production to be met (units) |
| `overcapacity` | share by which capacity may exceed demand |
| `max_hosts` | most provinces hosting its production (防止重复建设); empty: no limit |
| `min_hosts` | fewest provinces hosting it; empty: none |

## tables/functions.csv: R&D, pilot and production of each industry

| column | meaning |
|---|---|
| `industry`, `function` | the industry and `rd`, `pilot` or `production` |
| `land_per_unit` | ha of land per unit of capacity |
| `setup_cost` | cost of opening the function at a site |
| `unit_cost` | operating cost per unit (times the site's `cost_factor`) |
| `min_scale`, `max_scale` | smallest and largest capacity at one site (empty: no largest) |
| `support_ratio` | units of the previous function needed per unit (pilot needs rd, production needs pilot) |
| `energy_per_unit` | optional: energy per unit, against `regions.energy_budget` |
| `req_<k>` | the capability `cap_<k>` a site needs to host it |
"""
