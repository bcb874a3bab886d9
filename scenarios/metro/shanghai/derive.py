"""Rebuild the metro-shanghai tables (16 districts of Shanghai, one site each).

Run from anywhere: `python scenarios/metro/shanghai/derive.py` rewrites tables/*.csv.
Every figure is either published (source in the comment and in README.md) or an
ASSUMPTION (reasoning in README.md). Shared rules (industries, functions, capability,
center-price rule) are in ../common.py and are those of scenarios/jjj.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import common

# ---------------------------------------------------------------- published figures
# R&D intensity of Shanghai, 2023 (%): 2023年全国科技经费投入统计公报, table 1
# (scenarios/national/sources/provinces_2023.csv). Tier I by the seed's rule (> 4 %).
RD_INTENSITY_PCT = 4.34
TIER = "I"

# Land transacted in 2022 (ha): 工业用地 585.55 + 科研设计用地 134.25 (the counterparts of
# Beijing's 工业用地 + 研发用地); 仓储用地 54.82 left out. Source: 《上海市2022年产业用地
# 出让情况分析》, http://sh-cfw.com/index.php/post/8466.html (third-party summary of the
# year's transactions). No 2023 Shanghai supply plan figure was found, so a year of actual
# transactions stands in for a year of planned supply (ASSUMPTION).
LAND_TOTAL_HA = 585.55 + 134.25
# Split between districts: by district area over the whole city (ASSUMPTION; no ring
# shares of Shanghai's supply were found, and Beijing's 20/60/20 contradicts Shanghai's
# transaction reports, where 崇明, 临港 (浦东) and 松江 lead; README "Land available").

# Industrial-land transactions, 2017-06 (http://sh.022s.com/land-report/detail/1066.html):
# (amount 10k yuan, area m2). Rings from geodata/rings.csv.
SAMPLES_2017_06 = {
    "inner": [(3560, 18612)],                                # 闵行区
    "outer": [(5566, 68171), (3166, 22409), (1660, 12883)],  # 奉贤区, 青浦区, 松江区
}


def main() -> None:
    ring_price = {z: common.price(s) for z, s in SAMPLES_2017_06.items()}
    # ASSUMPTION (jjj's BJ-center rule): no industrial-land transaction in 中心城 was found;
    # center = inner x Tianjin's same-month center/inner ratio (2016-03).
    ring_price["center"] = ring_price["inner"] * common.TJ_CENTER_INNER_RATIO
    rep = common.build(
        out_dir=HERE, city="Shanghai", prefix="SH", city_zh="上海", tier=TIER,
        rd_intensity_pct=RD_INTENSITY_PCT, ring_land_ha=None,
        total_land_ha=LAND_TOTAL_HA, ring_price=ring_price)
    common.print_report(rep, "上海")


if __name__ == "__main__":
    main()
