"""Rebuild the tables of jjj-transition (version 2 of the jjj baseline: stock, periods, 疏解非首都功能).

Run from anywhere: `python scenarios/jjj/derive_transition.py` writes tables/transition/{sites,
industries,functions,stock}.csv from

* jjj's version 1 tables (tables/*.csv, every number explained in README.md),
* the national transition's stock rows of 北京, 天津 and 河北 (scenarios/national/tables/
  transition-divisions/stock.csv: every row there is sourced or apportioned, its `source` says
  which), and
* Beijing's district output of 2017 (scenarios/metro/beijing/tables/stock.csv and sites_v2.csv,
  北京市统计局), which splits Beijing's rows over its three zones.

Every constant below is SOURCED (document, table, year) or an ASSUMPTION with its reasoning;
README.md ("Version 2: from today's base") repeats them. Two runs give byte-identical CSVs.
Standard library only.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from derive_common import ceil4, fmt, read_csv, write_csv  # noqa: E402  (scenarios/derive_common.py)

TABLES = HERE / "tables"
OUT = TABLES / "transition"
NATIONAL_STOCK = HERE.parent / "national" / "tables" / "transition-divisions" / "stock.csv"
BEIJING = HERE.parent / "metro" / "beijing" / "tables"

# ---------------------------------------------------------------- the stock's mapping
# jjj industry <- national transition industry whose rows of BJ/TJ/HE are taken (ASSUMPTION,
# the proxies of jjj's README "Industries"): ic <- e_ngit (high-tech manufacturing 营业收入 2023
# x C39's share; integrated circuits are part of C39, so this is the whole electronic-information
# base, not IC alone); biomed <- e_bio (same, x C27 医药制造业's share); steel <- c31 (黑色金属冶炼
# 和压延加工业, national revenue 2022 x the province's share of new-product sales 2023).
# ai, humanoid and nev have no stock, as the national transition's future directions and e_nev:
# they have no separate statistics (their output today is inside the divisions' figures).
FROM_NATIONAL = {"ic": "e_ngit", "biomed": "e_bio", "steel": "c31"}
# 北京 has no steel: the 2014 工业污染行业退出目录 required its listed capacity (钢铁 among its
# eleven categories) to exit by the end of 2017 (SOURCED, as
# scenarios/metro/beijing/README_transition.md); the national rows of c31 in 北京 are apportioned
# by new-product sales and are left out.
DROPPED = {("steel", "BJ")}
# Beijing's zones: its rows (national: 20/60/20) are re-split by the share of Beijing's 2017
# industrial output in the districts of each zone (metro-beijing's zones, geodata/rings.csv:
# center = 城六区, inner = the plain new towns, outer = the ecological conservation districts).
# SOURCED output; applying an output share to pilot and R&D too is an ASSUMPTION (no district
# figures of either by industry).
BEIJING_REGION = "BJ"

# ---------------------------------------------------------------- demand, costs (national's)
# Annual growth γ as the national transition (scenarios/national/derive_transition.py, GROWTH):
# future 0.15, emerging 0.12 (anchored on the 14th five-year plan's share target), steel = C31,
# a mid-end division: 0.0. ASSUMPTIONS there, repeated here.
GROWTH = {"ai": 0.15, "humanoid": 0.15, "ic": 0.12, "biomed": 0.12, "nev": 0.12, "steel": 0.0}
PERIOD_YEARS = (2025, 2030, 2035)
RETIRE_COST = 50.0   # ψ production, 10k yuan per unit: the national transition's (ASSUMPTION there)
# No upgrade path: the national mapping converts c31 into e_mat (new materials), which jjj does
# not have; none of jjj's emerging industries upgrades steel (ASSUMPTION: the national mapping).

# Land: as the national transition: stock land + 10 years of the version 1 (annual) land +
# NEW_LAND_MARGIN x the net new land jjj's growth needs, shared in proportion to stock land.
YEARS_OF_SUPPLY = 10
NEW_LAND_MARGIN = 1.5


def beijing_zone_shares() -> dict[str, float]:
    """Share of Beijing's 2017 district output (metro-beijing's production stock) per zone."""
    zone = {s["id"]: s["zone"] for s in read_csv(BEIJING / "sites_v2.csv")}
    out: dict[str, float] = {}
    for row in read_csv(BEIJING / "stock.csv"):
        if row["function"] == "production":
            out[zone[row["site"]]] = out.get(zone[row["site"]], 0.0) + float(row["capacity"])
    total = sum(out.values())
    return {z: v / total for z, v in sorted(out.items())}


def national_rows(sites: dict[str, dict]) -> list[dict]:
    """The national transition's stock rows at jjj's sites, for the mapped industries."""
    back = {v: k for k, v in FROM_NATIONAL.items()}
    rows = []
    for row in read_csv(NATIONAL_STOCK):
        if row["site"] in sites and row["industry"] in back:
            region = sites[row["site"]]["region"]
            if (back[row["industry"]], region) not in DROPPED:
                rows.append({**row, "jjj": back[row["industry"]], "region": region})
    return rows


def beijing_rows(rows: list[dict], sites: dict[str, dict], ratio: dict) -> list[list]:
    """Beijing's rows: the national province total per (industry, function), split by zone shares."""
    shares = beijing_zone_shares()
    totals: dict[tuple[str, str], float] = {}
    national: dict[tuple[str, str], str] = {}
    for row in rows:
        if row["region"] == BEIJING_REGION:
            key = (row["jjj"], row["function"])
            totals[key] = totals.get(key, 0.0) + float(row["capacity"])
            national[key] = row["industry"]
    share_text = ", ".join(f"{z} {shares[z]:.4f}" for z in ("center", "inner", "outer"))
    out = []
    for site_id, site in sites.items():
        if site["region"] != BEIJING_REGION:
            continue
        share = shares[site["zone"]]
        for i in dict.fromkeys(k[0] for k in totals):
            prod = round(totals[(i, "production")] * share, 1)
            pilot = ceil4(max(totals[(i, "pilot")] * share, ratio[(i, "production")] * prod))
            rd = ceil4(max(totals[(i, "rd")] * share, ratio[(i, "pilot")] * pilot))
            for f, cap in (("production", prod), ("pilot", pilot), ("rd", rd)):
                source = (f"national transition's 北京 {national[(i, f)]} {f} (scenarios/national/tables/"
                          f"transition-divisions/stock.csv, apportioned there: see its source column) summed "
                          f"over 北京's three sites = {fmt(totals[(i, f)])}, x this zone's share of 北京's 2017 "
                          f"district industrial output (北京市统计局, as scenarios/metro/beijing/tables/stock.csv; "
                          f"{share_text}); apportioned")
                out.append([i, f, site_id, fmt(cap), source])
    return out


