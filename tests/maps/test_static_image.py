"""The static image's layout: when it has a metro panel, which regions are labelled, where the legend goes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib import colormaps, colors
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text

from planner import geodata
from planner.maps import fonts
from planner.maps.geometry import NATIONAL_FRAME, national_view
from planner.maps.rundata import RunData, load_run
from planner.maps.static import (
    CATEGORY_FAMILIES,
    DASH_GID,
    INSET_LABEL,
    OUTSIDE_GID,
    figure,
    grouped,
    image_industry_colours,
    labelled_regions,
    metro_cities,
    outside_in_frame,
)
from planner.maps.style import OUTSIDE_COLOUR, OUTSIDE_LABEL


def _with_adcodes(run: RunData, codes: list[str | None]) -> RunData:
    """`run` with its sites' adcodes replaced, in site order."""
    return replace(run, sites=run.sites.assign(adcode=codes))


def _figure(run: RunData) -> Figure:
    with fonts.cjk_context():
        return figure(run)


def _renderer(fig: Figure) -> RendererBase:
    """The renderer the figure was laid out with (:func:`figure` places labels on an Agg canvas)."""
    assert isinstance(fig.canvas, FigureCanvasAgg)
    return fig.canvas.get_renderer()


def _annotations(fig: Figure) -> list[list[str]]:
    """Text of the annotations of each panel."""
    return [[t.get_text() for t in ax.texts if isinstance(t, Annotation)] for ax in fig.axes]


def test_metro_panel_only_for_district_scenarios(tiny_run: Path, jjj_run: Path) -> None:
    tiny = load_run(tiny_run)
    assert metro_cities(tiny) == []  # no adcodes
    assert len(_figure(tiny).axes) == 1

    # jjj: 6 of its 9 sites are districts of Beijing and Tianjin (Hebei's fall back to whole cities)
    jjj = load_run(jjj_run)
    assert metro_cities(jjj) == ["110100", "120100"]
    fig = _figure(jjj)
    assert len(fig.axes) == 2
    districts = geodata.districts()
    west, south, east, north = districts[districts["city"].isin(["110100", "120100"])].total_bounds
    (x0, x1), (y0, y1) = fig.axes[1].get_xlim(), fig.axes[1].get_ylim()
    assert west - 0.1 <= x0 <= west and east <= x1 <= east + 0.1  # fits those districts ...
    assert south - 0.1 <= y0 <= south and north <= y1 <= north + 0.1  # ... not Shijiazhuang at 114.5 E, 38 N

    beijing = ["110101", "110105", "110108", "110112"]
    # national-like: a few district sites among many others make no metro panel
    few = _with_adcodes(tiny, [beijing[0], "310104", None, None, None, None])
    assert metro_cities(few) == []
    assert len(_figure(few).axes) == 1
    # mostly districts of one city: a metro panel of that city
    assert metro_cities(_with_adcodes(tiny, [*beijing, None, None])) == ["110100"]
    # districts of three cities: the two with most sites must hold at least half of them
    assert metro_cities(_with_adcodes(tiny, ["110101", "120101", "310101", None, None, None])) == []
    assert metro_cities(_with_adcodes(tiny, ["110101", "110102", "120101", "120102", "310101", None])) \
        == ["110100", "120100"]
    # Hebei county codes only fall back to whole prefecture-level cities: not districts
    assert metro_cities(_with_adcodes(tiny, ["130108", "131082", "130981", "130102", "130104", "130105"])) == []


def test_interactive_metro_layer_follows_the_same_rule(tiny_run: Path) -> None:
    from planner.maps.layers import metro_group

    tiny = load_run(tiny_run)
    few = _with_adcodes(tiny, ["110101", "310104", None, None, None, None])  # national-like
    assert metro_group(few) is None
    assert metro_group(_with_adcodes(tiny, ["110101", "110105", "110108", "110112", None, None])) is not None


def _without_region(run: RunData, region: str) -> RunData:
    """`run` with nothing placed in `region` (its assignments and the links touching its sites dropped)."""
    sites = set(run.sites.index[run.sites["region"] == region])
    links = run.links[~run.links["from_site"].isin(sites) & ~run.links["to_site"].isin(sites)]
    return replace(run, assignments=run.assignments[run.assignments["region"] != region], links=links)


def test_no_label_for_regions_hosting_nothing(tiny_run: Path, jjj_run: Path) -> None:
    tiny = load_run(tiny_run)
    assert labelled_regions(tiny) == ["A", "B"]
    texts = _annotations(_figure(tiny))[0]
    assert any(t.startswith("甲 Alpha\n") for t in texts) and any(t.startswith("乙 Beta\n") for t in texts)

    empty_b = _without_region(tiny, "B")
    assert labelled_regions(empty_b) == ["A"]
    texts = _annotations(_figure(empty_b))[0]
    assert any(t.startswith("甲 Alpha\n") for t in texts)
    assert not any("Beta" in t for t in texts)
    assert not any("\n0 产业" in t for t in texts)

    jjj = _without_region(load_run(jjj_run), "TJ")
    for panel in _annotations(_figure(jjj)):
        assert not any("Tianjin" in t or "0 产业" in t for t in panel)
        assert not any(t.startswith("TJ-") for t in panel)


