"""Boundaries of a run's regions and metro districts, joined from :mod:`planner.geodata` by adcode."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import pandas as pd

from planner import geodata
from planner.maps.rundata import RunData


@lru_cache(maxsize=1)
def _boundaries() -> gpd.GeoDataFrame:
    """Provinces and district-level units in one frame, indexed by adcode."""
    prov = geodata.provinces().assign(level="province", ring="", city="")
    dist = geodata.districts()
    both = pd.concat([prov, dist[prov.columns]], ignore_index=True)
    return gpd.GeoDataFrame(both, geometry="geometry", crs=geodata.CRS).drop_duplicates("adcode").set_index("adcode")


NATIONAL_MIN_PROVINCES = 5
"""Provincial-level regions (adcode ``xx0000`` with a boundary) that make a run's map a map of China."""

NATIONAL_FRAME: list[list[float]] = [[16.5, 72.5], [54.5, 136.5]]
"""[[south, west], [north, east]] of a static map of China: the whole territory but the South China Sea
islands, which go to the inset (:data:`SOUTH_CHINA_SEA_FRAME`)."""

SOUTH_CHINA_SEA_FRAME: list[list[float]] = [[2.5, 106.0], [25.0, 123.5]]
"""[[south, west], [north, east]] of the South China Sea inset (南海诸岛): the islands down to 曾母暗沙
(3.8 N) and every dash of the line, Taiwan's south included."""

CHINA_BOUNDS: list[list[float]] = [[3.0, 73.0], [54.0, 135.5]]
"""[[south, west], [north, east]] an interactive map of China opens on: every provincial-level unit,
the South China Sea islands and the dashed line."""

METRO_MIN_SHARE = 0.5
"""Share of a scenario's sites that must lie in districts of its metro cities for a metro view."""

METRO_MAX_CITIES = 2
"""Most cities a metro view shows (those with the most sites in their districts)."""


@lru_cache(maxsize=1)
def _districts() -> gpd.GeoDataFrame:
    return geodata.districts().set_index("adcode")


def boundaries() -> gpd.GeoDataFrame:
    """Every boundary :mod:`planner.geodata` has (provinces, districts, Hebei cities), by adcode."""
    return _boundaries().copy()


def region_shapes(run: RunData) -> gpd.GeoDataFrame:
    """The regions whose ``adcode`` has a boundary: region id index, ``adcode`` and ``geometry``."""
    bounds = _boundaries()
    rows = [(rid, code) for rid, code in run.regions["adcode"].items() if code in bounds.index] \
        if "adcode" in run.regions else []
    frame = pd.DataFrame(rows, columns=["region", "adcode"]).set_index("region")
    return gpd.GeoDataFrame(frame, geometry=[bounds.at[c, "geometry"] for c in frame["adcode"]], crs=geodata.CRS)


def national_view(run: RunData) -> bool:
    """Whether the run's maps are maps of China (the standard map: every provincial-level unit, the
    dashed line, the South China Sea inset on static maps).

    True when at least :data:`NATIONAL_MIN_PROVINCES` regions are provincial-level units
    (adcode ``xx0000``) with a boundary in :mod:`planner.geodata`.
    """
    shapes = region_shapes(run)
    return int(shapes["adcode"].astype(str).str.endswith("0000").sum()) >= NATIONAL_MIN_PROVINCES


def outside_provinces(run: RunData) -> gpd.GeoDataFrame:
    """The provincial-level units that are not regions of the run (drawn grey, not shaded by the plan).

    Indexed by adcode, with ``name_zh``, ``name`` and ``geometry``; a province whose districts or
    cities are the run's regions counts as inside.
    """
    codes = set(region_shapes(run)["adcode"].astype(str))
    inside = {c[:2] + "0000" for c in codes}
    provinces = _provinces()
    return provinces[~provinces.index.isin(inside)].copy()


@lru_cache(maxsize=1)
def _provinces() -> gpd.GeoDataFrame:
    return geodata.provinces().set_index("adcode")


def dash_lines() -> gpd.GeoDataFrame:
    """The dashes of the South China Sea line (:func:`planner.geodata.nine_dash_line`)."""
    return _dash_lines().copy()


@lru_cache(maxsize=1)
def _dash_lines() -> gpd.GeoDataFrame:
    return geodata.nine_dash_line()


