"""Shared builder of the metro scenarios (scenarios/metro/beijing, scenarios/metro/shanghai).

Each city's derive.py holds that city's figures (land total and split, land-price
samples, R&D intensity) and calls `build()`. Everything that is not city-specific is
taken over from scenarios/jjj so the metro scenarios stay consistent with it:

* the industries and the functions table (support ratios, land per unit, capability
  requirements, setup costs, minimum scales) are recomputed here with jjj's formulas and
  constants and checked against scenarios/jjj/tables/functions.csv (`check_jjj`);
* the capability rule (region R&D intensity / strongest province's 6.73 % x zone factor
  1 / 0.5 / 0.25) and the center price rule (inner price x Tianjin's 2016-03
  center/inner ratio) are jjj's.

Geometry: districts and rings come from planner.geodata (geodata/districts.geojson and
geodata/rings.csv). Site point = centroid of the district polygon (WGS84 lon/lat,
planar centroid in degrees, which is inside every one of the 32 polygons), rounded to
4 decimals (about 10 m). Area = geodesic area of the polygon on the WGS84 ellipsoid
(pyproj.Geod), km2, used only to split land between districts.

Standard library + planner.geodata (geopandas, shapely) + pyproj. Deterministic.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
JJJ_FUNCTIONS = HERE.parent / "jjj" / "tables" / "functions.csv"

# ---------------------------------------------------------------- taken over from jjj
# (scenarios/jjj/derive.py and README.md; sources there)
# R&D intensity of the strongest province (Beijing, 2023, %), the capability normaliser:
# 2023年全国科技经费投入统计公报, table 1 (scenarios/national/sources/provinces_2023.csv).
TOP_RD_INTENSITY = 6.73
TIER_THRESHOLD_PCT = {"I": 4.0, "II": 3.0, "III": 2.0}  # seed 002, section 二(二)
RD_BASIC, RD_APPLIED, RD_EXPERIMENTAL = 2259.1, 3661.5, 27436.5  # 2023 bulletin, 亿元
RD_PER_FTE_WAN = 46.1  # 2023 bulletin, 10k yuan per FTE
INDUSTRY_RD_INTENSITY = {"ai": 2.91, "humanoid": 2.46, "ic": 2.63, "biomed": 3.57,
                         "nev": 1.83, "steel": 0.94}  # 2022 bulletin, 附表1 (%)
MIN_FAR = {"ai": 1.0, "humanoid": 0.7, "ic": 1.0, "biomed": 0.7, "nev": 0.7, "steel": 0.6}
OUTPUT_PER_HA_INDUSTRY_WAN = 12984.94   # 国家级开发区, end of 2011
OUTPUT_PER_HA_HIGHTECH_WAN = 26668.11
# Tianjin, 2016-03, same report: 河东区 (center) and 北辰区 + 西青区 (inner): amount 10k
# yuan, area m2. Ratio of the two prices = jjj's center/inner ratio (ASSUMPTION in jjj).
TJ_2016_CENTER = [(12300, 20195)]
TJ_2016_INNER = [(12352, 253182), (2650, 39905)]

ZONES = ("center", "inner", "outer")
ZONE_FACTOR = {"center": 1.0, "inner": 0.5, "outer": 0.25}  # ASSUMPTION (jjj)
GFA_PER_FTE_RD_M2, FAR_RD = 50.0, 2.0  # ASSUMPTION (jjj)
GFA_PER_FTE_PILOT_M2 = 100.0  # ASSUMPTION (jjj)
DEMAND_UNITS_JJJ = 100.0  # ASSUMPTION (jjj): 100 亿元/yr of new output per industry in jjj
# GDP 2023 (亿元), column gdp2023_secondary_yi of scenarios/national/sources/provinces_2023.csv: preliminary
# values from a secondary source, consistent with the 2023 R&D bulletin (an estimate; see
# scenarios/national/sources/README.md). Used only to scale jjj's demand to one city (README "Industries").
GDP_2023_YI = {"北京": 43760.7, "天津": 16737.3, "河北": 43944.1, "上海": 47218.7}
GDP_JJJ_YI = GDP_2023_YI["北京"] + GDP_2023_YI["天津"] + GDP_2023_YI["河北"]


def city_demand(city_zh: str) -> float:
    """ASSUMPTION: a metro's new output per industry = jjj's 100 units x the city's GDP /
    the GDP of 京津冀 (2023), i.e. new capacity in proportion to the size of the economy."""
    return DEMAND_UNITS_JJJ * GDP_2023_YI[city_zh] / GDP_JJJ_YI
OVERCAPACITY = 0.1  # docs/model.md default
MIN_SCALE_PRODUCTION = 10.0  # ASSUMPTION (jjj)
SETUP_WAN = {"rd": 1000.0, "pilot": 1000.0, "production": 5000.0}  # ASSUMPTION (jjj)
RD_TIER = {"future": "I", "emerging": "II", "traditional": "III"}
PILOT_TIER = {"future": "II", "emerging": "III", "traditional": None}

INDUSTRIES = [  # as jjj
    ("ai", "Artificial intelligence", "人工智能", "future"),
    ("humanoid", "Humanoid robots", "人形机器人", "future"),
    ("ic", "Integrated circuits", "集成电路", "emerging"),
    ("biomed", "Biomedicine", "生物医药", "emerging"),
    ("nev", "New-energy vehicles", "新能源汽车", "emerging"),
    ("steel", "Iron and steel", "钢铁", "traditional"),
]

# ---------------------------------------------------------------- metro assumptions
# ASSUMPTION (policy reading, README "Industries"): with districts as regions, a future or
# emerging industry may be hosted by at most 3 districts: one per function of the chain
# (研发 / 中试 / 量产), which is what the seed's 中心研发—近郊中试—外围量产 needs; a
# fourth district would duplicate a function (重复建设). Steel is unrestricted, as in jjj.
MAX_HOSTS = {"future": 3, "emerging": 3, "traditional": None}


def price(sample: list[tuple[float, float]]) -> float:
    """yuan per m2 from [(amount 10k yuan, area m2), ...]: sum amount / sum area."""
    return sum(a for a, _ in sample) / sum(m for _, m in sample) * 10000.0


TJ_CENTER_INNER_RATIO = price(TJ_2016_CENTER) / price(TJ_2016_INNER)


def r(x: float, nd: int = 4) -> str:
    return f"{round(x, nd):g}"


def district_table(city: str) -> list[dict]:
    """Districts of `city` from planner.geodata, with ring, area (km2) and centroid."""
    from pyproj import Geod

    import planner.geodata as geodata

    geod = Geod(ellps="WGS84")
    rings = geodata.rings()
    rings = {row.adcode: row for row in rings.itertuples()}
    out = []
    for row in geodata.districts(city).sort_values("adcode").itertuples():
        geom = row.geometry
        c = geom.centroid
        assert geom.contains(c), row.name_zh  # holds for all 32 districts
        area_km2 = abs(geod.geometry_area_perimeter(geom)[0]) / 1e6
        ring = rings[row.adcode].ring
        assert ring == row.ring and ring in ZONES, (row.name_zh, ring)
        out.append({
            "adcode": row.adcode, "name_zh": row.name_zh, "name": row.name,
            "slug": re.sub(r"[^A-Za-z]", "", row.name.replace(" New Area", "")),
            "ring": ring, "area_km2": area_km2,
            "lon": round(c.x, 4), "lat": round(c.y, 4),
        })
    return out


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def functions_rows() -> list[list]:
    """The functions table, jjj's formulas (see scenarios/jjj/README.md, "Functions")."""
    fte_per_unit = 1e8 / (RD_PER_FTE_WAN * 1e4)
    exp_share = RD_EXPERIMENTAL / (RD_BASIC + RD_APPLIED + RD_EXPERIMENTAL)
    research_per_exp = (RD_BASIC + RD_APPLIED) / RD_EXPERIMENTAL
    a_rd = fte_per_unit * GFA_PER_FTE_RD_M2 / FAR_RD / 1e4
    rows = []
    for iid, _, _, cat in INDUSTRIES:
        a_pilot = fte_per_unit * GFA_PER_FTE_PILOT_M2 / MIN_FAR[iid] / 1e4
        per_ha = OUTPUT_PER_HA_INDUSTRY_WAN if cat == "traditional" else OUTPUT_PER_HA_HIGHTECH_WAN
        a_prod = 1e4 / per_ha
        req_rd = TIER_THRESHOLD_PCT[RD_TIER[cat]] / TOP_RD_INTENSITY
        pt = PILOT_TIER[cat]
        req_pilot = 0.0 if pt is None else TIER_THRESHOLD_PCT[pt] / TOP_RD_INTENSITY
        rho_prod = INDUSTRY_RD_INTENSITY[iid] / 100.0 * exp_share
        rows.append([iid, "rd", r(a_rd), r(SETUP_WAN["rd"]), 0, 0, "", "", "", r(req_rd, 3)])
        rows.append([iid, "pilot", r(a_pilot), r(SETUP_WAN["pilot"]), 0, 0, "",
                     r(research_per_exp, 5), "", r(req_pilot, 3)])
        rows.append([iid, "production", r(a_prod), r(SETUP_WAN["production"]), 0,
                     r(MIN_SCALE_PRODUCTION), "", r(rho_prod, 5), "", 0])
    return rows


