"""Figures (PNG) show a scenario's text as written: a pair of `$` is not read as matplotlib mathtext."""

from __future__ import annotations

from planner.maps import fonts
from planner.maps.rundata import load_run
from planner.maps.static import figure
from tests.hostile.conftest import Outputs
from tests.hostile.payloads import FRAGMENTS


def test_every_png_was_drawn(hostile: Outputs) -> None:
    # an invalid mathtext fragment in every payload would have stopped `map --png`, `report`, `pareto`, `sweep`
    written = {p.relative_to(hostile.out).parts[0] + "/" + p.name for p in hostile.out.rglob("*.png")}
    assert {f"{hostile.run_a.name}/map.png", "pareto/pareto.png", "sweep/kpis.png"} <= written
    assert "wrote" in hostile.console["map --png"]


def test_labels_of_the_static_map_are_text_as_written(hostile: Outputs) -> None:
    with fonts.cjk_context():  # as planner draws it (planner.maps.static.png, the report)
        fig = figure(load_run(hostile.run_a))
        texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_parse_math")) if "$" in t.get_text()]
    assert texts, "the payload's labels are missing from the map"
    assert all(not t.get_parse_math() for t in texts)
    assert any(all(f in t.get_text() for f in ("$x^2$", "$\\sqrt{$")) for t in texts)
    assert "$x^2$" in FRAGMENTS