def region_points(run: RunData) -> list[str]:
    """Regions drawn as points: no ``adcode``, or one without a boundary."""
    shaped = set(region_shapes(run).index)
    return [r for r in run.regions.index if r not in shaped]


@dataclass(frozen=True)
class MetroView:
    """District-level units of the cities whose districts host sites."""

    units: gpd.GeoDataFrame
    """``districts()`` rows to draw, indexed by adcode (``name_zh``, ``name``, ``ring``, ``city``, geometry)."""
    site_unit: dict[str, str]
    """Site id -> adcode of the unit it lies in."""


def _unit_of(code: str | float | None, units: pd.DataFrame) -> str | None:
    """The district-level unit of an adcode: itself, else (Hebei) its prefecture-level city."""
    if not isinstance(code, str) or not code:
        return None  # empty cell: None, or NaN once pandas stores the column as strings
    if code in units.index:
        return code
    city = code[:4] + "00"
    if city in units.index and units.at[city, "level"] == "city":
        return city
    return None


def metro_view(run: RunData) -> MetroView | None:
    """The metro view of a run whose sites carry district adcodes, else None.

    A site belongs to the unit of its ``adcode`` in :func:`planner.geodata.districts`; a
    county code of Hebei, which has only its prefecture-level cities there, falls back to
    its city (``130981`` -> ``130900``). Every unit of each city hosting a site is drawn.
    """
    if "adcode" not in run.sites:
        return None
    units = _districts()
    site_unit = {s: u for s, c in run.sites["adcode"].items() if (u := _unit_of(c, units))}
    if not site_unit:
        return None
    cities = {units.at[u, "city"] for u in site_unit.values()}
    return MetroView(units=units[units["city"].isin(cities)].copy(), site_unit=site_unit)


def metro_cities(run: RunData, view: MetroView | None = None) -> list[str]:
    """Adcodes of the cities of a metro scenario, or ``[]`` when it is not one (no metro panel or layer).

    A scenario is a metro scenario when at least :data:`METRO_MIN_SHARE` of its sites lie in
    districts (``level == "district"`` in :func:`planner.geodata.districts`) of at most
    :data:`METRO_MAX_CITIES` cities; those cities are returned. A few district sites among
    many provinces (a national scenario) do not make a metro panel, and a site whose code only
    falls back to a whole prefecture-level city (Hebei) does not count as a district.
    """
    view = metro_view(run) if view is None else view
    if view is None or not len(run.sites):
        return []
    per_city = Counter(str(view.units.at[u, "city"]) for u in view.site_unit.values()
                       if view.units.at[u, "level"] == "district")
    top = per_city.most_common(METRO_MAX_CITIES)
    if not top or sum(n for _, n in top) < METRO_MIN_SHARE * len(run.sites):
        return []
    return sorted(city for city, _ in top)


SHAPE_MARGIN = 0.05
"""Degrees a view leaves around the regions' shapes it must show whole."""


def regions_are_districts(run: RunData) -> bool:
    """Whether each region's sites lie in one district of the metro view, as when a metro scenario's regions are
    its districts (not so in jjj, whose provinces hold sites in several districts)."""
    view = metro_view(run)
    if view is None:
        return False
    units: dict[str, set[str]] = defaultdict(set)
    for site, unit in view.site_unit.items():
        units[str(run.sites.at[site, "region"])].add(unit)
    return bool(units) and all(len(held) == 1 for held in units.values())


def view_bounds(run: RunData, margin: float = 0.3) -> list[list[float]]:
    """[[south, west], [north, east]] around the sites and region points, in degrees; where the regions are the
    metro's districts (`regions_are_districts`), around their shapes too, which reach further out than their
    points (Beijing's outer districts)."""
    lats = [*run.sites["lat"], *run.regions["lat"]]
    lons = [*run.sites["lon"], *run.regions["lon"]]
    (south, west), (north, east) = (min(lats) - margin, min(lons) - margin), (max(lats) + margin, max(lons) + margin)
    if regions_are_districts(run) and len(shapes := region_shapes(run)):
        left, bottom, right, top = shapes.total_bounds
        south, west = min(south, bottom - SHAPE_MARGIN), min(west, left - SHAPE_MARGIN)
        north, east = max(north, top + SHAPE_MARGIN), max(east, right + SHAPE_MARGIN)
    return [[south, west], [north, east]]
