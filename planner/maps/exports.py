"""The plan for GIS and Excel users: a GeoPackage (:func:`write_geopackage`) and a workbook (:func:`write_workbook`).

``plan.gpkg`` holds three layers in WGS84 (EPSG:4326): ``regions`` (the region's boundary where
:mod:`planner.geodata` has one for its adcode, else its point) with what it hosts, ``sites`` (points) with the
functions and capacities placed there, and ``links`` (lines from the supporting to the supported site).
A run with periods (docs/scenario.md "Version 2") gets the same three layers with a ``period`` column first (one
row per period and region, site or link: the plan of each period) and a fourth, ``transition``: a point per row of
``transition.csv`` at its site (capacity kept, built, retired, converted and in use per period).
``plan.xlsx`` holds one sheet per table of the run folder (the plan's tables, with periods also ``transition`` and
``regions``, then ``inputs/``, with periods also ``inputs_stock``), text cells
written as text (:func:`planner.cells.text_cells_safe`), column titles in English or Chinese
(:mod:`planner.maps.lang`).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point

from planner import geodata
from planner.maps.geometry import region_shapes
from planner.maps.lang import column_title, sheet_title
from planner.maps.periods import REGIONS, TRANSITION, has_periods, load_periods
from planner.maps.rundata import RunData, load_run
from planner.runfolder.format import ASSIGNMENTS, LINKS, SITES
from planner.runfolder.read import read_table
from planner.runfolder.write import write_workbook_sheets
from planner.scenario.schema import FUNCTIONS

LAYERS = ("regions", "sites", "links")
"""The layers of ``plan.gpkg``."""

TRANSITION_LAYER = "transition"
"""The layer of ``plan.gpkg`` of a run with periods that holds ``transition.csv``, a point per row at its site."""

INPUT_TABLES = ("regions", "sites", "industries", "functions", "stock")
"""The tables of ``inputs/`` that become sheets of ``plan.xlsx`` (as ``inputs_<table>``)."""


def _joined(values: pd.Series) -> str:
    """Distinct values in the order met, joined by ``", "``."""
    return ", ".join(dict.fromkeys(str(v) for v in values))


def _hosted_by(run: RunData, key: str) -> pd.DataFrame:
    """Per `key` (``region`` or ``site``) of the plan: industries, functions, capacity in total and per function."""
    plan = run.assignments
    out = pd.DataFrame(index=pd.Index(sorted(set(plan[key])), name=key))
    grouped = plan.groupby(key)
    out["industries"] = grouped["industry"].agg(_joined)
    out["n_industries"] = grouped["industry"].nunique()
    out["functions"] = grouped["function"].agg(lambda f: ", ".join(x for x in FUNCTIONS if x in set(f)))
    out["capacity"] = grouped["capacity"].sum()
    for function in FUNCTIONS:
        out[f"capacity_{function}"] = plan[plan["function"] == function].groupby(key)["capacity"].sum()
    return out


def _with_plan(frame: pd.DataFrame, hosted: pd.DataFrame) -> pd.DataFrame:
    """`frame` (indexed like `hosted`) with the hosted columns; zero and empty where nothing is hosted."""
    out = frame.join(hosted, how="left")
    numbers = [c for c in hosted.columns if c not in ("industries", "functions")]
    out[numbers] = out[numbers].fillna(0.0)
    out["n_industries"] = out["n_industries"].astype(int)
    out[["industries", "functions"]] = out[["industries", "functions"]].fillna("")
    return out


def regions_layer(run: RunData) -> gpd.GeoDataFrame:
    """One row per region of the run: id, names, adcode, what it hosts, and its boundary (else its point)."""
    shapes = region_shapes(run)
    names = [c for c in ("name", "name_zh", "adcode") if c in run.regions.columns]
    frame = _with_plan(run.regions[names].rename_axis("region"), _hosted_by(run, "region"))
    frame.insert(len(names), "shape", ["boundary" if r in shapes.index else "point" for r in frame.index])
    geometry = [shapes.at[r, "geometry"] if r in shapes.index
                else Point(float(run.regions.at[r, "lon"]), float(run.regions.at[r, "lat"])) for r in frame.index]
    return gpd.GeoDataFrame(frame.reset_index(), geometry=geometry, crs=geodata.CRS).to_crs(4326)


def sites_layer(run: RunData) -> gpd.GeoDataFrame:
    """One row per site of the scenario (opened or not): zone, land, functions and capacities placed there."""
    columns = ["region", "zone", "land_ha", "land_used_ha", "share_used"]
    frame = _with_plan(run.sites[columns].rename_axis("site"), _hosted_by(run, "site"))
    frame.insert(len(columns), "opened", frame["n_industries"] > 0)
    geometry = [Point(float(run.sites.at[s, "lon"]), float(run.sites.at[s, "lat"])) for s in frame.index]
    return gpd.GeoDataFrame(frame.reset_index(), geometry=geometry, crs=geodata.CRS).to_crs(4326)


def links_layer(run: RunData) -> gpd.GeoDataFrame:
    """One row per row of ``links.csv``, drawn as a line from ``from_site`` to ``to_site``."""
    links = run.links.reset_index(drop=True)

    def line(a: str, b: str) -> LineString:
        (lat_a, lon_a), (lat_b, lon_b) = run.site_point(a), run.site_point(b)
        return LineString([(lon_a, lat_a), (lon_b, lat_b)])

    geometry = [line(a, b) for a, b in zip(links["from_site"], links["to_site"], strict=False)]
    return gpd.GeoDataFrame(links, geometry=geometry, crs=geodata.CRS).to_crs(4326)


def plan_layers(run: RunData) -> dict[str, gpd.GeoDataFrame]:
    """The layers of ``plan.gpkg`` (:data:`LAYERS`) of one plan."""
    return dict(zip(LAYERS, (regions_layer(run), sites_layer(run), links_layer(run)), strict=True))


def period_layers(run_dir: Path) -> dict[str, gpd.GeoDataFrame]:
    """The layers of ``plan.gpkg`` of a run with periods: :data:`LAYERS` with a ``period`` column (one row per
    period and region, site or link), and ``transition``: a point per row of ``transition.csv`` at its site."""
    periods = load_periods(run_dir)
    frames: dict[str, list[gpd.GeoDataFrame]] = {name: [] for name in LAYERS}
    for period, run in periods.runs.items():
        for name, layer in plan_layers(run).items():
            layer.insert(0, "period", period)
            frames[name].append(layer)
    layers = {name: gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=parts[0].crs)
              for name, parts in frames.items()}
    run = periods.last
    table = periods.transition.reset_index(drop=True)
    geometry = [Point(float(run.sites.at[s, "lon"]), float(run.sites.at[s, "lat"])) for s in table["site"]]
    layers[TRANSITION_LAYER] = gpd.GeoDataFrame(table, geometry=geometry, crs=geodata.CRS).to_crs(4326)
    return layers


def write_geopackage(run_dir: Path, path: Path) -> None:
    """Write the plan of the run folder `run_dir` as the GeoPackage `path` (layers :data:`LAYERS`, EPSG:4326; for a
    run with periods, :func:`period_layers`)."""
    run_dir = Path(run_dir)
    layers = period_layers(run_dir) if has_periods(run_dir) else plan_layers(load_run(run_dir))
    path = Path(path)
    path.unlink(missing_ok=True)
    for name, layer in layers.items():
        layer.to_file(path, layer=name, driver="GPKG", engine="pyogrio")


def workbook_tables(run_dir: Path) -> dict[str, pd.DataFrame]:
    """Sheet name -> table: the plan's tables of the run folder, then the tables of its ``inputs/``, as written."""
    run_dir = Path(run_dir)
    tables = {name.removesuffix(".csv"): read_table(run_dir / name, [])
              for name in (ASSIGNMENTS, LINKS, SITES, TRANSITION, REGIONS) if (run_dir / name).is_file()}
    for name in INPUT_TABLES:
        if (run_dir / "inputs" / f"{name}.csv").is_file():
            tables[f"inputs_{name}"] = read_table(run_dir / "inputs" / f"{name}.csv", [])
    return tables


def write_workbook(run_dir: Path, path: Path, lang: str = "en") -> None:
    """Write the tables of the run folder `run_dir` as the Excel workbook `path`: one sheet per table, column
    titles and sheet names in `lang` (``en``: the CSV's column and file names; ``zh``: Chinese), text cells stored as
    text."""
    tables = workbook_tables(Path(run_dir))
    write_workbook_sheets(Path(path), {sheet_title(name, lang): table.rename(columns=lambda c: column_title(c, lang))
                                       for name, table in tables.items()})


def write_gpkg(path: Path) -> None:
    """Write ``plan.gpkg`` of the run folder `path` lies in (called by ``planner run``)."""
    write_geopackage(Path(path).parent, Path(path))


def write_xlsx(path: Path, lang: str = "en") -> None:
    """Write ``plan.xlsx`` of the run folder `path` lies in (called by ``planner run``), its titles in `lang`."""
    write_workbook(Path(path).parent, Path(path), lang)
