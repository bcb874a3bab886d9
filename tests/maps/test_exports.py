"""plan.gpkg and plan.xlsx of a run folder (issue 19, item 5): read back with geopandas and openpyxl and compared
row by row with the run folder's CSV files."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point
from typer.testing import CliRunner

from planner.cells import as_written
from planner.cli import app
from planner.maps.lang import COLUMNS_ZH, SHEETS_ZH

runner = CliRunner()


def _csv(path: Path) -> pd.DataFrame:
    return as_written(pd.read_csv(path))


def _sheet(path: Path, name: str) -> pd.DataFrame:
    rows = list(openpyxl.load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_every_run_folder_holds_the_geopackage_and_the_workbook(any_run: Path) -> None:
    assert (any_run / "plan.gpkg").is_file() and (any_run / "plan.xlsx").is_file()
    layers = {name: kind for name, kind in pyogrio.list_layers(any_run / "plan.gpkg")}
    assert list(layers) == ["regions", "sites", "links"]
    assert layers["sites"] == "Point" and layers["links"] == "LineString"


def test_sites_layer_holds_each_site_with_what_it_hosts(any_run: Path) -> None:
    sites = gpd.read_file(any_run / "plan.gpkg", layer="sites")
    assert sites.crs.to_epsg() == 4326
    scenario_sites = _csv(any_run / "inputs" / "sites.csv")
    assert sites["site"].tolist() == scenario_sites["id"].astype(str).tolist()
    plan = _csv(any_run / "assignments.csv")
    placed = plan.groupby("site")["capacity"].sum()
    for row, source in zip(sites.itertuples(), scenario_sites.itertuples(), strict=False):
        assert (row.geometry.x, row.geometry.y) == pytest.approx((source.lon, source.lat), abs=1e-9)
        assert row.capacity == pytest.approx(placed.get(row.site, 0.0), rel=1e-12, abs=1e-12)
        assert row.opened == (row.site in placed.index)
        mine = plan[plan["site"] == row.site]
        assert row.capacity_rd == pytest.approx(mine.loc[mine["function"] == "rd", "capacity"].sum(), abs=1e-12)
        assert set(filter(None, row.functions.split(", "))) == set(mine["function"])
        assert set(filter(None, row.industries.split(", "))) == set(mine["industry"].astype(str))
    used = _csv(any_run / "sites.csv").set_index("site")
    assert sites.set_index("site")["land_used_ha"].to_dict() == pytest.approx(used["land_used_ha"].to_dict())


def test_links_layer_draws_each_link_between_its_sites(any_run: Path) -> None:
    links = gpd.read_file(any_run / "plan.gpkg", layer="links")
    expected = _csv(any_run / "links.csv")
    assert len(links) == len(expected) > 0
    columns = ["industry", "function", "from_site", "to_site"]
    assert links[columns].astype(str).values.tolist() == expected[columns].astype(str).values.tolist()
    assert links["amount"].tolist() == pytest.approx(expected["amount"].tolist())
    at = _csv(any_run / "inputs" / "sites.csv").set_index("id")
    for line, a, b in zip(links.geometry, expected["from_site"], expected["to_site"], strict=False):
        ends = [c for point in line.coords for c in point]
        assert ends == pytest.approx([at.at[a, "lon"], at.at[a, "lat"], at.at[b, "lon"], at.at[b, "lat"]])


def test_regions_layer_has_boundaries_and_what_each_region_hosts(any_run: Path) -> None:
    regions = gpd.read_file(any_run / "plan.gpkg", layer="regions")
    assert regions.crs.to_epsg() == 4326
    source = _csv(any_run / "inputs" / "regions.csv")
    assert regions["region"].tolist() == source["id"].astype(str).tolist()
    plan = _csv(any_run / "assignments.csv")
    hosted = plan.groupby("region")["industry"].nunique()
    assert regions.set_index("region")["n_industries"].to_dict() == {r: int(hosted.get(r, 0)) for r in source["id"]}
    for row in regions.itertuples():  # every region of both runs has a provincial or city boundary
        assert row.shape == "boundary" and row.geometry.geom_type in ("Polygon", "MultiPolygon")
        lon, lat = source.set_index("id").loc[row.region, ["lon", "lat"]]
        assert row.geometry.buffer(0.05).contains(Point(lon, lat)), row.region


def test_a_region_without_boundary_is_a_point(tiny_run: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(tiny_run, run)
    regions = _csv(run / "inputs" / "regions.csv")
    regions.loc[regions["id"] == "B", "adcode"] = None
    regions.to_csv(run / "inputs" / "regions.csv", index=False)
    result = runner.invoke(app, ["export", str(run), "--gpkg", str(tmp_path / "p.gpkg")])
    assert result.exit_code == 0, result.output
    layer = gpd.read_file(tmp_path / "p.gpkg", layer="regions").set_index("region")
    assert layer.at["B", "shape"] == "point" and layer.loc["B"].geometry == Point(117.2, 39.1)
    assert layer.at["A", "shape"] == "boundary" and layer.loc["A"].geometry.geom_type.endswith("Polygon")


def test_workbook_has_a_sheet_per_table_equal_to_the_csv(any_run: Path) -> None:
    book = any_run / "plan.xlsx"
    sheets = {"assignments": "assignments.csv", "links": "links.csv", "sites": "sites.csv",
              **{f"inputs_{t}": f"inputs/{t}.csv" for t in ("regions", "sites", "industries", "functions")}}
    assert openpyxl.load_workbook(book, read_only=True).sheetnames == list(sheets)
    for name, csv in sheets.items():
        expected, got = _csv(any_run / csv), _sheet(book, name)
        assert got.columns.tolist() == expected.columns.tolist(), name
        assert len(got) == len(expected), name
        for column in expected.columns:
            want = [None if pd.isna(v) else v for v in expected[column]]
            have = [None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in got[column]]
            assert [v is None for v in have] == [v is None for v in want], (name, column)
            if pd.api.types.is_numeric_dtype(expected[column]):
                assert [v for v in have if v is not None] == pytest.approx([v for v in want if v is not None]), \
                    (name, column)
            else:
                assert have == want, (name, column)


def test_export_writes_both_files_for_an_older_run_folder_in_chinese(tiny_run: Path, tmp_path: Path) -> None:
    run = tmp_path / "old"
    shutil.copytree(tiny_run, run)
    (run / "plan.gpkg").unlink()
    (run / "plan.xlsx").unlink()
    gpkg, xlsx = tmp_path / "out" / "plan.gpkg", tmp_path / "out" / "plan.xlsx"
    result = runner.invoke(app, ["export", str(run), "--gpkg", str(gpkg), "--xlsx", str(xlsx), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {gpkg}\nwrote {xlsx}\n"
    assert len(gpd.read_file(gpkg, layer="sites")) == len(_csv(run / "inputs" / "sites.csv"))
    periods_only = {"transition", "regions", "inputs_stock"}  # the sheets of a run with periods
    assert openpyxl.load_workbook(xlsx, read_only=True).sheetnames == [
        title for sheet, title in SHEETS_ZH.items() if sheet not in periods_only]
    header = _sheet(xlsx, "布局方案").columns.tolist()
    assert header == [COLUMNS_ZH[c] for c in _csv(run / "assignments.csv").columns]
    assert header[:3] == ["产业", "环节", "园区"]
    again = runner.invoke(app, ["export", str(run), "--xlsx", str(xlsx)])
    assert again.exit_code == 2 and "already exists" in again.output


@pytest.mark.parametrize(("args", "message"), [
    (["--gpkg", "a.gpkg", "--lp", "m.lp"], ("give either --lp/--mps (of a scenario) or --gpkg/--xlsx (of a run "
                                            "folder), not both")),
    (["--gpkg", "a.gpkg", "--xlsx", "a.gpkg"], "give --gpkg and --xlsx different files"),
    ([], "give --lp FILE and/or --mps FILE (a scenario), --xlsx FILE (a scenario's tables or a run folder's), or "
         "--gpkg FILE (a run folder)"),
])
def test_export_refuses_unclear_requests(tiny_run: Path, tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["export", str(tiny_run), *[str(tmp_path / a) if "." in a else a for a in args]])
    assert result.exit_code == 2
    assert result.output == f"Error: {message}\n"
    assert not list(tmp_path.iterdir())


def test_export_refuses_a_run_without_plan(tiny_run: Path, tmp_path: Path) -> None:
    import json

    run = tmp_path / "run"
    shutil.copytree(tiny_run, run)
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    (run / "summary.json").write_text(json.dumps(summary | {"status": "infeasible"}), encoding="utf-8")
    result = runner.invoke(app, ["export", str(run), "--gpkg", str(tmp_path / "p.gpkg")])
    assert result.exit_code == 2
    assert result.output == f"Error: {run} has no plan to export (status: infeasible)\n"
    assert not (tmp_path / "p.gpkg").exists()
