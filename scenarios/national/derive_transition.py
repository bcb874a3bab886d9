"""Derive the national transition scenario (version 2) from the baseline tables and sources/.

Run from anywhere: `python scenarios/national/derive_transition.py` (after `derive.py`) writes
tables/transition/{sites,industries,functions,stock}.csv. It reads the version 1 tables in
tables/ (regions, sites, industries, functions: every number there is explained in README.md)
and adds the existing base (stock), demand growth, upgrade paths, retirement and upgrade costs
and the land the base stands on. Every constant below is SOURCED (document, table, year) or an
ASSUMPTION with its reasoning; README.md ("Transition 2025-2035") repeats them in a table.
Two runs give byte-identical CSVs.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from derive_common import ceil4, fmt, read_csv, write_csv  # noqa: E402  (scenarios/derive_common.py)

TABLES = HERE / "tables"
OUT = TABLES / "transition"
OUT_DIVISIONS = TABLES / "transition-divisions"
SOURCES = HERE / "sources"

# ---------------------------------------------------------------- sourced figures
# sources/division_rd_2022.csv: R&D spending (亿元) and R&D intensity (R&D / operating revenue,
# %) of industrial enterprises above designated size by manufacturing division, 2022:
# 《2022年全国科技经费投入统计公报》 附表1 (NBS/MOST/MOF, 2023-09-18). Operating revenue of a
# division = R&D / intensity (DERIVED; the intensities are rounded to 0.01 %, so a division's
# revenue is known to about +-0.5 % / intensity, e.g. +-2.5 % for C16 at 0.20 %).
# sources/provinces_industry_2023.csv: 中国科技统计年鉴2024 (via github huhuaping/techme): table
# 5-2 high-tech industry (manufacturing) 营业收入 by province 2023 (亿元; national 224,693); R&D
# expenditure by province and type of activity 2023, all performers (万元); table 2-14 R&D of
# industrial enterprises above designated size by province 2023, total and experimental
# development (万元). Pilot stock apportions the industrial enterprises' experimental
# development (试验发展 = 中试, the baseline's mapping); R&D stock apportions all performers'
# basic + applied research (universities and institutes do most of it).
# No province x division table of revenue or value added was found in the material searched
# (the provincial yearbooks' and 中国工业统计年鉴's tables were not available), so every
# traditional row is APPORTIONED: a division's national revenue x the province's share of the
# industrial enterprises' new-product sales revenue 2023 (table 2-23; 341,334 亿元 nationally).
# The key is industrial and sourced, but it weights innovative provinces more than their
# output (new products are a larger share of sales there); GDP, the other key at hand, would
# weight service economies such as 北京 more than their industry.

# ---------------------------------------------------------------- assumptions
# Zone split of every stock row: the version 1 split of new industrial land, 20 % center,
# 60 % inner, 20 % outer (ASSUMPTION, as jjj and the baseline): no zone-level figures of
# existing industry were found, and a neutral split does not build the R&D-center /
# production-outer gradient into the base.
ZONE_SHARE = {"center": 0.20, "inner": 0.60, "outer": 0.20}

# Emerging fields with a stock: high-tech manufacturing (高技术产业(制造业)分类 2017: medicines,
# aerospace, electronics and communication equipment, computers and office equipment, medical
# and measuring instruments, information chemicals) maps to three of the nine strategic
# emerging fields. A province's high-tech revenue is split among them in proportion to the 2022
# revenue of the division each mainly lies in (ASSUMPTION: the sub-sector split by province was
# not found): e_ngit <- C39, e_bio <- C27, e_equip <- C37 (aerospace). The other six emerging
# fields and the six future directions have no separate statistics: their stock is 0 and their
# 2025 demand is the baseline's 100 units (ASSUMPTION, as the baseline).
HIGH_TECH_FIELDS = {"e_ngit": "C39", "e_bio": "C27", "e_equip": "C37"}

# Base year: the stock is the 2022 (divisions) / 2023 (high-tech, R&D) figure, used as the
# 2025 capacity (ASSUMPTION: no 2025 figures yet; the plan's first period starts from it).

# Annual demand growth γ (ASSUMPTIONS anchored on published plans and the seed):
# - emerging 0.12: the strategic emerging industries' share of GDP was about 10 % in 2017
#   (NDRC, gov.cn 2017-07-05) and the 14th five-year plan outline (2021) targets more than
#   17 % by 2025; a share rising x1.7 in 8 years grows 6.9 %/yr faster than GDP, and GDP grows
#   about 5 % (2024 government work report target "5%左右"): 1.069 x 1.05 - 1 = 0.12.
# - future 0.15: no published output forecast for the six directions (工信部联科〔2024〕12号 sets
#   no figure); faster than emerging because they start from nothing.
# - traditional by the seed's note ① group (seed 002, 二(一): the shares of low- and mid-end
#   manufacturing "持续下降", high-end "稳步提升"): low-end -0.02, mid-end 0.0, high-end +0.03.
GROWTH = {"future": 0.15, "emerging": 0.12, "low": -0.02, "mid": 0.0, "high": 0.03}
PERIOD_YEARS = (2025, 2030, 2035)

# Upgrade paths (用新技术改造提升传统产业): the traditional division whose production capacity an
# emerging field can convert in place (ASSUMPTION, stated mapping: the division the field's
# products mostly come from, GB/T 4754-2017 vs 战略性新兴产业分类(2018)).
UPGRADES = {
    "e_ngit": "c39",     # 新一代信息技术 <- 计算机、通信和其他电子设备制造业
    "e_equip": "c35",    # 高端装备制造 <- 专用设备制造业
    "e_mat": "c31",      # 新材料 <- 黑色金属冶炼和压延加工业 (advanced steel materials)
    "e_bio": "c27",      # 生物 <- 医药制造业
    "e_nev": "c36",      # 新能源汽车 <- 汽车制造业
    "e_energy": "c38",   # 新能源 <- 电气机械和器材制造业 (PV, batteries)
    "e_green": "c42",    # 节能环保 <- 废弃资源综合利用业
    "e_digital": "c24",  # 数字创意 <- 文教、工美、体育和娱乐用品制造业
}
UPGRADE_COST = 100.0  # κ, 10k yuan per unit: 1 % of a year's output (ASSUMPTION, as scenarios/transition)
RETIRE_COST = 50.0    # ψ production, 10k yuan per unit: site clearance (ASSUMPTION, as scenarios/transition)

# Land: a site's land = the land its stock stands on + new land for 2025-2035. No sourced
# national industrial-land supply was gathered; the baseline's rule (天津's 2023 supply per unit
# of GDP) gives about 8,300 ha a year nationally, far too little for the growth above at the
# baseline's land intensities (the model has no intensification of standing plants). New land
# = 10 years of the baseline's annual land + NEW_LAND_MARGIN x (national net new land the
# growth needs) shared in proportion to the site's stock land (ASSUMPTION: land is not the
# national bottleneck, but it is where a province's industry is small).
YEARS_OF_SUPPLY = 10
NEW_LAND_MARGIN = 1.5


def division_revenue() -> dict[str, float]:
    """Operating revenue 2022 (亿元) per division id c13..c43 = R&D / intensity."""
    return {row["code"].lower(): float(row["rd_2022_yi"]) / float(row["rd_intensity_2022_pct"]) * 100
            for row in read_csv(SOURCES / "division_rd_2022.csv")}


def province_figures(regions: list[dict]) -> dict[str, dict]:
    """New-product sales, high-tech revenue and R&D per region id (亿元)."""
    ind = {row["province"]: row for row in read_csv(SOURCES / "provinces_industry_2023.csv")}
    out = {}
    for reg in regions:
        zh = reg["name_zh"]
        row = ind[zh]
        out[reg["id"]] = {
            "new_products": float(row["ind_new_product_sales_2023_wan"]) / 1e4,
            "hitech": float(row["hitech_revenue_2023_yi"]),
            "research": (float(row["basic_2023_wan"]) + float(row["applied_2023_wan"])) / 1e4,
            "experimental": float(row["ind_experimental_2023_wan"]) / 1e4,
        }
    return out


def production_stock(regions, industries, prov) -> dict[tuple[str, str], tuple[float, str]]:
    """(industry, region) -> (production capacity, source note), before the zone split."""
    rev = division_revenue()
    key_total = sum(p["new_products"] for p in prov.values())
    ht_share = {f: rev[d.lower()] for f, d in HIGH_TECH_FIELDS.items()}
    ht_total = sum(ht_share.values())
    out = {}
    for ind in industries:
        i = ind["id"]
        for reg in regions:
            p = prov[reg["id"]]
            if ind["category"] == "traditional":
                cap = rev[i] * p["new_products"] / key_total
                note = (f"apportioned: national revenue 2022 of {i.upper()} (2022年科技经费投入统计公报 附表1, "
                        "R&D / intensity) x province's share of industrial new-product sales 2023 "
                        "(中国科技统计年鉴2024 table 2-23); zone 20/60/20")
            elif i in HIGH_TECH_FIELDS:
                cap = p["hitech"] * ht_share[i] / ht_total
                note = ("apportioned: province's high-tech manufacturing 营业收入 2023 "
                        "(中国科技统计年鉴2024 table 5-2) "
                        f"x {HIGH_TECH_FIELDS[i]}'s share of C39+C27+C37 revenue 2022; zone 20/60/20")
            else:
                continue
            out[(i, reg["id"])] = (cap, note)
    return out


def support_stock(prov_rows, funcs, prov, rid) -> tuple[dict, dict, str, str]:
    """Pilot and R&D stock per industry of one region: the provincial totals of industrial
    enterprises' experimental development (pilot) and of all performers' basic + applied research
    (rd), 2023, apportioned over the region's
    industries in proportion to what its standing production needs (support ratio x capacity),
    and topped up to that need where the provincial total is smaller (stated in the source)."""
    need_pilot = {i: cap * funcs[(i, "production")] for i, cap in prov_rows.items()}
    total = sum(need_pilot.values())
    p = prov[rid]
    k_pilot = max(1.0, p["experimental"] / total)
    pilot = {i: v * k_pilot for i, v in need_pilot.items()}
    need_rd = {i: v * funcs[(i, "pilot")] for i, v in pilot.items()}
    k_rd = max(1.0, p["research"] / sum(need_rd.values()))
    rd = {i: v * k_rd for i, v in need_rd.items()}
    how = ("apportioned: province's {what} 2023 (中国科技统计年鉴2024) over its industries in proportion "
           "to the support its standing production needs; zone 20/60/20")
    topped = ("assumption: province's {what} 2023 (中国科技统计年鉴2024) is below what its standing "
              "production needs at the national support ratios; topped up to that need; zone 20/60/20")
    note_pilot = (how if k_pilot > 1.0 else topped).format(
        what="industrial enterprises' experimental development spending (table 2-14)")
    note_rd = (how if k_rd > 1.0 else topped).format(what="basic + applied research spending")
    return pilot, rd, note_pilot, note_rd


def build_stock(regions, industries, funcs, prov, sites) -> list[list]:
    """Stock rows: industry, function, site, capacity, source."""
    prod = production_stock(regions, industries, prov)
    site_of = {(s["region"], s["zone"]): s["id"] for s in sites}
    rows = []
    for reg in regions:
        rid = reg["id"]
        mine = {i: cap for (i, q), (cap, _) in prod.items() if q == rid}
        pilot, rd, note_pilot, note_rd = support_stock(mine, funcs, prov, rid)
        for ind in industries:
            i = ind["id"]
            if i not in mine:
                continue
            for zone, share in ZONE_SHARE.items():
                site = site_of[(rid, zone)]
                q = round(mine[i] * share, 1)
                if q <= 0:  # below 0.05 units (500万元) after the zone split: left out (西藏's smallest divisions)
                    continue
                pq = ceil4(max(pilot[i] * share, q * funcs[(i, "production")]))
                rq = ceil4(max(rd[i] * share, pq * funcs[(i, "pilot")]))
                rows.append([i, "production", site, fmt(q, 1), prod[(i, rid)][1]])
                rows.append([i, "pilot", site, fmt(pq), note_pilot])
                rows.append([i, "rd", site, fmt(rq), note_rd])
    return rows


def group_of(ind: dict) -> str:
    """Growth key: category, or the seed's note ① group for a traditional division."""
    if ind["category"] != "traditional":
        return ind["category"]
    return {"low-end": "low", "mid-end": "mid", "high-end": "high"}[ind["name"].rsplit("(", 1)[1].rstrip(")")]


