"""Colours, labels and sizes shared by the interactive map, the static image and the report."""

from __future__ import annotations

from planner.formatting import number

FUNCTIONS: tuple[str, ...] = ("rd", "pilot", "production")
"""The chain's functions, upstream first."""

ZONES: tuple[str, ...] = ("center", "inner", "outer")
"""Site zone types (and metro rings), center first."""

ZONE_COLOURS: dict[str, str] = {"center": "#d7301f", "inner": "#fc8d59", "outer": "#4575b4"}
"""Marker colour per zone type; also the fill of metro districts per ring."""

UNCLASSIFIED_COLOUR = "#bdbdbd"
"""Fill of metro districts whose ring is not classified."""

UNCLASSIFIED_LABEL = "not classified 未分类"
"""Legend label of the metro districts whose ring is not classified."""

OUTSIDE_COLOUR = "#e0e0e0"
"""Fill of provincial-level units that are not regions of the scenario (drawn, not shaded by the plan)."""

OUTSIDE_LABEL = "outside the scenario 情景外"
"""Legend label of the provincial-level units that are not regions of the scenario."""

DASH_COLOUR = "#4a6fa5"
"""Colour of the dashes of the South China Sea line."""

FUNCTION_COLOURS: dict[str, str] = {"rd": "#7b3294", "pilot": "#1a9850", "production": "#404040"}
"""Ring colour per function around a site marker."""

FUNCTION_RADII: dict[str, int] = {"rd": 10, "pilot": 13, "production": 16}
"""Ring radius (pixels) per function: a site's functions show as concentric rings."""

FUNCTION_LABELS: dict[str, str] = {"rd": "R&D 研发", "pilot": "Pilot 中试", "production": "Production 量产"}
"""English and Chinese name of each function."""

ZONE_LABELS: dict[str, str] = {"center": "center 中心", "inner": "inner 近郊", "outer": "outer 外围"}
"""English and Chinese name of each zone type / ring."""

LINK_LABELS: dict[str, str] = {"pilot": "R&D → pilot 研发→中试", "production": "pilot → production 中试→量产"}
"""Link type by the supported function of ``links.csv``."""

LINK_DASHES: dict[str, str | None] = {"pilot": "6 6", "production": None}
"""Stroke pattern per link type: R&D -> pilot dashed, pilot -> production solid."""

CATEGORY_LABELS: dict[str, str] = {"future": "未来产业 Future", "emerging": "新兴产业 Emerging",
                                   "traditional": "传统产业 Traditional", "": "其他 Other"}
"""Heading of each industry category (legends, layer control)."""

SITE_RADIUS = 7
"""Radius (pixels) of an opened site's marker."""

COUNT_OFFSET = (12, 14)
"""Offset (pixels right, up) of a site's industry count from the site."""


def industry_colours(industries: list[str]) -> dict[str, str]:
    """A distinct colour per industry, in the order given (tab10, then tab20)."""
    from matplotlib import colormaps, colors

    palette = colormaps["tab10" if len(industries) <= 10 else "tab20"]
    return {ind: colors.to_hex(palette(k % palette.N)) for k, ind in enumerate(industries)}


def hosted_colour(count: int, most: int) -> str:
    """Fill of a region hosting `count` industries when the most any region hosts is `most`."""
    from matplotlib import colormaps, colors

    if count <= 0:
        return "#f7f7f7"
    return colors.to_hex(colormaps["YlGnBu"](0.12 + 0.5 * count / max(most, 1)))


def hosted_steps(most: int) -> list[int]:
    """Counts shown in a legend's scale of industries hosted (all when few, else about five)."""
    if most <= 5:
        return list(range(most + 1))
    return sorted({0, 1, *(round(most * k / 4) for k in range(1, 5))})


def link_weight(amount: float, largest: float) -> float:
    """Stroke width (pixels) of a link carrying `amount` when the largest carries `largest`."""
    return 1.5 + 6.5 * (amount / largest if largest > 0 else 0.0)


def fmt(value: float | None, digits: int = 1) -> str:
    """A number with thousands separators, or an en dash when missing (planner.formatting.number)."""
    return number(value, digits, missing="–")


def zone_swatches() -> list[tuple[str, str]]:
    """(colour, label) of each zone type / metro ring, center first: the rows of a legend's zones or rings."""
    return [(ZONE_COLOURS[z], ZONE_LABELS[z]) for z in ZONES]


def hosted_swatches(most: int) -> list[tuple[str, int]]:
    """(fill, count) of each step of a legend's scale of industries hosted, when the most any region hosts is `most`."""
    return [(hosted_colour(n, most), n) for n in hosted_steps(most)]