FUNCTIONS_HEADER = ["industry", "function", "land_per_unit", "setup_cost", "unit_cost",
                    "min_scale", "max_scale", "support_ratio", "energy_per_unit",
                    "req_research"]


def check_jjj(rows: list[list]) -> None:
    """The functions table must equal jjj's (same industries, same coefficients)."""
    if not JJJ_FUNCTIONS.is_file():
        print("note: scenarios/jjj/tables/functions.csv not found; not compared")
        return
    with open(JJJ_FUNCTIONS, encoding="utf-8") as f:
        jjj = [line.rstrip("\n") for line in f]
    ours = [",".join(FUNCTIONS_HEADER)] + [",".join(str(v) for v in row) for row in rows]
    if ours != jjj:
        raise SystemExit("functions table differs from scenarios/jjj/tables/functions.csv")


def build(*, out_dir: Path, city: str, prefix: str, city_zh: str, tier: str,
          rd_intensity_pct: float, ring_land_ha: dict[str, float] | None,
          total_land_ha: float | None, ring_price: dict[str, float]) -> dict:
    """Write regions/sites/industries/functions CSVs for one metro; return a report.

    Land: if `ring_land_ha` is given, each ring's hectares are split between its
    districts in proportion to district area; otherwise `total_land_ha` is split between
    all districts in proportion to area (ASSUMPTIONS, README "Land available").
    Price: one value per ring (`ring_price`, yuan/m2), the same for every district of the
    ring. Capability: rd_intensity_pct / 6.73 x zone factor, as jjj.
    """
    tables = out_dir / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    demand = city_demand(city_zh)
    districts = district_table(city)
    area_ring = {z: sum(d["area_km2"] for d in districts if d["ring"] == z) for z in ZONES}
    area_all = sum(area_ring.values())
    for d in districts:
        if ring_land_ha is not None:
            d["land_ha"] = ring_land_ha[d["ring"]] * d["area_km2"] / area_ring[d["ring"]]
        else:
            d["land_ha"] = total_land_ha * d["area_km2"] / area_all
        d["land_price"] = ring_price[d["ring"]]
        d["cap_research"] = rd_intensity_pct / TOP_RD_INTENSITY * ZONE_FACTOR[d["ring"]]
        d["id"] = f"{prefix}-{d['slug']}"

    with open(tables / "regions.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "name_zh", "tier", "lon", "lat", "adcode",
                    "energy_budget", "max_new_industries"])
        for d in districts:
            w.writerow([d["id"], d["name"], d["name_zh"], tier, d["lon"], d["lat"],
                        d["adcode"], "", ""])

    with open(tables / "sites.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "region", "zone", "land_ha", "land_price", "lon", "lat",
                    "cost_factor", "adcode", "cap_research"])
        for d in districts:
            w.writerow([d["id"], d["id"], d["ring"], r(d["land_ha"], 1), round(d["land_price"]),
                        d["lon"], d["lat"], 1, d["adcode"], r(d["cap_research"], 3)])

    with open(tables / "industries.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "name_zh", "category", "demand", "overcapacity",
                    "max_hosts", "min_hosts"])
        for iid, name, zh, cat in INDUSTRIES:
            mh = MAX_HOSTS[cat]
            w.writerow([iid, name, zh, cat, r(demand, 1), OVERCAPACITY,
                        "" if mh is None else mh, ""])

    rows = functions_rows()
    check_jjj(rows)
    with open(tables / "functions.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(FUNCTIONS_HEADER)
        w.writerows(rows)

    pts = [(d["lon"], d["lat"]) for d in districts]
    max_km = max(haversine_km(a, b) for a in pts for b in pts)
    return {"districts": districts, "area_ring": area_ring, "max_distance_km": max_km,
            "demand": demand}


def print_report(rep: dict, city_zh: str) -> None:
    print(f"{city_zh}: {len(rep['districts'])} districts; ring areas (km2): "
          + ", ".join(f"{z} {a:.1f}" for z, a in rep["area_ring"].items()))
    print(f"largest distance between two district points: {rep['max_distance_km']:.1f} km")
    print(f"TJ 2016-03 center/inner price ratio: {TJ_CENTER_INNER_RATIO:.4f}")
    print(f"demand per industry: {rep['demand']:.4f} units (100 x GDP {city_zh} / GDP 京津冀)")
    print(f"land total: {sum(d['land_ha'] for d in rep['districts']):.2f} ha")
    for d in rep["districts"]:
        print(f"  {d['id']:<18} {d['name_zh']:<6} {d['ring']:<6} area {d['area_km2']:8.1f} km2"
              f"  land {d['land_ha']:7.1f} ha  price {d['land_price']:8.0f}  cap {d['cap_research']:.3f}"
              f"  ({d['lon']}, {d['lat']})")
