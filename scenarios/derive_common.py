"""What the derive scripts of the scenarios share: the text of a number, rounding up, reading and writing tables,
and the chain's coefficients (land, support ratios, capability requirements, costs of the functions table) that
scenarios/jjj derived and scenarios/national and scenarios/metro take over, with their sources.

The scripts are run as `python scenarios/<folder>/derive*.py` (from anywhere): each puts this folder on
sys.path before importing from here. Standard library only; the tables are written with \\n line ends, so two
runs give byte-identical CSVs.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import NamedTuple


def fmt(x: float, nd: int = 4) -> str:
    """`x` rounded to `nd` decimals, without trailing zeros ("0" for a value that rounds to zero)."""
    s = f"{x:.{nd}f}".rstrip("0").rstrip(".")
    return s if s not in ("", "-0") else "0"


def short(x: float, nd: int = 4) -> str:
    """`x` rounded to `nd` decimals, in its shortest form (`:g`, so at most six significant digits)."""
    return f"{round(x, nd):g}"


def ceil4(x: float) -> float:
    """`x` rounded up to 4 decimals, so that a standing chain's support is never short by rounding."""
    return math.ceil(x * 10_000 - 1e-9) / 10_000


def read_csv(path: Path) -> list[dict]:
    """The rows of a CSV table as dicts, keyed by its header."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    """Write one CSV table (UTF-8, \\n line ends)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_records(path: Path, header: list[str], rows: list[dict[str, object]]) -> None:
    """Write one CSV table from dicts: the columns of `header`, a missing or None value empty (see write_csv)."""
    write_csv(path, header, [["" if row.get(k) is None else row[k] for k in header] for row in rows])


def price(sample: list[tuple[float, float]]) -> float:
    """Land price (yuan per m2) of transactions [(amount 10k yuan, area m2), ...]: total amount / total area."""
    return sum(a for a, _ in sample) / sum(m for _, m in sample) * 10000.0


# ---------------------------------------------------------------- the version 1 tables
V1_COLUMNS: dict[str, list[str]] = {
    "regions": ["id", "name", "name_zh", "tier", "lon", "lat", "adcode", "energy_budget", "max_new_industries"],
    "sites": ["id", "region", "zone", "land_ha", "land_price", "lon", "lat", "cost_factor", "adcode", "cap_research"],
    "industries": ["id", "name", "name_zh", "category", "demand", "overcapacity", "max_hosts", "min_hosts"],
    "functions": ["industry", "function", "land_per_unit", "setup_cost", "unit_cost", "min_scale", "max_scale",
                  "support_ratio", "energy_per_unit", "req_research"],
}
"""Columns of each table the jjj, national and metro derive scripts write (national adds a market column)."""


def write_v1_table(tables: Path, name: str, rows: list[list], extra_columns: tuple[str, ...] = ()) -> None:
    """Write tables/<name>.csv with the columns V1_COLUMNS[name] and then `extra_columns`."""
    write_csv(tables / f"{name}.csv", V1_COLUMNS[name] + list(extra_columns), rows)


# ---------------------------------------------------------------- the chain's coefficients (jjj's; sources in
# scenarios/jjj/README.md, "Functions"; national and metro take them over unchanged)
ZONES = ("center", "inner", "outer")
ZONE_FACTOR = {"center": 1.0, "inner": 0.5, "outer": 0.25}  # ASSUMPTION: capability halves per ring

# Technology tiers of the seed (002_981feb63f948a864.txt, section 二(二)): R&D intensity
# thresholds of tier I (> 4 %), II (> 3 %), III (> 2 %).
TIER_THRESHOLD_PCT = {"I": 4.0, "II": 3.0, "III": 2.0}
# R&D requirement by category = the seed's tier threshold (as a share of the strongest
# region's intensity); pilot one tier lower; production none.
RD_TIER = {"future": "I", "emerging": "II", "traditional": "III"}
PILOT_TIER = {"future": "II", "emerging": "III", "traditional": None}

# 2023 R&D by type of activity (100 million yuan), 2023年全国科技经费投入统计公报, section 一.
RD_BASIC, RD_APPLIED, RD_EXPERIMENTAL, RD_TOTAL = 2259.1, 3661.5, 27436.5, 33357.1
# R&D expenditure per full-time-equivalent R&D person, 2023 (10k yuan), 2023 bulletin.
RD_PER_FTE_WAN = 46.1

# Land output intensity of national development zones, end of 2011 (10k yuan of revenue
# per ha): all industrial land 12984.94, high-tech industry land 26668.11
# (国土资源部, 国家级开发区土地集约利用评价).
OUTPUT_PER_HA_INDUSTRY_WAN = 12984.94
OUTPUT_PER_HA_HIGHTECH_WAN = 26668.11

GFA_PER_FTE_RD_M2, FAR_RD = 50.0, 2.0  # ASSUMPTION: R&D floor space and plot ratio
GFA_PER_FTE_PILOT_M2 = 100.0  # ASSUMPTION: pilot lines need more floor space per person
MIN_SCALE_PRODUCTION = 10.0  # ASSUMPTION
SETUP_WAN = {"rd": 1000.0, "pilot": 1000.0, "production": 5000.0}  # ASSUMPTION
TRIPS_PER_FTE_YEAR, FARE_YUAN_PER_KM, HORIZON_YEARS = 12, 0.5, 10  # ASSUMPTION (linkage)

# Tianjin, 2016-03, one land-market report: 河东区 (center) and 北辰区 + 西青区 (inner), (amount 10k
# yuan, area m2). ASSUMPTION (jjj's center price rule): where no center transaction was found, the
# center price is the inner one times this same-month center/inner ratio.
TJ_2016_CENTER = [(12300, 20195)]
TJ_2016_INNER = [(12352, 253182), (2650, 39905)]
TJ_CENTER_INNER_RATIO = price(TJ_2016_CENTER) / price(TJ_2016_INNER)