def demand_by_industry(industries, stock_rows) -> dict[str, float]:
    """2025 demand: the stock's production total, or the baseline's demand where there is none."""
    total: dict[str, float] = {}
    for i, f, _, cap, _ in stock_rows:
        if f == "production":
            total[i] = total.get(i, 0.0) + float(cap)
    return {ind["id"]: round(total.get(ind["id"], float(ind["demand"])), 1) for ind in industries}


def land_by_site(sites, stock_rows, land_per_unit, industries, demand, funcs) -> dict[str, float]:
    """Site land: stock land + 10 years of baseline land + a share of the growth's net land need."""
    stock_land: dict[str, float] = {s["id"]: 0.0 for s in sites}
    for i, f, s, cap, _ in stock_rows:
        stock_land[s] += land_per_unit[(i, f)] * float(cap)
    years = PERIOD_YEARS[-1] - PERIOD_YEARS[0]
    need = 0.0
    for ind in industries:
        i = ind["id"]
        extra = demand[i] * ((1 + GROWTH[group_of(ind)]) ** years - 1)
        pilot = funcs[(i, "production")]
        need += extra * (land_per_unit[(i, "production")] + pilot * land_per_unit[(i, "pilot")]
                         + pilot * funcs[(i, "pilot")] * land_per_unit[(i, "rd")])
    total_stock = sum(stock_land.values())
    share = max(0.0, NEW_LAND_MARGIN * need / total_stock)
    print(f"stock land {total_stock:,.0f} ha; net new land the growth needs {need:,.0f} ha; "
          f"new land = {share:.4f} x stock land + {YEARS_OF_SUPPLY} x baseline land")
    return {s["id"]: stock_land[s["id"]] * (1 + share) + YEARS_OF_SUPPLY * float(s["land_ha"]) for s in sites}


