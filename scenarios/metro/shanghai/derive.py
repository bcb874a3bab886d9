"""Rebuild the metro-shanghai tables (16 districts of Shanghai, one site each).

`python scenarios/metro/shanghai/derive.py` (from anywhere) rewrites tables/*.csv from Shanghai's R&D
intensity, its 2022 land transactions, the 2017-06 land prices below and the rules of ../common.py."""

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
    # No industrial-land transaction in the 中心城 (center ring) was found: its price is
    # common.ring_prices's ASSUMPTION (jjj's BJ-center rule).
    ring_price = common.ring_prices(SAMPLES_2017_06)
    rep = common.build(
        out_dir=HERE, city="Shanghai", prefix="SH", city_zh="上海", tier=TIER,
        rd_intensity_pct=RD_INTENSITY_PCT, ring_land_ha=None,
        total_land_ha=LAND_TOTAL_HA, ring_price=ring_price)
    common.print_report(rep, "上海")


if __name__ == "__main__":
    main()
