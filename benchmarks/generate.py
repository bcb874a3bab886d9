"""Synthetic scenarios in the docs/scenario.md format at fixed sizes, for benchmarks and held-out checks.

The structure follows the real planning problem, so the model is as hard as a real one of the same
size, not a random sparse matrix:

- regions scattered over a China-sized box (lon 98-123 E, lat 21-45 N), more developed (higher
  tier) towards the east coast; each region has three sites, `center`, `inner` and `outer`, the
  inner and outer ones further out from the region's point;
- land prices fall outward (center > inner > outer) and with the tier, land grows outward;
- capability columns `cap_research`, `cap_talent` (high in developed centers, falling outward) and
  `cap_logistics` (rising outward); functions ask for them with `req_<k>` columns, R&D of future
  industries most, production for logistics;
- `max_hosts` on future and emerging industries (防止重复建设), `min_hosts` on a few traditional
  ones, `max_new_industries` on some less developed regions (不求大而全);
- a chain radius scaled on the mean distance between regions, so each site reaches a few
  neighbouring regions whatever the size.

The same (regions, industries, seed) always gives the same files. Scenarios are flat (no
`extends`, no `overrides`), so the independent reference implementation in `tests/reference`
reads them too.

    python benchmarks/generate.py --regions 31 --industries 40 --seed 1 --out synth/31x40

Brownfield multi-period instances (MODEL.md version 2) start from the same tables: the plan of a
first-period solve (the independent reference, `tests/reference`, to a 1 % gap) becomes the
`stock` table, scaled down by 10-30 % per industry (today's base is smaller than the first
period's demand) and with part of each traditional industry's production standing in central
districts (old factories in town); then three periods 2025/2030/2035, growth on future and emerging
industries, a falling `demand_<year>` on traditional ones, one upgrade path per non-traditional
category (its first industry upgrades a traditional one), retirement costs, a phase-out of
traditional production in central zones by 2030 (退城入园) and 先立后破 (`build_first`, lag 0):

    python benchmarks/generate.py --regions 31 --industries 40 --seed 1 --brownfield --out synth/31x40x3
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml

LON = (98.0, 123.0)
LAT = (21.0, 45.0)
"""The box regions are scattered over (degrees)."""
ZONES = ("center", "inner", "outer")
FUNCTIONS = ("rd", "pilot", "production")
TIERS = ("I", "II", "III", "IV")
TIER_SHARE = (0.1, 0.2, 0.3)
"""Shares of regions in tiers I, II and III (the rest is IV), by development rank."""
CAPABILITIES = ("research", "talent", "logistics")

CENTER_PRICE = {"I": (12000.0, 30000.0), "II": (5000.0, 12000.0), "III": (2500.0, 6000.0), "IV": (1200.0, 3000.0)}
"""Center land price range per tier, yuan per m2; inner and outer are fractions of it."""
OUTWARD_PRICE = {"inner": (0.15, 0.3), "outer": (0.03, 0.08)}
"""Inner and outer land price as a share of the center's."""
LAND_HA = {"center": (30.0, 100.0), "inner": (120.0, 400.0), "outer": (400.0, 1200.0)}
TIER_LEVEL = {"I": 0.92, "II": 0.78, "III": 0.62, "IV": 0.48}
"""Typical research and talent capability of a center per tier."""
ZONE_FALL = {"center": 1.0, "inner": 0.7, "outer": 0.4}
"""Research and talent fall outward by these factors."""
LOGISTICS = {"center": (0.1, 0.4), "inner": (0.4, 0.75), "outer": (0.7, 1.0)}