# ---------------------------------------------------------------- the default: divisions grouped
# The division-level model (31 traditional lines) has 282k variables and 46.5k binaries over three
# periods and found no plan within 300 s on the shared 2-core machine; transition.yaml therefore
# plans the traditional divisions as the seed's three groups (note ①: low-, mid-, high-end),
# each the sum of its divisions (ASSUMPTION: a group is one planning line; its coefficients are
# its divisions' revenue-weighted means, so its stock, demand, land and support needs are the
# sums of its divisions'). transition-divisions.yaml keeps the 31 divisions.
GROUP_IDS = {"low": "trad_low", "mid": "trad_mid", "high": "trad_high"}
GROUP_NAMES = {
    "low": ("Traditional manufacturing, low-end (C13-C25)", "传统制造业·低端（C13–C25）"),
    "mid": ("Traditional manufacturing, mid-end (C29-C33, C37, C41-C43)", "传统制造业·中端（C29–C33、C37、C41–C43）"),
    "high": ("Traditional manufacturing, high-end (C26-C28, C34-C36, C38-C40)",
             "传统制造业·高端（C26–C28、C34–C36、C38–C40）"),
}
WEIGHTED = ("land_per_unit", "support_ratio")


def group_key(row_industry: str, category_of: dict[str, str], group_of_id: dict[str, str]) -> str:
    """The grouped industry id of an industry id (a division becomes its group)."""
    return GROUP_IDS[group_of_id[row_industry]] if category_of[row_industry] == "traditional" else row_industry