class ChainFigures(NamedTuple):
    """The figures derived from the chain's coefficients that the functions table and the scripts' reports use."""

    fte_per_unit: float
    """R&D persons (FTE) per unit of activity (100 million yuan a year)."""
    experimental_share: float
    """Share of experimental development in R&D: the part of an industry's R&D intensity that supports production."""
    research_per_experimental: float
    """Basic and applied research per unit of experimental development: the support ratio of pilot on R&D."""
    land_per_unit_rd: float
    """Land (ha) of a unit of R&D."""
    linkage_tau: float
    """Linkage cost (10k yuan per unit per km) over the horizon: trips of the R&D staff."""


def _chain_figures() -> ChainFigures:
    fte_per_unit = 1e8 / (RD_PER_FTE_WAN * 1e4)
    return ChainFigures(
        fte_per_unit=fte_per_unit,
        experimental_share=RD_EXPERIMENTAL / (RD_BASIC + RD_APPLIED + RD_EXPERIMENTAL),
        research_per_experimental=(RD_BASIC + RD_APPLIED) / RD_EXPERIMENTAL,
        land_per_unit_rd=fte_per_unit * GFA_PER_FTE_RD_M2 / FAR_RD / 1e4,
        linkage_tau=fte_per_unit * TRIPS_PER_FTE_YEAR * 2 * FARE_YUAN_PER_KM * HORIZON_YEARS / 1e4,
    )


CHAIN = _chain_figures()
"""The chain's derived figures."""


def function_rows(industry: str, category: str, rd_intensity_pct: float, min_far: float,
                  top_rd_intensity: float) -> list[list]:
    """The rd, pilot and production rows (V1_COLUMNS["functions"]) of one industry, by jjj's formulas.

    `rd_intensity_pct` is the industry's R&D / revenue (%), `min_far` its minimum plot ratio and
    `top_rd_intensity` the strongest region's R&D intensity (%), the scale of the capability requirements.
    """
    a_pilot = CHAIN.fte_per_unit * GFA_PER_FTE_PILOT_M2 / min_far / 1e4
    per_ha = OUTPUT_PER_HA_INDUSTRY_WAN if category == "traditional" else OUTPUT_PER_HA_HIGHTECH_WAN
    a_prod = 1e4 / per_ha  # ha per 100 million yuan of output
    req_rd = TIER_THRESHOLD_PCT[RD_TIER[category]] / top_rd_intensity
    pt = PILOT_TIER[category]
    req_pilot = 0.0 if pt is None else TIER_THRESHOLD_PCT[pt] / top_rd_intensity
    rho_prod = rd_intensity_pct / 100.0 * CHAIN.experimental_share
    return [[industry, "rd", short(CHAIN.land_per_unit_rd), short(SETUP_WAN["rd"]), 0, 0, "", "", "", short(req_rd, 3)],
            [industry, "pilot", short(a_pilot), short(SETUP_WAN["pilot"]), 0, 0, "",
             short(CHAIN.research_per_experimental, 5), "", short(req_pilot, 3)],
            [industry, "production", short(a_prod), short(SETUP_WAN["production"]), 0,
             short(MIN_SCALE_PRODUCTION), "", short(rho_prod, 5), "", 0]]


# ---------------------------------------------------------------- jjj's six industries (metro takes them over)
JJJ_INDUSTRIES = [
    ("ai", "Artificial intelligence", "人工智能", "future"),
    ("humanoid", "Humanoid robots", "人形机器人", "future"),
    ("ic", "Integrated circuits", "集成电路", "emerging"),
    ("biomed", "Biomedicine", "生物医药", "emerging"),
    ("nev", "New-energy vehicles", "新能源汽车", "emerging"),
    ("steel", "Iron and steel", "钢铁", "traditional"),
]
"""id, name, name_zh and category of each industry of scenarios/jjj and scenarios/metro."""

# R&D intensity of industries (R&D / operating revenue, %), 规模以上工业企业, 2022:
# 2022年全国科技经费投入统计公报, 附表1; ai uses 高技术制造业 (same bulletin, text).
JJJ_INDUSTRY_RD_INTENSITY = {
    "ai": 2.91,        # 高技术制造业 (proxy: no AI division in GB/T 4754)
    "humanoid": 2.46,  # C34 通用设备制造业 (industrial robots are C3491)
    "ic": 2.63,        # C39 计算机、通信和其他电子设备制造业
    "biomed": 3.57,    # C27 医药制造业
    "nev": 1.83,       # C36 汽车制造业
    "steel": 0.94,     # C31 黑色金属冶炼和压延加工业
}

# Minimum plot ratio (容积率) by industry, 《工业项目建设用地控制指标》 容积率控制指标 table
# (industry names of GB/T 4754-2002: 通信设备、计算机及其他电子设备 >= 1.0, 通用设备 >= 0.7,
# 医药 >= 0.7, 交通运输设备 >= 0.7, 黑色金属冶炼 >= 0.6).
JJJ_MIN_FAR = {"ai": 1.0, "humanoid": 0.7, "ic": 1.0, "biomed": 0.7, "nev": 0.7, "steel": 0.6}


def jjj_function_rows(top_rd_intensity: float) -> list[list]:
    """The functions table of jjj's six industries; `top_rd_intensity` is the strongest region's R&D intensity (%)."""
    return [row for iid, _, _, cat in JJJ_INDUSTRIES
            for row in function_rows(iid, cat, JJJ_INDUSTRY_RD_INTENSITY[iid], JJJ_MIN_FAR[iid], top_rd_intensity)]
