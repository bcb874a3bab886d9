"""Reading a run folder (``docs/run-folder.md``) into the tables the maps draw."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from planner.maps.style import FUNCTIONS
from planner.runfolder.format import ASSIGNMENT_COLUMNS, LINK_COLUMNS, SITE_COLUMNS
from planner.runfolder.read import RunFolderError, last_period, read_summary, read_table

PLAN_STATUSES = ("optimal", "feasible")
"""Statuses of a run that has a plan to draw."""


def adcode(value: Any) -> str | None:
    """A 6-digit administrative code as text, or None for an empty cell."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value).strip().removesuffix(".0") or None


def _csv(path: Path, columns: list[str]) -> pd.DataFrame:
    """A table of the run folder (`columns` required), its adcodes as text."""
    frame = read_table(path, columns, dtype={"adcode": str}, keep_default_na=True)
    if "adcode" in frame:
        frame["adcode"] = frame["adcode"].map(adcode)
    return frame


@dataclass(frozen=True)
class RunData:
    """The tables of one run folder with a plan."""

    run_dir: Path
    summary: dict[str, Any]
    scenario: dict[str, Any]
    regions: pd.DataFrame
    """``inputs/regions.csv``, indexed by region id."""
    sites: pd.DataFrame
    """``inputs/sites.csv`` indexed by site id, with ``land_used_ha`` and ``share_used`` of ``sites.csv``."""
    industries: pd.DataFrame
    """``inputs/industries.csv``, indexed by industry id."""
    assignments: pd.DataFrame
    links: pd.DataFrame

    @property
    def title(self) -> str:
        """The scenario's title, else its name."""
        return run_title(self.summary, self.run_dir)

    @property
    def status(self) -> str:
        """The run's status (``optimal`` or ``feasible``)."""
        return str(self.summary.get("status"))

    @property
    def objective(self) -> float | None:
        """The plan's objective value (10k yuan)."""
        value = self.summary.get("objective")
        return None if value is None else float(value)

    @property
    def linkage_cost(self) -> float:
        """τ: linkage cost per unit of support per km (10k yuan), 0 when not set."""
        return float((self.scenario.get("settings") or {}).get("linkage_cost") or 0.0)

    @cached_property
    def opened_sites(self) -> list[str]:
        """Sites hosting at least one function, in the order of ``inputs/sites.csv``."""
        used = set(self.assignments["site"])
        return [s for s in self.sites.index if s in used]

    @cached_property
    def functions(self) -> list[str]:
        """Functions of the chain (rd, pilot, production)."""
        return list(FUNCTIONS)

    @property
    def industry_ids(self) -> list[str]:
        """Industries in the order of ``inputs/industries.csv``."""
        return list(self.industries.index)

    def region_name(self, region: str, lang: str = "en") -> str:
        """Chinese and English name of a region, e.g. ``北京 Beijing`` (``zh``: the Chinese name, else the id)."""
        row = self.regions.loc[region]
        if lang == "zh":
            return _chinese_name(row, region)
        return " ".join(str(v) for v in (row.get("name_zh"), row.get("name")) if isinstance(v, str) and v)

    def industry_name(self, industry: str, lang: str = "en") -> str:
        """Chinese and English name of an industry, e.g. ``人工智能 Artificial intelligence`` (``zh``: the Chinese
        name, else the id)."""
        row = self.industries.loc[industry]
        if lang == "zh":
            return _chinese_name(row, industry)
        return " ".join(str(v) for v in (row.get("name_zh"), row.get("name")) if isinstance(v, str) and v)

    def site_point(self, site: str) -> tuple[float, float]:
        """(lat, lon) of a site."""
        return float(self.sites.at[site, "lat"]), float(self.sites.at[site, "lon"])


def _chinese_name(row: pd.Series, code: str) -> str:
    """A row's ``name_zh`` when it has one, else its id `code`."""
    name = row.get("name_zh")
    return name if isinstance(name, str) and name else str(code)


def run_title(summary: dict[str, Any], run_dir: Path) -> str:
    """The title of a run: its scenario's title, else the scenario's name, else the folder's name."""
    return str(summary.get("title") or summary.get("scenario") or run_dir.name)


def read_scenario(run_dir: Path) -> dict[str, Any]:
    """The merged scenario the run saw, ``inputs/scenario.yaml`` ({} when it has none)."""
    path = run_dir / "inputs" / "scenario.yaml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}


def _regions_with_sites(regions: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """The regions some site lies in: those without one hold nothing to plan or draw (a map of a few sites among
    100,000 regions stays as small as the plan)."""
    return regions[regions.index.isin(sites["region"])] if "region" in sites else regions


def _period(frame: pd.DataFrame, period: int | None) -> pd.DataFrame:
    """The rows of `period` of a run folder table with a `period` column (without it); by default the last."""
    if period is None or "period" not in frame.columns:
        return last_period(frame)
    return frame[frame["period"] == period].drop(columns="period").reset_index(drop=True)


def run_periods(summary: dict[str, Any]) -> list[int]:
    """The periods of a run with periods (``summary.json`` ``periods``, docs/scenario.md "Version 2"), else []."""
    return [int(p) for p in (summary.get("periods") or {})]


def load_run(run_dir: Path, period: int | None = None) -> RunData:
    """Read the run folder `run_dir`; raise :class:`RunFolderError` when it has no plan to draw.

    A run with periods gives the plan of `period` (default: the last period, the target of the transition).
    """
    return load_runs(run_dir, [period])[period]


def load_runs(run_dir: Path, periods: list[int | None]) -> dict[int | None, RunData]:
    """:func:`load_run` of each of `periods` (None: the last period), reading each table of `run_dir` once."""
    run_dir = Path(run_dir)
    summary = read_summary(run_dir)
    if summary.get("status") not in PLAN_STATUSES:
        raise RunFolderError(f"run folder {run_dir} has no plan (status: {summary.get('status')})")
    if not (run_dir / "assignments.csv").is_file():
        raise RunFolderError(f"{run_dir / 'assignments.csv'} is missing, though summary.json reports a plan "
                             f"(status: {summary.get('status')})")
    inputs = run_dir / "inputs"
    tables = {"sites": _csv(inputs / "sites.csv", ["id"]).set_index("id"),
              "used": _csv(run_dir / "sites.csv", SITE_COLUMNS),
              "regions": _csv(inputs / "regions.csv", ["id"]).set_index("id"),
              "industries": _csv(inputs / "industries.csv", ["id"]).set_index("id"),
              "assignments": _csv(run_dir / "assignments.csv", ASSIGNMENT_COLUMNS),
              "links": _csv(run_dir / "links.csv", LINK_COLUMNS)}
    scenario = read_scenario(run_dir)
    return {period: _plan_of(run_dir, summary, scenario, tables, period) for period in periods}


def _plan_of(run_dir: Path, summary: dict[str, Any], scenario: dict[str, Any], tables: dict[str, pd.DataFrame],
             period: int | None) -> RunData:
    """The plan of `period` from the tables of a run folder (:func:`load_runs`): frames of its own, the summary and
    scenario shared with the other periods' plans."""
    used = _period(tables["used"], period).set_index("site")[["land_used_ha", "share_used"]]
    sites = tables["sites"].join(used, how="left").fillna({"land_used_ha": 0.0, "share_used": 0.0})
    return RunData(
        run_dir=run_dir,
        summary=summary,
        scenario=scenario,
        regions=_regions_with_sites(tables["regions"].copy(), sites),
        sites=sites,
        industries=tables["industries"].copy(),
        assignments=_period(tables["assignments"], period),
        links=_period(tables["links"], period),
    )