def grouped_functions(header, rows, members, weights) -> list[list]:
    """Functions of the groups: revenue-weighted means of land per unit and support ratio (pilot land
    weighted by pilot need), the divisions' common values elsewhere."""
    col = {k: n for n, k in enumerate(header)}
    by = {(row[0], row[1]): row for row in rows}
    out = []
    for g, divs in members.items():
        for f in ("rd", "pilot", "production"):
            row = list(by[(divs[0], f)])
            row[0] = g
            for k in WEIGHTED:
                w = {d: weights[d] * (float(by[(d, "production")][col["support_ratio"]]) if f != "production" else 1)
                     for d in divs}
                vals = {d: float(by[(d, f)][col[k]] or 0) for d in divs}
                if by[(divs[0], f)][col[k]] != "":
                    mean = sum(w[d] * vals[d] for d in divs) / sum(w.values())
                    # support ratios rounded down, so the summed support stock always covers the group's need
                    row[col[k]] = fmt(math.floor(mean * 1e5) / 1e5 if k == "support_ratio" else mean, 5)
            out.append(row)
    return out


def grouped(tables) -> dict[str, tuple[list[str], list[list]]]:
    """The tables with the traditional divisions summed into the seed's three groups."""
    ih, irows = tables["industries"]
    ic = {k: n for n, k in enumerate(ih)}
    category_of = {row[0]: row[ic["category"]] for row in irows}
    group_of_id = {row[0]: group_of(dict(zip(ih, row, strict=True))) for row in irows}
    members: dict[str, list[str]] = {}
    for row in irows:
        if category_of[row[0]] == "traditional":
            members.setdefault(GROUP_IDS[group_of_id[row[0]]], []).append(row[0])
    weights = {row[0]: float(row[ic["demand"]]) for row in irows}
    new_irows = [row for row in irows if category_of[row[0]] != "traditional"]
    for row in new_irows:
        if row[ic["upgrades"]]:
            row[ic["upgrades"]] = group_key(row[ic["upgrades"]], category_of, group_of_id)
    for gid, (en, zh) in ((GROUP_IDS[k], GROUP_NAMES[k]) for k in GROUP_IDS):
        first = next(row for row in irows if row[0] == members[gid][0])
        row = list(first)
        row[0], row[ic["name"]], row[ic["name_zh"]] = gid, en, zh
        row[ic["demand"]] = fmt(sum(weights[d] for d in members[gid]), 1)
        new_irows.append(row)
    sums: dict[tuple[str, str, str], float] = {}
    for i, f, site, cap, _ in tables["stock"][1]:
        key = (group_key(i, category_of, group_of_id), f, site)
        sums[key] = sums.get(key, 0.0) + float(cap)
    stock = []
    for (i, f, site), cap in sums.items():
        if i in members:
            note = (f"sum of the rows of divisions {members[i][0].upper()}-{members[i][-1].upper()} at this site in "
                    "tables/transition-divisions/stock.csv (apportioned there; see its source column)")
        else:
            note = next(row[4] for row in tables["stock"][1] if row[0] == i and row[1] == f and row[2] == site)
        stock.append([i, f, site, fmt(cap, 4), note])
    fh, frows = tables["functions"]
    new_frows = [row for row in frows if category_of[row[0]] != "traditional"]
    new_frows += grouped_functions(fh, [row for row in frows if category_of[row[0]] == "traditional"], members, weights)
    return {"stock": (tables["stock"][0], stock), "sites": tables["sites"], "industries": (ih, new_irows),
            "functions": (fh, new_frows)}


