"""Small random scenarios in docs/scenario.md format, for property tests.

Instances are tiny (<= 4 regions x 3 zones, <= 4 industries) and built so that they are
usually feasible: land is generous, budgets are scaled on the demand, radii keep each
region's own sites within reach. With the default 3 regions x 3 industries HiGHS proves
optimality in well under a second; 4 x 4 instances take ~0.15 s typically, ~2 s at worst.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from .scenario import FUNCTIONS, ZONES

TIERS = ("I", "II", "III", "IV")
CATEGORIES = ("future", "emerging", "traditional")
CAP_NAMES = ("talent", "labs", "logistics", "water")

# zone -> (land ha range, land price yuan/m2 range, capability level range)
ZONE_PROFILE: dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float]]] = {
    "center": ((20.0, 60.0), (3000.0, 8000.0), (0.6, 1.0)),
    "inner": ((80.0, 200.0), (800.0, 2000.0), (0.3, 0.8)),
    "outer": ((300.0, 800.0), (100.0, 500.0), (0.0, 0.5)),
}
# function -> (land per unit range, setup cost range, unit cost range)
FUNCTION_PROFILE: dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float]]] = {
    "rd": ((0.02, 0.1), (200.0, 2000.0), (5.0, 20.0)),
    "pilot": ((0.1, 0.4), (300.0, 3000.0), (2.0, 10.0)),
    "production": ((0.5, 1.5), (500.0, 5000.0), (0.5, 5.0)),
}


def _write_csv(path: Path, header: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if row.get(k) is None else row[k]) for k in header})


def write_random_scenario(
    directory: Path,
    seed: int,
    n_regions: int = 3,
    n_industries: int = 3,
    n_capabilities: int = 2,
    soft: bool = False,
) -> Path:
    """Write a random flat scenario (YAML + four CSVs) into ``directory``; return the YAML path."""
    if not (1 <= n_regions <= 4 and 1 <= n_industries <= 4 and 0 <= n_capabilities <= 4):
        raise ValueError("keep instances small: 1-4 regions, 1-4 industries, 0-4 capabilities")
    rng = np.random.default_rng(seed)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)

    def uni(lo: float, hi: float, nd: int = 3) -> float:
        return round(float(rng.uniform(lo, hi)), nd)

    def chance(p: float) -> bool:
        return bool(rng.random() < p)

    caps = list(CAP_NAMES[:n_capabilities])
    ind_ids = [f"ind{j + 1}" for j in range(n_industries)]

    # ---------------------------------------------------------------- industries
    industries: list[dict[str, Any]] = []
    for j, i in enumerate(ind_ids):
        max_hosts = int(rng.integers(1, n_regions + 1)) if chance(0.5) else None
        min_hosts: int | None = None
        if chance(0.3):
            min_hosts = int(rng.integers(1, min(2, max_hosts or n_regions) + 1))
        industries.append(
            {
                "id": i,
                "name": f"Industry {j + 1}",
                "name_zh": f"产业{j + 1}",
                "category": CATEGORIES[int(rng.integers(0, 3))],
                "demand": uni(20.0, 100.0, 1),
                "overcapacity": uni(0.0, 0.3, 2) if chance(0.6) else None,
                "max_hosts": max_hosts,
                "min_hosts": min_hosts,
            }
        )

    # ----------------------------------------------------------------- functions
    functions: list[dict[str, Any]] = []
    for ind in industries:
        for f in FUNCTIONS:
            (al, ah), (sl, sh), (ul, uh) = FUNCTION_PROFILE[f]
            row: dict[str, Any] = {
                "industry": ind["id"],
                "function": f,
                "land_per_unit": uni(al, ah),
                "setup_cost": uni(sl, sh, 1),
                "unit_cost": uni(ul, uh, 2),
                "min_scale": uni(1.0, 5.0, 1) if chance(0.4) else 0,
                "max_scale": None,
                "support_ratio": None if f == "rd" else uni(0.0, 1.0, 2),
                "energy_per_unit": uni(0.1, 2.0, 2) if chance(0.5) else None,
            }
            if f == "production" and n_regions > 1 and chance(0.3):
                row["max_scale"] = round(0.7 * float(ind["demand"]), 1)
            elif f != "production" and chance(0.15):
                row["max_scale"] = uni(30.0, 80.0, 1)
            # requirements: R&D asks for talent/labs, production for logistics/water
            for k_idx, k in enumerate(caps):
                wants = (k_idx % 2 == 0) == (f != "production")
                row[f"req_{k}"] = uni(0.3, 0.6, 2) if wants and chance(0.8) else None
            functions.append(row)

    # ---------------------------------------------------------- regions & sites
    # L_r never below what the focus (future + emerging) industries need in total
    n_focus = sum(1 for ind in industries if ind["category"] in ("future", "emerging"))
    min_focus = max(1, -(-n_focus // n_regions))
    regions: list[dict[str, Any]] = []
    sites: list[dict[str, Any]] = []
    for n in range(n_regions):
        rid = f"R{n + 1}"
        lon, lat = uni(110.5, 119.5, 4), uni(30.5, 39.5, 4)
        regions.append(
            {
                "id": rid,
                "name": f"Region {n + 1}",
                "name_zh": f"省{n + 1}",
                "tier": TIERS[int(rng.integers(0, 4))],
                "lon": lon,
                "lat": lat,
                "energy_budget": None,
                "max_new_industries": int(rng.integers(min_focus, n_industries + 1))
                if chance(0.3)
                else None,
            }
        )
        for z_idx, z in enumerate(ZONES):
            (ll, lh), (pl, ph), (cl, ch) = ZONE_PROFILE[z]
            site: dict[str, Any] = {
                "id": f"{rid}-{z}",
                "region": rid,
                "zone": z,
                "land_ha": uni(ll, lh, 1),
                "land_price": uni(pl, ph, 1),
                "lon": round(lon + 0.15 * z_idx * float(rng.uniform(0.5, 1.5)), 4),
                "lat": round(lat + 0.1 * z_idx * float(rng.uniform(-1.5, 1.5)), 4),
                "cost_factor": uni(0.8, 1.3, 2) if chance(0.4) else None,
            }
            for k_idx, k in enumerate(caps):
                # even-indexed capabilities fall from center to outer, odd ones rise
                lo_, hi_ = (cl, ch) if k_idx % 2 == 0 else (1.0 - ch, 1.0 - cl)
                site[f"cap_{k}"] = uni(lo_, hi_, 2)
            sites.append(site)

    # energy budgets, scaled on what the whole chain would need if hosted in one region
    need = 0.0
    for ind in industries:
        e = {f["function"]: f["energy_per_unit"] or 0.0 for f in functions if f["industry"] == ind["id"]}
        rho = {f["function"]: f["support_ratio"] or 0.0 for f in functions if f["industry"] == ind["id"]}
        d = float(ind["demand"])
        need += d * (e["production"] + rho["production"] * (e["pilot"] + rho["pilot"] * e["rd"]))
    lo, hi = (0.5, 1.3) if n_regions > 1 else (1.15, 1.6)
    for reg in regions:
        if need > 0 and chance(0.35):
            reg["energy_budget"] = round(need * float(rng.uniform(lo, hi)), 2)

    # ----------------------------------------------------------------- settings
    settings: dict[str, Any] = {
        "linkage_cost": uni(0.001, 0.05, 4),
        "duplication": "soft" if soft else "hard",
    }
    if chance(0.8):
        settings["chain_radius_km"] = uni(150.0, 700.0, 1)
    if soft:
        settings["duplication_penalty"] = uni(200.0, 5000.0, 1)
    if chance(0.3):
        settings["weights"] = {
            "land": uni(0.5, 1.5, 2),
            "setup": uni(0.5, 1.5, 2),
            "operating": 1,
            "linkage": uni(0.5, 2.0, 2),
            "duplication": 1,
        }

    rules: list[dict[str, Any]] = []
    if chance(0.5):
        rules.append({"lock_out": {"zone": "center", "function": "production"}})
    if chance(0.2):
        # lock in the R&D of one industry at one center site where it is capable
        ind = industries[int(rng.integers(0, n_industries))]
        rd = next(f for f in functions if f["industry"] == ind["id"] and f["function"] == "rd")
        for site in sites:
            ok = all((site[f"cap_{k}"] >= (rd[f"req_{k}"] or 0.0)) for k in caps)
            if site["zone"] == "center" and ok:
                rules.append({"lock_in": {"site": site["id"], "industry": ind["id"], "function": "rd"}})
                break

    # ------------------------------------------------------------------- write
    _write_csv(
        directory / "regions.csv",
        ["id", "name", "name_zh", "tier", "lon", "lat", "energy_budget", "max_new_industries"],
        regions,
    )
    _write_csv(
        directory / "sites.csv",
        ["id", "region", "zone", "land_ha", "land_price", "lon", "lat", "cost_factor"]
        + [f"cap_{k}" for k in caps],
        sites,
    )
    _write_csv(
        directory / "industries.csv",
        ["id", "name", "name_zh", "category", "demand", "overcapacity", "max_hosts", "min_hosts"],
        industries,
    )
    _write_csv(
        directory / "functions.csv",
        [
            "industry",
            "function",
            "land_per_unit",
            "setup_cost",
            "unit_cost",
            "min_scale",
            "max_scale",
            "support_ratio",
            "energy_per_unit",
        ]
        + [f"req_{k}" for k in caps],
        functions,
    )
    doc: dict[str, Any] = {
        "name": f"random-{seed}",
        "title": f"随机场景 {seed}",
        "tables": {
            "regions": "regions.csv",
            "sites": "sites.csv",
            "industries": "industries.csv",
            "functions": "functions.csv",
        },
        "settings": settings,
    }
    if rules:
        doc["rules"] = rules
    path = directory / "scenario.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# ------------------------------------------------------------------ version 2
def _read_table(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write_random_scenario_v2(
    directory: Path,
    seed: int,
    n_regions: int = 3,
    n_industries: int = 3,
    n_periods: int = 3,
    transition: str = "build_first",
    lag: int = 0,
    soft: bool = False,
) -> Path:
    """Write a random multi-period brownfield scenario (MODEL.md version 2); return the YAML path.

    A version 1 random scenario is written first (industry 1 made traditional, industry 2 not,
    so an upgrade path exists) and solved with the reference; its plan, perturbed (scaled by
    0.5-0.95 per industry, some rows dropped), becomes the ``stock`` table. On top: 2-3 periods
    five years apart, growth on most industries, a ``demand_<year>`` for the last period of one
    industry, one upgrade path per non-traditional category present (onto the traditional
    industry), retirement costs, a ``phase_out`` of traditional production in central zones by
    the second period (with stock placed there when land allows), a discount rate, and the given
    transition mode and lag.
    """
    from .model import solve_reference

    if not (2 <= n_periods <= 3 and n_industries >= 2 and transition in ("free", "build_first")):
        raise ValueError("keep it small: 2-3 periods, >= 2 industries, transition free or build_first")
    directory = Path(directory)
    path = write_random_scenario(directory, seed, n_regions=n_regions, n_industries=n_industries, soft=soft)
    rng = np.random.default_rng([seed, 2])

    def uni(lo: float, hi: float, nd: int = 3) -> float:
        return round(float(rng.uniform(lo, hi)), nd)

    # categories: ind1 traditional, ind2 emerging/future, so one upgrade path exists
    ind_header, industries = _read_table(directory / "industries.csv")
    industries[0]["category"] = "traditional"
    if industries[1]["category"] == "traditional":
        industries[1]["category"] = "emerging"
    _write_csv(directory / "industries.csv", ind_header, industries)

    plan = solve_reference(path, mip_gap=0.0, time_limit=20)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn_header, functions = _read_table(directory / "functions.csv")
    land_per = {(f["industry"], f["function"]): float(f["land_per_unit"]) for f in functions}
    _, sites = _read_table(directory / "sites.csv")
    land_ha = {s["id"]: float(s["land_ha"]) for s in sites}

    # ------------------------------------------------------------------ stock
    stock: dict[tuple[str, str, str], float] = {}
    factor = {ind["id"]: uni(0.5, 0.95, 2) for ind in industries}
    for (i, f, s), cap in sorted(plan.open.items()):
        if cap > 0.05 and not (f != "production" and chance_drop(rng)):
            stock[(i, f, s)] = round(cap * factor[i], 2)
    trad = industries[0]["id"]
    centers = [s["id"] for s in sites if s["zone"] == "center"]
    if centers:
        # existing traditional production in a central district, to be moved out (退城入园)
        s = centers[int(rng.integers(0, len(centers)))]
        stock.setdefault((trad, "production", s), round(0.15 * float(industries[0]["demand"]), 2))
    used: dict[str, float] = {}
    for (i, f, s), e in stock.items():
        used[s] = used.get(s, 0.0) + land_per[(i, f)] * e
    for s, u in used.items():  # keep stock within each site's land
        if u > 0.9 * land_ha[s]:
            shrink = 0.9 * land_ha[s] / u
            for key in [k for k in stock if k[2] == s]:
                stock[key] = round(stock[key] * shrink, 2) or 0.01
    _write_csv(
        directory / "stock.csv",
        ["industry", "function", "site", "capacity", "source"],
        [{"industry": i, "function": f, "site": s, "capacity": e, "source": "generated"}
         for (i, f, s), e in sorted(stock.items())],
    )

    # ------------------------------------------------------ industries, periods
    periods = [2025, 2030, 2035][:n_periods]
    last = periods[-1]
    for _j, ind in enumerate(industries):
        ind["growth"] = uni(0.0, 0.03, 3) if rng.random() < 0.7 else None
        ind["upgrades"] = None
        ind["upgrade_cost"] = None
    with_year = industries[int(rng.integers(0, len(industries)))]
    with_year[f"demand_{last}"] = round(float(with_year["demand"]) * uni(1.0, 1.2, 2), 1)
    for category in ("emerging", "future"):
        ind = next((x for x in industries[1:] if x["category"] == category), None)
        if ind is not None:
            ind["upgrades"] = trad
            ind["upgrade_cost"] = uni(0.5, 5.0, 2)
    _write_csv(
        directory / "industries.csv",
        ind_header + ["growth", f"demand_{last}", "upgrades", "upgrade_cost"],
        industries,
    )
    for f in functions:
        f["retire_cost"] = uni(0.0, 3.0, 2) if rng.random() < 0.7 else None
    _write_csv(directory / "functions.csv", fn_header + ["retire_cost"], functions)

    doc["name"] = f"random-v2-{seed}"
    doc["title"] = f"随机转型场景 {seed}"
    doc["tables"]["stock"] = "stock.csv"
    settings = doc["settings"]
    settings["periods"] = periods
    settings["discount_rate"] = uni(0.0, 0.06, 3)
    settings["transition"] = transition
    settings["transition_lag"] = lag
    weights = settings.get("weights")
    if weights is not None:
        weights.update({"retire": uni(0.5, 1.5, 2), "upgrade": 1})
    rules = [r for r in doc.get("rules", []) if "lock_in" not in r]
    rules.append({"phase_out": {"zone": "center", "category": "traditional", "function": "production",
                                "by": periods[1]}})
    doc["rules"] = rules
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def chance_drop(rng: np.random.Generator, p: float = 0.15) -> bool:
    """Whether to drop a support row from the stock (so some stock chains are incomplete)."""
    return bool(rng.random() < p)