CATEGORY_SHARE = {"future": 0.25, "emerging": 0.35, "traditional": 0.40}
MAX_HOSTS = {"future": (2, 3), "emerging": (3, 5)}
"""max_hosts range per category (traditional has none)."""
# function -> (land ha per unit, setup cost, unit cost, support ratio) ranges
FUNCTION_RANGES: dict[str, tuple[tuple[float, float], ...]] = {
    "rd": ((0.3, 0.6), (100.0, 500.0), (1.0, 5.0), (0.0, 0.0)),
    "pilot": ((1.0, 2.0), (200.0, 800.0), (0.5, 2.0), (0.1, 0.3)),
    "production": ((0.3, 1.0), (500.0, 2000.0), (0.5, 3.0), (0.02, 0.1)),
}
# (category, function) -> research / talent requirement ranges
REQUIREMENTS: dict[str, dict[str, tuple[float, float]]] = {
    "future": {"rd": (0.7, 0.85), "pilot": (0.45, 0.6), "production": (0.1, 0.3)},
    "emerging": {"rd": (0.55, 0.7), "pilot": (0.35, 0.5), "production": (0.05, 0.2)},
    "traditional": {"rd": (0.3, 0.45), "pilot": (0.2, 0.35), "production": (0.0, 0.1)},
}

BROWNFIELD_SIZES: tuple[tuple[int, int], ...] = ((8, 10), (16, 20), (31, 40))
"""(regions, industries) of the brownfield multi-period instances (3 periods each) `benchmarks/run.py --brownfield`
times."""
BROWNFIELD_LARGE: tuple[tuple[int, int], ...] = ((100, 40),)
"""The brownfield sizes added by `benchmarks/run.py --brownfield --large` (issue 22's multi-period goal)."""
PERIODS: tuple[int, ...] = (2025, 2030, 2035)
"""Periods of the brownfield instances: three five-year plans."""
GROWTH = {"future": (0.05, 0.10), "emerging": (0.03, 0.06)}
"""Annual demand growth ranges of the brownfield instances (traditional demand falls instead)."""
TRADITIONAL_DECLINE = (0.85, 0.95)
"""Traditional demand in each later period as a share of the period before (`demand_<year>`)."""
UPGRADE_COST = (50.0, 300.0)
"""Conversion cost per unit of traditional production turned into the upgrading industry's (10k yuan)."""
RETIRE_COST = {"rd": (5.0, 20.0), "pilot": (10.0, 40.0), "production": (20.0, 100.0)}
"""Retirement cost per unit (10k yuan), per function."""
STOCK_SHARE = (0.7, 0.9)
"""Today's stock as a share of the first-period plan, per industry."""
CENTRAL_SHARE = 0.3
"""Share of a traditional industry's stock production in a region moved into its central site."""
QUICK_SIZES: tuple[tuple[int, int], ...] = ((31, 40), (100, 40))
"""(regions, industries) of the default benchmark run."""
FULL_SIZES: tuple[tuple[int, int], ...] = ((31, 40), (31, 100), (100, 40), (100, 100), (300, 40), (300, 100))
"""(regions, industries) of `benchmarks/run.py --full`."""
BOX_AREA_KM2 = (LON[1] - LON[0]) * 111.32 * math.cos(math.radians(sum(LAT) / 2)) * (LAT[1] - LAT[0]) * 110.57


def mean_spacing_km(n_regions: int) -> float:
    """Typical distance between neighbouring regions when `n_regions` share the box."""
    return math.sqrt(BOX_AREA_KM2 / n_regions)


def chain_radius_km(n_regions: int) -> float:
    """The chain radius: about 1.3 times the region spacing, so a site reaches a few neighbours."""
    return float(round(1.3 * mean_spacing_km(n_regions), -1))


def _offset(lon: float, lat: float, km: float, angle: float) -> tuple[float, float]:
    """The point `km` away from (lon, lat) in direction `angle` (radians, flat-earth approximation)."""
    dlat = km * math.sin(angle) / 110.57
    dlon = km * math.cos(angle) / (111.32 * math.cos(math.radians(lat)))
    return round(lon + dlon, 4), round(lat + dlat, 4)


def _write_csv(path: Path, header: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if row.get(k) is None else row[k] for k in header})