def build_tables(regions, sites, industries, functions, prov) -> dict[str, tuple[list[str], list[list]]]:
    """The four tables (header, rows) of the division-level transition."""
    funcs = {(f["industry"], f["function"]): float(f["support_ratio"] or 0) for f in functions}
    land_per_unit = {(f["industry"], f["function"]): float(f["land_per_unit"]) for f in functions}
    stock = build_stock(regions, industries, funcs, prov, sites)
    demand = demand_by_industry(industries, stock)
    land = land_by_site(sites, stock, land_per_unit, industries, demand, funcs)
    tables = {"stock": (["industry", "function", "site", "capacity", "source"], stock)}
    header = list(sites[0].keys())
    tables["sites"] = (header, [[fmt(land[s["id"]], 1) if k == "land_ha" else s[k] for k in header] for s in sites])
    header = list(industries[0].keys()) + ["growth", "upgrades", "upgrade_cost"]
    rows = []
    for ind in industries:
        up = UPGRADES.get(ind["id"], "")
        base = [fmt(demand[ind["id"]], 1) if k == "demand" else ind[k] for k in industries[0]]
        rows.append(base + [fmt(GROWTH[group_of(ind)]), up, fmt(UPGRADE_COST) if up else ""])
    tables["industries"] = (header, rows)
    header = list(functions[0].keys()) + ["retire_cost"]
    tables["functions"] = (header, [[f[k] for k in functions[0]]
                                    + [fmt(RETIRE_COST) if f["function"] == "production" else ""] for f in functions])
    return tables


def main() -> None:
    """Rebuild tables/transition-divisions/*.csv (31 divisions) and tables/transition/*.csv (3 groups)."""
    regions = read_csv(TABLES / "regions.csv")
    sites = read_csv(TABLES / "sites.csv")
    industries = read_csv(TABLES / "industries.csv")
    functions = read_csv(TABLES / "functions.csv")
    prov = province_figures(regions)
    tables = build_tables(regions, sites, industries, functions, prov)
    OUT_DIVISIONS.mkdir(exist_ok=True)
    for name, (header, rows) in tables.items():
        write_csv(OUT_DIVISIONS / f"{name}.csv", header, rows)
    report(regions, tables["stock"][1], prov)
    OUT.mkdir(exist_ok=True)
    for name, (header, rows) in grouped(tables).items():
        write_csv(OUT / f"{name}.csv", header, rows)


def report(regions, stock, prov) -> None:
    """Print the totals README.md quotes and which provinces' support stock was topped up."""
    prod = sum(float(c) for _, f, _, c, _ in stock if f == "production")
    print(f"stock rows {len(stock)}; production capacity {prod:,.1f} units (亿元/yr)")
    topped = sorted({s.split("-")[0] for _, f, s, _, src in stock if f == "pilot" and src.startswith("assumption")})
    print("pilot stock topped up in:", ", ".join(topped) or "none")
    topped = sorted({s.split("-")[0] for _, f, s, _, src in stock if f == "rd" and src.startswith("assumption")})
    print("rd stock topped up in:", ", ".join(topped) or "none")


if __name__ == "__main__":
    main()
