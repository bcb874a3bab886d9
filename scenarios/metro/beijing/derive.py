"""Rebuild the metro-beijing tables (16 districts of Beijing, one site each).

Run from anywhere: `python scenarios/metro/beijing/derive.py` rewrites tables/*.csv from Beijing's
figures below (R&D intensity, the 2023 land supply plan and its ring shares, 2020-02 land prices)
and the rules of ../common.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import common

# ---------------------------------------------------------------- published figures
# R&D intensity of Beijing, 2023 (%): 2023年全国科技经费投入统计公报, table 1
# (scenarios/national/sources/provinces_2023.csv). Tier I by the seed's rule (> 4 %).
RD_INTENSITY_PCT = 6.73
TIER = "I"

# Planned land supply 2023 (ha): 研发用地 90 + 工业用地 240, 《北京市2023年度建设用地供应
# 计划》 (as jjj). Shares of supply in the plan: 中心城区 about 20 %, 副中心 + 多点 about
# 60 %, remainder (生态涵养区) 20 % -- as jjj; applying them to industrial + R&D land is
# jjj's ASSUMPTION. Within a ring, land is split by district area (ASSUMPTION).
LAND_TOTAL_HA = 90 + 240
RING_SHARE = {"center": 0.20, "inner": 0.60, "outer": 0.20}

# Industrial-land transactions, 2020-02 (http://bj.022s.com/land-report/detail/226.html):
# (amount 10k yuan, area m2). 顺义区 is inner, 平谷区 outer (geodata/rings.csv).
SAMPLES_2020_02 = {
    "inner": [(5765, 22991)],   # 顺义区
    "outer": [(2818, 30232)],   # 平谷区
}
# Older report, 2011-03 (http://bj.025b.com/land-report/detail/113.html), NOT used for
# prices (nine years older than the 2020 sample); listed in README for reference:
# 大兴区 (7431, 184235), 顺义区 (82005, 1298426), 怀柔区 (1480, 31161).


def main() -> None:
    # No industrial-land transaction in the 中心城区 (center ring) was found: its price is
    # common.ring_prices's ASSUMPTION (jjj's BJ-center rule).
    ring_price = common.ring_prices(SAMPLES_2020_02)
    rep = common.build(
        out_dir=HERE, city="Beijing", prefix="BJ", city_zh="北京", tier=TIER,
        rd_intensity_pct=RD_INTENSITY_PCT,
        ring_land_ha={z: LAND_TOTAL_HA * s for z, s in RING_SHARE.items()},
        total_land_ha=None, ring_price=ring_price)
    common.print_report(rep, "北京")


if __name__ == "__main__":
    main()