def other_rows(rows: list[dict]) -> list[list]:
    """天津's and 河北's rows: the national transition's, unchanged (zone split 20/60/20 there)."""
    out = []
    for row in rows:
        if row["region"] != BEIJING_REGION:
            source = (f"national transition's {row['industry']} {row['function']} row at this site "
                      f"(scenarios/national/tables/transition-divisions/stock.csv), unchanged: {row['source']}")
            out.append([row["jjj"], row["function"], row["site"], row["capacity"], source])
    return out


def stock_table(sites: dict[str, dict], ratio: dict) -> list[list]:
    """Every stock row of jjj-transition, in jjj's industry and site order."""
    rows = national_rows(sites)
    table = beijing_rows(rows, sites, ratio) + other_rows(rows)
    order_i = {i: n for n, i in enumerate(FROM_NATIONAL)}
    order_s = {s: n for n, s in enumerate(sites)}
    order_f = {"production": 0, "pilot": 1, "rd": 2}
    return sorted(table, key=lambda t: (order_i[t[0]], order_s[t[2]], order_f[t[1]]))


def demand_2025(industries: list[dict], stock: list[list]) -> dict[str, float]:
    """2025 demand: the production stock where there is one, else jjj's baseline demand."""
    total: dict[str, float] = {}
    for i, f, _, cap, _ in stock:
        if f == "production":
            total[i] = total.get(i, 0.0) + float(cap)
    return {ind["id"]: round(total.get(ind["id"], float(ind["demand"])), 1) for ind in industries}


