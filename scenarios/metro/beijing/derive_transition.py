"""Rebuild the tables of metro-beijing-transition (version 2: stock, periods, 疏解非首都功能).

Run from anywhere: `python scenarios/metro/beijing/derive_transition.py` writes
tables/stock.csv, tables/sites_v2.csv, tables/industries_v2.csv and tables/functions_v2.csv
from the version 1 tables next to them (tables/sites.csv, industries.csv, functions.csv,
rebuilt by derive.py) and the figures below. Every figure is published (source in the
comment and in README_transition.md) or an ASSUMPTION (reasoning in README_transition.md).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from derive_common import ceil4, fmt, read_csv, write_csv  # noqa: E402  (scenarios/derive_common.py)

TABLES = HERE / "tables"

# ---------------------------------------------------------------- published figures
# 规模以上工业总产值 (current prices, 10k yuan) by district, January-May 2017:
# 北京市统计局, monthly table "规模以上工业总产值(按区划分)", 2017年1-5月,
# http://www.bjstats.gov.cn/tjsj/yjdsj/gy/2017/201706/t20170615_376406.html
# (column "2017年1-5月"; "在地" basis: the legal person's place of business).
# 北京经济技术开发区 (亦庄) is listed on its own; it lies in 大兴区's polygon, so it is added
# to 大兴 here. "其他" (12,142,999: grid companies 国家电网, 国网冀北电力, accounted by the
# city statistics bureau, not located in a district) is left out of the stock.
CITY_TOTAL_2017_JAN_MAY = 68_630_320
OTHER_NOT_LOCATED = 12_142_999
DISTRICT_OUTPUT_2017_JAN_MAY = {
    "BJ-Dongcheng": 664_382,
    "BJ-Xicheng": 4_520_063,
    "BJ-Chaoyang": 2_779_208,
    "BJ-Fengtai": 1_105_567,
    "BJ-Shijingshan": 944_807,
    "BJ-Haidian": 6_432_309,
    "BJ-Fangshan": 4_519_926,
    "BJ-Tongzhou": 2_355_877,
    "BJ-Shunyi": 8_419_496,
    "BJ-Changping": 3_915_846,
    "BJ-Daxing": 2_621_683 + 13_123_685,  # 大兴区 + 北京经济技术开发区
    "BJ-Mentougou": 359_337,
    "BJ-Huairou": 2_386_237,
    "BJ-Pinggu": 736_845,
    "BJ-Miyun": 1_315_056,
    "BJ-Yanqing": 286_998,
}
SOURCE_STOCK = ("北京市统计局 规模以上工业总产值(按区划分) 2017年1-5月, "
                "bjstats.gov.cn/tjsj/yjdsj/gy/2017/201706/t20170615_376406.html; "
                "x 12/5 to a year (assumption) and / 10,000 to 亿元")

# ---------------------------------------------------------------- assumptions
ANNUALISE = 12 / 5            # ASSUMPTION: January-May output x 12/5 = one year (no seasonality)
WAN_PER_UNIT = 10_000         # 1 unit = 1 亿元 per year = 10,000 万元 (the scenario's unit, jjj)
MFG = "mfg"                   # the existing base: all divisions together (no district x division table)
MFG_ROW = ["mfg", "Existing industry (above designated size)", "现有规上工业", "traditional"]
# Functions of mfg: jjj's only traditional industry (steel) rows (ASSUMPTION: the land and
# support ratios of steel stand for the existing base; no figures for the whole base were found).
MFG_FUNCTIONS_FROM = "steel"
DROPPED = "steel"             # 2014 list: no new steel in Beijing (README_transition.md, rule 1)
GROWTH = {"future": 0.10, "emerging": 0.05}      # ASSUMPTION (as scenarios/transition)
RETIRE_COST_PRODUCTION = 50.0                    # ASSUMPTION (as scenarios/transition)
PERIODS = (2025, 2030, 2035)                     # ASSUMPTION (as scenarios/transition)


def max_scales(industries: list[dict], periods: tuple[int, ...], functions: dict) -> dict[tuple[str, str], float]:
    """A max scale that never binds: no site holds more of a function than the whole chain needs in
    the last period, (1 + overcapacity) x the largest demand x the support ratios (rounded up).
    With stock land on the sites, land / land_per_unit would otherwise be the upper bound of
    constraint 1 and the relaxation of the setup decisions would be very weak."""
    out = {}
    for r in industries:
        years = periods[-1] - periods[0]
        growth = float(r.get("growth") or 0)
        top = float(r["demand"]) * (1 + growth) ** years * (1 + float(r["overcapacity"]))
        pilot = top * float(functions[(r["id"], "production")]["support_ratio"])
        rd = pilot * float(functions[(r["id"], "pilot")]["support_ratio"])
        for fn, value in (("production", top), ("pilot", pilot), ("rd", rd)):
            out[(r["id"], fn)] = math.ceil(value * 100) / 100
    return out


def stock_rows(functions: dict[tuple[str, str], dict]) -> list[list]:
    """Production of mfg per district (sourced), plus the pilot and R&D that support it."""
    pilot_ratio = float(functions[(MFG_FUNCTIONS_FROM, "production")]["support_ratio"])
    rd_ratio = float(functions[(MFG_FUNCTIONS_FROM, "pilot")]["support_ratio"])
    rows = []
    for site, wan in DISTRICT_OUTPUT_2017_JAN_MAY.items():
        prod = round(wan * ANNUALISE / WAN_PER_UNIT, 1)
        pilot = ceil4(prod * pilot_ratio)
        rd = ceil4(pilot * rd_ratio)
        rows.append([MFG, "production", site, fmt(prod), SOURCE_STOCK])
        note = "support of the standing production by jjj's support ratios (README_transition.md, Stock)"
        rows.append([MFG, "pilot", site, fmt(pilot), note])
        rows.append([MFG, "rd", site, fmt(rd), note])
    return rows


def stock_land(stock: list[list], functions: dict[tuple[str, str], dict]) -> dict[str, float]:
    """Land (ha) the stock stands on, per site."""
    land: dict[str, float] = {}
    for _ind, fn, site, cap, _src in stock:
        a = float(functions[(MFG_FUNCTIONS_FROM, fn)]["land_per_unit"])
        land[site] = land.get(site, 0.0) + a * float(cap)
    return land


def main() -> None:
    # The published rows add up to the published total within the table's rounding (1 万元).
    assert abs(sum(DISTRICT_OUTPUT_2017_JAN_MAY.values()) + OTHER_NOT_LOCATED - CITY_TOTAL_2017_JAN_MAY) <= 2
    functions = {(r["industry"], r["function"]): r for r in read_csv(TABLES / "functions.csv")}
    stock = stock_rows(functions)
    write_csv(TABLES / "stock.csv", ["industry", "function", "site", "capacity", "source"], stock)

    # Sites: version 1 land (new supply) + the land the stock stands on (ASSUMPTION: the
    # standing plants keep their plots; the 2023 supply plan adds the version 1 land).
    land = stock_land(stock, functions)
    sites = read_csv(TABLES / "sites.csv")
    header = list(sites[0])
    rows = []
    for s in sites:
        s["land_ha"] = fmt(float(s["land_ha"]) + ceil4(land[s["id"]]))
        rows.append([s[h] for h in header])
    write_csv(TABLES / "sites_v2.csv", header, rows)

    # Industries: the five new ones (growth), mfg (demand falls by what the phase-out
    # removes from the center), steel dropped.
    prod = {r[2]: float(r[3]) for r in stock if r[1] == "production"}
    center = {s["id"] for s in sites if s["zone"] == "center"}
    total = round(sum(prod.values()), 1)
    kept = round(sum(v for k, v in prod.items() if k not in center), 1)
    # No upgrade path: mfg's demand equals its standing capacity outside the center and no new
    # mfg may be built, so no mfg production could be converted (README_transition.md).
    ind_header = ["id", "name", "name_zh", "category", "demand", "overcapacity", "max_hosts",
                  "min_hosts", "growth", "demand_2030", "demand_2035"]
    ind_rows = []
    for r in read_csv(TABLES / "industries.csv"):
        if r["id"] == DROPPED:
            continue
        ind_rows.append([r["id"], r["name"], r["name_zh"], r["category"], r["demand"], r["overcapacity"],
                         r["max_hosts"], r["min_hosts"], GROWTH[r["category"]], "", ""])
    ind_rows.append([*MFG_ROW, fmt(total), "0.1", "", "", "", fmt(kept), fmt(kept)])
    write_csv(TABLES / "industries_v2.csv", ind_header, ind_rows)

    # Functions: version 1 rows (steel dropped) + mfg (steel's rows), retire cost on production.
    fn_rows = read_csv(TABLES / "functions.csv")
    fn_header = [*fn_rows[0].keys(), "retire_cost"]
    new = [r for r in read_csv(TABLES / "industries.csv") if r["id"] != DROPPED]
    for r in new:
        r["growth"] = GROWTH[r["category"]]
    caps = max_scales(new, PERIODS, {(r["industry"], r["function"]): r for r in fn_rows})
    out = []
    for r in fn_rows:
        if r["industry"] == DROPPED:
            continue
        r = dict(r, max_scale=fmt(caps[(r["industry"], r["function"])]))
        out.append([*r.values(), fmt(RETIRE_COST_PRODUCTION) if r["function"] == "production" else ""])
    for r in fn_rows:
        if r["industry"] == MFG_FUNCTIONS_FROM:
            row = dict(r, industry=MFG)
            out.append([*row.values(), fmt(RETIRE_COST_PRODUCTION) if r["function"] == "production" else ""])
    write_csv(TABLES / "functions_v2.csv", fn_header, out)

    print(f"stock production {total} units (亿元/yr) in 16 districts; outside the center {kept}")
    for s in sites:
        print(f"  {s['id']:<16} {s['zone']:<6} production {prod[s['id']]:>8} stock land {land[s['id']]:>9.1f} ha")


if __name__ == "__main__":
    main()