def _many_industries(run: RunData, extra: int) -> RunData:
    """`run` with `extra` more (unplaced) industries, in two categories."""
    rows = pd.DataFrame({"name": [f"Industry {k}" for k in range(extra)],
                         "name_zh": [f"产业{k}" for k in range(extra)],
                         "category": ["traditional" if k % 3 else "emerging" for k in range(extra)]},
                        index=pd.Index([f"x{k}" for k in range(extra)], name=run.industries.index.name))
    return replace(run, industries=pd.concat([run.industries, rows]))


def _legend_below_maps(fig: Figure) -> None:
    renderer = _renderer(fig)
    (legend,) = fig.legends
    box = legend.get_window_extent(renderer)
    for ax in fig.axes:
        panel = ax.get_tightbbox(renderer)
        assert panel is not None and box.y1 <= panel.y0 + 1, "the legend overlaps a map panel"


@pytest.mark.parametrize("extra", [0, 40])
def test_legend_is_outside_the_maps(tiny_run: Path, jjj_run: Path, extra: int) -> None:
    for run_dir in (tiny_run, jjj_run):
        run = _many_industries(load_run(run_dir), extra) if extra else load_run(run_dir)
        fig = _figure(run)
        _legend_below_maps(fig)
        labels = [t.get_text() for t in fig.legends[0].get_texts()]
        assert grouped(run) == bool(extra)
        if extra:  # by category, Chinese names only
            assert any(label.startswith("传统产业 Traditional (") for label in labels)
            assert "产业0" in labels
        else:
            assert all(run.industry_name(i) in labels for i in run.industry_ids)


def test_grouped_industries_share_a_colour_family(tiny_run: Path) -> None:
    run = _many_industries(load_run(tiny_run), 20)
    colours = image_industry_colours(run)
    assert len(set(colours.values())) == len(colours)
    cats = run.industries["category"]
    for category, family in CATEGORY_FAMILIES.items():
        members = [i for i in run.industry_ids if cats[i] == category]
        if members:
            assert colours[members[0]] == colors.to_hex(colormaps[family](0.45))