def land_by_site(sites: dict[str, dict], stock: list[list], funcs: dict, demand: dict[str, float]) -> dict:
    """Site land: stock land x (1 + share of the growth's net land need) + 10 years of jjj's land."""
    stock_land = {s: 0.0 for s in sites}
    for i, f, s, cap, _ in stock:
        stock_land[s] += funcs[(i, f)]["land"] * float(cap)
    years = PERIOD_YEARS[-1] - PERIOD_YEARS[0]
    need = 0.0
    for i, d in demand.items():
        extra = d * ((1 + GROWTH[i]) ** years - 1)
        pilot = funcs[(i, "production")]["ratio"]
        need += extra * (funcs[(i, "production")]["land"] + pilot * funcs[(i, "pilot")]["land"]
                         + pilot * funcs[(i, "pilot")]["ratio"] * funcs[(i, "rd")]["land"])
    share = NEW_LAND_MARGIN * need / sum(stock_land.values())
    print(f"stock land {sum(stock_land.values()):,.1f} ha; net new land the growth needs {need:,.1f} ha; "
          f"new land = {share:.4f} x stock land + {YEARS_OF_SUPPLY} x jjj's annual land")
    return {s: stock_land[s] * (1 + share) + YEARS_OF_SUPPLY * float(site["land_ha"]) for s, site in sites.items()}


def write_industries(industries: list[dict], demand: dict[str, float]) -> None:
    """industries.csv: jjj's rows, 2025 demand from the stock, national growth rates."""
    header = [*industries[0].keys(), "growth"]
    rows = [[fmt(demand[ind["id"]], 1) if k == "demand" else ind[k] for k in header[:-1]] + [fmt(GROWTH[ind["id"]])]
            for ind in industries]
    write_csv(OUT / "industries.csv", header, rows)


def write_functions(functions: list[dict]) -> None:
    """functions.csv: jjj's rows with the national transition's retirement cost on production."""
    header = [*functions[0].keys(), "retire_cost"]
    rows = [[f[k] for k in header[:-1]] + [fmt(RETIRE_COST) if f["function"] == "production" else ""]
            for f in functions]
    write_csv(OUT / "functions.csv", header, rows)


def main() -> None:
    """Rebuild tables/transition/*.csv."""
    OUT.mkdir(exist_ok=True)
    sites = {s["id"]: s for s in read_csv(TABLES / "sites.csv")}
    industries = read_csv(TABLES / "industries.csv")
    functions = read_csv(TABLES / "functions.csv")
    funcs = {(f["industry"], f["function"]): {"land": float(f["land_per_unit"]),
                                              "ratio": float(f["support_ratio"] or 0)} for f in functions}
    ratio = {k: v["ratio"] for k, v in funcs.items()}
    stock = stock_table(sites, ratio)
    write_csv(OUT / "stock.csv", ["industry", "function", "site", "capacity", "source"], stock)
    demand = demand_2025(industries, stock)
    write_industries(industries, demand)
    write_functions(functions)
    land = land_by_site(sites, stock, funcs, demand)
    header = list(next(iter(sites.values())).keys())
    write_csv(OUT / "sites.csv", header,
          [[fmt(land[s], 1) if k == "land_ha" else site[k] for k in header] for s, site in sites.items()])
    for i, d in demand.items():
        print(f"{i}: demand 2025 {d:,.1f}, 2035 {d * (1 + GROWTH[i]) ** 10:,.1f}")


if __name__ == "__main__":
    main()