def _regions_and_sites(rng: np.random.Generator, n: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    lon = rng.uniform(*LON, n)
    lat = rng.uniform(*LAT, n)
    development = 0.65 * (lon - LON[0]) / (LON[1] - LON[0]) + 0.35 * rng.uniform(0, 1, n)
    rank = np.argsort(-development, kind="stable")
    tier_of = np.empty(n, dtype=object)
    cuts = np.cumsum([max(1, round(share * n)) for share in TIER_SHARE])
    for position, r in enumerate(rank):
        tier_of[r] = TIERS[int(np.searchsorted(cuts, position, side="right"))]
    spacing = mean_spacing_km(n)
    regions, sites = [], []
    for r in range(n):
        rid, tier = f"R{r + 1:03d}", str(tier_of[r])
        focus_cap = int(rng.integers(2, 5)) if tier == "IV" and rng.random() < 0.5 else None
        regions.append({"id": rid, "name": f"Region {r + 1}", "name_zh": f"地区{r + 1}", "tier": tier,
                        "lon": round(float(lon[r]), 4), "lat": round(float(lat[r]), 4),
                        "max_new_industries": focus_cap})
        center_price = float(rng.uniform(*CENTER_PRICE[tier]))
        level = TIER_LEVEL[tier]
        for zone, distance in zip(ZONES, (0.0, 0.1 * spacing, 0.25 * spacing), strict=False):
            site_lon, site_lat = _offset(float(lon[r]), float(lat[r]), distance * float(rng.uniform(0.8, 1.2)),
                                         float(rng.uniform(0, 2 * math.pi)))
            price = center_price if zone == "center" else center_price * float(rng.uniform(*OUTWARD_PRICE[zone]))
            fall = ZONE_FALL[zone]
            sites.append({
                "id": f"{rid}-{zone}", "region": rid, "zone": zone,
                "land_ha": round(float(rng.uniform(*LAND_HA[zone])), 1), "land_price": round(price, 1),
                "lon": site_lon, "lat": site_lat, "cost_factor": round(float(rng.uniform(0.85, 1.25)), 3),
                "cap_research": round(float(np.clip(level * fall + rng.normal(0, 0.05), 0, 1)), 3),
                "cap_talent": round(float(np.clip(level * fall + rng.normal(0, 0.05), 0, 1)), 3),
                "cap_logistics": round(float(rng.uniform(*LOGISTICS[zone])), 3),
            })
    return regions, sites


def _industries_and_functions(rng: np.random.Generator, n: int, n_regions: int) -> tuple[list[dict[str, Any]],
                                                                                         list[dict[str, Any]]]:
    categories = list(CATEGORY_SHARE)
    industries, functions = [], []
    for j in range(n):
        category = categories[int(rng.choice(3, p=list(CATEGORY_SHARE.values())))]
        max_hosts = None
        if category in MAX_HOSTS:
            low, high = MAX_HOSTS[category]
            max_hosts = min(int(rng.integers(low, high + 1)), n_regions)
        min_hosts = 2 if category == "traditional" and n_regions >= 4 and rng.random() < 0.2 else None
        iid = f"ind{j + 1:03d}"
        industries.append({"id": iid, "name": f"Industry {j + 1}", "name_zh": f"产业{j + 1}", "category": category,
                           "demand": round(float(rng.uniform(50, 200)), 1), "overcapacity": 0.1,
                           "max_hosts": max_hosts, "min_hosts": min_hosts})
        for f in FUNCTIONS:
            (land_lo, land_hi), setup, unit, ratio = FUNCTION_RANGES[f]
            req = float(rng.uniform(*REQUIREMENTS[category][f]))
            functions.append({
                "industry": iid, "function": f,
                "land_per_unit": round(float(rng.uniform(land_lo, land_hi)), 3),
                "setup_cost": round(float(rng.uniform(*setup)), 1),
                "unit_cost": round(float(rng.uniform(*unit)), 3),
                "min_scale": round(float(rng.uniform(5, 10)), 1) if f == "production" else 0,
                "support_ratio": None if f == "rd" else round(float(rng.uniform(*ratio)), 3),
                "req_research": round(req, 3),
                "req_talent": round(req * float(rng.uniform(0.8, 1.0)), 3),
                "req_logistics": round(float(rng.uniform(0.3, 0.6)), 3) if f == "production" else None,
            })
    return industries, functions


def generate(n_regions: int, n_industries: int, seed: int, out: Path | str) -> Path:
    """Write a synthetic scenario (scenario.yaml and tables/*.csv) into `out`; return the YAML's path."""
    if n_regions < 1 or n_industries < 1:
        raise ValueError("need at least one region and one industry")
    rng = np.random.default_rng([seed, n_regions, n_industries])
    out = Path(out)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    regions, sites = _regions_and_sites(rng, n_regions)
    industries, functions = _industries_and_functions(rng, n_industries, n_regions)
    _write_csv(out / "tables" / "regions.csv", ["id", "name", "name_zh", "tier", "lon", "lat", "max_new_industries"],
               regions)
    _write_csv(out / "tables" / "sites.csv",
               ["id", "region", "zone", "land_ha", "land_price", "lon", "lat", "cost_factor"]
               + [f"cap_{k}" for k in CAPABILITIES], sites)
    _write_csv(out / "tables" / "industries.csv",
               ["id", "name", "name_zh", "category", "demand", "overcapacity", "max_hosts", "min_hosts"], industries)
    _write_csv(out / "tables" / "functions.csv",
               ["industry", "function", "land_per_unit", "setup_cost", "unit_cost", "min_scale", "support_ratio"]
               + [f"req_{k}" for k in CAPABILITIES], functions)
    doc = {
        "name": f"synth-r{n_regions}-i{n_industries}-s{seed}",
        "title": f"合成场景 {n_regions} regions x {n_industries} industries, seed {seed}",
        "tables": {name: f"tables/{name}.csv" for name in ("regions", "sites", "industries", "functions")},
        "settings": {"chain_radius_km": chain_radius_km(n_regions), "linkage_cost": 2.0, "duplication": "hard"},
    }
    path = out / "scenario.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _read_table(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _first_period_plan(scenario: Path, time_limit: float | None) -> dict[tuple[str, str, str], float]:
    """Capacities of a plan of the version 1 scenario, solved by the independent reference to a 1 % gap."""
    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from tests.reference.model import solve_reference

    result = solve_reference(scenario, mip_gap=0.01, time_limit=time_limit)
    if not result.open:
        raise RuntimeError(f"no first-period plan for {scenario} ({result.status}); try another seed")
    return result.open


def _stock_rows(rng: np.random.Generator, plan: dict[tuple[str, str, str], float], industries: list[dict[str, Any]],
                functions: list[dict[str, Any]], sites: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stock: the plan scaled per industry, part of traditional production moved into central sites."""
    category = {ind["id"]: ind["category"] for ind in industries}
    share = {ind["id"]: float(rng.uniform(*STOCK_SHARE)) for ind in industries}
    land_per = {(f["industry"], f["function"]): float(f["land_per_unit"]) for f in functions}
    land_ha = {s["id"]: float(s["land_ha"]) for s in sites}
    region_of = {s["id"]: s["region"] for s in sites}
    stock: dict[tuple[str, str, str], float] = {}
    for (i, f, s), q in sorted(plan.items()):
        if q > 1e-6:
            stock[(i, f, s)] = q * share[i]
    central_free = {s: 0.5 * land_ha[s] for s in land_ha if s.endswith("-center")}
    for (i, f, s), e in sorted(stock.items()):
        if f != "production" or category[i] != "traditional" or s.endswith("-center"):
            continue
        center = f"{region_of[s]}-center"
        moved = min(CENTRAL_SHARE * e, central_free[center] / land_per[(i, f)])
        if moved > 0.5:
            central_free[center] -= moved * land_per[(i, f)]
            stock[(i, f, s)] = e - moved
            stock[(i, f, center)] = stock.get((i, f, center), 0.0) + moved
    return [{"industry": i, "function": f, "site": s, "capacity": round(e, 3) or 0.001,
             "source": "benchmarks/generate.py: first-period plan"
             + (", moved to the center" if s.endswith("-center") and f == "production" else "")}
            for (i, f, s), e in sorted(stock.items())]


def generate_brownfield(n_regions: int, n_industries: int, seed: int, out: Path | str,
                        transition: str = "build_first", lag: int = 0, time_limit: float | None = None) -> Path:
    """Write a brownfield multi-period scenario (MODEL.md version 2) into `out`; return the YAML's path.

    The version 1 tables of `generate` plus a `stock` table from a first-period plan, three periods,
    growth, `demand_<year>`, upgrade paths, retirement costs, a phase-out rule and the transition
    settings (module docstring). The first-period solve (no time limit by default, so the same
    arguments always give the same files) takes about a minute at 31 x 40 on a busy 2-core machine.
    """
    path = generate(n_regions, n_industries, seed, out)
    out = Path(out)
    rng = np.random.default_rng([seed, n_regions, n_industries, 2])
    plan = _first_period_plan(path, time_limit)
    ind_header, industries = _read_table(out / "tables" / "industries.csv")
    fn_header, functions = _read_table(out / "tables" / "functions.csv")
    _, sites = _read_table(out / "tables" / "sites.csv")
    _write_csv(out / "tables" / "stock.csv", ["industry", "function", "site", "capacity", "source"],
               _stock_rows(rng, plan, industries, functions, sites))

    traditional = [ind for ind in industries if ind["category"] == "traditional"]
    for ind in industries:
        if ind["category"] in GROWTH:
            ind["growth"] = round(float(rng.uniform(*GROWTH[ind["category"]])), 3)
        else:
            demand = float(ind["demand"])
            for year in PERIODS[1:]:
                demand *= float(rng.uniform(*TRADITIONAL_DECLINE))
                ind[f"demand_{year}"] = round(demand, 1)
    for n, category in enumerate(("future", "emerging")):
        upgrader = next((ind for ind in industries if ind["category"] == category), None)
        if upgrader is not None and traditional:
            upgrader["upgrades"] = traditional[n % len(traditional)]["id"]
            upgrader["upgrade_cost"] = round(float(rng.uniform(*UPGRADE_COST)), 1)
    _write_csv(out / "tables" / "industries.csv",
               ind_header + ["growth"] + [f"demand_{y}" for y in PERIODS[1:]] + ["upgrades", "upgrade_cost"],
               industries)
    for fn in functions:
        fn["retire_cost"] = round(float(rng.uniform(*RETIRE_COST[fn["function"]])), 1)
    _write_csv(out / "tables" / "functions.csv", fn_header + ["retire_cost"], functions)

    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["name"] = f"synth-r{n_regions}-i{n_industries}-p{len(PERIODS)}-s{seed}"
    doc["title"] = f"合成转型场景 {n_regions} regions x {n_industries} industries x {len(PERIODS)} periods, seed {seed}"
    doc["tables"]["stock"] = "tables/stock.csv"
    doc["settings"].update({"periods": list(PERIODS), "discount_rate": 0.05, "transition": transition,
                            "transition_lag": lag})
    doc["rules"] = [{"phase_out": {"zone": "center", "category": "traditional", "function": "production",
                                   "by": PERIODS[1]}}]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    """Command line: write one synthetic scenario folder."""
    parser = argparse.ArgumentParser(description="Write a synthetic planner scenario of a given size.")
    parser.add_argument("--regions", type=int, default=31, help="number of regions (3 sites each)")
    parser.add_argument("--industries", type=int, default=40, help="number of industries")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument("--out", type=Path, required=True, help="folder to write scenario.yaml and tables/ into")
    parser.add_argument("--brownfield", action="store_true",
                        help="a multi-period brownfield instance: stock from a first-period plan, 3 periods")
    args = parser.parse_args(argv)
    if args.brownfield:
        print(generate_brownfield(args.regions, args.industries, args.seed, args.out))
    else:
        print(generate(args.regions, args.industries, args.seed, args.out))


if __name__ == "__main__":
    main()
