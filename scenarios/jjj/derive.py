"""Rebuild the jjj tables from the published figures and the stated assumptions.

Every number used below is either a published figure (with its source in the comment
and in README.md) or an assumption (marked ASSUMPTION, reasoning in README.md).
Run from anywhere: `python scenarios/jjj/derive.py` rewrites tables/*.csv.
Standard library only.
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLES = HERE / "tables"

# ---------------------------------------------------------------- published figures
# R&D intensity (R&D / GRP, %), 2023: 2023年全国科技经费投入统计公报, table 1
# (also scenarios/national/sources/provinces_2023.csv).
RD_INTENSITY = {"BJ": 6.73, "TJ": 3.58, "HE": 2.08}

# Technology tiers of the seed (002_981feb63f948a864.txt, section 二(二)): R&D intensity
# thresholds of tier I (> 4 %), II (> 3 %), III (> 2 %).
TIER_THRESHOLD_PCT = {"I": 4.0, "II": 3.0, "III": 2.0}

# 2023 R&D by type of activity (100 million yuan), 2023 bulletin, section 一.
RD_BASIC, RD_APPLIED, RD_EXPERIMENTAL, RD_TOTAL = 2259.1, 3661.5, 27436.5, 33357.1
# R&D expenditure per full-time-equivalent R&D person, 2023 (10k yuan), 2023 bulletin.
RD_PER_FTE_WAN = 46.1

# R&D intensity of industries (R&D / operating revenue, %), 规模以上工业企业, 2022:
# 2022年全国科技经费投入统计公报, 附表1; ai uses 高技术制造业 (same bulletin, text).
INDUSTRY_RD_INTENSITY = {
    "ai": 2.91,        # 高技术制造业 (proxy: no AI division in GB/T 4754)
    "humanoid": 2.46,  # C34 通用设备制造业 (industrial robots are C3491)
    "ic": 2.63,        # C39 计算机、通信和其他电子设备制造业
    "biomed": 3.57,    # C27 医药制造业
    "nev": 1.83,       # C36 汽车制造业
    "steel": 0.94,     # C31 黑色金属冶炼和压延加工业
}

# Minimum plot ratio (容积率) by industry, 《工业项目建设用地控制指标》 容积率控制指标 table
# (industry names of GB/T 4754-2002: 通信设备、计算机及其他电子设备 >= 1.0, 通用设备 >= 0.7,
# 医药 >= 0.7, 交通运输设备 >= 0.7, 黑色金属冶炼 >= 0.6).
MIN_FAR = {"ai": 1.0, "humanoid": 0.7, "ic": 1.0, "biomed": 0.7, "nev": 0.7, "steel": 0.6}

# Land output intensity of national development zones, end of 2011 (10k yuan of revenue
# per ha): all industrial land 12984.94, high-tech industry land 26668.11
# (国土资源部, 国家级开发区土地集约利用评价).
OUTPUT_PER_HA_INDUSTRY_WAN = 12984.94
OUTPUT_PER_HA_HIGHTECH_WAN = 26668.11

# Industrial land transactions (amount in 10k yuan, area in m2) from monthly land-market
# reports; price = amount / area * 10000 (yuan per m2). See README for URLs.
TRANSACTIONS = {
    "BJ-inner": [(5765, 22991)],                                   # 顺义区 2020-02
    "BJ-outer": [(2818, 30232)],                                   # 平谷区 2020-02
    "TJ-center": [(12300, 20195)],                                 # 河东区 2016-03
    "TJ-inner": [(11810, 116370), (2131, 27527)],                  # 西青区, 北辰区 2021-09
    "TJ-outer": [(7647, 166273), (1600, 28741), (1115, 29330)],    # 宁河, 静海, 蓟州 2021-09
    "HE-center": [(655, 7290), (619, 18096)],                      # 石家庄 裕华区 2012-04, 桥东区 2012-08
    "HE-inner": [(5677, 69468)],                                   # 廊坊 三河市 2020-02
    "HE-outer": [(7986, 351097), (7170, 265802), (15664, 857892), (1850, 84978),
                 (4329, 192369), (2623, 133237), (1766, 102649), (199, 8275)],
    # 沧州 泊头, 东光, 海兴, 河间, 孟村, 肃宁, 盐山, 南皮 2021-03
}
# Same-month Tianjin sample used for the center/inner ratio (2016-03): 河东区 (center)
# and 北辰区 + 西青区 (inner).
TJ_2016_CENTER = [(12300, 20195)]
TJ_2016_INNER = [(12352, 253182), (2650, 39905)]

# Planned land supply, 2023 (ha). Beijing: 研发用地 90 + 工业用地 240 (北京市2023年度建设用地
# 供应计划); Tianjin: 工矿仓储用地 1100 (天津市2023年度国有建设用地供应计划).
LAND_PLAN_HA = {"BJ": 90 + 240, "TJ": 1100}
# Beijing plan: share of supply in 中心城区 about 20 %, in 副中心 + 多点 about 60 %.
ZONE_SHARE = {"center": 0.20, "inner": 0.60, "outer": 0.20}  # outer = remainder

# ---------------------------------------------------------------- assumptions
ZONE_FACTOR = {"center": 1.0, "inner": 0.5, "outer": 0.25}  # ASSUMPTION: halves per ring
LAND_PLAN_HA["HE"] = LAND_PLAN_HA["TJ"]  # ASSUMPTION: no Hebei figure found
GFA_PER_FTE_RD_M2, FAR_RD = 50.0, 2.0  # ASSUMPTION: R&D floor space and plot ratio
GFA_PER_FTE_PILOT_M2 = 100.0  # ASSUMPTION: pilot lines need more floor space per person
DEMAND_UNITS = 100.0  # ASSUMPTION: same planned new output for every industry
MIN_SCALE_PRODUCTION = 10.0  # ASSUMPTION
SETUP_WAN = {"rd": 1000.0, "pilot": 1000.0, "production": 5000.0}  # ASSUMPTION
MAX_HOSTS = {"future": 2, "emerging": 2, "traditional": None}  # ASSUMPTION (policy)
TRIPS_PER_FTE_YEAR, FARE_YUAN_PER_KM, HORIZON_YEARS = 12, 0.5, 10  # ASSUMPTION (linkage)

REGIONS = [
    # id, name, name_zh, tier, lon, lat, adcode
    ("BJ", "Beijing", "北京", "I", 116.4074, 39.9042, "110000"),
    ("TJ", "Tianjin", "天津", "II", 117.2008, 39.0842, "120000"),
    ("HE", "Hebei", "河北", "IV", 114.5149, 38.0428, "130000"),
]
SITES = [
    # id, region, zone, lon, lat, adcode (approximate district / county seat)
    ("BJ-center", "BJ", "center", 116.2981, 39.9593, "110108"),  # 海淀区
    ("BJ-inner", "BJ", "inner", 116.6546, 40.1302, "110113"),    # 顺义区
    ("BJ-outer", "BJ", "outer", 117.1213, 40.1406, "110117"),    # 平谷区
    ("TJ-center", "TJ", "center", 117.2519, 39.1283, "120102"),  # 河东区
    ("TJ-inner", "TJ", "inner", 117.0088, 39.1416, "120111"),    # 西青区
    ("TJ-outer", "TJ", "outer", 117.8262, 39.3305, "120117"),    # 宁河区
    ("HE-center", "HE", "center", 114.5313, 38.0060, "130108"),  # 石家庄 裕华区
    ("HE-inner", "HE", "inner", 117.0782, 39.9827, "131082"),    # 廊坊 三河市
    ("HE-outer", "HE", "outer", 116.5785, 38.0838, "130981"),    # 沧州 泊头市
]
INDUSTRIES = [
    ("ai", "Artificial intelligence", "人工智能", "future"),
    ("humanoid", "Humanoid robots", "人形机器人", "future"),
    ("ic", "Integrated circuits", "集成电路", "emerging"),
    ("biomed", "Biomedicine", "生物医药", "emerging"),
    ("nev", "New-energy vehicles", "新能源汽车", "emerging"),
    ("steel", "Iron and steel", "钢铁", "traditional"),
]
# R&D requirement by category = the seed's tier threshold (as a share of the strongest
# region's intensity); pilot one tier lower; production none.
RD_TIER = {"future": "I", "emerging": "II", "traditional": "III"}
PILOT_TIER = {"future": "II", "emerging": "III", "traditional": None}


def price(sample: list[tuple[float, float]]) -> float:
    amount = sum(a for a, _ in sample)
    area = sum(m for _, m in sample)
    return amount / area * 10000.0


def r(x: float, nd: int = 4) -> str:
    return f"{round(x, nd):g}"


def main() -> None:
    TABLES.mkdir(exist_ok=True)
    top = max(RD_INTENSITY.values())

    prices = {s: price(t) for s, t in TRANSACTIONS.items()}
    # ASSUMPTION: Beijing's center/inner price ratio equals Tianjin's same-month ratio.
    ratio = price(TJ_2016_CENTER) / price(TJ_2016_INNER)
    prices["BJ-center"] = prices["BJ-inner"] * ratio

    with open(TABLES / "regions.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "name_zh", "tier", "lon", "lat", "adcode",
                    "energy_budget", "max_new_industries"])
        for rid, name, zh, tier, lon, lat, ad in REGIONS:
            w.writerow([rid, name, zh, tier, lon, lat, ad, "", ""])

    with open(TABLES / "sites.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "region", "zone", "land_ha", "land_price", "lon", "lat",
                    "cost_factor", "adcode", "cap_research"])
        for sid, reg, zone, lon, lat, ad in SITES:
            land = LAND_PLAN_HA[reg] * ZONE_SHARE[zone]
            cap = RD_INTENSITY[reg] / top * ZONE_FACTOR[zone]
            w.writerow([sid, reg, zone, r(land, 1), round(prices[sid]), lon, lat, 1, ad, r(cap, 3)])

    with open(TABLES / "industries.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "name_zh", "category", "demand", "overcapacity",
                    "max_hosts", "min_hosts"])
        for iid, name, zh, cat in INDUSTRIES:
            mh = MAX_HOSTS[cat]
            w.writerow([iid, name, zh, cat, r(DEMAND_UNITS), 0.1, "" if mh is None else mh, ""])

    fte_per_unit = 1e8 / (RD_PER_FTE_WAN * 1e4)  # persons per 100 million yuan a year
    exp_share = RD_EXPERIMENTAL / (RD_BASIC + RD_APPLIED + RD_EXPERIMENTAL)
    research_per_exp = (RD_BASIC + RD_APPLIED) / RD_EXPERIMENTAL
    a_rd = fte_per_unit * GFA_PER_FTE_RD_M2 / FAR_RD / 1e4
    with open(TABLES / "functions.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["industry", "function", "land_per_unit", "setup_cost", "unit_cost",
                    "min_scale", "max_scale", "support_ratio", "energy_per_unit",
                    "req_research"])
        for iid, _, _, cat in INDUSTRIES:
            a_pilot = fte_per_unit * GFA_PER_FTE_PILOT_M2 / MIN_FAR[iid] / 1e4
            per_ha = OUTPUT_PER_HA_INDUSTRY_WAN if cat == "traditional" else OUTPUT_PER_HA_HIGHTECH_WAN
            a_prod = 1e4 / per_ha  # ha per 100 million yuan of output
            req_rd = TIER_THRESHOLD_PCT[RD_TIER[cat]] / top
            pt = PILOT_TIER[cat]
            req_pilot = 0.0 if pt is None else TIER_THRESHOLD_PCT[pt] / top
            rho_prod = INDUSTRY_RD_INTENSITY[iid] / 100.0 * exp_share
            w.writerow([iid, "rd", r(a_rd), r(SETUP_WAN["rd"]), 0, 0, "", "", "", r(req_rd, 3)])
            w.writerow([iid, "pilot", r(a_pilot), r(SETUP_WAN["pilot"]), 0, 0, "",
                        r(research_per_exp, 5), "", r(req_pilot, 3)])
            w.writerow([iid, "production", r(a_prod), r(SETUP_WAN["production"]), 0,
                        r(MIN_SCALE_PRODUCTION), "", r(rho_prod, 5), "", 0])

    tau = fte_per_unit * TRIPS_PER_FTE_YEAR * 2 * FARE_YUAN_PER_KM * HORIZON_YEARS / 1e4
    print(f"center/inner price ratio (TJ 2016-03) = {ratio:.3f}")
    print(f"FTE per unit = {fte_per_unit:.1f}; experimental share = {exp_share:.5f}; "
          f"research per experimental = {research_per_exp:.5f}")
    print(f"a_rd = {a_rd:.4f} ha/unit; linkage_cost tau = {tau:.3f} (10k yuan per unit per km)")
    for s in prices:
        print(f"  {s}: {prices[s]:.0f} yuan/m2")


if __name__ == "__main__":
    main()
