"""Rebuild the jjj tables from the published figures and the stated assumptions.

Every number used below is either a published figure (with its source in the comment
and in README.md) or an assumption (marked ASSUMPTION, reasoning in README.md).
The chain's coefficients (R&D bulletin figures, land output, floor space, setup costs) and the
functions table's formulas are in ../derive_common.py, shared with scenarios/national and
scenarios/metro.
Run from anywhere: `python scenarios/jjj/derive.py` rewrites tables/*.csv.
Standard library only.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from derive_common import (  # noqa: E402
    CHAIN,
    JJJ_INDUSTRIES,
    TJ_CENTER_INNER_RATIO,
    ZONE_FACTOR,
    jjj_function_rows,
    price,
    short,
    write_v1_table,
)

TABLES = HERE / "tables"

# ---------------------------------------------------------------- published figures
# R&D intensity (R&D / GRP, %), 2023: 2023年全国科技经费投入统计公报, table 1
# (also scenarios/national/sources/provinces_2023.csv).
RD_INTENSITY = {"BJ": 6.73, "TJ": 3.58, "HE": 2.08}

# The industries' R&D intensities and minimum plot ratios are in ../derive_common.py.

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
# The same-month Tianjin sample of the center/inner ratio (2016-03) is in ../derive_common.py.

# Planned land supply, 2023 (ha). Beijing: 研发用地 90 + 工业用地 240 (北京市2023年度建设用地
# 供应计划); Tianjin: 工矿仓储用地 1100 (天津市2023年度国有建设用地供应计划).
LAND_PLAN_HA = {"BJ": 90 + 240, "TJ": 1100}
# Beijing plan: share of supply in 中心城区 about 20 %, in 副中心 + 多点 about 60 %.
ZONE_SHARE = {"center": 0.20, "inner": 0.60, "outer": 0.20}  # outer = remainder

# ---------------------------------------------------------------- assumptions
LAND_PLAN_HA["HE"] = LAND_PLAN_HA["TJ"]  # ASSUMPTION: no Hebei figure found
DEMAND_UNITS = 100.0  # ASSUMPTION: same planned new output for every industry
MAX_HOSTS = {"future": 2, "emerging": 2, "traditional": None}  # ASSUMPTION (policy)

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


def main() -> None:
    """Write tables/*.csv and print the derived figures."""
    TABLES.mkdir(exist_ok=True)
    top = max(RD_INTENSITY.values())

    prices = {s: price(t) for s, t in TRANSACTIONS.items()}
    # ASSUMPTION: Beijing's center/inner price ratio equals Tianjin's same-month ratio.
    prices["BJ-center"] = prices["BJ-inner"] * TJ_CENTER_INNER_RATIO

    write_v1_table(TABLES, "regions",
                   [[rid, name, zh, tier, lon, lat, ad, "", ""] for rid, name, zh, tier, lon, lat, ad in REGIONS])
    write_v1_table(TABLES, "sites",
                   [[sid, reg, zone, short(LAND_PLAN_HA[reg] * ZONE_SHARE[zone], 1), round(prices[sid]), lon, lat, 1,
                     ad, short(RD_INTENSITY[reg] / top * ZONE_FACTOR[zone], 3)]
                    for sid, reg, zone, lon, lat, ad in SITES])
    write_v1_table(TABLES, "industries",
                   [[iid, name, zh, cat, short(DEMAND_UNITS), 0.1, "" if MAX_HOSTS[cat] is None else MAX_HOSTS[cat], ""]
                    for iid, name, zh, cat in JJJ_INDUSTRIES])
    write_v1_table(TABLES, "functions", jjj_function_rows(top))

    print(f"center/inner price ratio (TJ 2016-03) = {TJ_CENTER_INNER_RATIO:.3f}")
    print(f"FTE per unit = {CHAIN.fte_per_unit:.1f}; experimental share = {CHAIN.experimental_share:.5f}; "
          f"research per experimental = {CHAIN.research_per_experimental:.5f}")
    print(f"a_rd = {CHAIN.land_per_unit_rd:.4f} ha/unit; "
          f"linkage_cost tau = {CHAIN.linkage_tau:.3f} (10k yuan per unit per km)")
    for s in prices:
        print(f"  {s}: {prices[s]:.0f} yuan/m2")


if __name__ == "__main__":
    main()
