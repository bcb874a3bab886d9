"""Shared builder of the metro scenarios (scenarios/metro/beijing, scenarios/metro/shanghai).

Each city's derive.py holds that city's figures (land total and split, land-price
samples, R&D intensity), each either published (source in the comment and in the city's
README.md) or an ASSUMPTION (reasoning in README.md), and calls `build()`. Everything that
is not city-specific is taken over from scenarios/jjj so the metro scenarios stay
consistent with it:

* the industries and the functions table (support ratios, land per unit, capability
  requirements, setup costs, minimum scales) are recomputed with jjj's formulas and
  constants (../derive_common.py) and checked against scenarios/jjj/tables/functions.csv
  (`check_jjj`);
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

import math
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from derive_common import (  # noqa: E402
    JJJ_INDUSTRIES,
    TJ_CENTER_INNER_RATIO,
    V1_COLUMNS,
    ZONE_FACTOR,
    ZONES,
    jjj_function_rows,
    price,
    short,
    write_v1_table,
)

JJJ_FUNCTIONS = HERE.parent / "jjj" / "tables" / "functions.csv"

# ---------------------------------------------------------------- taken over from jjj
# (scenarios/jjj/derive.py and README.md; sources there; the chain's coefficients are in
# ../derive_common.py)
# R&D intensity of the strongest province (Beijing, 2023, %), the capability normaliser:
# 2023年全国科技经费投入统计公报, table 1 (scenarios/national/sources/provinces_2023.csv).
TOP_RD_INTENSITY = 6.73
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

# ---------------------------------------------------------------- metro assumptions
# ASSUMPTION (policy reading, README "Industries"): with districts as regions, a future or
# emerging industry may be hosted by at most 3 districts: one per function of the chain
# (研发 / 中试 / 量产), which is what the seed's 中心研发—近郊中试—外围量产 needs; a
# fourth district would duplicate a function (重复建设). Steel is unrestricted, as in jjj.
MAX_HOSTS = {"future": 3, "emerging": 3, "traditional": None}


def ring_prices(samples: dict[str, list[tuple[float, float]]]) -> dict[str, float]:
    """Land price (yuan/m2) per ring from a city's transaction samples of its inner and outer rings.

    ASSUMPTION (jjj's BJ-center rule): no industrial-land transaction was found in the center
    ring; center = inner x Tianjin's same-month center/inner ratio (2016-03).
    """
    prices = {z: price(s) for z, s in samples.items()}
    prices["center"] = prices["inner"] * TJ_CENTER_INNER_RATIO
    return prices


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


def check_jjj(rows: list[list]) -> None:
    """The functions table must equal jjj's (same industries, same coefficients)."""
    if not JJJ_FUNCTIONS.is_file():
        print("note: scenarios/jjj/tables/functions.csv not found; not compared")
        return
    with open(JJJ_FUNCTIONS, encoding="utf-8") as f:
        jjj = [line.rstrip("\n") for line in f]
    ours = [",".join(V1_COLUMNS["functions"])] + [",".join(str(v) for v in row) for row in rows]
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

    write_v1_table(tables, "regions",
                   [[d["id"], d["name"], d["name_zh"], tier, d["lon"], d["lat"], d["adcode"], "", ""]
                    for d in districts])
    write_v1_table(tables, "sites",
                   [[d["id"], d["id"], d["ring"], short(d["land_ha"], 1), round(d["land_price"]), d["lon"], d["lat"],
                     1, d["adcode"], short(d["cap_research"], 3)] for d in districts])
    write_v1_table(tables, "industries",
                   [[iid, name, zh, cat, short(demand, 1), OVERCAPACITY,
                     "" if MAX_HOSTS[cat] is None else MAX_HOSTS[cat], ""] for iid, name, zh, cat in JJJ_INDUSTRIES])
    rows = jjj_function_rows(TOP_RD_INTENSITY)
    check_jjj(rows)
    write_v1_table(tables, "functions", rows)

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