def _label_overlaps(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of texts drawn on one map panel whose boxes (as the renderer draws them) intersect: site, region and
    district labels (those anchored inside the panel) and the panel's other texts (the inset's name)."""
    renderer = _renderer(fig)
    fig.draw_without_rendering()  # the positions as drawn
    pairs = []
    for ax in fig.axes:
        frame = ax.get_window_extent(renderer)
        texts = [t for t in ax.texts if t.get_visible() and t.get_text()
                 and (not isinstance(t, Annotation) or frame.contains(*ax.transData.transform(t.xy)))]
        boxes = [(t.get_text(), Text.get_window_extent(t, renderer)) for t in texts]
        pairs += [(a, b) for k, (a, box_a) in enumerate(boxes) for b, box_b in boxes[k + 1:] if box_a.overlaps(box_b)]
    return pairs


def test_labels_do_not_overlap(tiny_run: Path, jjj_run: Path, national_run: Path) -> None:
    for run_dir in (tiny_run, jjj_run, national_run):
        fig = _figure(load_run(run_dir))
        assert sum(isinstance(t, Annotation) for ax in fig.axes for t in ax.texts) >= 3
        assert _label_overlaps(fig) == [], run_dir.name


def test_labels_of_the_metro_scenarios_do_not_overlap(metro_run: Path) -> None:
    """Shanghai's central districts (普陀, 长宁, 静安) and their sites lie close together: every label is moved
    clear of the others."""
    fig = _figure(load_run(metro_run))
    names = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert len(fig.axes) == 2 and len(names) >= 10
    assert _label_overlaps(fig) == []


def test_the_placement_test_sees_an_overlap(jjj_run: Path) -> None:
    """The check above fails when two labels are drawn at the same place."""
    fig = _figure(load_run(jjj_run))
    first, second = [t for t in fig.axes[0].texts if isinstance(t, Annotation)][:2]
    second.xy, second.xyann = first.xy, first.xyann
    second.set_horizontalalignment(first.get_horizontalalignment())
    second.set_verticalalignment(first.get_verticalalignment())
    assert _label_overlaps(fig) != []


def test_map_axes_carry_their_unit(jjj_run: Path) -> None:
    fig = _figure(load_run(jjj_run))
    ax = fig.axes[0]
    assert ax.get_xlabel() == "longitude 经度 (°E, WGS84)" and ax.get_ylabel() == "latitude 纬度 (°N, WGS84)"
    fig.draw_without_rendering()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks and all(t.endswith("°E") for t in ticks)


# --- issue 19: the standard map of China ------------------------------------------------------


def _pixel(fig: Figure, ax: Axes, lon: float, lat: float) -> tuple[int, int, int]:
    """RGB of the drawn figure at (lon, lat) of `ax`."""
    fig.canvas.draw()
    image = np.asarray(fig.canvas.buffer_rgba())
    x, y = ax.transData.transform((lon, lat))
    r, g, b, _ = image[image.shape[0] - round(y), round(x)]
    return int(r), int(g), int(b)


def test_national_view_only_with_provinces(tiny_run: Path, jjj_run: Path, national_run: Path) -> None:
    assert not national_view(load_run(tiny_run))  # two provinces
    assert not national_view(load_run(jjj_run))  # Beijing, Tianjin, Hebei
    assert national_view(load_run(national_run))  # six


def test_national_image_frames_the_whole_territory(national_run: Path) -> None:
    fig = _figure(load_run(national_run))
    (main,) = fig.axes
    (x0, x1), (y0, y1) = main.get_xlim(), main.get_ylim()
    # 73.5 E (Xinjiang) .. 135.1 E (Heilongjiang), 18.15 N (Hainan island) .. 53.56 N (Mohe)
    assert x0 <= 73.4 and x1 >= 135.2 and y0 <= 18.0 and y1 >= 53.7
    provinces = geodata.provinces()
    mainland = provinces[provinces["adcode"] != "460000"]
    west, south, east, north = mainland.total_bounds
    assert x0 < west and east < x1 and y0 < south and north < y1
    # old frame (87-128 E, 19.5-46 N) cut Xinjiang and Tibet off: both lie in the frame now
    assert all(x0 < b[0] and b[2] < x1 and y0 < b[1] and b[3] < y1
               for b in provinces[provinces["adcode"].isin(["650000", "540000", "230000", "150000"])].bounds.values)


def test_national_image_has_the_south_china_sea_inset(national_run: Path) -> None:
    fig = _figure(load_run(national_run))
    (main,) = fig.axes
    (inset,) = main.child_axes
    assert inset.get_label() == INSET_LABEL
    renderer = _renderer(fig)
    outer, box = main.get_window_extent(renderer), inset.get_window_extent(renderer)
    # in the lower right corner of the map, a fifth of its width or less, under half its height
    assert abs(box.x1 - outer.x1) < 2 and abs(box.y0 - outer.y0) < 2
    assert 0.1 * outer.width < box.width <= 0.2 * outer.width and box.height < 0.5 * outer.height
    # it shows every dash and the islands down to 3.84 N (曾母暗沙, in Hainan's polygon)
    (ix0, ix1), (iy0, iy1) = inset.get_xlim(), inset.get_ylim()
    west, south, east, north = geodata.nine_dash_line().total_bounds
    assert ix0 < west and east < ix1 and iy0 < south and north < iy1 and iy0 < 3.84
    dashes = [c for c in inset.collections if c.get_gid() == DASH_GID]
    assert len(dashes) == 1 and len(dashes[0].get_paths()) == 10
    assert "南海诸岛" in [t.get_text() for t in inset.texts]
    # it hides no land of the main map: Chiwei Yu (124.56 E, 25.92 N) of Taiwan lies left of it
    left, _ = main.transData.inverted().transform((box.x0, box.y0))
    assert left > 124.6
    # the main map has no site, label or region label under the inset
    for text in main.texts:
        if isinstance(text, Annotation) and text.get_visible():
            assert not Text.get_window_extent(text, renderer).overlaps(box), text.get_text()


def test_regions_outside_the_scenario_are_drawn_unshaded(national_run: Path) -> None:
    run = load_run(national_run)
    fig = _figure(run)
    (main,) = fig.axes
    outside = [c for c in main.collections if c.get_gid() == OUTSIDE_GID]
    assert len(outside) == 1
    assert {colors.to_hex(c) for c in outside[0].get_facecolor()} == {OUTSIDE_COLOUR}
    assert {"710000", "810000", "820000"} <= set(outside_in_frame(run, NATIONAL_FRAME))
    assert not {"110000", "120000", "370000"} & set(outside_in_frame(run, NATIONAL_FRAME))
    # on the image: Taiwan (Sun Moon Lake) is the grey, Tianjin (hosting) carries the plan's shading
    grey = tuple(round(255 * v) for v in colors.to_rgb(OUTSIDE_COLOUR))
    assert _pixel(fig, main, 120.9, 23.87) == grey
    assert _pixel(fig, main, 117.6, 39.3) != grey
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert OUTSIDE_LABEL in labels


def test_regional_image_keeps_its_frame(jjj_run: Path) -> None:
    fig = _figure(load_run(jjj_run))
    assert all(not ax.child_axes for ax in fig.axes)  # no inset
    (x0, x1) = fig.axes[0].get_xlim()
    assert x1 - x0 < 15  # the region, not all of China
